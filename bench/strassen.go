package bench

import (
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// DefaultCutoff is the Strassen cut-off used when Strassen.Cutoff is 0.
const DefaultCutoff = 512

// Strassen multiplies matrices by the Strassen-Winograd algorithm (7
// multiplications and 15 additions per level), recursing on halves until the
// smallest dimension is at most Cutoff and calling blas64.Gemm or
// blas32.Gemm below that, so that blas64.Use and blas32.Use switch its
// leaves. It is the hand-written reference that fast matrix multiplication
// is compared against; it is not generated from a scheme.
//
// Odd sizes are handled by dynamic peeling, never by padding: the even part
// of each dimension recurses, and the last row, column or inner index is
// added by a Gemm with one of its sizes 1.
//
// A Strassen keeps its work space between calls, so repeated calls of one
// shape allocate nothing. It is not safe for concurrent use.
type Strassen struct {
	// Cutoff is the largest smallest-dimension multiplied by Gemm directly
	// (0: DefaultCutoff). Values below 1 are treated as 1.
	Cutoff int

	ws64 workspace[float64]
	ws32 workspace[float32]
}

// Mul64 sets c = a·b. It panics with ErrShape, ErrStride or ErrData when the
// sizes do not match or a matrix is malformed. c must not overlap a or b.
func (s *Strassen) Mul64(c, a, b blas64.General) {
	checkGeneral(a.Rows, a.Cols, a.Stride, len(a.Data))
	checkGeneral(b.Rows, b.Cols, b.Stride, len(b.Data))
	checkGeneral(c.Rows, c.Cols, c.Stride, len(c.Data))
	checkShapes(c.Rows, c.Cols, a.Rows, a.Cols, b.Rows, b.Cols)
	winograd[float64](gemm64{}, &s.ws64, s.cutoff(), 0, from64(c), from64(a), from64(b))
}

// Mul32 is Mul64 for float32 matrices, with blas32.Gemm at the leaves.
func (s *Strassen) Mul32(c, a, b blas32.General) {
	checkGeneral(a.Rows, a.Cols, a.Stride, len(a.Data))
	checkGeneral(b.Rows, b.Cols, b.Stride, len(b.Data))
	checkGeneral(c.Rows, c.Cols, c.Stride, len(c.Data))
	checkShapes(c.Rows, c.Cols, a.Rows, a.Cols, b.Rows, b.Cols)
	winograd[float32](gemm32{}, &s.ws32, s.cutoff(), 0, from32(c), from32(a), from32(b))
}

func (s *Strassen) cutoff() int {
	switch {
	case s.Cutoff == 0:
		return DefaultCutoff
	case s.Cutoff < 1:
		return 1
	}
	return s.Cutoff
}

// workspace holds the temporaries of each recursion level; the calls at one
// level run one after the other, so one set per level suffices.
type workspace[T number] struct {
	levels [][]T
}

// get returns n elements of scratch for recursion level d.
func (w *workspace[T]) get(d, n int) []T {
	for len(w.levels) <= d {
		w.levels = append(w.levels, nil)
	}
	if cap(w.levels[d]) < n {
		w.levels[d] = make([]T, n)
	}
	return w.levels[d][:n]
}

// winograd sets c = a·b, where a is n×m, b is m×p and c is n×p.
//
// With the blocks of the even parts of a, b and c named A11..A22 etc., one
// level computes (Winograd's variant, as scheduled by Boyer, Dumas, Pernet
// and Zhou, ISSAC 2009, with three temporaries X, Y and Z):
//
//	S1 = A21 + A22   S2 = S1 - A11   S3 = A11 - A21   S4 = A12 - S2
//	T1 = B12 - B11   T2 = B22 - T1   T3 = B22 - B12   T4 = T2 - B21
//	P1 = A11 B11  P2 = A12 B21  P3 = S4 B22  P4 = A22 T4
//	P5 = S1 T1    P6 = S2 T2    P7 = S3 T3
//	C11 = P1 + P2          C12 = P1 + P6 + P5 + P3
//	C21 = P1 + P6 + P7 - P4   C22 = P1 + P6 + P7 + P5
func winograd[T number](g gemmer[T], ws *workspace[T], cutoff, depth int, c, a, b general[T]) {
	n, m, p := a.Rows, a.Cols, b.Cols
	if min(n, m, p) <= cutoff || min(n, m, p) < 2 {
		g.gemm(0, c, a, b)
		return
	}
	n2, m2, p2 := n/2, m/2, p/2
	a11, a12 := a.view(0, 0, n2, m2), a.view(0, m2, n2, m2)
	a21, a22 := a.view(n2, 0, n2, m2), a.view(n2, m2, n2, m2)
	b11, b12 := b.view(0, 0, m2, p2), b.view(0, p2, m2, p2)
	b21, b22 := b.view(m2, 0, m2, p2), b.view(m2, p2, m2, p2)
	c11, c12 := c.view(0, 0, n2, p2), c.view(0, p2, n2, p2)
	c21, c22 := c.view(n2, 0, n2, p2), c.view(n2, p2, n2, p2)

	buf := ws.get(depth, n2*m2+m2*p2+n2*p2)
	x := general[T]{Rows: n2, Cols: m2, Stride: m2, Data: buf[:n2*m2]}
	y := general[T]{Rows: m2, Cols: p2, Stride: p2, Data: buf[n2*m2 : n2*m2+m2*p2]}
	z := general[T]{Rows: n2, Cols: p2, Stride: p2, Data: buf[n2*m2+m2*p2:]}
	rec := func(c, a, b general[T]) { winograd(g, ws, cutoff, depth+1, c, a, b) }

	sub(x, a11, a21)   // X = S3
	sub(y, b22, b12)   // Y = T3
	rec(c21, x, y)     // C21 = P7
	add(x, a21, a22)   // X = S1
	sub(y, b12, b11)   // Y = T1
	rec(c22, x, y)     // C22 = P5
	sub(x, x, a11)     // X = S2
	sub(y, b22, y)     // Y = T2
	rec(c12, x, y)     // C12 = P6
	rec(z, a11, b11)   // Z = P1
	add(c12, c12, z)   // C12 = P1 + P6 (U2)
	add(c21, c21, c12) // C21 = U2 + P7 (U3)
	add(c12, c12, c22) // C12 = U2 + P5 (U4)
	add(c22, c22, c21) // C22 = U3 + P5: final
	sub(x, a12, x)     // X = S4
	rec(c11, x, b22)   // C11 = P3
	add(c12, c12, c11) // C12 = U4 + P3: final
	sub(y, y, b21)     // Y = T4
	rec(c11, a22, y)   // C11 = P4
	sub(c21, c21, c11) // C21 = U3 - P4: final
	rec(c11, a12, b21) // C11 = P2
	add(c11, c11, z)   // C11 = P1 + P2: final

	peel(g, c, a, b, 2*n2, 2*m2, 2*p2)
}

// peel completes c = a·b after the leading ne×pe block of c holds the product
// of the leading ne×me block of a and me×pe block of b: it adds the last
// inner index to that block and fills the last column and row of c.
func peel[T number](g gemmer[T], c, a, b general[T], ne, me, pe int) {
	n, m, p := a.Rows, a.Cols, b.Cols
	if m > me { // C[:ne, :pe] += A[:ne, me] B[me, :pe]
		g.gemm(1, c.view(0, 0, ne, pe), a.view(0, me, ne, 1), b.view(me, 0, 1, pe))
	}
	if p > pe { // C[:ne, pe] = A[:ne, :] B[:, pe]
		g.gemm(0, c.view(0, pe, ne, 1), a.view(0, 0, ne, m), b.view(0, pe, m, 1))
	}
	if n > ne { // C[ne, :] = A[ne, :] B
		g.gemm(0, c.view(ne, 0, 1, p), a.view(ne, 0, 1, m), b)
	}
}
