package cyclic

import (
	"fmt"

	"github.com/alphamat/alphamat/internal/wyrand"
	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/tensorgame"
)

// MaxN is the largest n of an n×n×n format the walker supports: a factor
// has n² <= tensorgame.MaxWideFactor coefficients.
const MaxN = 16

// Walker is a random walk on the flip graph of cyclic-symmetric schemes of
// one square format over Z2, its factors of width F (walkkit.Factor). It
// implements search.Walker. A Walker is not safe for concurrent use.
type Walker[F walkkit.Factor] struct {
	core
	n   int
	rng wyrand.Rand

	orb [][3]F // representative by orbit id: a, b, c' (trace form)
	// ids are the live orbits: ids.Fixed[id] when orb[id] is x⊗x⊗x, one
	// term, else three.
	ids walkkit.IDs

	// The index: entry e = 3·id + p is factor p of orbit id. A fixed term
	// has only its entry 3·id in the index, the others orbits all three.
	idx walkkit.Index[F]

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

// New returns a walker for the square format f seeded with seed, of the
// factor width f needs (NewOf of one, two or four words). It returns the
// error of Supports for a format it does not support.
func New(f tensorgame.Format, seed uint64, opts Options) (walkkit.Walker, error) {
	return walkkit.NewWide("cyclic", f, seed, opts,
		walkkit.Adapt(NewOf[[1]uint64]), walkkit.Adapt(NewOf[[2]uint64]), walkkit.Adapt(NewOf[[4]uint64]))
}

// NewOf returns a walker for the square format f, whose factors must fit
// the width F, seeded with seed. It returns the error of Supports for a
// format it does not support, and an error when F is too narrow.
func NewOf[F walkkit.Factor](f tensorgame.Format, seed uint64, opts Options) (*Walker[F], error) {
	if err := walkkit.CheckWidth[F]("cyclic", f, Supports); err != nil {
		return nil, err
	}
	w := &Walker[F]{core: walkkit.NewCore("cyclic", f, tensorgame.Z2, opts), n: f.N, rng: wyrand.Rand{S: seed}}
	w.alloc(f.Naive() + walkkit.Extra(&w.core))
	return w, nil
}

func (w *Walker[F]) alloc(capacity int) {
	w.orb = make([][3]F, capacity)
	w.ids = walkkit.NewIDs(capacity, 3)
	ne := 3 * capacity
	// Room for every entry in every group at one word (about 10 MB for
	// 8x8x8), so that the index never grows; wider, room for 32n, which
	// the groups seldom outgrow (25 MB for 16x16x16, not 600).
	room := ne
	if f := w.orb[0][0]; len(f) > 1 {
		room = min(ne, 32*w.n)
	}
	w.idx = walkkit.NewIndex[F](ne, 1, ne, room)
	w.stack = make([]int32, 0, 8*ne+16)
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
// cyclic-symmetric.
func (w *Walker[F]) Start(s *tensorgame.Scheme) error {
	if err := walkkit.Check(&w.core, s); err != nil {
		return err
	}
	reps, err := orbits[F](s)
	if err != nil {
		return err
	}
	if need := len(reps) + walkkit.Extra(&w.core); need > w.ids.Cap() {
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
	if Supports(s.Format) != nil {
		return false
	}
	var err error
	switch tensorgame.Words(s.Format.N * s.Format.N) {
	case 1:
		_, err = orbits[[1]uint64](s)
	case 2:
		_, err = orbits[[2]uint64](s)
	default:
		_, err = orbits[[4]uint64](s)
	}
	return err == nil
}

// orbits returns one representative per orbit of the terms of s reduced mod
// 2 (terms that appear an even number of times cancel), in the trace form,
// or an error when the terms are not closed under the cyclic shift.
func orbits[F walkkit.Factor](s *tensorgame.Scheme) ([][3]F, error) {
	n := s.Format.N
	reps, bad := walkkit.OddTerms(s, func(x [3]F) [3]F { return toTrace(n, x) }, func(x [3]F) [][3]F {
		if x[0] == x[1] && x[1] == x[2] {
			return nil
		}
		return [][3]F{rot(x, 1), rot(x, 2)}
	})
	if bad >= 0 {
		return nil, fmt.Errorf("cyclic: the %v scheme is not cyclic-symmetric: term %d has no cyclic image among the terms", s.Format, bad+1)
	}
	return reps, nil
}

// rot returns x shifted by p places: (x[p], x[p+1], x[p+2]), indices mod 3.
func rot[F walkkit.Factor](x [3]F, p int) [3]F {
	switch p {
	case 1:
		return [3]F{x[1], x[2], x[0]}
	case 2:
		return [3]F{x[2], x[0], x[1]}
	}
	return x
}

// toTrace converts tensorgame's bit-packed factors u, v, w (w is C) to the
// trace form a, b, c' (c' is Cᵀ).
func toTrace[F walkkit.Factor](n int, t [3]F) [3]F {
	return [3]F{t[0], t[1], walkkit.Transpose(n, n, t[2])}
}

// fromTrace is the inverse of toTrace.
func fromTrace[F walkkit.Factor](n int, x [3]F) [3]F { return toTrace(n, x) }

// Rank returns the number of terms of the current scheme.
func (w *Walker[F]) Rank() int { return w.ids.Rank }

// Orbits returns the number of orbits of three terms and of fixed terms of
// the current scheme.
func (w *Walker[F]) Orbits() (orbits, fixed int) { return w.ids.Count() }

// Scheme returns the current scheme, every term of every orbit, as a new
// tensorgame.Scheme over Z2.
func (w *Walker[F]) Scheme() *tensorgame.Scheme {
	s := &tensorgame.Scheme{Format: w.Format(), Field: tensorgame.Z2, Terms: make([]tensorgame.Term, 0, w.ids.Rank)}
	for _, id := range w.ids.Alive {
		x := w.orb[id]
		for p := range 3 {
			s.Terms = append(s.Terms, walkkit.FactorsTerm(w.Format(), fromTrace(w.n, rot(x, p))))
			if w.ids.Fixed[id] {
				break
			}
		}
	}
	return s
}

// Walk makes flips with the reductions they enable and plus transitions, as
// search.Walker says, by walkkit.Walk; Plus transitions never raise the
// rank above ceiling. A try that picks two entries of one orbit or a fixed
// term makes no flip but counts towards flips, so that Walk always ends.
// Walk allocates nothing; it panics if the walker was never started.
func (w *Walker[F]) Walk(flips int64, report, ceiling int) int64 {
	if w1, ok := any(w).(*Walker[[1]uint64]); ok {
		return walkkit.Walk(&w.core, mover1{w1}, flips, report, ceiling)
	}
	return walkkit.Walk(&w.core, mover[F]{w}, flips, report, ceiling)
}

// mover1 is mover for one word, a type of its own: walkkit.Walk calls the
// methods of a generic mover through a wrapper of each, one more call per
// flip (BenchmarkTries, docs/experiments.md "Symmetric walkers at wide
// factors").
type mover1 struct{ w *Walker[[1]uint64] }

func (m mover1) Rank() int             { return m.w.ids.Rank }
func (m mover1) Flip() (int, bool)     { return m.w.flip() }
func (m mover1) Plus(ceiling int) bool { return mover[[1]uint64](m).Plus(ceiling) }

// mover gives walkkit.Walk the walker's moves.
type mover[F walkkit.Factor] struct{ w *Walker[F] }

func (m mover[F]) Rank() int { return m.w.ids.Rank }

func (m mover[F]) Flip() (int, bool) { return m.w.flip() }

// Plus makes a plus transition, which raises the rank by 3 (a fixed flip
// by 2).
func (m mover[F]) Plus(ceiling int) bool {
	return m.w.ids.Rank+3 <= ceiling && m.w.plusMove()
}
