package transpose

import (
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/search/walkkit/walktest"
	"github.com/alphamat/alphamat/tensorgame"
)

type tb = walktest.TB

// contract describes the walker to the walktest suite. Its benchmark
// descends without plus transitions, and then walks with 4 terms of room.
var contract = walktest.Config{
	New:         walktest.Adapt(New),
	Field:       tensorgame.Z2,
	Format:      tensorgame.Format{N: 3, M: 3, P: 3},
	Other:       tensorgame.Format{N: 3, M: 2, P: 3},
	Room:        4,
	DescendBare: true,
	Check:       func(t testing.TB, w walkkit.Walker) { checkWalker(t, w.(*Walker)) },
}

func TestContract(t *testing.T) { walktest.Contract(t, contract) }

func mustNew(t tb, n, m int, seed uint64, opts Options) *Walker {
	t.Helper()
	return walktest.MustStart(t, New, tensorgame.Format{N: n, M: m, P: n}, tensorgame.Z2, seed, opts)
}

func TestNewErrors(t *testing.T) {
	walktest.Refuses(t, Supports, New, []walktest.Refusal{
		{F: tensorgame.Format{N: 2, M: 2, P: 3}, Want: "not n×m×n"},
		{F: tensorgame.Format{N: 3, M: 3, P: 2}, Want: "not n×m×n"},
		{F: tensorgame.Format{N: 4, M: 17, P: 4}, Want: "at most 64"},
		{F: tensorgame.Format{N: 9, M: 1, P: 9}, Want: "at most 64"},
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

// asymmetric returns the standard algorithm of n×m×n with its first term
// split in two: valid, and not transpose-symmetric.
func asymmetric(n, m int) *tensorgame.Scheme {
	f := tensorgame.Format{N: n, M: m, P: n}
	s := tensorgame.Standard(f, tensorgame.Z2)
	t := s.Terms[0].Clone()
	t.W[0], t.W[1] = tensorgame.Int(0), tensorgame.Int(1)
	s.Terms[0].W[1] = tensorgame.Int(1)
	s.Terms = append(s.Terms, t)
	return s
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
		{"asymmetric", asymmetric(3, 2), "not transpose-symmetric"},
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
		{"asymmetric", asymmetric(2, 2), false},
		{"not n×m×n", tensorgame.Standard(tensorgame.Format{N: 2, M: 2, P: 3}, tensorgame.Z2), false},
		{"too large", tensorgame.Standard(tensorgame.Format{N: 9, M: 1, P: 9}, tensorgame.Z2), false},
	} {
		if got := Symmetric(tc.s); got != tc.want {
			t.Errorf("%s: Symmetric = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// canMerge reports whether the live ids i and j can merge, by brute force
// over their members: two members sharing two factors, and the fixed-term
// reductions of the package documentation.
func canMerge(w *Walker, i, j int32) bool {
	members := func(id int32) [][3]uint64 {
		if w.fixed[id] {
			return [][3]uint64{w.view(id, 0)}
		}
		return [][3]uint64{w.view(id, 0), w.view(id, 1)}
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
	if w.fixed[i] == w.fixed[j] {
		return false
	}
	if w.fixed[j] {
		i, j = j, i
	}
	f := w.view(i, 0)
	for _, t := range members(j) {
		if t[2] == f[2] && t[0]^t[1] == f[0] {
			return true
		}
		if t[0] == f[0] && t[2]^transposeBits(w.n, w.n, t[2]) == f[2] {
			return true
		}
	}
	return false
}

// checkSlices checks that the terms of each symmetric z = s are as few as
// the rank of their sum S⊗s allows: S = Σ x·xᵀ + Σ (a·bᵀ + b·aᵀ) over the
// fixed terms (x, x, s) and the orbits of (a, b, s), computed entry by entry.
func checkSlices(t tb, w *Walker) {
	t.Helper()
	type sum struct {
		rows  [64]uint64
		terms int
	}
	sums := map[uint64]*sum{}
	outer := func(rows *[64]uint64, a, b uint64) {
		for i := range 64 {
			if a>>i&1 != 0 {
				rows[i] ^= b
			}
		}
	}
	for _, id := range w.alive {
		o := w.orb[id]
		if o[2] != o[3] {
			continue
		}
		sm := sums[o[2]]
		if sm == nil {
			sm = &sum{}
			sums[o[2]] = sm
		}
		if w.fixed[id] {
			outer(&sm.rows, o[0], o[0])
			sm.terms++
		} else {
			outer(&sm.rows, o[0], o[1])
			outer(&sm.rows, o[1], o[0])
			sm.terms += 2
		}
	}
	for s, sm := range sums {
		if r := rank64(sm.rows[:]); r < sm.terms {
			t.Fatalf("z = %#x: %d terms make a matrix of rank %d", s, sm.terms, r)
		}
	}
}

// rank64 returns the rank over Z2 of the rows, destroying them.
func rank64(rows []uint64) int {
	r := 0
	for col := range 64 {
		bit := uint64(1) << col
		p := -1
		for i := r; i < len(rows); i++ {
			if rows[i]&bit != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		rows[r], rows[p] = rows[p], rows[r]
		for i := range rows {
			if i != r && rows[i]&bit != 0 {
				rows[i] ^= rows[r]
			}
		}
		r++
	}
	return r
}

// checkWalker checks the walker's invariants: the index matches the orbits,
// no factor is zero, no orbit is degenerate, no two ids can merge, the rank
// counts the terms, and the scheme verifies and is invariant under
// tensorgame.Transpose.
func checkWalker(t tb, w *Walker) {
	t.Helper()
	var carriers [2]map[uint64][]int32
	carriers[0], carriers[1] = map[uint64][]int32{}, map[uint64][]int32{}
	rank := 0
	for p, id := range w.alive {
		if w.apos[id] != int32(p) {
			t.Fatalf("apos[%d] = %d, want %d", id, w.apos[id], p)
		}
		o := w.orb[id]
		if o[0] == 0 || o[1] == 0 || o[2] == 0 {
			t.Fatalf("id %d = %x has a zero factor", id, o)
		}
		if o[3] != transposeBits(w.n, w.n, o[2]) {
			t.Fatalf("id %d = %x: zᵀ is wrong", id, o)
		}
		indexed := [4]bool{true, true, true, o[2] != o[3]}
		if w.fixed[id] {
			if o[0] != o[1] || o[2] != o[3] {
				t.Fatalf("fixed term %d = %x is not (x, x, s), s = sᵀ", id, o)
			}
			indexed = [4]bool{true, false, true, false}
			rank++
		} else {
			if o[0] == o[1] {
				t.Fatalf("orbit %d = %x has x = y", id, o)
			}
			rank += 2
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
	if rank != w.Rank() {
		t.Fatalf("rank %d, orbits hold %d terms", w.Rank(), rank)
	}
	if err := w.idx.Check(carriers[:]); err != nil {
		t.Fatal(err)
	}
	for a, i := range w.alive {
		for _, j := range w.alive[a+1:] {
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
	s := strassen()
	if err := tensorgame.Verify(s); err != nil {
		t.Fatal(err)
	}
	w := mustNew(t, 2, 2, 1, Options{})
	if err := w.Start(s); err != nil {
		t.Fatal(err)
	}
	if o, f := w.Orbits(); w.Rank() != 7 || o != 2 || f != 3 {
		t.Errorf("Strassen: rank %d, %d orbits, %d fixed; want 7, 2, 3", w.Rank(), o, f)
	}
	checkWalker(t, w)
	if !walktest.SameTerms(w.Scheme(), s) {
		t.Error("Scheme() differs from the start scheme")
	}
}
