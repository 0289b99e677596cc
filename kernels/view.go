package kernels

import (
	"unsafe"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// float is the element type of the generic runtime.
type float interface{ ~float32 | ~float64 }

// view is a row-major matrix in a slice: element (i, j) is
// data[i*stride+j]. A view with no elements may have a nil data slice.
type view[T float] struct {
	rows, cols, stride int
	data               []T
}

// sub returns the r×c view at (i, j) of v, sharing its data.
func (v view[T]) sub(i, j, r, c int) view[T] {
	if r == 0 || c == 0 {
		return view[T]{rows: r, cols: c, stride: v.stride}
	}
	off := i*v.stride + j
	return view[T]{rows: r, cols: c, stride: v.stride, data: v.data[off : off+(r-1)*v.stride+c]}
}

// row returns row i of v.
func (v view[T]) row(i int) []T { return v.data[i*v.stride : i*v.stride+v.cols] }

// empty reports whether v has no elements.
func (v view[T]) empty() bool { return v.rows == 0 || v.cols == 0 }

// check panics unless v is a valid view: non-negative sizes, a stride of at
// least cols and enough data.
func (v view[T]) check() {
	if v.rows < 0 || v.cols < 0 {
		panic(ErrShape)
	}
	if v.empty() {
		return
	}
	if v.stride < v.cols {
		panic(ErrStride)
	}
	if len(v.data) < (v.rows-1)*v.stride+v.cols {
		panic(ErrShortData)
	}
}

// checkMul panics unless C = A·B is a valid product: conforming shapes,
// valid views, and C sharing no element with A or B.
func checkMul[T float](c, a, b view[T]) {
	a.check()
	b.check()
	c.check()
	if a.cols != b.rows || c.rows != a.rows || c.cols != b.cols {
		panic(ErrShape)
	}
	if overlap(c, a) || overlap(c, b) {
		panic(ErrAlias)
	}
}

// overlap reports whether x and y share an element. Views of the same
// array with equal strides are compared as rectangles, so disjoint
// sub-matrices of one matrix do not overlap; with different strides any
// intersection of the address ranges counts as an overlap.
func overlap[T float](x, y view[T]) bool {
	if x.empty() || y.empty() {
		return false
	}
	size := int(unsafe.Sizeof(x.data[0]))
	xs := int(uintptr(unsafe.Pointer(&x.data[0])))
	ys := int(uintptr(unsafe.Pointer(&y.data[0])))
	xe := xs + ((x.rows-1)*x.stride+x.cols)*size
	ye := ys + ((y.rows-1)*y.stride+y.cols)*size
	if xe <= ys || ye <= xs {
		return false
	}
	if x.stride != y.stride || (ys-xs)%size != 0 {
		return true
	}
	if ys < xs {
		x, y = y, x
		xs, ys = ys, xs
	}
	// y starts d elements after x, at row r0, column c0 of x's lattice.
	d := (ys - xs) / size
	s := x.stride
	r0, c0 := d/s, d%s
	// y covers columns [c0, c0+y.cols) of rows r0.., wrapping into the next
	// row when c0+y.cols > s.
	hit := func(rlo, clo, chi int) bool {
		rhi := rlo + y.rows
		return rlo < x.rows && rhi > 0 && clo < x.cols && chi > 0
	}
	if c0+y.cols <= s {
		return hit(r0, c0, c0+y.cols)
	}
	return hit(r0, c0, s) || hit(r0+1, 0, c0+y.cols-s)
}

// scale sets c = beta·c; beta 0 writes zeros without reading c.
func scale[T float](c view[T], beta T) {
	if beta == 1 {
		return
	}
	for i := 0; i < c.rows; i++ {
		row := c.row(i)
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

func view64(g blas64.General) view[float64] {
	return view[float64]{rows: g.Rows, cols: g.Cols, stride: g.Stride, data: g.Data}
}

func view32(g blas32.General) view[float32] {
	return view[float32]{rows: g.Rows, cols: g.Cols, stride: g.Stride, data: g.Data}
}

// gemm64 is the float64 base case: blas64.Gemm, so that blas64.Use
// chooses the implementation.
func gemm64(alpha float64, a, b view[float64], beta float64, c view[float64]) {
	blas64.Gemm(blas.NoTrans, blas.NoTrans, alpha,
		blas64.General{Rows: a.rows, Cols: a.cols, Stride: a.stride, Data: a.data},
		blas64.General{Rows: b.rows, Cols: b.cols, Stride: b.stride, Data: b.data},
		beta,
		blas64.General{Rows: c.rows, Cols: c.cols, Stride: c.stride, Data: c.data})
}

// gemm32 is the float32 base case: blas32.Gemm.
func gemm32(alpha float32, a, b view[float32], beta float32, c view[float32]) {
	blas32.Gemm(blas.NoTrans, blas.NoTrans, alpha,
		blas32.General{Rows: a.rows, Cols: a.cols, Stride: a.stride, Data: a.data},
		blas32.General{Rows: b.rows, Cols: b.cols, Stride: b.stride, Data: b.data},
		beta,
		blas32.General{Rows: c.rows, Cols: c.cols, Stride: c.stride, Data: c.data})
}
