package tensorgame

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"
	"time"
)

// Move names how a scheme was made from its parents (or from nothing). It is
// data: programs compare it with the constants below, never with prose.
type Move string

// The moves. Searches that walk a flip graph name the graph; meta moves name
// the operation that carried a scheme between formats.
const (
	MoveStandard     Move = "standard"        // the standard algorithm, rank n·m·p
	MovePublished    Move = "published"       // read from a published file
	MoveFlips        Move = "flips"           // flip-graph walk over Z2
	MoveCyclicFlips  Move = "cyclic-flips"    // cyclic-symmetric flip-graph walk over Z2
	MoveTransFlips   Move = "transpose-flips" // transpose-symmetric flip-graph walk over Z2
	MoveTernaryFlips Move = "ternary-flips"   // flip-graph walk over Z, coefficients in {-1,0,1}
	MoveLift         Move = "lift"            // Hensel lifting Z2 -> Z or Q
	MoveMod2         Move = "mod2"            // reduction of a Z or Q scheme mod 2
	MovePermute      Move = "permute"         // a permutation of the format (cyclic, transpose)
	MoveRestrict     Move = "restrict"        // restriction to a smaller format
	MoveExtend       Move = "extend"          // extension to a larger format with naive terms
	MoveSum          Move = "sum"             // direct sum of two formats along one size
	MoveProduct      Move = "product"         // tensor (Kronecker) product of two formats
	MovePlay         Move = "play"            // the agent's tree search
	MoveTrain        Move = "train"           // found during agent training self-play
)

// Parent identifies a scheme another one was made from: its format, field,
// rank and Hash (hex), which are enough to find it in a run directory or a
// catalogue.
type Parent struct {
	Format Format `json:"format"`
	Field  Field  `json:"field"`
	Rank   int    `json:"rank"`
	Hash   string `json:"hash,omitempty"`
}

// Origin records as data how a scheme was found: the move, the schemes it
// was made from, the lineage of moves that led to it, when, and free-form
// details for people (Detail is never parsed by a program). It is kept in
// scheme files as one "# origin:" header line holding JSON.
type Origin struct {
	Move    Move     `json:"move"`
	Parents []Parent `json:"parents,omitempty"`
	// Lineage is the moves from the first ancestor to this scheme, oldest
	// first and ending with Move, repeats in a row kept once (see Derive):
	// [standard sum flips] is a flip walk from a direct sum of schemes
	// that came from the standard algorithm.
	Lineage []Move            `json:"lineage,omitempty"`
	Time    time.Time         `json:"time,omitzero"`
	Params  map[string]string `json:"params,omitempty"` // e.g. "seed", "walker", "epoch-start"
	Detail  string            `json:"detail,omitempty"`
}

// Derive returns the origin of a scheme made by move from parents (none: from
// nothing): their Parent refs, the first parent's lineage followed by move,
// and the time now. A parent without an origin counts as published when it
// came from a file, which Derive cannot tell: its lineage is just empty.
func Derive(move Move, parents ...*Scheme) *Origin {
	o := &Origin{Move: move, Time: time.Now().UTC().Truncate(time.Second)}
	for _, p := range parents {
		o.Parents = append(o.Parents, ParentOf(p))
	}
	if len(parents) > 0 && parents[0].Origin != nil {
		o.Lineage = slices.Clone(parents[0].Origin.Lineage)
	}
	if n := len(o.Lineage); n == 0 || o.Lineage[n-1] != move {
		o.Lineage = append(o.Lineage, move)
	}
	// Bound the lineage: a long-running catalogue derives without end.
	if n := len(o.Lineage); n > maxLineage {
		o.Lineage = append(o.Lineage[:1:1], o.Lineage[n-maxLineage+1:]...)
	}
	return o
}

// maxLineage bounds Origin.Lineage: Derive keeps the first move and the
// newest ones.
const maxLineage = 32

// Has reports whether move occurs in o's lineage (false for nil).
func (o *Origin) Has(move Move) bool {
	return o != nil && slices.Contains(o.Lineage, move)
}

// ParentOf returns the Parent that identifies s.
func ParentOf(s *Scheme) Parent {
	return Parent{Format: s.Format, Field: s.Field, Rank: s.Rank(), Hash: fmt.Sprintf("%016x", s.Hash())}
}

// maxOriginLine bounds the JSON of one origin header line.
const maxOriginLine = 64 << 10

// parseOrigin decodes the value of an "# origin:" header line.
func parseOrigin(val string) (*Origin, error) {
	if len(val) > maxOriginLine {
		return nil, fmt.Errorf("origin header of %d bytes (at most %d)", len(val), maxOriginLine)
	}
	var o Origin
	dec := json.NewDecoder(strings.NewReader(val))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		return nil, fmt.Errorf("origin header is not valid JSON: %v", err)
	}
	if o.Move == "" {
		return nil, fmt.Errorf("origin header has no move")
	}
	return &o, nil
}

// MarshalText returns the format as "NxMxP".
func (f Format) MarshalText() ([]byte, error) {
	return []byte(f.String()), nil
}

// UnmarshalText parses a format written as "NxMxP" (or "N,M,P").
func (f *Format) UnmarshalText(b []byte) error {
	g, err := ParseFormat(string(b))
	if err != nil {
		return err
	}
	*f = g
	return nil
}

// MarshalText returns the field's name: Z2, Z or Q.
func (f Field) MarshalText() ([]byte, error) {
	if f != Z2 && f != Z && f != Q {
		return nil, fmt.Errorf("tensorgame: field %d out of range", int(f))
	}
	return []byte(f.String()), nil
}

// UnmarshalText parses a field name (see ParseField).
func (f *Field) UnmarshalText(b []byte) error {
	g, err := ParseField(string(b))
	if err != nil {
		return err
	}
	*f = g
	return nil
}

// Hash returns a hash of s that ignores the order of its terms: schemes with
// the same multiset of terms hash alike. It is 64-bit FNV-1a of the sorted
// terms, stable across runs and machines (file names use it).
func (s *Scheme) Hash() uint64 {
	h := fnv.New64a()
	h.Write([]byte(s.Canonical()))
	return h.Sum64()
}

// Canonical returns the terms of s as a string in sorted order, one line a
// term: schemes with the same multiset of terms have the same canonical form.
func (s *Scheme) Canonical() string {
	terms := make([]string, len(s.Terms))
	var buf []byte
	for i, t := range s.Terms {
		buf = buf[:0]
		for m, f := range [3][]Rat{t.U, t.V, t.W} {
			if m > 0 {
				buf = append(buf, ';')
			}
			for j, x := range f {
				if j > 0 {
					buf = append(buf, ' ')
				}
				buf = append(buf, x.String()...)
			}
		}
		terms[i] = string(buf)
	}
	if len(terms) == 0 {
		return ""
	}
	slices.Sort(terms)
	return strings.Join(terms, "\n") + "\n"
}

// Clone returns a deep copy of o (nil for nil).
func (o *Origin) Clone() *Origin {
	if o == nil {
		return nil
	}
	c := *o
	c.Parents = slices.Clone(o.Parents)
	c.Lineage = slices.Clone(o.Lineage)
	c.Params = maps.Clone(o.Params)
	return &c
}
