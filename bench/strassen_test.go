package bench

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

// randGeneral returns an r×c matrix with stride c+pad, uniform in [-1, 1),
// with the padding filled with a value that must never be read into a product.
func randGeneral(rng *rand.Rand, r, c, pad int) blas64.General {
	g := blas64.General{Rows: r, Cols: c, Stride: c + pad, Data: make([]float64, max(r*(c+pad), 1))}
	for i := range g.Data {
		g.Data[i] = 1e300 // padding: poisons any product that reads it
	}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			g.Data[i*g.Stride+j] = 2*rng.Float64() - 1
		}
	}
	return g
}

// padIntact reports whether the padding of g still holds the value
// randGeneral put there: a product must not write outside its matrix.
// (1e300 in float64, +Inf once narrowed to float32).
func padIntact(rows, cols, stride int, data []float64) bool {
	for i := 0; i < rows; i++ {
		for j := cols; j < stride && i*stride+j < len(data); j++ {
			if v := data[i*stride+j]; v != 1e300 && !math.IsInf(v, 1) {
				return false
			}
		}
	}
	return true
}

func to32General(g blas64.General) blas32.General {
	return blas32.General{Rows: g.Rows, Cols: g.Cols, Stride: g.Stride, Data: narrow(g.Data)}
}

// maxDiff returns max |c - want| over the r×c entries of two matrices.
func maxDiff(c, want blas64.General) float64 {
	var e float64
	for i := 0; i < c.Rows; i++ {
		for j := 0; j < c.Cols; j++ {
			d := math.Abs(c.Data[i*c.Stride+j] - want.Data[i*want.Stride+j])
			if !(d <= e) {
				e = d
			}
		}
	}
	return e
}

// mulCases are sizes straddling the peeling edges (odd, even, 1) in every
// dimension, with and without padded strides.
var mulCases = []struct{ n, m, p, pad int }{
	{1, 1, 1, 0}, {2, 2, 2, 0}, {3, 3, 3, 0}, {4, 4, 4, 1}, {5, 7, 3, 0},
	{8, 8, 8, 0}, {9, 9, 9, 2}, {16, 15, 17, 0}, {17, 16, 15, 3}, {31, 33, 32, 0},
	{1, 40, 1, 0}, {40, 1, 40, 1}, {2, 64, 3, 0}, {64, 64, 64, 0}, {65, 63, 66, 5},
}

func TestStrassen(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, cutoff := range []int{1, 2, 3, 8, 100} {
		for _, tc := range mulCases {
			name := fmt.Sprintf("cutoff%d/%dx%dx%d+%d", cutoff, tc.n, tc.m, tc.p, tc.pad)
			t.Run(name, func(t *testing.T) {
				a := randGeneral(rng, tc.n, tc.m, tc.pad)
				b := randGeneral(rng, tc.m, tc.p, tc.pad)
				want := randGeneral(rng, tc.n, tc.p, 0)
				blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, 0, want)
				s := &Strassen{Cutoff: cutoff}
				for rep := 0; rep < 2; rep++ { // the second call reuses the work space
					c := randGeneral(rng, tc.n, tc.p, tc.pad)
					s.Mul64(c, a, b)
					// Each entry is a sum of m products of numbers below 1;
					// Strassen's error grows by a modest factor per level.
					if e := maxDiff(c, want); !(e <= 1e-12*float64(tc.m)) {
						t.Fatalf("Mul64 call %d: max error %g", rep, e)
					}
					if !padIntact(c.Rows, c.Cols, c.Stride, c.Data) {
						t.Fatalf("Mul64 call %d wrote into the padding of c", rep)
					}
				}
				c32 := to32General(randGeneral(rng, tc.n, tc.p, tc.pad))
				s.Mul32(c32, to32General(a), to32General(b))
				c := blas64.General{Rows: c32.Rows, Cols: c32.Cols, Stride: c32.Stride, Data: widen(c32.Data)}
				if e := maxDiff(c, want); !(e <= 1e-5*float64(tc.m)) {
					t.Fatalf("Mul32: max error %g", e)
				}
				if !padIntact(c.Rows, c.Cols, c.Stride, c.Data) {
					t.Fatalf("Mul32 wrote into the padding of c")
				}
			})
		}
	}
}

func widen(x []float32) []float64 {
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = float64(v)
	}
	return y
}

func TestNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	for _, tc := range mulCases {
		a := randGeneral(rng, tc.n, tc.m, tc.pad)
		b := randGeneral(rng, tc.m, tc.p, tc.pad)
		want := randGeneral(rng, tc.n, tc.p, 0)
		blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, 0, want)
		c := randGeneral(rng, tc.n, tc.p, tc.pad)
		Naive64(c, a, b)
		if e := maxDiff(c, want); !(e <= 1e-13*float64(tc.m)) {
			t.Errorf("Naive64 %v: max error %g", tc, e)
		}
		c32 := to32General(c)
		Naive32(c32, to32General(a), to32General(b))
		if e := maxDiff(blas64.General{Rows: c.Rows, Cols: c.Cols, Stride: c.Stride, Data: widen(c32.Data)}, want); !(e <= 1e-5*float64(tc.m)) {
			t.Errorf("Naive32 %v: max error %g", tc, e)
		}
	}
}

func TestShapePanics(t *testing.T) {
	ok := func(r, c int) blas64.General {
		return blas64.General{Rows: r, Cols: c, Stride: c, Data: make([]float64, r*c)}
	}
	tests := []struct {
		name    string
		c, a, b blas64.General
		want    Error
	}{
		{"inner", ok(2, 2), ok(2, 3), ok(2, 2), ErrShape},
		{"rows", ok(3, 2), ok(2, 2), ok(2, 2), ErrShape},
		{"stride", ok(2, 2), blas64.General{Rows: 2, Cols: 2, Stride: 1, Data: make([]float64, 4)}, ok(2, 2), ErrStride},
		{"data", ok(2, 2), blas64.General{Rows: 2, Cols: 2, Stride: 2, Data: make([]float64, 3)}, ok(2, 2), ErrData},
	}
	for _, tt := range tests {
		for _, f := range []struct {
			name string
			mul  func(c, a, b blas64.General)
		}{{"Strassen", (&Strassen{Cutoff: 1}).Mul64}, {"Naive", Naive64}} {
			t.Run(tt.name+"/"+f.name, func(t *testing.T) {
				defer func() {
					if r := recover(); r != tt.want {
						t.Errorf("panic %v, want %v", r, tt.want)
					}
				}()
				f.mul(tt.c, tt.a, tt.b)
			})
		}
	}
}

func TestStrassenAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	a, b, c := randGeneral(rng, 67, 66, 0), randGeneral(rng, 66, 65, 0), randGeneral(rng, 67, 65, 0)
	s := &Strassen{Cutoff: 4}
	s.Mul64(c, a, b) // sizes the work space
	// The leaves are small enough for gonum's Dgemm to stay on this goroutine.
	if n := testing.AllocsPerRun(5, func() { s.Mul64(c, a, b) }); n != 0 {
		t.Errorf("Strassen.Mul64 allocates %v times per call after the first", n)
	}
}

// TestStrassenSuite runs the kernels' shared suite (edge shapes, NaN
// padding, C not read, inputs unchanged) on the baselines.
func TestStrassenSuite(t *testing.T) {
	// A cut-off of 1 recurses down to single entries: every level peels.
	s := &Strassen{Cutoff: 1}
	cfg := kerneltest.Config{Block: [3]int{2, 2, 2}, Levels: 3, Seed: 1}
	t.Run("f64", func(t *testing.T) { kerneltest.TestMul(t, s.Mul64, cfg) })
	t.Run("f32", func(t *testing.T) { kerneltest.TestMul32(t, s.Mul32, cfg) })
	t.Run("naive/f64", func(t *testing.T) { kerneltest.TestMul(t, Naive64, kerneltest.Config{Seed: 2}) })
	t.Run("naive/f32", func(t *testing.T) { kerneltest.TestMul32(t, Naive32, kerneltest.Config{Seed: 2}) })
}
