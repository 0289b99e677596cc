package agent

import "gonum.org/v1/gonum/blas/gonum"

// axpy sets y[i] += a·x[i] for i < len(x) (len(y) ≥ len(x)): each product
// rounded, then added, whichever kernel runs (AVX eight lanes at a time
// where the machine has it and len(x) is a multiple of 8, else gonum's
// own Saxpy, named rather than through blas32, whose implementation a
// program may swap for one that fuses), so the results are bitwise the
// same.
func axpy(a float32, x, y []float32) {
	n := len(x)
	if haveAVX && n > 0 && n%8 == 0 && len(y) >= n {
		axpy8(a, &x[0], &y[0], n)
		return
	}
	gonum.Implementation{}.Saxpy(n, a, x, 1, y, 1)
}
