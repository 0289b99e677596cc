package bench

import (
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// Naive64 sets c = a·b by the textbook i-k-j loop on one goroutine: for each
// row i of c and each k, row k of b scaled by a[i][k] is added to row i of
// c. It panics like Strassen.Mul64 on mismatched or malformed matrices.
func Naive64(c, a, b blas64.General) {
	checkGeneral(a.Rows, a.Cols, a.Stride, len(a.Data))
	checkGeneral(b.Rows, b.Cols, b.Stride, len(b.Data))
	checkGeneral(c.Rows, c.Cols, c.Stride, len(c.Data))
	checkShapes(c.Rows, c.Cols, a.Rows, a.Cols, b.Rows, b.Cols)
	naive(from64(c), from64(a), from64(b))
}

// Naive32 is Naive64 for float32 matrices.
func Naive32(c, a, b blas32.General) {
	checkGeneral(a.Rows, a.Cols, a.Stride, len(a.Data))
	checkGeneral(b.Rows, b.Cols, b.Stride, len(b.Data))
	checkGeneral(c.Rows, c.Cols, c.Stride, len(c.Data))
	checkShapes(c.Rows, c.Cols, a.Rows, a.Cols, b.Rows, b.Cols)
	naive(from32(c), from32(a), from32(b))
}

func naive[T number](c, a, b general[T]) {
	for i := 0; i < c.Rows; i++ {
		ci := c.row(i)
		clear(ci)
		ai := a.row(i)
		for k, aik := range ai {
			bk := b.row(k)[:len(ci)]
			for j := range ci {
				ci[j] += aik * bk[j]
			}
		}
	}
}
