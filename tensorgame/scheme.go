package tensorgame

import (
	"fmt"
	"math/bits"
	"slices"
)

// Term is one rank-1 term u ⊗ v ⊗ w: u has n·m coefficients (A row-major),
// v has m·p (B row-major) and w has n·p (C row-major, not transposed).
type Term struct {
	U, V, W []Rat
}

// Clone returns a deep copy of t.
func (t Term) Clone() Term {
	return Term{U: slices.Clone(t.U), V: slices.Clone(t.V), W: slices.Clone(t.W)}
}

// BitTerm returns the Z2 term of format f whose factor m has coefficient 1
// at each bit set in x[m] (bit i is coefficient i of u, v or w), the packed
// form of the Z2 walkers and the tree search. Bits beyond a factor's length
// are ignored.
func BitTerm(f Format, x [3]uint64) Term {
	a, b, c := f.Dims()
	var fac [3][]Rat
	for m, n := range [3]int{a, b, c} {
		fac[m] = make([]Rat, n)
		for v := x[m]; v != 0; v &= v - 1 {
			if i := bits.TrailingZeros64(v); i < n {
				fac[m][i] = Int(1)
			}
		}
	}
	return Term{U: fac[0], V: fac[1], W: fac[2]}
}

// TermBits is the inverse of BitTerm: bit i of word m is set when
// coefficient i of factor m has an odd numerator (a Z2 scheme's 1). Factors
// of more than 64 coefficients keep only their first 64.
func TermBits(t Term) [3]uint64 {
	var x [3]uint64
	for m, fac := range [3][]Rat{t.U, t.V, t.W} {
		for i, c := range fac[:min(len(fac), 64)] {
			if c.Num()&1 != 0 {
				x[m] |= 1 << i
			}
		}
	}
	return x
}

// Equal reports whether t and s have the same coefficients.
func (t Term) Equal(s Term) bool {
	return slices.Equal(t.U, s.U) && slices.Equal(t.V, s.V) && slices.Equal(t.W, s.W)
}

// Factor returns u, v or w for mode 0, 1 or 2.
func (t Term) Factor(mode int) []Rat {
	switch mode {
	case 0:
		return t.U
	case 1:
		return t.V
	case 2:
		return t.W
	}
	panic(Error{"tensorgame: mode out of range"})
}

// Scheme is a list of rank-1 terms claimed to decompose the matmul tensor of
// Format over Field. Comments holds free-form header lines (source,
// license, notes) without their leading "# "; the size, rank and field lines
// are derived from the other fields when a scheme is written.
//
// Origin, when non-nil, records as data how the scheme was found; it is
// written as the "# origin:" header line and read back from it.
type Scheme struct {
	Format   Format
	Field    Field
	Terms    []Term
	Comments []string
	Origin   *Origin
}

// Rank returns the number of terms.
func (s *Scheme) Rank() int { return len(s.Terms) }

// Clone returns a deep copy of s.
func (s *Scheme) Clone() *Scheme {
	c := &Scheme{Format: s.Format, Field: s.Field, Comments: slices.Clone(s.Comments)}
	c.Terms = make([]Term, len(s.Terms))
	for i, t := range s.Terms {
		c.Terms[i] = t.Clone()
	}
	c.Origin = s.Origin.Clone()
	return c
}

// Equal reports whether s and o have the same format, field and terms in the
// same order (comments are ignored).
func (s *Scheme) Equal(o *Scheme) bool {
	return s.Format == o.Format && s.Field == o.Field &&
		slices.EqualFunc(s.Terms, o.Terms, Term.Equal)
}

// CheckShape returns an error if a factor has the wrong length for the
// format, or a coefficient is out of range for the field (not 0/1 over Z2,
// not an integer over Z).
func (s *Scheme) CheckShape() error {
	if !s.Format.Valid() {
		return fmt.Errorf("invalid format %v", s.Format)
	}
	if !s.Field.Valid() {
		return fmt.Errorf("invalid field %v", s.Field)
	}
	a, b, c := s.Format.Dims()
	want := [3]int{a, b, c}
	for r, t := range s.Terms {
		for mode, f := range [3][]Rat{t.U, t.V, t.W} {
			if len(f) != want[mode] {
				return fmt.Errorf("term %d: factor %c has %d coefficients, want %d for %v",
					r+1, "uvw"[mode], len(f), want[mode], s.Format)
			}
			for i, x := range f {
				if err := s.Field.check(x); err != nil {
					return fmt.Errorf("term %d: factor %c entry %d: %w", r+1, "uvw"[mode], i, err)
				}
			}
		}
	}
	return nil
}

func (f Field) check(x Rat) error {
	switch f {
	case Z2:
		if x != Int(0) && x != Int(1) {
			return fmt.Errorf("coefficient %v is not 0 or 1 (field Z2)", x)
		}
	case Z:
		if !x.IsInt() {
			return fmt.Errorf("coefficient %v is not an integer (field Z)", x)
		}
	}
	return nil
}

// MaxAbs returns the largest |numerator| and largest denominator among the
// coefficients of s.
func (s *Scheme) MaxAbs() (num, den int64) {
	den = 1
	for _, t := range s.Terms {
		for _, f := range [3][]Rat{t.U, t.V, t.W} {
			for _, x := range f {
				num = max(num, abs64(x.Num()))
				den = max(den, x.Den())
			}
		}
	}
	return num, den
}

// NonZeros returns the number of non-zero coefficients of s.
func (s *Scheme) NonZeros() int {
	n := 0
	for _, t := range s.Terms {
		for _, f := range [3][]Rat{t.U, t.V, t.W} {
			for _, x := range f {
				if !x.IsZero() {
					n++
				}
			}
		}
	}
	return n
}

// Standard returns the standard algorithm for f: n·m·p terms
// A[i][j]·B[j][k] added into C[i][k].
func Standard(f Format, field Field) *Scheme {
	a, b, c := f.Dims()
	s := &Scheme{Format: f, Field: field}
	for i := 0; i < f.N; i++ {
		for j := 0; j < f.M; j++ {
			for k := 0; k < f.P; k++ {
				t := Term{U: make([]Rat, a), V: make([]Rat, b), W: make([]Rat, c)}
				t.U[i*f.M+j] = Int(1)
				t.V[j*f.P+k] = Int(1)
				t.W[i*f.P+k] = Int(1)
				s.Terms = append(s.Terms, t)
			}
		}
	}
	return s
}
