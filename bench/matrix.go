package bench

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// number is the element type of the matrices the baselines multiply.
type number interface{ ~float32 | ~float64 }

// general is a row-major matrix view, the generic form of blas64.General
// and blas32.General.
type general[T number] struct {
	Rows, Cols int
	Data       []T
	Stride     int
}

// view returns the r×c block of g whose top-left entry is g[i][j].
func (g general[T]) view(i, j, r, c int) general[T] {
	if r == 0 || c == 0 {
		return general[T]{Rows: r, Cols: c, Stride: max(g.Stride, 1)}
	}
	off := i*g.Stride + j
	return general[T]{Rows: r, Cols: c, Stride: g.Stride, Data: g.Data[off : off+(r-1)*g.Stride+c]}
}

// row returns row i of g.
func (g general[T]) row(i int) []T { return g.Data[i*g.Stride : i*g.Stride+g.Cols] }

// gemmer is the base case of the recursive baselines: c = a·b + beta·c for
// beta 0 or 1, through the BLAS implementation in use (blas64.Use, blas32.Use).
type gemmer[T number] interface {
	gemm(beta T, c, a, b general[T])
}

// gemm64 is the float64 base case: blas64.Gemm.
type gemm64 struct{}

func (gemm64) gemm(beta float64, c, a, b general[float64]) {
	if c.Rows == 0 || c.Cols == 0 {
		return
	}
	if a.Cols == 0 {
		if beta == 0 {
			zero(c)
		}
		return
	}
	blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, to64(a), to64(b), beta, to64(c))
}

// gemm32 is the float32 base case: blas32.Gemm.
type gemm32 struct{}

func (gemm32) gemm(beta float32, c, a, b general[float32]) {
	if c.Rows == 0 || c.Cols == 0 {
		return
	}
	if a.Cols == 0 {
		if beta == 0 {
			zero(c)
		}
		return
	}
	blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, to32(a), to32(b), beta, to32(c))
}

func to64(g general[float64]) blas64.General {
	return blas64.General{Rows: g.Rows, Cols: g.Cols, Data: g.Data, Stride: g.Stride}
}

func from64(g blas64.General) general[float64] {
	return general[float64]{Rows: g.Rows, Cols: g.Cols, Data: g.Data, Stride: g.Stride}
}

func to32(g general[float32]) blas32.General {
	return blas32.General{Rows: g.Rows, Cols: g.Cols, Data: g.Data, Stride: g.Stride}
}

func from32(g blas32.General) general[float32] {
	return general[float32]{Rows: g.Rows, Cols: g.Cols, Data: g.Data, Stride: g.Stride}
}

func zero[T number](c general[T]) {
	for i := 0; i < c.Rows; i++ {
		clear(c.row(i))
	}
}

// add sets dst = x + y, entry by entry.
func add[T number](dst, x, y general[T]) {
	for i := 0; i < dst.Rows; i++ {
		d, xs, ys := dst.row(i), x.row(i), y.row(i)
		xs, ys = xs[:len(d)], ys[:len(d)]
		for j := range d {
			d[j] = xs[j] + ys[j]
		}
	}
}

// sub sets dst = x - y, entry by entry.
func sub[T number](dst, x, y general[T]) {
	for i := 0; i < dst.Rows; i++ {
		d, xs, ys := dst.row(i), x.row(i), y.row(i)
		xs, ys = xs[:len(d)], ys[:len(d)]
		for j := range d {
			d[j] = xs[j] - ys[j]
		}
	}
}

// checkShapes panics unless c (n×p) = a (n×m) · b (m×p) is well formed.
func checkShapes(cr, cc, ar, ac, br, bc int) {
	if ar != cr || bc != cc || ac != br {
		panic(ErrShape)
	}
}

// checkGeneral panics unless g's stride and data fit its size.
func checkGeneral(rows, cols, stride, n int) {
	if rows < 0 || cols < 0 {
		panic(ErrShape)
	}
	if stride < max(cols, 1) {
		panic(ErrStride)
	}
	if rows > 0 && cols > 0 && n < (rows-1)*stride+cols {
		panic(ErrData)
	}
}
