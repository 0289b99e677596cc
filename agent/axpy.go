package agent

import "gonum.org/v1/gonum/blas/blas32"

// axpy sets y[i] += a·x[i] for i < len(x) (len(y) ≥ len(x)): each product
// rounded, then added, whichever kernel runs (AVX eight lanes at a time
// where the machine has it and len(x) is a multiple of 8, else gonum's),
// so the results are bitwise the same.
func axpy(a float32, x, y []float32) {
	n := len(x)
	if haveAVX && n > 0 && n%8 == 0 && len(y) >= n {
		axpy8(a, &x[0], &y[0], n)
		return
	}
	blas32.Axpy(a, blas32.Vector{N: n, Inc: 1, Data: x}, blas32.Vector{N: n, Inc: 1, Data: y})
}
