package cyclic

import (
	"strings"
	"testing"

	"github.com/alphamat/alphamat/search/walkkit/walktest"
	"github.com/alphamat/alphamat/tensorgame"
)

func TestDiagonalStart(t *testing.T) {
	for _, tc := range []struct {
		n     int
		parts [][]int
	}{
		{1, [][]int{{0}}},
		{2, [][]int{{0, 1}}},
		{2, [][]int{{1}, {0}}},
		{3, [][]int{{0, 2}, {1}}},
		{3, [][]int{{0, 1, 2}}},
		{4, [][]int{{0, 3}, {1, 2}}},
		{5, [][]int{{0, 1}, {2, 3}, {4}}},
		{5, [][]int{{0, 1, 2}, {3}, {4}}},
		{6, [][]int{{0, 1}, {2, 3}, {4, 5}}},
	} {
		f := tensorgame.Format{N: tc.n, M: tc.n, P: tc.n}
		s, err := DiagonalStart(f, tc.parts)
		if err != nil {
			t.Errorf("%v %v: %v", f, tc.parts, err)
			continue
		}
		if err := tensorgame.Verify(s); err != nil {
			t.Errorf("%v %v: %v", f, tc.parts, err)
		}
		// The standard algorithm's non-fixed terms, a fixed term per part
		// and the part's e_ii⊗e_jj⊗e_kk, i, j, k not all equal.
		want := tc.n*tc.n*tc.n - tc.n
		for _, p := range tc.parts {
			want += 1 + len(p)*len(p)*len(p) - len(p)
		}
		if s.Rank() != want {
			t.Errorf("%v %v: rank %d, want %d", f, tc.parts, s.Rank(), want)
		}
		// The walker takes it as it is: the fixed terms are the parts'.
		w := mustNew(t, tc.n, 1, Options{})
		if err := w.Start(s); err != nil {
			t.Errorf("%v %v: Start: %v", f, tc.parts, err)
			continue
		}
		if _, fixed := w.Orbits(); fixed != len(tc.parts) {
			t.Errorf("%v %v: %d fixed terms, want %d", f, tc.parts, fixed, len(tc.parts))
		}
		checkWalker(t, w)
	}
}

func TestDiagonalStartSingletons(t *testing.T) {
	f := tensorgame.Format{N: 4, M: 4, P: 4}
	s, err := DiagonalStart(f, [][]int{{2}, {0}, {3}, {1}})
	if err != nil {
		t.Fatal(err)
	}
	if !walktest.SameTerms(s, tensorgame.Standard(f, tensorgame.Z2)) {
		t.Error("singletons: not the standard algorithm")
	}
}

func TestDiagonalStartErrors(t *testing.T) {
	sq := tensorgame.Format{N: 3, M: 3, P: 3}
	for _, tc := range []struct {
		f     tensorgame.Format
		parts [][]int
		want  string
	}{
		{tensorgame.Format{N: 2, M: 3, P: 2}, [][]int{{0, 1}}, "not a square format"},
		{tensorgame.Format{N: 17, M: 17, P: 17}, [][]int{{0}}, "not a square format"},
		{sq, [][]int{{0, 1}, {1, 2}}, "not a partition"},
		{sq, [][]int{{0, 1}, {3}}, "not a partition"},
		{sq, [][]int{{0, -1}, {2}}, "not a partition"},
		{sq, [][]int{{0, 1}, {}, {2}}, "empty part"},
		{sq, [][]int{{0, 2}}, "index 1 is in no part"},
		{sq, nil, "index 0 is in no part"},
	} {
		if _, err := DiagonalStart(tc.f, tc.parts); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("DiagonalStart(%v, %v) = %v, want an error with %q", tc.f, tc.parts, err, tc.want)
		}
	}
}

func TestPairedStart(t *testing.T) {
	for n := 1; n <= 6; n++ {
		f := tensorgame.Format{N: n, M: n, P: n}
		s, err := PairedStart(f)
		if err != nil {
			t.Fatal(err)
		}
		w := mustNew(t, n, 1, Options{})
		if err := w.Start(s); err != nil {
			t.Fatalf("%v: %v", f, err)
		}
		if _, fixed := w.Orbits(); fixed != n-n/2 {
			t.Errorf("%v: %d fixed terms, want %d", f, fixed, n-n/2)
		}
	}
	if _, err := PairedStart(tensorgame.Format{N: 3, M: 4, P: 3}); err == nil {
		t.Error("PairedStart(3x4x3): no error")
	}
}

// TestReachFromDiagonal: a descent from a diagonal start reaches ranks of
// a residue mod 3 the standard algorithm's walks rarely leave: 2x2x2 from
// I⊗I⊗I (the part {0,1}) reaches Strassen's 7 = 1 + 3·2, which walks from
// the standard algorithm (2 fixed terms) reach only with frequent plus
// transitions (TestReach); 3x3x3 from {0,1}, {2} reaches 23 = 2 + 3·7.
func TestReachFromDiagonal(t *testing.T) {
	for _, tc := range []struct {
		n     int
		parts [][]int
		want  int
	}{{2, [][]int{{0, 1}}, 7}, {3, [][]int{{0, 1}, {2}}, 23}} {
		f := tensorgame.Format{N: tc.n, M: tc.n, P: tc.n}
		s, err := DiagonalStart(f, tc.parts)
		if err != nil {
			t.Fatal(err)
		}
		reached := false
		for seed := uint64(1); seed <= 8 && !reached; seed++ {
			w := mustNew(t, tc.n, seed, Options{PlusAfter: 2000})
			if err := w.Start(s); err != nil {
				t.Fatal(err)
			}
			for range 200 {
				w.Walk(10000, tc.want, s.Rank()+6)
				if w.Rank() <= tc.want {
					reached = true
					checkWalker(t, w)
					break
				}
			}
		}
		if !reached {
			t.Errorf("%v from %v: no seed of 8 reached rank %d in 2 million flips", f, tc.parts, tc.want)
		}
	}
}
