package search

import (
	"slices"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

// TestCyclicFresh checks the fresh starts of the cyclic lane: the paired
// diagonal start, and for a composite size the product start, which a run
// keeps in its pool and offers to the plain lane at once, since no walk
// from it need go lower.
func TestCyclicFresh(t *testing.T) {
	for _, tc := range []struct {
		n     int
		ranks []int // of the fresh starts
		best  int   // of the run's pool once open
	}{
		{3, []int{32}, 27},
		{4, []int{74, 49}, 49},
		{5, []int{135}, 125},
		{6, []int{231, 161}, 161},
	} {
		f := format(tc.n, tc.n, tc.n)
		y, err := cyclicSymmetry(f)
		if err != nil {
			t.Fatal(err)
		}
		var ranks []int
		for _, s := range y.fresh {
			if !y.isSymmetric(s) {
				t.Errorf("%v: a fresh start of rank %d is not symmetric", f, s.Rank())
			}
			ranks = append(ranks, s.Rank())
		}
		if !slices.Equal(ranks, tc.ranks) {
			t.Errorf("%v: fresh starts of ranks %v, want %v", f, ranks, tc.ranks)
		}
		r := openRun(t, Config{Format: f, Field: tensorgame.Z2, Workers: 2, Cyclic: true})
		if b := r.pool.Best(); b != tc.best {
			t.Errorf("%v: the open run's best rank is %d, want %d", f, b, tc.best)
		}
		plain := r.lanes[1]
		if plain.sym != nil {
			t.Fatalf("%v: lane 1 is not the plain lane", f)
		}
		offered := len(plain.offered) > 0
		if want := tc.best < tc.n*tc.n*tc.n; offered != want {
			t.Errorf("%v: offered to the plain lane %v, want %v", f, offered, want)
		} else if offered && plain.offered[0].Rank() != tc.best {
			t.Errorf("%v: offered rank %d, want %d", f, plain.offered[0].Rank(), tc.best)
		}
	}
}
