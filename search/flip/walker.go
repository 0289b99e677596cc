package flip

import (
	"github.com/alphamat/alphamat/internal/wyrand"
	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/tensorgame"
)

// Walker is a random walk on the flip graph of one format over Z2, with
// factors of type F (New picks the width a format needs). It implements
// search.Walker. A Walker is not safe for concurrent use.
type Walker[F Factor] struct {
	core
	dims [3]int
	rng  wyrand.Rand

	cap  int       // most live terms
	term []term[F] // by term id
	// alive lists the live term ids densely, apos[id] is the position of id
	// in alive (-1: dead), free holds the dead ids.
	alive, apos, free []int32

	tab [4]table[F] // by mode; tab[3] is unused
	// Groups of two or more terms sharing a factor: mode, size, table slot,
	// their position in multi and their members (gmem[g*cap : g*cap+size]).
	grp   []group
	gmem  []int32
	gfree []int32
	multi []int32 // all groups: where the flips are

	stack []check // pending reduction checks
}

// Options tune a walker; the zero value gives the defaults.
type Options = walkkit.Options

// core, embedded in Walker, promotes Format, Counts and SetPlusAfter.
type core = walkkit.Core

// term is one term (64 bytes with one-word factors): its three factors and
// per mode where its factor is in the index: at >= 0 is the table slot of a
// factor carried by this term alone, at < 0 the group -(at+1), and pos its
// position in that group. Entry 3 of each array is unused: indexing with a mode masked with
// &3 needs no bounds check.
type term[F Factor] struct {
	f   [4]F
	pos [4]int32
	at  [4]int32
}

// group is a factor value carried by two or more terms in one mode: the
// number of terms, the group's position in Walker.multi, the mode and the
// value's table slot.
type group struct {
	size  int32
	multi int32
	mode  int32
	slot  int32
}

type check struct {
	t, m int32 // a term that joined a group in mode m
}

// NewWalker returns a walker with factors of type F for format f seeded
// with seed; New picks the width a format needs. It returns an error when a
// factor of f does not fit in F.
func NewWalker[F Factor](f tensorgame.Format, seed uint64, opts Options) (*Walker[F], error) {
	var words F
	if err := walkkit.CheckFactors("flip", f, 64*len(words)); err != nil {
		return nil, err
	}
	a, b, c := f.Dims()
	w := &Walker[F]{core: walkkit.NewCore("flip", f, tensorgame.Z2, opts), dims: [3]int{a, b, c}, rng: wyrand.Rand{S: seed}}
	w.alloc(f.Naive() + walkkit.Extra(&w.core))
	return w, nil
}

func (w *Walker[F]) alloc(capacity int) {
	w.cap = capacity
	w.term = make([]term[F], capacity)
	w.alive = make([]int32, 0, capacity)
	w.apos = make([]int32, capacity)
	w.free = make([]int32, 0, capacity)
	ng := 3 * capacity / 2
	for m := range 3 {
		w.tab[m] = newTable[F](capacity)
	}
	w.grp = make([]group, ng)
	w.gmem = make([]int32, ng*capacity)
	w.gfree = make([]int32, 0, ng)
	w.multi = make([]int32, 0, ng)
	w.stack = make([]check, 0, 4*capacity+16)
}

// reset empties the walker.
func (w *Walker[F]) reset() {
	walkkit.ResetIDs(&w.alive, &w.free, w.apos)
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
// factors and drops zero terms, and starts a new plateau. It returns an
// error, and keeps the previous state, when s is not a verified Z2 scheme
// of the walker's format.
func (w *Walker[F]) Start(s *tensorgame.Scheme) error {
	if err := walkkit.Check(&w.core, s); err != nil {
		return err
	}
	if need := s.Rank() + walkkit.Extra(&w.core); need > w.cap {
		w.alloc(need)
	}
	w.reset()
	for _, t := range s.Terms {
		tw := tensorgame.TermWords(t)
		x := [3]F{walkkit.FromWide[F](tw[0]), walkkit.FromWide[F](tw[1]), walkkit.FromWide[F](tw[2])}
		if walkkit.IsZero(x[0]) || walkkit.IsZero(x[1]) || walkkit.IsZero(x[2]) {
			continue
		}
		id := w.newTerm(x)
		for m := range 3 {
			w.attach(id, m, x[m])
		}
	}
	walkkit.Begin(&w.core, w.drain)
	return nil
}

// Rank returns the number of terms of the current scheme.
func (w *Walker[F]) Rank() int { return len(w.alive) }

// Scheme returns the current scheme as a new tensorgame.Scheme over Z2.
func (w *Walker[F]) Scheme() *tensorgame.Scheme {
	s := &tensorgame.Scheme{Format: w.Format(), Field: tensorgame.Z2, Terms: make([]tensorgame.Term, len(w.alive))}
	for r, id := range w.alive {
		f := w.term[id].f
		s.Terms[r] = tensorgame.WordsTerm(w.Format(), [3]tensorgame.Wide{walkkit.ToWide(f[0]), walkkit.ToWide(f[1]), walkkit.ToWide(f[2])})
	}
	return s
}
