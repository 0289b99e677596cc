package cyclic

import (
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/search/walkkit/walktest"
	"github.com/alphamat/alphamat/tensorgame"
)

type tb = walktest.TB

// contract describes the walker to the walktest suite, at the width New
// picks and at two and four words.
var contract = walktest.Config{
	New:       New,
	Wide:      []func(tensorgame.Format, uint64, Options) (walkkit.Walker, error){walktest.Adapt(NewOf[[2]uint64]), walktest.Adapt(NewOf[[4]uint64])},
	Field:     tensorgame.Z2,
	Format:    tensorgame.Format{N: 3, M: 3, P: 3},
	Other:     tensorgame.Format{N: 2, M: 2, P: 2},
	Room:      6,
	Symmetric: Symmetric,
	Check:     func(t testing.TB, w walkkit.Walker) { w.(checker).check(t) },
}

func TestContract(t *testing.T) { walktest.Contract(t, contract) }

// TestWidthsAgree checks that the walkers of two and four words walk as the
// one-word walker does (walktest.WidthsAgree): the one-word paths of the
// generic code change nothing.
func TestWidthsAgree(t *testing.T) {
	walktest.WidthsAgree(t, contract, []tensorgame.Format{{N: 3, M: 3, P: 3}, {N: 4, M: 4, P: 4}})
}

// checker is a walker of any width, checked by checkWalker.
type checker interface{ check(t tb) }

func (w *Walker[F]) check(t tb) { checkWalker(t, w) }

// TestWide walks formats whose factors need two and four words (10x10x10:
// 100 coefficients, 12x12x12: 144) from the standard algorithm, up by plus
// transitions and down through the reductions they open: the scheme must
// verify and stay cyclic-symmetric.
func TestWide(t *testing.T) {
	walktest.WideFormats(t, contract, []tensorgame.Format{{N: 10, M: 10, P: 10}, {N: 12, M: 12, P: 12}}, nil)
}

func mustNewOf[F walkkit.Factor](t tb, n int, seed uint64, opts Options) *Walker[F] {
	t.Helper()
	return walktest.MustStart(t, NewOf[F], tensorgame.Format{N: n, M: n, P: n}, tensorgame.Z2, seed, opts)
}

func mustNew(t tb, n int, seed uint64, opts Options) *Walker[[1]uint64] {
	t.Helper()
	return mustNewOf[[1]uint64](t, n, seed, opts)
}

func TestNewErrors(t *testing.T) {
	walktest.Refuses(t, Supports, New, []walktest.Refusal{
		{F: tensorgame.Format{N: 2, M: 2, P: 3}, Want: "not square"},
		{F: tensorgame.Format{N: 17, M: 17, P: 17}, Want: "at most 256"},
		{F: tensorgame.Format{N: 0, M: 2, P: 2}, Want: "invalid format"},
	})
}

func TestStartStandard(t *testing.T) {
	for n := 1; n <= 5; n++ {
		w := mustNew(t, n, 1, Options{})
		if got := w.Rank(); got != n*n*n {
			t.Errorf("%d: rank %d, want %d", n, got, n*n*n)
		}
		if o, f := w.Orbits(); o != (n*n*n-n)/3 || f != n {
			t.Errorf("%d: %d orbits and %d fixed terms, want %d and %d", n, o, f, (n*n*n-n)/3, n)
		}
		checkWalker(t, w)
	}
}

// TestStartErrors checks what the walktest suite does not: a verified
// scheme that is not cyclic-symmetric.
func TestStartErrors(t *testing.T) {
	w := mustNew(t, 3, 1, Options{})
	for name, tc := range map[string]struct {
		s    *tensorgame.Scheme
		want string
	}{
		"asymmetric": {walktest.Split(tensorgame.Format{N: 3, M: 3, P: 3}), "not cyclic-symmetric"},
	} {
		if err := w.Start(tc.s); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Start = %v, want an error with %q", name, err, tc.want)
		}
		if w.Rank() != 27 {
			t.Errorf("%s: a failed Start changed the rank to %d", name, w.Rank())
		}
	}
	if s := walktest.Split(tensorgame.Format{N: 3, M: 3, P: 3}); Symmetric(s) {
		t.Error("Symmetric(Split(3x3x3)) = true")
	}
}

// checkWalker checks the walker's invariants: the index matches the
// orbits, no factor is zero, no two orbits can merge, the rank counts the
// terms, and the scheme verifies and is invariant under tensorgame.Cyclic.
func checkWalker[F walkkit.Factor](t tb, w *Walker[F]) {
	t.Helper()
	if err := w.ids.Check(); err != nil {
		t.Fatal(err)
	}
	carriers := map[F][]int32{}
	for _, id := range w.ids.Alive {
		x := w.orb[id]
		if fixed := x[0] == x[1] && x[1] == x[2]; fixed != w.ids.Fixed[id] {
			t.Fatalf("orbit %d = %x has Fixed %v", id, x, w.ids.Fixed[id])
		}
		for q := range 3 {
			e := 3*id + int32(q)
			if walkkit.IsZero(x[q]) {
				t.Fatalf("orbit %d has a zero factor", id)
			}
			if w.ids.Fixed[id] && q > 0 {
				if w.idx.Group[e] >= 0 {
					t.Fatalf("fixed term %d has entry %d in the index", id, q)
				}
				continue
			}
			carriers[x[q]] = append(carriers[x[q]], e)
		}
	}
	if err := w.idx.Check([]map[F][]int32{carriers}); err != nil {
		t.Fatal(err)
	}
	for _, es := range carriers {
		for _, e1 := range es {
			for _, e2 := range es {
				if e1/3 == e2/3 {
					continue
				}
				a, b := rot(w.orb[e1/3], int(e1%3)), rot(w.orb[e2/3], int(e2%3))
				if a[1] == b[1] || a[2] == b[2] {
					t.Fatalf("orbits %d and %d can merge: %x, %x", e1/3, e2/3, a, b)
				}
			}
		}
	}
	walktest.CheckSymmetric(t, w, "tensorgame.Cyclic", tensorgame.Cyclic)
}

func TestWalkInvariants(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(2, 4).Draw(rt, "n")
		seed := rapid.Uint64().Draw(rt, "seed")
		plus := rapid.Int64Range(1, 200).Draw(rt, "plusAfter")
		w := mustNew(rt, n, seed, Options{PlusAfter: plus})
		for range rapid.IntRange(1, 20).Draw(rt, "chunks") {
			before := w.Rank()
			w.Walk(rapid.Int64Range(1, 500).Draw(rt, "flips"), 0, before+6)
			checkWalker(rt, w)
		}
		walktest.CheckRestart(rt, w, Symmetric, New, seed)
	})
}

// TestReach walks 2x2x2 to Strassen's rank 7 and 3x3x3 to 23; no timing is
// asserted, only a bound on the flips. 2x2x2 needs frequent plus
// transitions: its walks sit at rank 9 (three orbits, no fixed term) and
// reach 7 (Strassen: I⊗I⊗I and two orbits) when an orbit collapses to a
// fixed term; with plus transitions every 10-100 flips 3-4 seeds of 10 get
// there within a million flips, with 1000 or more none.
func TestReach(t *testing.T) {
	for _, tc := range []struct {
		n, want int
		plus    int64
	}{{2, 7, 50}, {3, 23, 2000}} {
		reached := false
		for seed := uint64(1); seed <= 8 && !reached; seed++ {
			w := mustNew(t, tc.n, seed, Options{PlusAfter: tc.plus})
			for range 200 {
				w.Walk(10000, tc.want, tc.n*tc.n*tc.n+6)
				if w.Rank() <= tc.want {
					reached = true
					checkWalker(t, w)
					break
				}
			}
		}
		if !reached {
			t.Errorf("%dx%dx%d: no seed of 8 reached rank %d in 2 million flips", tc.n, tc.n, tc.n, tc.want)
		}
	}
}

// strassen returns Strassen's algorithm in its cyclic-symmetric form over
// Z2 (the only one with the shift used here, by exhaustive search): the
// fixed term I⊗I⊗I and two orbits, given in the trace form.
func strassen() *tensorgame.Scheme {
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	s := &tensorgame.Scheme{Format: f, Field: tensorgame.Z2}
	const e11, e12, e21, e22 = 1, 2, 4, 8
	i := [1]uint64{e11 | e22}
	o1 := [3][1]uint64{{e22}, {e11 | e21}, {e11 | e12}}
	o2 := [3][1]uint64{{e21 | e22}, {e11}, {e12 | e22}}
	for _, x := range [][3][1]uint64{{i, i, i}, o1, rot(o1, 1), rot(o1, 2), o2, rot(o2, 1), rot(o2, 2)} {
		s.Terms = append(s.Terms, walkkit.FactorsTerm(f, fromTrace(2, x)))
	}
	return s
}

func TestStartStrassen(t *testing.T) {
	w := mustNew(t, 2, 1, Options{})
	walktest.StartsAt(t, w, strassen(), 7)
	if o, f := w.Orbits(); o != 2 || f != 1 {
		t.Errorf("Strassen: %d orbits, %d fixed; want 2, 1", o, f)
	}
	checkWalker(t, w)
}
