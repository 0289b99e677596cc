package kernels_test

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/blas/blas64"

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
			// Winograd's plan runs by its schedule where the sub-products
			// are sequential (workers 1, and below the top with 3); the
			// generic executor runs it with Generic.
			generic := []bool{false}
			if p.Name == "winograd" {
				generic = append(generic, true)
			}
			for _, w := range workers {
				for _, g := range generic {
					k := kernels.Kernel{Plans: []*kernels.Plan{p}, Levels: l, Cutoff: 1, Workers: w, Generic: g}
					t.Run(fmt.Sprintf("%s/levels=%d/workers=%d/generic=%t", p.Name, l, w, g), func(t *testing.T) {
						cfg := kerneltest.Config{Block: [3]int{p.N, p.M, p.P}, Levels: l, Tol: relTol(l)}
						e := suite.TestMul(t, k.MulGeneral, cfg)
						t.Logf("max relative error %.3g", e)
					})
				}
			}
		}
	}
}

// TestInfBecomesNaN shows what the package documentation says of
// infinities: one level of Strassen turns an Inf of A into NaN in C where
// the leaf alone keeps ±Inf.
func TestInfBecomesNaN(t *testing.T) {
	const n = 8
	a := blas64.General{Rows: n, Cols: n, Stride: n, Data: make([]float64, n*n)}
	b := blas64.General{Rows: n, Cols: n, Stride: n, Data: make([]float64, n*n)}
	for i := range a.Data {
		a.Data[i], b.Data[i] = 1, 1
	}
	a.Data[0] = math.Inf(1) // A11 holds an Inf
	mul := func(k kernels.Kernel) (nan, inf int) {
		c := blas64.General{Rows: n, Cols: n, Stride: n, Data: make([]float64, n*n)}
		k.MulGeneral(c, a, b)
		for _, v := range c.Data {
			switch {
			case math.IsNaN(v):
				nan++
			case math.IsInf(v, 0):
				inf++
			}
		}
		return nan, inf
	}
	if nan, inf := mul(kernels.Kernel{}); nan != 0 || inf != n {
		t.Errorf("leaf: %d NaN and %d Inf in C, want 0 and %d (row 0)", nan, inf, n)
	}
	strassen, err := kernels.Lookup("strassen")
	if err != nil {
		t.Fatal(err)
	}
	strassen.Levels, strassen.Cutoff = 1, 1
	if nan, _ := mul(strassen); nan == 0 {
		t.Error("one level of Strassen kept every Inf; the documentation says some become NaN")
	}
}
