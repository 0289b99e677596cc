package cyclic

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/alphamat/alphamat/internal/grouptab"
	"github.com/alphamat/alphamat/internal/wyrand"
	"github.com/alphamat/alphamat/tensorgame"
)

// MaxN is the largest n of an n×n×n format the walker supports: a factor
// has n² <= 64 coefficients.
const MaxN = 8

// Options tune a walker. The zero value gives the defaults.
type Options struct {
	// PlusAfter is the number of flips without a reduction after which the
	// walker makes a plus transition (default 10000; negative: never).
	PlusAfter int64
	// Extra is how many terms above the start rank the walker makes room
	// for, which bounds plus transitions (default 8).
	Extra int
}

func (o Options) withDefaults() Options {
	if o.PlusAfter == 0 {
		o.PlusAfter = 10000
	}
	if o.Extra <= 0 {
		o.Extra = 8
	}
	return o
}

// Walker is a random walk on the flip graph of cyclic-symmetric schemes of
// one square format over Z2. It implements search.Walker. A Walker is not
// safe for concurrent use.
type Walker struct {
	format tensorgame.Format
	n      int
	opts   Options
	rng    wyrand.Rand

	cap  int         // most orbits
	orb  [][3]uint64 // representative by orbit id: a, b, c' (trace form)
	deg  []bool      // a fixed term: orb[id] is x⊗x⊗x, one term
	rank int         // terms: 3 a live orbit, 1 a fixed term
	// alive lists the live orbit ids densely, apos[id] is the position of
	// id in alive (-1: dead), free holds the dead ids.
	alive, apos, free []int32

	// The index: entry e = 3·id + p is factor p of orbit id. A fixed term
	// has only its entry 3·id in the index, the others orbits all three.
	tab   grouptab.Table
	gsize []int32 // members by group
	gkey  []uint64
	gmul  []int32 // position of the group in multi, -1: fewer than two members
	gmem  []int32 // members of group g: gmem[g*gcap : g*gcap+gsize[g]]
	gcap  int
	gfree []int32
	multi []int32 // groups with two or more members: where the flips are
	egrp  []int32 // entry -> its group, -1: not in the index
	epos  []int32 // entry -> its position in the group

	stack []int32 // entries to check for reductions

	started                          bool
	flips, reductions, plus, plateau int64
}

// New returns a walker for the square format f seeded with seed. It returns
// an error when f is not square or n > MaxN.
func New(f tensorgame.Format, seed uint64, opts Options) (*Walker, error) {
	if !f.Valid() {
		return nil, fmt.Errorf("cyclic: invalid format %v", f)
	}
	if f.N != f.M || f.M != f.P {
		return nil, fmt.Errorf("cyclic: format %v is not square: cyclic symmetry needs n×n×n", f)
	}
	if f.N > MaxN {
		return nil, fmt.Errorf("cyclic: format %v has factors of %d coefficients; the walker supports at most 64 (n <= %d)", f, f.N*f.N, MaxN)
	}
	w := &Walker{format: f, n: f.N, opts: opts.withDefaults(), rng: wyrand.Rand{S: seed}}
	w.alloc(f.Naive() + w.opts.Extra)
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
	w.tab = grouptab.New(ne)
	w.gcap = ne
	w.gsize = make([]int32, ne)
	w.gkey = make([]uint64, ne)
	w.gmul = make([]int32, ne)
	w.gmem = make([]int32, ne*ne)
	w.gfree = make([]int32, 0, ne)
	w.multi = make([]int32, 0, ne)
	w.egrp = make([]int32, ne)
	w.epos = make([]int32, ne)
	w.stack = make([]int32, 0, 8*ne+16)
}

// reset empties the walker.
func (w *Walker) reset() {
	w.alive = w.alive[:0]
	w.free = w.free[:0]
	for id := w.cap - 1; id >= 0; id-- {
		w.free = append(w.free, int32(id))
		w.apos[id] = -1
	}
	w.tab.Clear()
	w.gfree = w.gfree[:0]
	for g := len(w.gsize) - 1; g >= 0; g-- {
		w.gfree = append(w.gfree, int32(g))
	}
	for e := range w.egrp {
		w.egrp[e] = -1
	}
	w.multi = w.multi[:0]
	w.stack = w.stack[:0]
	w.rank = 0
}

// Format returns the walker's format.
func (w *Walker) Format() tensorgame.Format { return w.format }

// Start makes a copy of s the current scheme, merges what can be merged and
// starts a new plateau. It returns an error, and keeps the previous state,
// when s is not a verified Z2 scheme of the walker's format or is not
// cyclic-symmetric.
func (w *Walker) Start(s *tensorgame.Scheme) error {
	if s.Format != w.format {
		return fmt.Errorf("cyclic: scheme of format %v, walker of %v", s.Format, w.format)
	}
	if s.Field != tensorgame.Z2 {
		return fmt.Errorf("cyclic: scheme over %v, want Z2", s.Field)
	}
	if err := tensorgame.Verify(s); err != nil {
		return fmt.Errorf("cyclic: start scheme: %w", err)
	}
	reps, err := orbits(s)
	if err != nil {
		return err
	}
	if need := len(reps) + w.opts.Extra; need > w.cap {
		w.alloc(need)
	}
	w.reset()
	for _, x := range reps {
		w.newOrbit(x)
	}
	red := w.reductions
	w.drain()
	w.reductions = red
	w.plateau = 0
	w.started = true
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

// SetPlusAfter sets the number of flips without a reduction after which Walk
// makes a plus transition (negative: never; 0: the default).
func (w *Walker) SetPlusAfter(n int64) {
	w.opts.PlusAfter = n
	w.opts = w.opts.withDefaults()
}

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

// Counts returns the flips, reductions and plus transitions made since the
// walker was made, and the flips since the last reduction or Start.
func (w *Walker) Counts() (flips, reductions, plus, plateau int64) {
	return w.flips, w.reductions, w.plus, w.plateau
}

// Scheme returns the current scheme, every term of every orbit, as a new
// tensorgame.Scheme over Z2.
func (w *Walker) Scheme() *tensorgame.Scheme {
	s := &tensorgame.Scheme{Format: w.format, Field: tensorgame.Z2, Terms: make([]tensorgame.Term, 0, w.rank)}
	for _, id := range w.alive {
		x := w.orb[id]
		for p := range 3 {
			s.Terms = append(s.Terms, tensorgame.BitTerm(w.format, fromTrace(w.n, rot(x, p))))
			if w.deg[id] {
				break
			}
		}
	}
	return s
}

// Walk makes at most flips flip attempts, with the reductions they enable
// and plus transitions when a plateau lasts Options.PlusAfter flips, and
// returns the number of attempts. An attempt that picks two entries of one
// orbit or a fixed term makes no flip. Walk returns early right after a
// reduction that brings the rank to report or below (report <= 0: never),
// or when no flip and no plus transition is possible. Plus transitions
// never raise the rank above ceiling. Walk panics if the walker was never
// started.
func (w *Walker) Walk(flips int64, report, ceiling int) int64 {
	if !w.started {
		panic("cyclic: Walk before Start")
	}
	plusAfter := w.opts.PlusAfter
	if plusAfter < 0 {
		plusAfter = math.MaxInt64
	}
	plateau := w.plateau
	var done, made int64
	for done < flips {
		if len(w.multi) == 0 {
			if w.rank+3 > ceiling || !w.plusMove() {
				break
			}
			plateau = 0
			continue
		}
		rank := w.rank
		done++
		if !w.flip() {
			continue
		}
		made++
		if w.rank < rank {
			plateau = 0
			if w.rank <= report {
				break
			}
			continue
		}
		plateau++
		if plateau >= plusAfter && rank+3 <= ceiling && w.plusMove() {
			plateau = 0
		}
	}
	w.plateau = plateau
	w.flips += made
	return done
}
