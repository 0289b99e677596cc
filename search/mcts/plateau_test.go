package mcts

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

// ReducibleSubsets is for BenchmarkPlateauSubsets: it draws up to draws
// greedy subsets (as Shrink does) of each size in ks (at most 5) from the
// Z2 scheme s and checks exhaustively, by meet in the middle over all
// rank-one terms of the compressed axes (at most 4 each), which of those
// whose unfolding ranks are below K (the only ones Shrink plays on) have
// rank at most K-1. It returns how many it checked and the reducible ones.
func ReducibleSubsets(s *tensorgame.Scheme, ks []int, draws int, seed uint64) (checked int, reducible [][]int, err error) {
	terms, dims, err := bitTerms(s)
	if err != nil {
		return 0, nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	seen := map[string]bool{}
	cache := map[[3]int][2][]uint64{}
	for _, k := range ks {
		if k > 5 || k > len(terms) {
			return checked, reducible, fmt.Errorf("subsets of %d terms: at most 5 and the rank", k)
		}
		for range draws {
			idx := greedySubset(rng, terms, k)
			key := fmt.Sprint(idx)
			if seen[key] {
				continue
			}
			seen[key] = true
			cp := compressTerms(terms, dims, idx, [3]int{})
			d := [3]int{cp.sp[0].dim(), cp.sp[1].dim(), cp.sp[2].dim()}
			if max(d[0], d[1], d[2]) >= k || max(d[0], d[1], d[2]) > 4 {
				continue
			}
			sets, ok := cache[d]
			if !ok {
				sets = rankTwoSets(d)
				cache[d] = sets
			}
			checked++
			if rankAtMost(pack4(cp.tensor), k-1, sets[0], sets[1]) {
				reducible = append(reducible, idx)
			}
		}
	}
	return checked, reducible, nil
}

// pack4 packs a tensor with axes up to 4 into a word, bit (i·4+j)·4+k.
func pack4(t *tensorgame.Tensor) uint64 {
	var x uint64
	for i := range t.A {
		for j := range t.B {
			for k := range t.C {
				if t.Data[(i*t.B+j)*t.C+k] != 0 {
					x |= 1 << ((i*4+j)*4 + k)
				}
			}
		}
	}
	return x
}

// rankTwoSets returns the rank-one tensors of axes d (packed by pack4) and
// the sorted set of sums of at most two of them.
func rankTwoSets(d [3]int) [2][]uint64 {
	var r1 []uint64
	for u := uint64(1); u < 1<<d[0]; u++ {
		for v := uint64(1); v < 1<<d[1]; v++ {
			for w := uint64(1); w < 1<<d[2]; w++ {
				var x uint64
				for i := range d[0] {
					for j := range d[1] {
						if (u>>i)&(v>>j)&1 != 0 {
							x |= w << ((i*4 + j) * 4)
						}
					}
				}
				r1 = append(r1, x)
			}
		}
	}
	s2 := append([]uint64{0}, r1...)
	for i := range r1 {
		for j := i + 1; j < len(r1); j++ {
			s2 = append(s2, r1[i]^r1[j])
		}
	}
	slices.Sort(s2)
	return [2][]uint64{r1, slices.Compact(s2)}
}

// rankAtMost reports whether x has rank at most r ≤ 4 over Z2.
func rankAtMost(x uint64, r int, r1, s2 []uint64) bool {
	in := func(y uint64) bool { _, ok := slices.BinarySearch(s2, y); return ok }
	if in(x) {
		return true
	}
	if r >= 3 {
		for _, t := range r1 {
			if in(x ^ t) {
				return true
			}
		}
	}
	if r >= 4 {
		for i := range r1 {
			for j := i + 1; j < len(r1); j++ {
				if in(x ^ r1[i] ^ r1[j]) {
					return true
				}
			}
		}
	}
	return false
}

// The exact rank check of BenchmarkPlateauSubsets: the 3×3×3 unit tensor
// Σ e_i⊗e_i⊗e_i has rank 3, and sums of up to four rank-one terms have
// rank at most 4.
func TestRankAtMost(t *testing.T) {
	d := [3]int{3, 3, 3}
	sets := rankTwoSets(d)
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 5 {
		var x uint64
		for range n {
			x ^= sets[0][rng.IntN(len(sets[0]))]
		}
		if !rankAtMost(x, 4, sets[0], sets[1]) {
			t.Errorf("sum of %d rank-one terms: rank above 4", n)
		}
	}
	unit := tensorgame.NewTensor(3, 3, 3)
	for i := range 3 {
		unit.Set(i, i, i, 1)
	}
	x := pack4(unit)
	if rankAtMost(x, 2, sets[0], sets[1]) {
		t.Error("unit tensor: rank at most 2")
	}
	if !rankAtMost(x, 3, sets[0], sets[1]) {
		t.Error("unit tensor: rank above 3")
	}
}
