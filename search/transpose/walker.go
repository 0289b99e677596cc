package transpose

import (
	"fmt"
	"math/bits"

	"github.com/alphamat/alphamat/internal/wyrand"
	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/tensorgame"
)

// MaxFactor is the most coefficients a factor may have: one uint64. Both
// n·m (x and y) and n·n (z) must fit.
const MaxFactor = 64

// Slots of an orbit's factors in Walker.orb and of its entries in the index:
// entry e = 4·id + slot. Slots 0 and 1 are indexed in the table of x and y
// values (kind 0), slots 2 and 3 in the table of z values (kind 1).
const (
	slotX  = 0 // x: position 1 of t, position 2 of σt
	slotY  = 1 // y: position 2 of t, position 1 of σt
	slotZ  = 2 // z: position 3 of t
	slotZT = 3 // zᵀ: position 3 of σt, indexed only when z ≠ zᵀ
)

// Walker is a random walk on the flip graph of transpose-symmetric schemes
// of one n×m×n format over Z2. It implements search.Walker. A Walker is
// not safe for concurrent use.
type Walker struct {
	core
	n, m int
	rng  wyrand.Rand

	cap   int         // most terms, and so most orbits and fixed terms
	orb   [][4]uint64 // by id: x, y, z, zᵀ; a fixed term is x, x, s, s
	fixed []bool      // id is a fixed term (one term), not an orbit of two
	rank  int
	// alive lists the live ids densely, apos[id] is the position of id in
	// alive (-1: dead), free holds the dead ids.
	alive, apos, free []int32

	// The index: table 0 holds x and y values, table 1 z values.
	idx walkkit.Index

	stack []int32 // entries to check for reductions

	sliceIDs []int32 // scratch of reduceSlice
	slice    slice

	// rowT[i][r] is the transpose of row i of an n×n matrix with bits r:
	// zᵀ = Σ_i rowT[i][row i of z].
	rowT [][]uint64
}

// Options tune a walker; the zero value gives the defaults.
type Options = walkkit.Options

// core, embedded in Walker, promotes Format, Counts and SetPlusAfter.
type core = walkkit.Core

// Supports returns an error unless the walker supports format f: an n×m×n
// format whose factors have at most MaxFactor coefficients.
func Supports(f tensorgame.Format) error {
	if !f.Valid() {
		return fmt.Errorf("transpose: invalid format %v", f)
	}
	if f.N != f.P {
		return fmt.Errorf("transpose: format %v is not n×m×n: transpose symmetry needs n == p", f)
	}
	if f.N*f.M > MaxFactor || f.N*f.N > MaxFactor {
		return fmt.Errorf("transpose: format %v has factors of %d and %d coefficients; the walker supports at most %d",
			f, f.N*f.M, f.N*f.N, MaxFactor)
	}
	return nil
}

// New returns a walker for the n×m×n format f seeded with seed. It returns
// the error of Supports for a format it does not support.
func New(f tensorgame.Format, seed uint64, opts Options) (*Walker, error) {
	if err := Supports(f); err != nil {
		return nil, err
	}
	w := &Walker{core: walkkit.NewCore("transpose", f, tensorgame.Z2, opts), n: f.N, m: f.M, rng: wyrand.Rand{S: seed}}
	w.rowT = make([][]uint64, f.N)
	for i := range f.N {
		w.rowT[i] = make([]uint64, 1<<f.N)
		for r := range uint64(1) << f.N {
			w.rowT[i][r] = transposeBits(f.N, f.N, r<<(i*f.N))
		}
	}
	w.alloc(f.Naive() + walkkit.Extra(&w.core))
	return w, nil
}

func (w *Walker) alloc(capacity int) {
	w.cap = capacity
	w.orb = make([][4]uint64, capacity)
	w.fixed = make([]bool, capacity)
	w.alive = make([]int32, 0, capacity)
	w.apos = make([]int32, capacity)
	w.free = make([]int32, 0, capacity)
	ne := 4 * capacity
	// A value is carried by at most one entry of each live id in a table:
	// x ≠ y in an orbit, z ≠ zᵀ when both are indexed.
	w.idx = walkkit.NewIndex(ne, 2, 2*capacity, capacity)
	w.stack = make([]int32, 0, 8*ne+16)
	w.sliceIDs = make([]int32, 0, capacity)
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
// transpose-symmetric.
func (w *Walker) Start(s *tensorgame.Scheme) error {
	if err := walkkit.Check(&w.core, s); err != nil {
		return err
	}
	orbs, fixed, err := split(s)
	if err != nil {
		return err
	}
	// Ids never outnumber the terms, so room for the rank is room enough.
	if need := 2*len(orbs) + len(fixed) + walkkit.Extra(&w.core); need > w.cap {
		w.alloc(need)
	}
	w.reset()
	for _, x := range fixed {
		w.newFixed(x[0], x[2])
	}
	for _, x := range orbs {
		w.newOrbit(x)
	}
	walkkit.Begin(&w.core, w.drain)
	return nil
}

// Symmetric reports whether s, reduced mod 2, is a transpose-symmetric
// scheme of an n×m×n format that the walker supports: its terms are
// invariant under u⊗v⊗w -> vᵀ⊗uᵀ⊗wᵀ.
func Symmetric(s *tensorgame.Scheme) bool {
	if Supports(s.Format) != nil {
		return false
	}
	if s.CheckShape() != nil {
		return false
	}
	_, _, err := split(s)
	return err == nil
}

// split returns the terms of s reduced mod 2 (terms that appear an even
// number of times cancel) in the coordinates x = u, y = vᵀ, z = w: one
// representative per orbit {t, σt} and the fixed terms (x, x, s), s = sᵀ.
// It returns an error when the terms are not closed under σ.
func split(s *tensorgame.Scheme) (orbs, fixed [][3]uint64, err error) {
	n, m := s.Format.N, s.Format.M
	count := make(map[[3]uint64]int, len(s.Terms))
	var order [][3]uint64
	for _, t := range s.Terms {
		x := fromTerm(n, m, tensorgame.TermBits(t))
		if x[0] == 0 || x[1] == 0 || x[2] == 0 {
			continue
		}
		if count[x] == 0 {
			order = append(order, x)
		}
		count[x]++
	}
	for i, x := range order {
		if count[x]%2 == 0 {
			continue
		}
		y := [3]uint64{x[1], x[0], transposeBits(n, n, x[2])}
		if y == x {
			count[x] = 0
			fixed = append(fixed, x)
			continue
		}
		if count[y]%2 == 0 {
			return nil, nil, fmt.Errorf("transpose: the %v scheme is not transpose-symmetric: term %d has no image vᵀ⊗uᵀ⊗wᵀ among the terms", s.Format, i+1)
		}
		count[x], count[y] = 0, 0
		orbs = append(orbs, x)
	}
	return orbs, fixed, nil
}

// transposeBits returns the transpose of the rows×cols bit matrix x (bit
// r·cols+c is entry (r, c)), a cols×rows bit matrix.
func transposeBits(rows, cols int, x uint64) uint64 {
	var y uint64
	for ; x != 0; x &= x - 1 {
		b := bits.TrailingZeros64(x)
		r, c := b/cols, b%cols
		y |= 1 << (c*rows + r)
	}
	return y
}

// fromTerm converts tensorgame's bit-packed factors u (n×m), v (m×n), w
// (n×n) to x = u, y = vᵀ, z = w.
func fromTerm(n, m int, t [3]uint64) [3]uint64 {
	return [3]uint64{t[0], transposeBits(m, n, t[1]), t[2]}
}

// toTerm is the inverse of fromTerm.
func toTerm(n, m int, x [3]uint64) [3]uint64 {
	return [3]uint64{x[0], transposeBits(n, m, x[1]), x[2]}
}

// Rank returns the number of terms of the current scheme.
func (w *Walker) Rank() int { return w.rank }

// Orbits returns the number of orbits of two terms and of fixed terms of
// the current scheme.
func (w *Walker) Orbits() (orbits, fixed int) {
	for _, id := range w.alive {
		if w.fixed[id] {
			fixed++
		} else {
			orbits++
		}
	}
	return orbits, fixed
}

// Scheme returns the current scheme, both terms of every orbit and the
// fixed terms, as a new tensorgame.Scheme over Z2.
func (w *Walker) Scheme() *tensorgame.Scheme {
	s := &tensorgame.Scheme{Format: w.Format(), Field: tensorgame.Z2, Terms: make([]tensorgame.Term, 0, w.rank)}
	for _, id := range w.alive {
		o := w.orb[id]
		s.Terms = append(s.Terms, tensorgame.BitTerm(w.Format(), toTerm(w.n, w.m, [3]uint64{o[0], o[1], o[2]})))
		if !w.fixed[id] {
			s.Terms = append(s.Terms, tensorgame.BitTerm(w.Format(), toTerm(w.n, w.m, [3]uint64{o[1], o[0], o[3]})))
		}
	}
	return s
}

// Walk makes at most flips flips, with the reductions they enable and plus
// transitions when a plateau lasts Options.PlusAfter flips, and returns the
// number of flips made. A try that picks two fixed terms makes no flip but
// counts towards flips, so that Walk always ends. Walk returns early right
// after a reduction that brings the rank to report or below (report <= 0:
// never), or when no flip and no plus transition is possible. Plus
// transitions never raise the rank above ceiling. Walk allocates nothing;
// it panics if the walker was never started.
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

func (m mover) Plus(ceiling int) bool {
	ceiling = min(ceiling, m.w.cap)
	return m.w.rank < ceiling && m.w.plusMove(ceiling)
}
