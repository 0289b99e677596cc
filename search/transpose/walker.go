package transpose

import (
	"fmt"

	"github.com/alphamat/alphamat/internal/wyrand"
	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/tensorgame"
)

// MaxFactor is the most coefficients a factor may have: four 64-bit words
// (tensorgame.MaxWideFactor). Both n·m (x and y) and n·n (z) must fit.
const MaxFactor = tensorgame.MaxWideFactor

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
// of one n×m×n format over Z2, its factors of width F (walkkit.Factor). It
// implements search.Walker. A Walker is not safe for concurrent use.
type Walker[F walkkit.Factor] struct {
	core
	n, m int
	rng  wyrand.Rand

	orb [][4]F // by id: x, y, z, zᵀ; a fixed term is x, x, s, s
	// ids are the live orbits (two terms) and fixed terms (one).
	ids walkkit.IDs

	// The index: table 0 holds x and y values, table 1 z values.
	idx walkkit.Index[F]

	stack []int32 // entries to check for reductions

	sliceIDs []int32 // scratch of reduceSlice
	slice    slice[F]

	// trT and pieces make the transpose of an n×n matrix z (tr): zᵀ is
	// the sum over the pieces j of the entries trT[j<<b | r], r the bits
	// of z that the piece selects, b their most (n at one word, where a
	// piece is a row; 8 at wider ones, where a row of more than 8 bits is
	// two pieces).
	trT    []F
	trB    uint
	pieces []piece
}

// piece is a part of a row of a matrix: the bits that mask selects from
// off on.
type piece struct {
	off  int
	mask uint64
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

// New returns a walker for the n×m×n format f seeded with seed, of the
// factor width f needs (NewOf of one, two or four words). It returns the
// error of Supports for a format it does not support.
func New(f tensorgame.Format, seed uint64, opts Options) (walkkit.Walker, error) {
	return walkkit.NewWide("transpose", f, seed, opts,
		walkkit.Adapt(NewOf[[1]uint64]), walkkit.Adapt(NewOf[[2]uint64]), walkkit.Adapt(NewOf[[4]uint64]))
}

// NewOf returns a walker for the n×m×n format f, whose factors must fit the
// width F, seeded with seed. It returns the error of Supports for a format
// it does not support, and an error when F is too narrow.
func NewOf[F walkkit.Factor](f tensorgame.Format, seed uint64, opts Options) (*Walker[F], error) {
	if err := walkkit.CheckWidth[F]("transpose", f, Supports); err != nil {
		return nil, err
	}
	w := &Walker[F]{core: walkkit.NewCore("transpose", f, tensorgame.Z2, opts), n: f.N, m: f.M, rng: wyrand.Rand{S: seed}}
	n := f.N
	b := 8
	if len(*new(F)) == 1 {
		b = n
	}
	w.trB = uint(b)
	for i := range n {
		for c := 0; c < n; c += b {
			k := min(b, n-c)
			p := piece{off: i*n + c, mask: 1<<k - 1}
			w.pieces = append(w.pieces, p)
			for r := range 1 << b {
				var z F
				for j := range k {
					if r>>j&1 != 0 {
						z = walkkit.Xor(z, walkkit.Bit[F](p.off+j))
					}
				}
				w.trT = append(w.trT, walkkit.Transpose(n, n, z))
			}
		}
	}
	w.alloc(f.Naive() + walkkit.Extra(&w.core))
	return w, nil
}

func (w *Walker[F]) alloc(capacity int) {
	w.orb = make([][4]F, capacity)
	w.ids = walkkit.NewIDs(capacity, 2)
	ne := 4 * capacity
	// A value is carried by at most one entry of each live id in a table:
	// x ≠ y in an orbit, z ≠ zᵀ when both are indexed.
	// Room for every id in every group at one word, so that the index
	// never grows; wider, room for 32·max(n, m), which the groups seldom
	// outgrow (34 MB for 16x16x16, not 270).
	room := capacity
	if f := w.orb[0][0]; len(f) > 1 {
		room = min(capacity, 32*max(w.n, w.m))
	}
	w.idx = walkkit.NewIndex[F](ne, 2, 2*capacity, room)
	w.stack = make([]int32, 0, 8*ne+16)
	w.sliceIDs = make([]int32, 0, capacity)
}

// reset empties the walker.
func (w *Walker[F]) reset() {
	w.ids.Reset()
	w.idx.Reset()
	w.stack = w.stack[:0]
}

// Start makes a copy of s the current scheme, merges what can be merged and
// starts a new plateau. It returns an error, and keeps the previous state,
// when s is not a verified Z2 scheme of the walker's format or is not
// transpose-symmetric.
func (w *Walker[F]) Start(s *tensorgame.Scheme) error {
	if err := walkkit.Check(&w.core, s); err != nil {
		return err
	}
	orbs, fixed, err := split[F](s)
	if err != nil {
		return err
	}
	// Ids never outnumber the terms, so room for the rank is room enough.
	if need := 2*len(orbs) + len(fixed) + walkkit.Extra(&w.core); need > w.ids.Cap() {
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
	var err error
	a, b, c := s.Format.Dims()
	switch tensorgame.Words(max(a, b, c)) {
	case 1:
		_, _, err = split[[1]uint64](s)
	case 2:
		_, _, err = split[[2]uint64](s)
	default:
		_, _, err = split[[4]uint64](s)
	}
	return err == nil
}

// split returns the terms of s reduced mod 2 (terms that appear an even
// number of times cancel) in the coordinates x = u, y = vᵀ, z = w: one
// representative per orbit {t, σt} and the fixed terms (x, x, s), s = sᵀ.
// It returns an error when the terms are not closed under σ.
func split[F walkkit.Factor](s *tensorgame.Scheme) (orbs, fixed [][3]F, err error) {
	n, m := s.Format.N, s.Format.M
	reps, bad := walkkit.OddTerms(s, func(x [3]F) [3]F { return fromTerm(n, m, x) }, func(x [3]F) [][3]F {
		if y := sigma(n, x); y != x {
			return [][3]F{y}
		}
		return nil
	})
	if bad >= 0 {
		return nil, nil, fmt.Errorf("transpose: the %v scheme is not transpose-symmetric: term %d has no image vᵀ⊗uᵀ⊗wᵀ among the terms", s.Format, bad+1)
	}
	for _, x := range reps {
		if sigma(n, x) == x {
			fixed = append(fixed, x)
		} else {
			orbs = append(orbs, x)
		}
	}
	return orbs, fixed, nil
}

// sigma returns the image (y, x, zᵀ) of the term x = (x, y, z) of n×m×n.
func sigma[F walkkit.Factor](n int, x [3]F) [3]F {
	return [3]F{x[1], x[0], walkkit.Transpose(n, n, x[2])}
}

// fromTerm converts tensorgame's bit-packed factors u (n×m), v (m×n), w
// (n×n) to x = u, y = vᵀ, z = w.
func fromTerm[F walkkit.Factor](n, m int, t [3]F) [3]F {
	return [3]F{t[0], walkkit.Transpose(m, n, t[1]), t[2]}
}

// toTerm is the inverse of fromTerm.
func toTerm[F walkkit.Factor](n, m int, x [3]F) [3]F {
	return [3]F{x[0], walkkit.Transpose(n, m, x[1]), x[2]}
}

// Rank returns the number of terms of the current scheme.
func (w *Walker[F]) Rank() int { return w.ids.Rank }

// Orbits returns the number of orbits of two terms and of fixed terms of
// the current scheme.
func (w *Walker[F]) Orbits() (orbits, fixed int) { return w.ids.Count() }

// Scheme returns the current scheme, both terms of every orbit and the
// fixed terms, as a new tensorgame.Scheme over Z2.
func (w *Walker[F]) Scheme() *tensorgame.Scheme {
	s := &tensorgame.Scheme{Format: w.Format(), Field: tensorgame.Z2, Terms: make([]tensorgame.Term, 0, w.ids.Rank)}
	for _, id := range w.ids.Alive {
		o := w.orb[id]
		s.Terms = append(s.Terms, walkkit.FactorsTerm(w.Format(), toTerm(w.n, w.m, [3]F{o[0], o[1], o[2]})))
		if !w.ids.Fixed[id] {
			s.Terms = append(s.Terms, walkkit.FactorsTerm(w.Format(), toTerm(w.n, w.m, [3]F{o[1], o[0], o[3]})))
		}
	}
	return s
}

// Walk makes flips with the reductions they enable and plus transitions, as
// search.Walker says, by walkkit.Walk; Plus transitions never raise the
// rank above ceiling. A try that picks two fixed terms makes no flip but
// counts towards flips, so that Walk always ends. Walk allocates nothing;
// it panics if the walker was never started.
func (w *Walker[F]) Walk(flips int64, report, ceiling int) int64 {
	if w1, ok := any(w).(*Walker[[1]uint64]); ok {
		return walkkit.Walk(&w.core, mover1{w1}, flips, report, ceiling)
	}
	return walkkit.Walk(&w.core, mover[F]{w}, flips, report, ceiling)
}

// mover1 is mover for one word, a type of its own: walkkit.Walk would call
// the methods of a generic mover through a wrapper of each, one more call
// per flip (cyclic.mover1 says more).
type mover1 struct{ w *Walker[[1]uint64] }

func (m mover1) Rank() int             { return m.w.ids.Rank }
func (m mover1) Flip() (int, bool)     { return m.w.flip() }
func (m mover1) Plus(ceiling int) bool { return mover[[1]uint64](m).Plus(ceiling) }

// mover gives walkkit.Walk the walker's moves.
type mover[F walkkit.Factor] struct{ w *Walker[F] }

func (m mover[F]) Rank() int { return m.w.ids.Rank }

func (m mover[F]) Flip() (int, bool) { return m.w.flip() }

func (m mover[F]) Plus(ceiling int) bool {
	ceiling = min(ceiling, m.w.ids.Cap())
	return m.w.ids.Rank < ceiling && m.w.plusMove(ceiling)
}
