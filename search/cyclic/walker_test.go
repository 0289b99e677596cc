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

// contract describes the walker to the walktest suite.
var contract = walktest.Config{
	New:    walktest.Adapt(New),
	Field:  tensorgame.Z2,
	Format: tensorgame.Format{N: 3, M: 3, P: 3},
	Other:  tensorgame.Format{N: 2, M: 2, P: 2},
	Room:   6,
	Check:  func(t testing.TB, w walkkit.Walker) { checkWalker(t, w.(*Walker)) },
}

func TestContract(t *testing.T) { walktest.Contract(t, contract) }

func mustNew(t tb, n int, seed uint64, opts Options) *Walker {
	t.Helper()
	return walktest.MustStart(t, New, tensorgame.Format{N: n, M: n, P: n}, tensorgame.Z2, seed, opts)
}

func TestNewErrors(t *testing.T) {
	walktest.Refuses(t, Supports, New, []walktest.Refusal{
		{F: tensorgame.Format{N: 2, M: 2, P: 3}, Want: "not square"},
		{F: tensorgame.Format{N: 9, M: 9, P: 9}, Want: "at most 64"},
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

// asymmetric returns the standard algorithm of n×n×n with its first term
// split in two: valid, and not cyclic-symmetric.
func asymmetric(n int) *tensorgame.Scheme {
	f := tensorgame.Format{N: n, M: n, P: n}
	s := tensorgame.Standard(f, tensorgame.Z2)
	t := s.Terms[0].Clone()
	t.W[0], t.W[1] = tensorgame.Int(0), tensorgame.Int(1)
	s.Terms[0].W[1] = tensorgame.Int(1)
	s.Terms = append(s.Terms, t)
	return s
}

// TestStartErrors checks what the walktest suite does not: a verified
// scheme that is not cyclic-symmetric.
func TestStartErrors(t *testing.T) {
	w := mustNew(t, 3, 1, Options{})
	for name, tc := range map[string]struct {
		s    *tensorgame.Scheme
		want string
	}{
		"asymmetric": {asymmetric(3), "not cyclic-symmetric"},
	} {
		if err := w.Start(tc.s); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Start = %v, want an error with %q", name, err, tc.want)
		}
		if w.Rank() != 27 {
			t.Errorf("%s: a failed Start changed the rank to %d", name, w.Rank())
		}
	}
	if err := asymmetric(3); Symmetric(err) {
		t.Error("Symmetric(asymmetric) = true")
	}
}

// checkWalker checks the walker's invariants: the index matches the
// orbits, no factor is zero, no two orbits can merge, the rank counts the
// terms, and the scheme verifies and is invariant under tensorgame.Cyclic.
func checkWalker(t tb, w *Walker) {
	t.Helper()
	carriers := map[uint64][]int32{}
	rank := 0
	for p, id := range w.alive {
		if w.apos[id] != int32(p) {
			t.Fatalf("apos[%d] = %d, want %d", id, w.apos[id], p)
		}
		x := w.orb[id]
		if deg := x[0] == x[1] && x[1] == x[2]; deg != w.deg[id] {
			t.Fatalf("orbit %d = %x has deg %v", id, x, w.deg[id])
		}
		for q := range 3 {
			e := 3*id + int32(q)
			if x[q] == 0 {
				t.Fatalf("orbit %d has a zero factor", id)
			}
			if w.deg[id] && q > 0 {
				if w.idx.Group[e] >= 0 {
					t.Fatalf("fixed term %d has entry %d in the index", id, q)
				}
				continue
			}
			carriers[x[q]] = append(carriers[x[q]], e)
		}
		if w.deg[id] {
			rank++
		} else {
			rank += 3
		}
	}
	if rank != w.Rank() {
		t.Fatalf("rank %d, orbits hold %d terms", w.Rank(), rank)
	}
	if err := w.idx.Check([]map[uint64][]int32{carriers}); err != nil {
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
	i := uint64(e11 | e22)
	o1 := [3]uint64{e22, e11 | e21, e11 | e12}
	o2 := [3]uint64{e21 | e22, e11, e12 | e22}
	for _, x := range [][3]uint64{{i, i, i}, o1, rot(o1, 1), rot(o1, 2), o2, rot(o2, 1), rot(o2, 2)} {
		s.Terms = append(s.Terms, tensorgame.BitTerm(f, fromTrace(2, x)))
	}
	return s
}

func TestStartStrassen(t *testing.T) {
	s := strassen()
	if err := tensorgame.Verify(s); err != nil {
		t.Fatal(err)
	}
	w := mustNew(t, 2, 1, Options{})
	if err := w.Start(s); err != nil {
		t.Fatal(err)
	}
	if o, f := w.Orbits(); w.Rank() != 7 || o != 2 || f != 1 {
		t.Errorf("Strassen: rank %d, %d orbits, %d fixed; want 7, 2, 1", w.Rank(), o, f)
	}
	checkWalker(t, w)
	if !walktest.SameTerms(w.Scheme(), s) {
		t.Error("Scheme() differs from the start scheme")
	}
}
