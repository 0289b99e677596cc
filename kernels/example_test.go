package kernels_test

import (
	"fmt"

	"github.com/alphamat/alphamat/kernels"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

func ExampleMul() {
	a := mat.NewDense(2, 3, []float64{
		1, 2, 3,
		4, 5, 6,
	})
	b := mat.NewDense(3, 2, []float64{
		7, 8,
		9, 10,
		11, 12,
	})
	var c mat.Dense // empty: Mul sizes it
	kernels.Mul(&c, a, b)
	fmt.Printf("%v\n", mat.Formatted(&c))
	// Output:
	// ⎡ 58   64⎤
	// ⎣139  154⎦
}

func ExampleStrassen() {
	// C = A·B on raw row-major data; A is 4×4, B is 4×2. With the default
	// cut-off such a small product goes straight to gonum's Gemm; the
	// recursion starts at blocks of kernels.DefaultCutoff.
	a := blas64.General{Rows: 4, Cols: 4, Stride: 4, Data: []float64{
		1, 0, 0, 0,
		0, 2, 0, 0,
		0, 0, 3, 0,
		0, 0, 0, 4,
	}}
	b := blas64.General{Rows: 4, Cols: 2, Stride: 2, Data: []float64{
		1, 1,
		1, 2,
		1, 3,
		1, 4,
	}}
	c := blas64.General{Rows: 4, Cols: 2, Stride: 2, Data: make([]float64, 8)}
	kernels.Strassen(c, a, b)
	fmt.Println(c.Data)
	// Output:
	// [1 1 2 4 3 9 4 16]
}

func ExampleKernel() {
	// Two levels: 5x5x5 rank 93 splits the 50×50 product into 10×10
	// blocks, then Strassen-Winograd splits those into 5×5 blocks. A cut-off
	// this low only makes sense to watch the recursion work on a small
	// example; kernels.DefaultCutoff is the measured one.
	k, err := kernels.Lookup("5x5x5-r93+winograd")
	if err != nil {
		fmt.Println(err)
		return
	}
	k.Levels, k.Cutoff, k.Workers = 2, 5, 1

	n := 50
	a, b := mat.NewDense(n, n, nil), mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			a.Set(i, j, float64((i+2*j)%7-3))
			b.Set(i, j, float64((3*i+j)%5-2))
		}
	}
	var fast, want mat.Dense
	k.Mul(&fast, a, b)
	want.Mul(a, b)
	fmt.Println(k.Name(), "equal to mat.Dense.Mul:", mat.Equal(&fast, &want))
	fmt.Println("workspace (elements):", k.Workspace(n, n, n))
	// Output:
	// 5x5x5-r93+winograd equal to mat.Dense.Mul: true
	// workspace (elements): 8000
}

func ExamplePlans() {
	for _, p := range kernels.Plans()[:4] {
		fmt.Printf("%-15s %s rank %d over %s: %d of its products go straight into C\n",
			p.Name, p.Format(), p.Rank, p.Field, p.Rank-p.Temps)
	}
	// Output:
	// standard-2x2x2  2x2x2 rank 8 over Z: 8 of its products go straight into C
	// strassen        2x2x2 rank 7 over Z: 2 of its products go straight into C
	// winograd        2x2x2 rank 7 over Z: 3 of its products go straight into C
	// 2x2x3-r11       2x2x3 rank 11 over Z: 6 of its products go straight into C
}
