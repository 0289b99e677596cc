package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/alphamat/alphamat/kernels/kerneltest"
)

// naive returns alpha·op(A)·op(B) + beta·C in float64, C row-major m×n
// with stride ldc (beta 0: C is not read).
func naive[T float](aTrans, bTrans bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) []float64 {
	out := make([]float64, m*n)
	for i := range m {
		for j := range n {
			var s float64
			for p := range k {
				var av, bv T
				if aTrans {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				if bTrans {
					bv = b[j*ldb+p]
				} else {
					bv = b[p*ldb+j]
				}
				s += float64(av) * float64(bv)
			}
			s *= float64(alpha)
			if beta != 0 {
				s += float64(beta) * float64(c[i*ldc+j])
			}
			out[i*n+j] = s
		}
	}
	return out
}

// gemmCase is one product with padded strides; the padding holds NaN, so
// that reading outside a matrix shows in C.
type gemmCase struct {
	aTrans, bTrans bool
	m, n, k        int
	alpha, beta    float64
	pad            int
}

func (tc gemmCase) String() string {
	return fmt.Sprintf("tA=%v,tB=%v,%dx%dx%d,alpha=%v,beta=%v,pad=%d", tc.aTrans, tc.bTrans, tc.m, tc.n, tc.k, tc.alpha, tc.beta, tc.pad)
}

func fillMatrix[T float](rnd *rand.Rand, rows, cols, ld int, integer bool) []T {
	d := make([]T, max(0, (rows-1)*ld+cols))
	for i := range d {
		d[i] = T(math.NaN())
	}
	for i := range rows {
		for j := range cols {
			v := 2*rnd.Float64() - 1
			if integer {
				v = float64(rnd.IntN(7) - 3)
			}
			d[i*ld+j] = T(v)
		}
	}
	return d
}

// run checks one case of the generic driver with blocking bl against the
// naive product: exact for small integers, within tol otherwise.
func run[T float](t *testing.T, bl *blocking, kern func(k int, a, b, c []T, ldc int), pool *wsPool[T], tc gemmCase, integer bool, tol float64) {
	t.Helper()
	rnd := rand.New(rand.NewPCG(uint64(tc.m*10007+tc.n*101+tc.k), 3))
	ar, ac := tc.m, tc.k
	if tc.aTrans {
		ar, ac = ac, ar
	}
	br, bc := tc.k, tc.n
	if tc.bTrans {
		br, bc = bc, br
	}
	lda, ldb, ldc := max(1, ac+tc.pad), max(1, bc+tc.pad), max(1, tc.n+tc.pad)
	a := fillMatrix[T](rnd, ar, ac, lda, integer)
	b := fillMatrix[T](rnd, br, bc, ldb, integer)
	c := fillMatrix[T](rnd, tc.m, tc.n, ldc, integer)
	if tc.beta == 0 {
		for i := range tc.m {
			for j := range tc.n {
				c[i*ldc+j] = T(math.NaN()) // beta 0 must not read C
			}
		}
	}
	want := naive(tc.aTrans, tc.bTrans, tc.m, tc.n, tc.k, T(tc.alpha), a, lda, b, ldb, T(tc.beta), c, ldc)
	if tc.m > 0 && tc.n > 0 {
		gemm(bl, kern, tc.aTrans, tc.bTrans, tc.m, tc.n, tc.k, T(tc.alpha), a, lda, b, ldb, T(tc.beta), c, ldc, pool)
	}
	var scale float64
	for _, v := range want {
		scale = max(scale, math.Abs(v))
	}
	scale = max(scale, 1)
	for i := range tc.m {
		for j := range tc.n {
			got, w := float64(c[i*ldc+j]), want[i*tc.n+j]
			if integer && got != w || !integer && !(math.Abs(got-w) <= tol*scale) {
				t.Fatalf("%v: C[%d,%d] = %v, want %v", tc, i, j, got, w)
			}
		}
		for j := tc.n; j < ldc && i*ldc+j < len(c); j++ {
			if !math.IsNaN(float64(c[i*ldc+j])) {
				t.Fatalf("%v: padding C[%d,%d] written", tc, i, j)
			}
		}
	}
}

// sizes straddle the micro-tile (6, 8, 16) and the cache blocks of small
// (the test blocking) and of the real blocking (MC 120, KC 256).
var sizes = []int{1, 3, 7, 8, 17, 63, 65, 127, 129}

// small is a blocking with tiny cache blocks, so that small products cross
// every block edge: several KC slices, MC blocks and NC slabs.
func small(bl blocking) *blocking {
	bl.mc, bl.kc, bl.nc = 2*bl.mr, 5, 3*bl.nr+1
	return &bl
}

func cases(rnd *rand.Rand, sizes []int) []gemmCase {
	var out []gemmCase
	for _, aT := range []bool{false, true} {
		for _, bT := range []bool{false, true} {
			for _, s := range sizes {
				ab := [][2]float64{{1, 0}, {-2, 1}, {0.5, -1.5}, {1, 1}}[rnd.IntN(4)]
				out = append(out, gemmCase{aT, bT, s, sizes[rnd.IntN(len(sizes))], sizes[rnd.IntN(len(sizes))], ab[0], ab[1], rnd.IntN(3)})
			}
		}
	}
	out = append(out,
		gemmCase{false, false, 5, 4, 0, 1, 0.5, 1},  // k = 0: C = beta·C
		gemmCase{true, false, 9, 11, 13, 0, 2, 2},   // alpha = 0
		gemmCase{false, true, 200, 3, 300, 1, 0, 0}, // tall, many KC slices
		gemmCase{false, false, 2, 300, 70, -1, 1, 1},
	)
	return out
}

func TestGemmDriver(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 1))
	type impl struct {
		name string
		f    func(t *testing.T, tc gemmCase, integer bool)
	}
	var impls []impl
	for _, bl := range []struct {
		name string
		b64  *blocking
		b32  *blocking
	}{{"real", &block64, &block32}, {"small", small(block64), small(block32)}} {
		impls = append(impls,
			impl{bl.name + "/f64/kernel", func(t *testing.T, tc gemmCase, integer bool) { run(t, bl.b64, kernel64, &pool64, tc, integer, 1e-13) }},
			impl{bl.name + "/f64/go", func(t *testing.T, tc gemmCase, integer bool) {
				run(t, bl.b64, kernelGo[float64](6, 8), &pool64, tc, integer, 1e-13)
			}},
			impl{bl.name + "/f32/kernel", func(t *testing.T, tc gemmCase, integer bool) { run(t, bl.b32, kernel32, &pool32, tc, integer, 1e-4) }},
			impl{bl.name + "/f32/go", func(t *testing.T, tc gemmCase, integer bool) {
				run(t, bl.b32, kernelGo[float32](6, 16), &pool32, tc, integer, 1e-4)
			}},
		)
	}
	cs := cases(rnd, sizes)
	for _, im := range impls {
		t.Run(im.name, func(t *testing.T) {
			for _, tc := range cs {
				im.f(t, tc, true)
				im.f(t, tc, false)
			}
		})
	}
}

// TestKernelAgainstGo checks the assembly micro-kernels against the Go one
// bit for bit on small integers, and to rounding on reals.
func TestKernelAgainstGo(t *testing.T) {
	t.Logf("accelerated: %v", Accelerated())
	rnd := rand.New(rand.NewPCG(2, 2))
	for _, k := range []int{1, 2, 3, 4, 5, 9, 256} {
		a := make([]float64, 6*k+1)
		b := make([]float64, 8*k+1)
		for i := range a {
			a[i] = float64(rnd.IntN(9) - 4)
		}
		for i := range b {
			b[i] = float64(rnd.IntN(9) - 4)
		}
		ldc := 11
		c1 := make([]float64, 5*ldc+8)
		for i := range c1 {
			c1[i] = float64(i)
		}
		c2 := append([]float64(nil), c1...)
		kernel64(k, a, b, c1, ldc)
		kernelGo[float64](6, 8)(k, a, b, c2, ldc)
		for i := range c1 {
			if c1[i] != c2[i] {
				t.Fatalf("k=%d: c[%d] = %v, Go kernel %v", k, i, c1[i], c2[i])
			}
		}
		a32, b32 := make([]float32, 6*k+1), make([]float32, 16*k+1)
		for i := range a32 {
			a32[i] = float32(rnd.IntN(9) - 4)
		}
		for i := range b32 {
			b32[i] = float32(rnd.IntN(9) - 4)
		}
		d1 := make([]float32, 5*(ldc+5)+16)
		for i := range d1 {
			d1[i] = float32(i)
		}
		d2 := append([]float32(nil), d1...)
		kernel32(k, a32, b32, d1, ldc+5)
		kernelGo[float32](6, 16)(k, a32, b32, d2, ldc+5)
		for i := range d1 {
			if d1[i] != d2[i] {
				t.Fatalf("k=%d: float32 c[%d] = %v, Go kernel %v", k, i, d1[i], d2[i])
			}
		}
	}
}

// TestKernelSuite runs the shared kernel suite on Dgemm and Sgemm through
// blas64.General.
func TestKernelSuite(t *testing.T) {
	impl := Implementation{}
	kerneltest.TestMul(t, func(c, a, b blas64.General) {
		impl.Dgemm(blas.NoTrans, blas.NoTrans, a.Rows, b.Cols, a.Cols, 1, a.Data, a.Stride, b.Data, b.Stride, 0, c.Data, c.Stride)
	}, kerneltest.Config{Block: [3]int{6, 256, 8}, Seed: 5})
	kerneltest.TestMul32(t, func(c, a, b blas32.General) {
		impl.Sgemm(blas.NoTrans, blas.NoTrans, a.Rows, b.Cols, a.Cols, 1, a.Data, a.Stride, b.Data, b.Stride, 0, c.Data, c.Stride)
	}, kerneltest.Config{Block: [3]int{6, 256, 16}, Seed: 6})
}

// TestPublicGemm runs Dgemm and Sgemm (with their checks and GOMAXPROCS
// workers) on the cases of the driver test, sizes large enough to run in
// parallel included.
func TestPublicGemm(t *testing.T) {
	rnd := rand.New(rand.NewPCG(4, 4))
	impl := Implementation{}
	for _, tc := range cases(rnd, []int{1, 7, 65, 129, 257}) {
		tr := func(b bool) blas.Transpose {
			if b {
				return blas.Trans
			}
			return blas.NoTrans
		}
		// Through the exported method: same semantics as the driver.
		r := rand.New(rand.NewPCG(uint64(tc.m), uint64(tc.n)))
		ar, ac := tc.m, tc.k
		if tc.aTrans {
			ar, ac = ac, ar
		}
		br, bc := tc.k, tc.n
		if tc.bTrans {
			br, bc = bc, br
		}
		lda, ldb, ldc := max(1, ac+tc.pad), max(1, bc+tc.pad), max(1, tc.n+tc.pad)
		a := fillMatrix[float64](r, ar, ac, lda, true)
		b := fillMatrix[float64](r, br, bc, ldb, true)
		c := fillMatrix[float64](r, tc.m, tc.n, ldc, true)
		want := naive(tc.aTrans, tc.bTrans, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
		impl.Dgemm(tr(tc.aTrans), tr(tc.bTrans), tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
		a32, b32, c32 := narrow(a), narrow(b), narrow(fillMatrix[float64](r, tc.m, tc.n, ldc, true))
		want32 := naive(tc.aTrans, tc.bTrans, tc.m, tc.n, tc.k, float32(tc.alpha), a32, lda, b32, ldb, float32(tc.beta), c32, ldc)
		impl.Sgemm(tr(tc.aTrans), tr(tc.bTrans), tc.m, tc.n, tc.k, float32(tc.alpha), a32, lda, b32, ldb, float32(tc.beta), c32, ldc)
		for i := range tc.m {
			for j := range tc.n {
				if got, w := c[i*ldc+j], want[i*tc.n+j]; got != w {
					t.Fatalf("Dgemm %v: C[%d,%d] = %v, want %v", tc, i, j, got, w)
				}
				if got, w := float64(c32[i*ldc+j]), want32[i*tc.n+j]; got != w {
					t.Fatalf("Sgemm %v: C[%d,%d] = %v, want %v", tc, i, j, got, w)
				}
			}
		}
	}
}

func narrow(x []float64) []float32 {
	y := make([]float32, len(x))
	for i, v := range x {
		y[i] = float32(v)
	}
	return y
}

// TestPanics checks that bad arguments panic with gonum's messages.
func TestPanics(t *testing.T) {
	impl := Implementation{}
	d := make([]float64, 100)
	n, tr := blas.NoTrans, blas.Trans
	for _, tt := range []struct {
		name string
		f    func()
		want string
	}{
		{"transpose", func() { impl.Dgemm('x', n, 2, 2, 2, 1, d, 2, d, 2, 0, d, 2) }, badTranspose},
		{"m", func() { impl.Dgemm(n, n, -1, 2, 2, 1, d, 2, d, 2, 0, d, 2) }, mLT0},
		{"n", func() { impl.Dgemm(n, n, 2, -1, 2, 1, d, 2, d, 2, 0, d, 2) }, nLT0},
		{"k", func() { impl.Dgemm(n, n, 2, 2, -1, 1, d, 2, d, 2, 0, d, 2) }, kLT0},
		{"lda", func() { impl.Dgemm(n, n, 2, 2, 3, 1, d, 2, d, 2, 0, d, 2) }, badLdA},
		{"lda trans", func() { impl.Dgemm(tr, n, 3, 2, 2, 1, d, 2, d, 2, 0, d, 2) }, badLdA},
		{"ldb", func() { impl.Dgemm(n, n, 2, 3, 2, 1, d, 2, d, 2, 0, d, 3) }, badLdB},
		{"ldc", func() { impl.Dgemm(n, n, 2, 3, 2, 1, d, 2, d, 3, 0, d, 2) }, badLdC},
		{"short a", func() { impl.Dgemm(n, n, 20, 2, 10, 1, d, 10, d, 2, 0, d, 2) }, shortA},
		{"short b", func() { impl.Dgemm(n, n, 2, 10, 20, 1, d, 20, d, 10, 0, d, 10) }, shortB},
		{"short c", func() { impl.Dgemm(n, n, 20, 10, 2, 1, d, 2, d, 10, 0, d, 10) }, shortC},
		{"sgemm ldc", func() {
			impl.Sgemm(n, n, 2, 3, 2, 1, make([]float32, 9), 2, make([]float32, 9), 3, 0, make([]float32, 9), 2)
		}, badLdC},
	} {
		func() {
			defer func() {
				if r := recover(); r != tt.want {
					t.Errorf("%s: panic %v, want %q", tt.name, r, tt.want)
				}
			}()
			tt.f()
		}()
	}
}
