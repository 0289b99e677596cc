// Package walktest is the contract suite of the flip-graph walkers: every
// walker (search/flip, search/ternary, search/cyclic, search/transpose) runs
// Contract from its tests and BenchFlip from its BenchmarkFlip, so that they
// all keep the search.Walker contract the same way.
package walktest

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/alphamat/alphamat/internal/cputime"
	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/tensorgame"
)

// TB is what the walkers' test helpers need of *testing.T, *testing.B and
// *rapid.T.
type TB interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// Adapt turns a walker package's New into Config.New (walkkit.Adapt).
func Adapt[W walkkit.Walker](newWalker func(tensorgame.Format, uint64, walkkit.Options) (W, error)) func(tensorgame.Format, uint64, walkkit.Options) (walkkit.Walker, error) {
	return walkkit.Adapt(newWalker)
}

// Config describes a walker to the suite.
type Config struct {
	// New returns a walker of format f seeded with seed, with the options
	// opts.
	New func(f tensorgame.Format, seed uint64, opts walkkit.Options) (walkkit.Walker, error)
	// Field is the walker's field.
	Field tensorgame.Field
	// Format is a format the walker supports and reduces from its standard
	// algorithm over Field, small enough for fast tests (3x3x3); Other is
	// another format it supports.
	Format, Other tensorgame.Format
	// Room is how far above the rank the suite puts the ceiling of walks
	// with plus transitions: a few plus transitions of the walker.
	Room int
	// DescendBare makes BenchFlip descend to its plateau without plus
	// transitions (by default with them).
	DescendBare bool
	// Missed, if not nil, returns the tries the walker made that made no
	// flip (search/ternary: Rejected); BenchFlip then also reports tries/s.
	Missed func(w walkkit.Walker) int64
	// Check, if not nil, checks the walker's own invariants (its index);
	// the suite calls it after every Walk.
	Check func(t testing.TB, w walkkit.Walker)
	// Wide, if not nil, are constructors of the same walker at wider
	// factors than Format needs (walkers generic over walkkit.Factor):
	// Contract runs on each too, so that the wide code is tested on
	// formats small enough for fast tests.
	Wide []func(f tensorgame.Format, seed uint64, opts walkkit.Options) (walkkit.Walker, error)
	// Symmetric, if not nil, reports whether a scheme has the symmetry
	// the walker keeps (cyclic.Symmetric, transpose.Symmetric):
	// WideFormats checks the schemes it walks to with it.
	Symmetric func(*tensorgame.Scheme) bool
}

func (c Config) start(t testing.TB, f tensorgame.Format, seed uint64, opts walkkit.Options) walkkit.Walker {
	t.Helper()
	w, err := c.New(f, seed, opts)
	if err != nil {
		t.Fatalf("New(%v): %v", f, err)
	}
	if err := w.Start(tensorgame.Standard(f, c.Field)); err != nil {
		t.Fatalf("Start(standard %v): %v", f, err)
	}
	return w
}

// check verifies the walker's scheme and its own invariants.
func (c Config) check(t testing.TB, w walkkit.Walker) {
	t.Helper()
	s := w.Scheme()
	if err := tensorgame.Verify(s); err != nil {
		t.Fatalf("after Walk: %v", err)
	}
	if s.Rank() != w.Rank() {
		t.Fatalf("Scheme has %d terms, Rank says %d", s.Rank(), w.Rank())
	}
	if c.Check != nil {
		c.Check(t, w)
	}
}

// Contract runs the search.Walker contract on the walker c describes:
//
//   - Start rejects a scheme of another format, of another field and one
//     that does not verify, and keeps its state;
//   - Walk before Start panics;
//   - Walk makes at most the flips asked, returns the flips made, and
//     Counts counts the same; Scheme verifies after every Walk;
//   - a reduction lowers the rank, and Walk returns right after the one
//     that reaches report;
//   - plus transitions never raise the rank above ceiling, and happen only
//     as SetPlusAfter says;
//   - Walk allocates nothing, and a seed gives the same walk.
//
// It runs the suite again for each constructor of c.Wide, as subtests
// wide1, wide2, ...
func Contract(t *testing.T, c Config) {
	contract(t, c)
	for i, nw := range c.Wide {
		w := c
		w.New, w.Wide = nw, nil
		t.Run(fmt.Sprintf("wide%d", i+1), func(t *testing.T) { contract(t, w) })
	}
}

func contract(t *testing.T, c Config) {
	t.Run("StartRejects", func(t *testing.T) { startRejects(t, c) })
	t.Run("WalkBeforeStart", func(t *testing.T) { walkBeforeStart(t, c) })
	t.Run("Counts", func(t *testing.T) { counts(t, c) })
	t.Run("Reductions", func(t *testing.T) { reductions(t, c) })
	t.Run("Ceiling", func(t *testing.T) { ceiling(t, c) })
	t.Run("SetPlusAfter", func(t *testing.T) { setPlusAfter(t, c) })
	t.Run("Allocs", func(t *testing.T) { allocs(t, c) })
	t.Run("Reproducible", func(t *testing.T) { reproducible(t, c) })
}

func otherField(f tensorgame.Field) tensorgame.Field {
	if f == tensorgame.Z2 {
		return tensorgame.Z
	}
	return tensorgame.Z2
}

func startRejects(t *testing.T, c Config) {
	w := c.start(t, c.Format, 1, walkkit.Options{PlusAfter: 50})
	w.Walk(500, 0, w.Rank()+c.Room)
	before := w.Scheme()
	_, _, _, plateau := w.Counts()
	broken := tensorgame.Standard(c.Format, c.Field)
	broken.Terms = broken.Terms[1:]
	for _, tc := range []struct {
		name string
		s    *tensorgame.Scheme
	}{
		{"format", tensorgame.Standard(c.Other, c.Field)},
		{"field", tensorgame.Standard(c.Format, otherField(c.Field))},
		{"unverified", broken},
	} {
		if err := w.Start(tc.s); err == nil {
			t.Errorf("Start(%s) succeeded, want an error", tc.name)
		}
		if !w.Scheme().Equal(before) || w.Rank() != before.Rank() {
			t.Errorf("a failed Start(%s) changed the scheme", tc.name)
		}
		if _, _, _, p := w.Counts(); p != plateau {
			t.Errorf("a failed Start(%s) changed the plateau from %d to %d", tc.name, plateau, p)
		}
	}
	w.Walk(500, 0, w.Rank()+c.Room)
	c.check(t, w)
}

func walkBeforeStart(t *testing.T, c Config) {
	w, err := c.New(c.Format, 1, walkkit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if recover() == nil {
			t.Error("Walk before Start did not panic")
		}
	}()
	w.Walk(10, 0, 100)
}

// counts walks in chunks of varied length, with plus transitions, and
// checks the flips Walk returns against Counts after each.
func counts(t *testing.T, c Config) {
	for seed := uint64(1); seed <= 4; seed++ {
		w := c.start(t, c.Format, seed, walkkit.Options{PlusAfter: int64(20 * seed)})
		if _, _, _, p := w.Counts(); p != 0 {
			t.Fatalf("plateau %d after Start, want 0", p)
		}
		var made int64
		for i := range 40 {
			f0, _, _, _ := w.Counts()
			asked := int64(1 + (i*i*37+int(seed))%400)
			n := w.Walk(asked, 0, w.Rank()+c.Room)
			f1, _, _, plateau := w.Counts()
			if n < 0 || n > asked {
				t.Fatalf("Walk(%d) returned %d flips", asked, n)
			}
			if f1-f0 != n {
				t.Fatalf("Walk(%d) returned %d flips, Counts counted %d", asked, n, f1-f0)
			}
			if plateau > f1 {
				t.Fatalf("plateau %d longer than the %d flips made", plateau, f1)
			}
			made += n
			c.check(t, w)
		}
		if made == 0 {
			t.Fatalf("seed %d: no flip made", seed)
		}
		// A restart from the walk's own scheme keeps its rank or lowers it.
		s := w.Scheme()
		if err := w.Start(s); err != nil {
			t.Fatalf("restart from the walk's scheme: %v", err)
		}
		if w.Rank() > s.Rank() {
			t.Fatalf("restart from rank %d: rank %d", s.Rank(), w.Rank())
		}
		if _, _, _, p := w.Counts(); p != 0 {
			t.Fatalf("plateau %d after Start, want 0", p)
		}
	}
}

// reductions walks down from the standard algorithm without plus
// transitions, asking Walk to return at every improvement.
func reductions(t *testing.T, c Config) {
	w := c.start(t, c.Format, 7, walkkit.Options{PlusAfter: -1})
	improved := 0
	for range 200 {
		before := w.Rank()
		_, red0, _, _ := w.Counts()
		const budget = 1 << 18
		n := w.Walk(budget, before-1, before)
		_, red1, plus, _ := w.Counts()
		if plus != 0 {
			t.Fatalf("%d plus transitions with PlusAfter -1", plus)
		}
		c.check(t, w)
		if w.Rank() == before {
			if red1 != red0 {
				t.Fatalf("%d reductions and the rank stayed at %d", red1-red0, before)
			}
			break
		}
		if w.Rank() > before || red1 == red0 {
			t.Fatalf("rank %d -> %d with %d reductions", before, w.Rank(), red1-red0)
		}
		if n >= budget {
			t.Fatalf("Walk made all its %d flips, want a return right after the reduction to rank %d", n, w.Rank())
		}
		improved++
	}
	if improved == 0 {
		t.Fatalf("no reduction from the standard algorithm of %v: the test checked nothing", c.Format)
	}
}

// ceiling walks with a plus transition after every flip and checks that
// the rank stays within the ceiling: a ceiling at the rank allows a plus
// transition only after a reduction.
func ceiling(t *testing.T, c Config) {
	w := c.start(t, c.Format, 3, walkkit.Options{PlusAfter: 1})
	w.Walk(20000, 0, w.Rank())
	_, _, plus0, _ := w.Counts()
	for range 20 {
		before := w.Rank()
		_, red0, p0, _ := w.Counts()
		w.Walk(200, 0, before)
		_, red1, p1, _ := w.Counts()
		if w.Rank() > before {
			t.Fatalf("rank %d -> %d with the ceiling at %d", before, w.Rank(), before)
		}
		if red1 == red0 && p1 != p0 {
			t.Fatalf("%d plus transitions and no reduction with the ceiling at the rank", p1-p0)
		}
	}
	for range 20 {
		ceil := w.Rank() + c.Room
		w.Walk(200, 0, ceil)
		if w.Rank() > ceil {
			t.Fatalf("rank %d above the ceiling %d", w.Rank(), ceil)
		}
		c.check(t, w)
	}
	if _, _, plus, _ := w.Counts(); plus == plus0 {
		t.Fatal("no plus transition with PlusAfter 1 and room above the rank")
	}
}

func setPlusAfter(t *testing.T, c Config) {
	for _, tc := range []struct {
		name     string
		n        int64
		wantPlus bool
	}{
		{"never", -1, false},
		{"often", 50, true},
		{"default", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := c.start(t, c.Format, 5, walkkit.Options{PlusAfter: -1})
			w.Walk(100_000, 0, w.Rank())
			w.SetPlusAfter(tc.n)
			_, _, plus0, _ := w.Counts()
			w.Walk(20*walkkit.DefaultPlusAfter, 0, w.Rank()+c.Room)
			_, _, plus1, _ := w.Counts()
			if got := plus1 > plus0; got != tc.wantPlus {
				t.Errorf("SetPlusAfter(%d): %d plus transitions, want some: %v", tc.n, plus1-plus0, tc.wantPlus)
			}
		})
	}
}

func allocs(t *testing.T, c Config) {
	w := c.start(t, c.Format, 3, walkkit.Options{PlusAfter: 100})
	w.Walk(10000, 0, w.Rank()+c.Room)
	ceil := w.Rank() + c.Room
	if a := testing.AllocsPerRun(20, func() { w.Walk(2000, 0, ceil) }); a != 0 {
		t.Errorf("Walk allocates %v times a call, want 0", a)
	}
}

func reproducible(t *testing.T, c Config) {
	a := c.start(t, c.Format, 42, walkkit.Options{PlusAfter: 100})
	b := c.start(t, c.Format, 42, walkkit.Options{PlusAfter: 100})
	ceil := a.Rank() + c.Room
	a.Walk(20000, 0, ceil)
	b.Walk(20000, 0, ceil)
	if !a.Scheme().Equal(b.Scheme()) {
		t.Error("two walkers with the same seed diverged")
	}
}

// BenchFlip measures flips per second of one walker on a plateau, for
// each format: it walks down from the standard algorithm, then times b.N
// flips (made, as Walk counts them), with Room terms of room above the
// plateau. It uses PlusAfter 10000, the walkers' default when the
// benchmark was written, so that its numbers compare across commits.
func BenchFlip(b *testing.B, c Config, formats []tensorgame.Format) {
	for _, f := range formats {
		b.Run(f.String(), func(b *testing.B) {
			w := c.start(b, f, 1, walkkit.Options{PlusAfter: 10000})
			if c.DescendBare {
				w.SetPlusAfter(-1)
			}
			w.Walk(1_000_000, 0, f.Naive())
			w.SetPlusAfter(10000)
			ceil := w.Rank() + c.Room
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			f0, _, _, _ := w.Counts()
			var m0 int64
			if c.Missed != nil {
				m0 = c.Missed(w)
			}
			cpu0, ok := cputime.Thread()
			b.ResetTimer()
			n, idle := int64(0), 0
			for n < int64(b.N) {
				m := w.Walk(int64(b.N)-n, 0, ceil)
				// A short Walk may make no flip (its tries picked pairs
				// it cannot flip); many in a row mean it is stuck.
				if idle++; m > 0 {
					idle = 0
				} else if idle > 1000 {
					b.Fatalf("no flip possible at rank %d", w.Rank())
				}
				n += m
			}
			b.StopTimer()
			f1, _, _, _ := w.Counts()
			cpu1, _ := cputime.Thread()
			b.ReportMetric(float64(f1-f0)/b.Elapsed().Seconds(), "flips/s")
			if ok && cpu1 > cpu0 {
				b.ReportMetric(float64(f1-f0)/(cpu1-cpu0).Seconds(), "flips/cpu-s")
				if c.Missed != nil {
					b.ReportMetric(float64(f1-f0+c.Missed(w)-m0)/(cpu1-cpu0).Seconds(), "tries/cpu-s")
				}
			}
			b.ReportMetric(float64(w.Rank()), "rank")
		})
	}
}

// BenchWide measures the wide walkers with BenchFlip: the constructors of
// c.Wide on the formats narrow, which need fewer words (subbenchmarks
// wide1, wide2, ...: the cost of the width alone, against BenchFlip of c
// on the same formats), and c on the formats wide, which need them.
func BenchWide(b *testing.B, c Config, narrow, wide []tensorgame.Format) {
	for i, nw := range c.Wide {
		w := c
		w.New = nw
		b.Run(fmt.Sprintf("wide%d", i+1), func(b *testing.B) { BenchFlip(b, w, narrow) })
	}
	BenchFlip(b, c, wide)
}

// Cubes are the formats of the walkers' benchmarks: 3x3x3, 4x4x4 and
// 5x5x5.
var Cubes = []tensorgame.Format{{N: 3, M: 3, P: 3}, {N: 4, M: 4, P: 4}, {N: 5, M: 5, P: 5}}

// BenchTries measures the CPU time of a try (a flip made or not) of one
// walker on a plateau without plus transitions, for each format: it walks
// 300000 tries from the standard algorithm, then times Walk(1000) b.N
// times and reports cpu-ns/try. Without plus transitions the path depends
// only on the seed, so the numbers of two versions of a walker compare
// even where they count flips differently.
func BenchTries(b *testing.B, c Config, formats []tensorgame.Format) {
	for _, f := range formats {
		b.Run(f.String(), func(b *testing.B) {
			w := c.start(b, f, 1, walkkit.Options{PlusAfter: -1})
			w.Walk(300_000, 0, f.Naive())
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			cpu0, ok := cputime.Thread()
			b.ResetTimer()
			for range b.N {
				w.Walk(1000, 0, f.Naive())
			}
			b.StopTimer()
			if cpu1, _ := cputime.Thread(); ok && cpu1 > cpu0 {
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N)/1000, "cpu-ns/try")
			}
		})
	}
}

// WideFormats walks each of formats, whose factors need two or four words,
// a few plus transitions up from the standard algorithm and back down
// through the reductions they open (a plain walk from the standard
// algorithm of formats this large takes far longer than a test may wait for
// its first reduction, even 6x6x6, of one word). It fails unless the walk
// reduces within a million flips and the scheme verifies (and has c's
// symmetry); check, if not nil, checks the final scheme further.
func WideFormats(t *testing.T, c Config, formats []tensorgame.Format, check func(t testing.TB, s *tensorgame.Scheme)) {
	for _, f := range formats {
		t.Run(f.String(), func(t *testing.T) {
			w := c.start(t, f, 1, walkkit.Options{PlusAfter: 1})
			w.Walk(20, 0, f.Naive()+8)
			up := w.Rank()
			if up <= f.Naive() {
				t.Fatalf("rank %d after plus transitions, want above %d", up, f.Naive())
			}
			w.SetPlusAfter(-1)
			var flips int64
			for w.Rank() >= up && flips < 1_000_000 {
				flips += w.Walk(1<<16, up-1, up)
			}
			if _, red, _, _ := w.Counts(); w.Rank() >= up || red == 0 {
				t.Fatalf("rank %d -> %d with %d reductions in %d flips", up, w.Rank(), red, flips)
			}
			s := w.Scheme()
			if err := tensorgame.Verify(s); err != nil {
				t.Fatal(err)
			}
			if c.Symmetric != nil && !c.Symmetric(s) {
				t.Fatal("the scheme lost the walker's symmetry")
			}
			if check != nil {
				check(t, s)
			}
		})
	}
}

// CheckSymmetric fails unless the scheme of w, a walker that keeps a
// symmetry, has Rank terms, verifies and has the same terms as its image
// under sym (tensorgame.Cyclic, tensorgame.Transpose; name names it).
func CheckSymmetric(t TB, w walkkit.Walker, name string, sym func(*tensorgame.Scheme) *tensorgame.Scheme) {
	t.Helper()
	s := w.Scheme()
	if s.Rank() != w.Rank() {
		t.Fatalf("Scheme has %d terms, Rank says %d", s.Rank(), w.Rank())
	}
	if err := tensorgame.Verify(s); err != nil {
		t.Fatalf("scheme of rank %d fails: %v", s.Rank(), err)
	}
	if !SameTerms(s, sym(s)) {
		t.Fatalf("the scheme is not invariant under %s", name)
	}
}

// SameTerms reports whether a and b have the same terms, in any order.
func SameTerms(a, b *tensorgame.Scheme) bool {
	key := func(s *tensorgame.Scheme) []string {
		var k []string
		for _, t := range s.Terms {
			k = append(k, fmt.Sprint(tensorgame.TermBits(t)))
		}
		slices.Sort(k)
		return k
	}
	return slices.Equal(key(a), key(b))
}

// Split returns the standard algorithm of f over Z2 with its first term
// split in two: a verified scheme that is neither cyclic- nor
// transpose-symmetric.
func Split(f tensorgame.Format) *tensorgame.Scheme {
	s := tensorgame.Standard(f, tensorgame.Z2)
	t := s.Terms[0].Clone()
	t.W[0], t.W[1] = tensorgame.Int(0), tensorgame.Int(1)
	s.Terms[0].W[1] = tensorgame.Int(1)
	s.Terms = append(s.Terms, t)
	return s
}

// StartsAt fails unless the scheme s verifies and w starts from it at rank
// and gives it back as it is (a scheme on which no reduction applies).
func StartsAt(t TB, w walkkit.Walker, s *tensorgame.Scheme, rank int) {
	t.Helper()
	if err := tensorgame.Verify(s); err != nil {
		t.Fatal(err)
	}
	if err := w.Start(s); err != nil {
		t.Fatal(err)
	}
	if w.Rank() != rank {
		t.Fatalf("rank %d after Start, want %d", w.Rank(), rank)
	}
	if !SameTerms(w.Scheme(), s) {
		t.Fatal("Scheme() differs from the start scheme")
	}
}

// MustStart returns a walker of format f made by newWalker and started from
// the standard algorithm over field; it fails t when either fails.
func MustStart[W walkkit.Walker](t TB, newWalker func(tensorgame.Format, uint64, walkkit.Options) (W, error), f tensorgame.Format, field tensorgame.Field, seed uint64, opts walkkit.Options) W {
	t.Helper()
	w, err := newWalker(f, seed, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Start(tensorgame.Standard(f, field)); err != nil {
		t.Fatal(err)
	}
	return w
}

// Refusal is a format a walker does not support and what its error says.
type Refusal struct {
	F    tensorgame.Format
	Want string // a part of the error
}

// Refuses fails unless supports and newWalker both refuse each format of
// cases with an error that contains its Want.
func Refuses[W walkkit.Walker](t *testing.T, supports func(tensorgame.Format) error, newWalker func(tensorgame.Format, uint64, walkkit.Options) (W, error), cases []Refusal) {
	t.Helper()
	for _, tc := range cases {
		if err := supports(tc.F); err == nil || !strings.Contains(err.Error(), tc.Want) {
			t.Errorf("Supports(%v) = %v, want an error with %q", tc.F, err, tc.Want)
		}
		if _, err := newWalker(tc.F, 1, walkkit.Options{}); err == nil || !strings.Contains(err.Error(), tc.Want) {
			t.Errorf("New(%v) = %v, want an error with %q", tc.F, err, tc.Want)
		}
	}
}

// CheckRestart fails unless the scheme of w, a walker of a symmetry, is
// symmetric and a fresh walker from newWalker with the given seed starts
// from it at the same rank.
func CheckRestart[W walkkit.Walker](t TB, w walkkit.Walker, symmetric func(*tensorgame.Scheme) bool, newWalker func(tensorgame.Format, uint64, walkkit.Options) (W, error), seed uint64) {
	t.Helper()
	s := w.Scheme()
	if !symmetric(s) {
		t.Fatal("Symmetric(Scheme()) = false")
	}
	w2, err := newWalker(s.Format, seed, walkkit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w2.Start(s); err != nil {
		t.Fatalf("restart from the walk's scheme: %v", err)
	}
	if w2.Rank() != w.Rank() {
		t.Fatalf("restart: rank %d, want %d", w2.Rank(), w.Rank())
	}
}
