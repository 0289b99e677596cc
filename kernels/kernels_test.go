package kernels_test

import (
	"fmt"
	"testing"

	"github.com/alphamat/alphamat/kernels"
	"github.com/alphamat/alphamat/kernels/kerneltest"
)

// testLevels returns the recursion depths tested for p on sizes up to 70
// with cut-off 1: 1, 2, and 3 for the 2x2x2 schemes (deeper levels of the
// larger schemes multiply 1×1 blocks tens of thousands of times, which only
// costs test time).
func testLevels(p *kernels.Plan) []int {
	if p.N*p.M*p.P <= 8 {
		return []int{1, 2, 3}
	}
	return []int{1, 2}
}

// relTol bounds the relative error of a random real product at a depth:
// the measured errors (logged by the tests) stay below 1e-14 at depth 1 and
// grow about 4x per level for the largest schemes; the bound leaves a
// factor of ten.
func relTol(levels int) float64 {
	tol := 1e-13
	for range levels - 1 {
		tol *= 4
	}
	return tol
}

func TestKernels(t *testing.T) {
	suite := kerneltest.NewSuite(1)
	for _, p := range kernels.Plans() {
		levels := testLevels(p)
		for _, l := range levels {
			workers := []int{1}
			if l == levels[len(levels)-1] {
				workers = append(workers, 3)
			}
			for _, w := range workers {
				k := kernels.Kernel{Plans: []*kernels.Plan{p}, Levels: l, Cutoff: 1, Workers: w}
				t.Run(fmt.Sprintf("%s/levels=%d/workers=%d", p.Name, l, w), func(t *testing.T) {
					cfg := kerneltest.Config{Block: [3]int{p.N, p.M, p.P}, Levels: l, Tol: relTol(l)}
					e := suite.TestMul(t, k.MulGeneral, cfg)
					t.Logf("max relative error %.3g", e)
				})
			}
		}
	}
}
