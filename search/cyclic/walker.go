package cyclic

import (
	"fmt"
	"math/bits"

	"github.com/alphamat/alphamat/internal/wyrand"
	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/tensorgame"
)

// MaxN is the largest n of an n×n×n format the walker supports: a factor
// has n² <= 64 coefficients.
const MaxN = 8

// Walker is a random walk on the flip graph of cyclic-symmetric schemes of
// one square format over Z2. It implements search.Walker. A Walker is not
// safe for concurrent use.
type Walker struct {
	core
	n   int
	rng wyrand.Rand

	cap  int         // most orbits
	orb  [][3]uint64 // representative by orbit id: a, b, c' (trace form)
	deg  []bool      // a fixed term: orb[id] is x⊗x⊗x, one term
	rank int         // terms: 3 a live orbit, 1 a fixed term
	// alive lists the live orbit ids densely, apos[id] is the position of
	// id in alive (-1: dead), free holds the dead ids.
	alive, apos, free []int32

	// The index: entry e = 3·id + p is factor p of orbit id. A fixed term
	// has only its entry 3·id in the index, the others orbits all three.
	idx walkkit.Index

	stack []int32 // entries to check for reductions
}

// Options tune a walker; the zero value gives the defaults.
type Options = walkkit.Options

// core, embedded in Walker, promotes Format, Counts and SetPlusAfter.
type core = walkkit.Core

// Supports returns an error unless the walker supports format f: a square
// format n×n×n with n <= MaxN.
func Supports(f tensorgame.Format) error {
	if !f.Valid() {
		return fmt.Errorf("cyclic: invalid format %v", f)
	}
	if f.N != f.M || f.M != f.P {
		return fmt.Errorf("cyclic: format %v is not square: cyclic symmetry needs n×n×n", f)
	}
	if f.N > MaxN {
		return fmt.Errorf("cyclic: format %v has factors of %d coefficients; the walker supports at most %d (n <= %d)", f, f.N*f.N, MaxN*MaxN, MaxN)
	}
	return nil
}

// New returns a walker for the square format f seeded with seed. It
// returns the error of Supports for a format it does not support.
func New(f tensorgame.Format, seed uint64, opts Options) (*Walker, error) {
	if err := Supports(f); err != nil {
		return nil, err
	}
	w := &Walker{core: walkkit.NewCore("cyclic", f, tensorgame.Z2, opts), n: f.N, rng: wyrand.Rand{S: seed}}
	w.alloc(f.Naive() + walkkit.Extra(&w.core))
	return w, nil
}

func (w *Walker) alloc(capacity int) {
	w.cap = capacity
	w.orb = make([][3]uint64, capacity)
	w.deg = make([]bool, capacity)
	w.alive = make([]int32, 0, capacity)
	w.apos = make([]int32, capacity)
	w.free = make([]int32, 0, capacity)
	ne := 3 * capacity
	w.idx = walkkit.NewIndex(ne, 1, ne, ne)
	w.stack = make([]int32, 0, 8*ne+16)
}

// reset empties the walker.
func (w *Walker) reset() {
	walkkit.ResetIDs(&w.alive, &w.free, w.apos)
	w.idx.Reset()
	w.stack = w.stack[:0]
	w.rank = 0
}

// Start makes a copy of s the current scheme, merges what can be merged and
// starts a new plateau. It returns an error, and keeps the previous state,
// when s is not a verified Z2 scheme of the walker's format or is not
// cyclic-symmetric.
func (w *Walker) Start(s *tensorgame.Scheme) error {
	if err := walkkit.Check(&w.core, s); err != nil {
		return err
	}
	reps, err := orbits(s)
	if err != nil {
		return err
	}
	if need := len(reps) + walkkit.Extra(&w.core); need > w.cap {
		w.alloc(need)
	}
	w.reset()
	for _, x := range reps {
		w.newOrbit(x)
	}
	walkkit.Begin(&w.core, w.drain)
	return nil
}

// Symmetric reports whether s, reduced mod 2, is a cyclic-symmetric scheme
// of a square format that the walker supports.
func Symmetric(s *tensorgame.Scheme) bool {
	f := s.Format
	if f.N != f.M || f.M != f.P || f.N > MaxN {
		return false
	}
	_, err := orbits(s)
	return err == nil
}

// orbits returns one representative per orbit of the terms of s reduced mod
// 2 (terms that appear an even number of times cancel), in the trace form,
// or an error when the terms are not closed under the cyclic shift.
func orbits(s *tensorgame.Scheme) ([][3]uint64, error) {
	n := s.Format.N
	count := make(map[[3]uint64]int, len(s.Terms))
	var order [][3]uint64
	for _, t := range s.Terms {
		x := toTrace(n, tensorgame.TermBits(t))
		if x[0] == 0 || x[1] == 0 || x[2] == 0 {
			continue
		}
		if count[x] == 0 {
			order = append(order, x)
		}
		count[x]++
	}
	var reps [][3]uint64
	for i, x := range order {
		if count[x]%2 == 0 {
			continue
		}
		if x[0] == x[1] && x[1] == x[2] {
			count[x] = 0
			reps = append(reps, x)
			continue
		}
		y, z := rot(x, 1), rot(x, 2)
		if count[y]%2 == 0 || count[z]%2 == 0 {
			return nil, fmt.Errorf("cyclic: the %v scheme is not cyclic-symmetric: term %d has no cyclic image among the terms", s.Format, i+1)
		}
		count[x], count[y], count[z] = 0, 0, 0
		reps = append(reps, x)
	}
	return reps, nil
}

// rot returns x shifted by p places: (x[p], x[p+1], x[p+2]), indices mod 3.
func rot(x [3]uint64, p int) [3]uint64 {
	switch p {
	case 1:
		return [3]uint64{x[1], x[2], x[0]}
	case 2:
		return [3]uint64{x[2], x[0], x[1]}
	}
	return x
}

// transpose returns the n×n bit matrix x transposed.
func transpose(n int, x uint64) uint64 {
	var y uint64
	for ; x != 0; x &= x - 1 {
		b := bits.TrailingZeros64(x)
		i, j := b/n, b%n
		y |= 1 << (j*n + i)
	}
	return y
}

// toTrace converts tensorgame's bit-packed factors u, v, w (w is C) to the
// trace form a, b, c' (c' is Cᵀ).
func toTrace(n int, t [3]uint64) [3]uint64 { return [3]uint64{t[0], t[1], transpose(n, t[2])} }

// fromTrace is the inverse of toTrace.
func fromTrace(n int, x [3]uint64) [3]uint64 { return [3]uint64{x[0], x[1], transpose(n, x[2])} }

// Rank returns the number of terms of the current scheme.
func (w *Walker) Rank() int { return w.rank }

// Orbits returns the number of orbits of three terms and of fixed terms of
// the current scheme.
func (w *Walker) Orbits() (orbits, fixed int) {
	for _, id := range w.alive {
		if w.deg[id] {
			fixed++
		} else {
			orbits++
		}
	}
	return orbits, fixed
}

// Scheme returns the current scheme, every term of every orbit, as a new
// tensorgame.Scheme over Z2.
func (w *Walker) Scheme() *tensorgame.Scheme {
	s := &tensorgame.Scheme{Format: w.Format(), Field: tensorgame.Z2, Terms: make([]tensorgame.Term, 0, w.rank)}
	for _, id := range w.alive {
		x := w.orb[id]
		for p := range 3 {
			s.Terms = append(s.Terms, tensorgame.BitTerm(w.Format(), fromTrace(w.n, rot(x, p))))
			if w.deg[id] {
				break
			}
		}
	}
	return s
}

// Walk makes at most flips flips, with the reductions they enable and plus
// transitions when a plateau lasts Options.PlusAfter flips, and returns the
// number of flips made. A try that picks two entries of one orbit or a
// fixed term makes no flip but counts towards flips, so that Walk always
// ends. Walk returns early right after a reduction that brings the rank to
// report or below (report <= 0: never), or when no flip and no plus
// transition is possible. Plus transitions never raise the rank above
// ceiling. Walk allocates nothing; it panics if the walker was never
// started.
func (w *Walker) Walk(flips int64, report, ceiling int) int64 {
	return walkkit.Walk(&w.core, mover{w}, flips, report, ceiling)
}

// mover gives walkkit.Walk the walker's moves.
type mover struct{ w *Walker }

func (m mover) Rank() int { return m.w.rank }

func (m mover) Flip() (int, bool) {
	w := m.w
	if len(w.idx.Multi) == 0 {
		return -1, false
	}
	made := w.flip()
	return w.rank, made
}

// Plus makes a plus transition, which raises the rank by 3 (a fixed flip
// by 2).
func (m mover) Plus(ceiling int) bool {
	return m.w.rank+3 <= ceiling && m.w.plusMove()
}
