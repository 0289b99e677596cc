package wide

import (
	"fmt"

	"github.com/alphamat/alphamat/internal/wyrand"
	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/tensorgame"
)

// Walker is a random walk on the ternary flip graph of one format: schemes
// over Z with coefficients in {-1, 0, 1}, with sign masks of type W
// (search/ternary's New picks the width a format needs). It implements
// search.Walker. A Walker is not safe for concurrent use.
type Walker[W Word] struct {
	core
	dims [3]int
	rng  wyrand.Rand

	cap  int       // most live terms
	term []term[W] // by term id
	// alive lists the live term ids densely; free holds the dead ids.
	alive, free []int32

	tab [3]table[W]
	// Groups of two or more terms sharing a factor up to sign: mode, size,
	// key, their position in multi and their members
	// (gmem[g*cap : g*cap+size]).
	grp   []group[W]
	gmem  []int32
	gfree []int32
	multi []int32 // all groups: where the flips are

	stack []check // pending reduction checks

	rejected int64 // flips not made: a coefficient would leave {-1, 0, 1}
}

// Options tune a walker; the zero value gives the defaults.
type Options = walkkit.Options

// core, embedded in Walker, promotes Format, Counts and SetPlusAfter.
type core = walkkit.Core

// term is one term: its three factors, its position in alive (-1: dead),
// per mode its position in its group (-1: its factor is not shared), and
// whether it was found sharing two factors with a term it could not be
// merged with (the merge was out of range).
type term[W Word] struct {
	f       [3]tern[W]
	pos     [3]int32
	apos    int32
	blocked bool
}

type group[W Word] struct {
	key   tern[W]
	size  int32
	multi int32
	mode  int32
}

type check struct {
	t int32
	m int32
}

// NewWalker returns a walker with sign masks of type W for format f seeded
// with seed; search/ternary's New picks the width a format needs. It returns an error when a
// factor of f does not fit in W.
func NewWalker[W Word](f tensorgame.Format, seed uint64, opts Options) (*Walker[W], error) {
	var words W
	if err := walkkit.CheckFactors("ternary", f, 64*len(words)); err != nil {
		return nil, err
	}
	a, b, c := f.Dims()
	w := &Walker[W]{core: walkkit.NewCore("ternary", f, tensorgame.Z, opts), dims: [3]int{a, b, c}, rng: wyrand.Rand{S: seed}}
	w.alloc(f.Naive() + walkkit.Extra(&w.core))
	return w, nil
}

func (w *Walker[W]) alloc(capacity int) {
	w.cap = capacity
	w.term = make([]term[W], capacity)
	w.alive = make([]int32, 0, capacity)
	w.free = make([]int32, 0, capacity)
	ng := 3 * capacity / 2
	for m := range 3 {
		w.tab[m] = newTable[W](capacity)
	}
	w.grp = make([]group[W], ng)
	w.gmem = make([]int32, ng*capacity)
	w.gfree = make([]int32, 0, ng)
	w.multi = make([]int32, 0, ng)
	w.stack = make([]check, 0, 4*capacity+16)
}

// reset empties the walker.
func (w *Walker[W]) reset() {
	w.alive = w.alive[:0]
	w.free = w.free[:0]
	for id := w.cap - 1; id >= 0; id-- {
		w.free = append(w.free, int32(id))
		w.term[id].apos = -1
	}
	for m := range 3 {
		w.tab[m].clear()
	}
	w.gfree = w.gfree[:0]
	for g := len(w.grp) - 1; g >= 0; g-- {
		w.gfree = append(w.gfree, int32(g))
	}
	w.multi = w.multi[:0]
	w.stack = w.stack[:0]
}

// Start makes a copy of s the current scheme, merges terms that share two
// factors up to sign (when the sum stays in range) and drops zero terms,
// and starts a new plateau. It returns an error, and keeps the previous
// state, when s is not a verified scheme over Z of the walker's format with
// coefficients in {-1, 0, 1}.
func (w *Walker[W]) Start(s *tensorgame.Scheme) error {
	if err := walkkit.Check(&w.core, s); err != nil {
		return err
	}
	terms := make([][3]tern[W], 0, s.Rank())
	for r, t := range s.Terms {
		var x [3]tern[W]
		for m, fac := range [3][]tensorgame.Rat{t.U, t.V, t.W} {
			if len(fac) != w.dims[m] {
				return fmt.Errorf("ternary: term %d factor %c has %d coefficients, want %d", r+1, "uvw"[m], len(fac), w.dims[m])
			}
			for i, c := range fac {
				switch c {
				case tensorgame.Int(0):
				case tensorgame.Int(1):
					x[m].set(i, false)
				case tensorgame.Int(-1):
					x[m].set(i, true)
				default:
					return fmt.Errorf("ternary: term %d factor %c entry %d is %v, not in {-1, 0, 1}", r+1, "uvw"[m], i, c)
				}
			}
		}
		if !x[0].isZero() && !x[1].isZero() && !x[2].isZero() {
			terms = append(terms, x)
		}
	}
	if need := len(terms) + walkkit.Extra(&w.core); need > w.cap {
		w.alloc(need)
	}
	w.reset()
	for _, x := range terms {
		id := w.newTerm(x)
		for m := range 3 {
			w.attach(id, m, x[m])
		}
	}
	walkkit.Begin(&w.core, w.drain)
	return nil
}

// Rank returns the number of terms of the current scheme.
func (w *Walker[W]) Rank() int { return len(w.alive) }

// Rejected returns how many flips were tried and not made because a
// coefficient would have left {-1, 0, 1} (Counts counts the flips made).
func (w *Walker[W]) Rejected() int64 { return w.rejected }

// Scheme returns the current scheme as a new tensorgame.Scheme over Z. Each
// term is written with the first non-zero coefficient of u and of v
// positive (the sign goes to w), so that schemes equal up to the signs of
// their terms are written alike.
func (w *Walker[W]) Scheme() *tensorgame.Scheme {
	s := &tensorgame.Scheme{Format: w.Format(), Field: tensorgame.Z, Terms: make([]tensorgame.Term, len(w.alive))}
	for r, id := range w.alive {
		f := w.term[id].f
		u, nu := canon(f[0])
		v, nv := canon(f[1])
		x := [3]tern[W]{u, v, signed(f[2], nu != nv)}
		var fac [3][]tensorgame.Rat
		for m := range 3 {
			fac[m] = make([]tensorgame.Rat, w.dims[m])
			x[m].fill(fac[m])
		}
		s.Terms[r] = tensorgame.Term{U: fac[0], V: fac[1], W: fac[2]}
	}
	return s
}
