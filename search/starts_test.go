package search

import (
	"slices"
	"testing"
)

// TestStartPickers checks the order in which the start pickers pick starts
// as epochs end with the given results: round robin takes turns whatever
// the results; byResult tries each start once, then gives a start whose
// best result is an orbit (step ranks) higher half the flips.
func TestStartPickers(t *testing.T) {
	type ended struct {
		res   int
		flips int64
	}
	for _, tc := range []struct {
		name   string
		picker startPicker
		n      int
		// results[k] is what every epoch from start k reaches.
		results []ended
		want    []int
	}{
		{"round robin", &roundRobin{}, 3, []ended{{20, 100}, {30, 100}, {40, 100}}, []int{0, 1, 2, 0, 1, 2, 0}},
		{"by result, equal", &byResult{step: 3}, 2, []ended{{20, 100}, {20, 100}}, []int{0, 1, 0, 1, 0, 1}},
		// Start 1 is an orbit higher: its flips count twice, so start 0
		// gets two epochs for each of start 1's.
		{"by result, one orbit higher", &byResult{step: 3}, 2, []ended{{20, 100}, {23, 100}}, []int{0, 1, 0, 0, 1, 0, 0}},
		{"by result, cheaper epochs", &byResult{step: 2}, 2, []ended{{20, 300}, {20, 100}}, []int{0, 1, 1, 1, 0, 1, 1}},
	} {
		var got []int
		for range tc.want {
			k := tc.picker.pick(tc.n)
			got = append(got, k)
			tc.picker.record(k, tc.results[k].res, tc.results[k].flips)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: picked %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestByResultRecord checks that a start's share keeps the lowest result
// and sums epochs and flips.
func TestByResultRecord(t *testing.T) {
	p := &byResult{step: 3}
	p.pick(2)
	for _, e := range []struct {
		res   int
		flips int64
	}{{30, 100}, {27, 200}, {29, 50}} {
		p.record(1, e.res, e.flips)
	}
	if got, want := p.shares[1], (share{epochs: 3, flips: 350, best: 27}); got != want {
		t.Errorf("share %+v, want %+v", got, want)
	}
	if got := p.shares[0]; got != (share{picked: 1}) {
		t.Errorf("untouched share %+v, want only its pick", got)
	}
}
