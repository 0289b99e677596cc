package transpose

import (
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/alphamat/alphamat/internal/gf2"
	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/search/walkkit/walktest"
	"github.com/alphamat/alphamat/tensorgame"
)

type tb = walktest.TB

// contract describes the walker to the walktest suite, at the width New
// picks and at two and four words. Its benchmark descends without plus
// transitions, and then walks with 4 terms of room.
var contract = walktest.Config{
	New:         New,
	Wide:        []func(tensorgame.Format, uint64, Options) (walkkit.Walker, error){walktest.Adapt(NewOf[[2]uint64]), walktest.Adapt(NewOf[[4]uint64])},
	Field:       tensorgame.Z2,
	Format:      tensorgame.Format{N: 3, M: 3, P: 3},
	Other:       tensorgame.Format{N: 3, M: 2, P: 3},
	Room:        4,
	DescendBare: true,
	Symmetric:   Symmetric,
	Check:       func(t testing.TB, w walkkit.Walker) { w.(interface{ check(tb) }).check(t) },
}

func TestContract(t *testing.T) { walktest.Contract(t, contract) }

// TestWidthsAgree checks that the walkers of two and four words walk as the
// one-word walker does (walktest.WidthsAgree): the one-word paths of the
// generic code change nothing.
func TestWidthsAgree(t *testing.T) {
	walktest.WidthsAgree(t, contract, []tensorgame.Format{{N: 3, M: 3, P: 3}, {N: 5, M: 3, P: 5}, {N: 4, M: 4, P: 4}})
}

func (w *Walker[F]) check(t tb) { checkWalker(t, w) }

// TestWide walks formats whose factors need two and four words (9x9x9:
// 81 coefficients, 12x5x12: 144 in z) from the standard algorithm, up by
// plus transitions and down through the reductions they open: the scheme
// must verify and stay transpose-symmetric.
func TestWide(t *testing.T) {
	walktest.WideFormats(t, contract, []tensorgame.Format{{N: 9, M: 9, P: 9}, {N: 12, M: 5, P: 12}}, nil)
}

func mustNewOf[F walkkit.Factor](t tb, n, m int, seed uint64, opts Options) *Walker[F] {
	t.Helper()
	return walktest.MustStart(t, NewOf[F], tensorgame.Format{N: n, M: m, P: n}, tensorgame.Z2, seed, opts)
}

func mustNew(t tb, n, m int, seed uint64, opts Options) *Walker[one] {
	t.Helper()
	return mustNewOf[one](t, n, m, seed, opts)
}

func TestNewErrors(t *testing.T) {
	walktest.Refuses(t, Supports, New, []walktest.Refusal{
		{F: tensorgame.Format{N: 2, M: 2, P: 3}, Want: "not n×m×n"},
		{F: tensorgame.Format{N: 3, M: 3, P: 2}, Want: "not n×m×n"},
		{F: tensorgame.Format{N: 4, M: 65, P: 4}, Want: "at most 256"},
		{F: tensorgame.Format{N: 17, M: 1, P: 17}, Want: "at most 256"},
		{F: tensorgame.Format{N: 0, M: 2, P: 0}, Want: "invalid format"},
	})
}

// TestStartStandard checks the standard algorithm's orbits: e_ij⊗e_jk⊗e_ik
// pairs with e_kj⊗e_ji⊗e_ki, and the n·m terms with i == k are fixed.
func TestStartStandard(t *testing.T) {
	for _, tc := range []struct{ n, m int }{{1, 1}, {1, 3}, {2, 1}, {2, 2}, {2, 3}, {3, 2}, {3, 3}, {4, 4}, {5, 3}, {5, 4}} {
		w := mustNew(t, tc.n, tc.m, 1, Options{})
		naive := tc.n * tc.m * tc.n
		if got := w.Rank(); got != naive {
			t.Errorf("%dx%dx%d: rank %d, want %d", tc.n, tc.m, tc.n, got, naive)
		}
		if o, f := w.Orbits(); o != (naive-tc.n*tc.m)/2 || f != tc.n*tc.m {
			t.Errorf("%dx%dx%d: %d orbits and %d fixed terms, want %d and %d", tc.n, tc.m, tc.n, o, f, (naive-tc.n*tc.m)/2, tc.n*tc.m)
		}
		checkWalker(t, w)
	}
}

// TestStartErrors checks what the walktest suite does not: the transposed
// format, and a verified scheme that is not transpose-symmetric.
func TestStartErrors(t *testing.T) {
	w := mustNew(t, 3, 2, 1, Options{})
	for _, tc := range []struct {
		name string
		s    *tensorgame.Scheme
		want string
	}{
		{"transposed format", tensorgame.Standard(tensorgame.Format{N: 2, M: 3, P: 2}, tensorgame.Z2), "format"},
		{"asymmetric", walktest.Split(tensorgame.Format{N: 3, M: 2, P: 3}), "not transpose-symmetric"},
	} {
		if err := w.Start(tc.s); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Start = %v, want an error with %q", tc.name, err, tc.want)
		}
		if w.Rank() != 18 {
			t.Errorf("%s: a failed Start changed the rank to %d", tc.name, w.Rank())
		}
		checkWalker(t, w)
	}
}

func TestSymmetric(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    *tensorgame.Scheme
		want bool
	}{
		{"standard 3x2x3", tensorgame.Standard(tensorgame.Format{N: 3, M: 2, P: 3}, tensorgame.Z2), true},
		{"standard 4x4x4 over Z", tensorgame.Standard(tensorgame.Format{N: 4, M: 4, P: 4}, tensorgame.Z), true},
		{"strassen", strassen(), true},
		{"asymmetric", walktest.Split(tensorgame.Format{N: 2, M: 2, P: 2}), false},
		{"not n×m×n", tensorgame.Standard(tensorgame.Format{N: 2, M: 2, P: 3}, tensorgame.Z2), false},
		{"wide", tensorgame.Standard(tensorgame.Format{N: 9, M: 1, P: 9}, tensorgame.Z2), true},
		{"too large", tensorgame.Standard(tensorgame.Format{N: 17, M: 1, P: 17}, tensorgame.Z2), false},
	} {
		if got := Symmetric(tc.s); got != tc.want {
			t.Errorf("%s: Symmetric = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// canMerge reports whether the live ids i and j can merge, by brute force
// over their members: two members sharing two factors, and the fixed-term
// reductions of the package documentation.
func canMerge[F walkkit.Factor](w *Walker[F], i, j int32) bool {
	members := func(id int32) [][3]F {
		if w.ids.Fixed[id] {
			return [][3]F{w.view(id, 0)}
		}
		return [][3]F{w.view(id, 0), w.view(id, 1)}
	}
	for _, a := range members(i) {
		for _, b := range members(j) {
			same := 0
			for p := range 3 {
				if a[p] == b[p] {
					same++
				}
			}
			if same >= 2 {
				return true
			}
		}
	}
	if w.ids.Fixed[i] == w.ids.Fixed[j] {
		return false
	}
	if w.ids.Fixed[j] {
		i, j = j, i
	}
	f := w.view(i, 0)
	for _, t := range members(j) {
		if t[2] == f[2] && walkkit.Xor(t[0], t[1]) == f[0] {
			return true
		}
		if t[0] == f[0] && walkkit.Xor(t[2], walkkit.Transpose(w.n, w.n, t[2])) == f[2] {
			return true
		}
	}
	return false
}

// checkSlices checks that the terms of each symmetric z = s are as few as
// the rank of their sum S⊗s allows: S = Σ x·xᵀ + Σ (a·bᵀ + b·aᵀ) over the
// fixed terms (x, x, s) and the orbits of (a, b, s), computed entry by entry.
func checkSlices[F walkkit.Factor](t tb, w *Walker[F]) {
	t.Helper()
	var words F
	rows := 64 * len(words)
	type sum struct {
		rows  []uint64 // row i is rows[i*len(F):][:len(F)]
		terms int
	}
	sums := map[F]*sum{}
	outer := func(sm *sum, a, b F) {
		walkkit.Ones(a, func(i int) {
			for k := range len(b) {
				sm.rows[i*len(b)+k] ^= b[k]
			}
		})
	}
	for _, id := range w.ids.Alive {
		o := w.orb[id]
		if o[2] != o[3] {
			continue
		}
		sm := sums[o[2]]
		if sm == nil {
			sm = &sum{rows: make([]uint64, rows*len(words))}
			sums[o[2]] = sm
		}
		if w.ids.Fixed[id] {
			outer(sm, o[0], o[0])
			sm.terms++
		} else {
			outer(sm, o[0], o[1])
			outer(sm, o[1], o[0])
			sm.terms += 2
		}
	}
	for s, sm := range sums {
		if r := gf2.RankWide(sm.rows, len(words)); r < sm.terms {
			t.Fatalf("z = %x: %d terms make a matrix of rank %d", s, sm.terms, r)
		}
	}
}

// checkWalker checks the walker's invariants: the index matches the orbits,
// no factor is zero, no orbit is degenerate, no two ids can merge, the rank
// counts the terms, and the scheme verifies and is invariant under
// tensorgame.Transpose.
func checkWalker[F walkkit.Factor](t tb, w *Walker[F]) {
	t.Helper()
	if err := w.ids.Check(); err != nil {
		t.Fatal(err)
	}
	var carriers [2]map[F][]int32
	carriers[0], carriers[1] = map[F][]int32{}, map[F][]int32{}
	for _, id := range w.ids.Alive {
		o := w.orb[id]
		if walkkit.IsZero(o[0]) || walkkit.IsZero(o[1]) || walkkit.IsZero(o[2]) {
			t.Fatalf("id %d = %x has a zero factor", id, o)
		}
		if o[3] != walkkit.Transpose(w.n, w.n, o[2]) {
			t.Fatalf("id %d = %x: zᵀ is wrong", id, o)
		}
		indexed := [4]bool{true, true, true, o[2] != o[3]}
		if w.ids.Fixed[id] {
			if o[0] != o[1] || o[2] != o[3] {
				t.Fatalf("fixed term %d = %x is not (x, x, s), s = sᵀ", id, o)
			}
			indexed = [4]bool{true, false, true, false}
		} else if o[0] == o[1] {
			t.Fatalf("orbit %d = %x has x = y", id, o)
		}
		for q := range int32(4) {
			e := 4*id + q
			if !indexed[q] {
				if w.idx.Group[e] >= 0 {
					t.Fatalf("id %d has entry %d in the index", id, q)
				}
				continue
			}
			carriers[q>>1][o[q]] = append(carriers[q>>1][o[q]], e)
		}
	}
	if err := w.idx.Check(carriers[:]); err != nil {
		t.Fatal(err)
	}
	for a, i := range w.ids.Alive {
		for _, j := range w.ids.Alive[a+1:] {
			if canMerge(w, i, j) {
				t.Fatalf("ids %d = %x and %d = %x can merge", i, w.orb[i], j, w.orb[j])
			}
		}
	}
	checkSlices(t, w)
	walktest.CheckSymmetric(t, w, "tensorgame.Transpose", tensorgame.Transpose)
}

func TestWalkInvariants(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(1, 4).Draw(rt, "n")
		m := rapid.IntRange(1, 4).Draw(rt, "m")
		seed := rapid.Uint64().Draw(rt, "seed")
		plus := rapid.Int64Range(1, 200).Draw(rt, "plusAfter")
		w := mustNew(rt, n, m, seed, Options{PlusAfter: plus})
		for range rapid.IntRange(1, 20).Draw(rt, "chunks") {
			ceil := w.Rank() + rapid.IntRange(0, 6).Draw(rt, "headroom")
			w.Walk(rapid.Int64Range(1, 500).Draw(rt, "flips"), 0, ceil)
			if w.Rank() > ceil {
				rt.Fatalf("rank %d above the ceiling %d", w.Rank(), ceil)
			}
			checkWalker(rt, w)
		}
		walktest.CheckRestart(rt, w, Symmetric, New, seed)
	})
}

// TestCeiling checks that plus transitions never raise the rank above the
// ceiling given to Walk.
func TestCeiling(t *testing.T) {
	w := mustNew(t, 3, 3, 5, Options{PlusAfter: 1})
	for range 200 {
		ceil := w.Rank() + 1
		w.Walk(50, 0, ceil)
		if w.Rank() > ceil {
			t.Fatalf("rank %d above the ceiling %d", w.Rank(), ceil)
		}
	}
	checkWalker(t, w)
	_, _, plus, _ := w.Counts()
	if plus == 0 {
		t.Error("no plus transition in 10000 flips with PlusAfter 1")
	}
}

// TestReach walks from the standard algorithm to a known rank; no timing
// is asserted, only a bound on the flips. The targets are the best ranks
// over Z2: Strassen's 7 for 2x2x2, 11 for 2x3x2 (= 2x2x3), 15 for 3x2x3
// (= 2x3x3), 23 for 3x3x3 (Laderman) and 14 for 2x4x2 (= 2x2x4). With
// the walks here (the ceiling 4 above the standard algorithm's rank), over
// seeds 1-20, 2x2x2, 2x3x2 and 2x4x2 always got there within 35000 flips,
// 3x2x3 in 12 seeds and 3x3x3 in 17 within two million; 3x4x3 -> 29 in one
// and 4x2x4 -> 26 (= 2x4x4) in none.
func TestReach(t *testing.T) {
	for _, tc := range []struct {
		n, m, want int
		plus       int64
	}{{2, 2, 7, 50}, {2, 3, 11, 200}, {3, 2, 15, 300}, {3, 3, 23, 2000}, {2, 4, 14, 1000}} {
		name := fmt.Sprintf("%dx%dx%d", tc.n, tc.m, tc.n)
		t.Run(name, func(t *testing.T) {
			reached := false
			for seed := uint64(1); seed <= 8 && !reached; seed++ {
				w := mustNew(t, tc.n, tc.m, seed, Options{PlusAfter: tc.plus})
				for range 200 {
					w.Walk(10000, tc.want, tc.n*tc.m*tc.n+4)
					if w.Rank() <= tc.want {
						reached = true
						checkWalker(t, w)
						break
					}
				}
			}
			if !reached {
				t.Errorf("%s: no seed of 8 reached rank %d in 2 million flips", name, tc.want)
			}
		})
	}
}

// strassen returns Strassen's algorithm over Z2, which is
// transpose-symmetric: M1 = (A11+A22)(B11+B22), M6 and M7 are fixed terms,
// {M2, M3} and {M4, M5} orbits.
func strassen() *tensorgame.Scheme {
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	s := &tensorgame.Scheme{Format: f, Field: tensorgame.Z2}
	const e11, e12, e21, e22 = 1, 2, 4, 8
	for _, x := range [][3]uint64{
		{e11 | e22, e11 | e22, e11 | e22},
		{e21 | e22, e11, e21 | e22},
		{e11, e12 | e22, e12 | e22},
		{e22, e21 | e11, e11 | e21},
		{e11 | e12, e22, e11 | e12},
		{e21 | e11, e11 | e12, e22},
		{e12 | e22, e21 | e22, e11},
	} {
		s.Terms = append(s.Terms, tensorgame.BitTerm(f, x))
	}
	return s
}

func TestStartStrassen(t *testing.T) {
	w := mustNew(t, 2, 2, 1, Options{})
	walktest.StartsAt(t, w, strassen(), 7)
	if o, f := w.Orbits(); o != 2 || f != 3 {
		t.Errorf("Strassen: %d orbits, %d fixed; want 2, 3", o, f)
	}
	checkWalker(t, w)
}
