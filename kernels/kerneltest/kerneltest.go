// Package kerneltest is a shared test suite for matrix-multiplication
// kernels, in the style of gonum's testblas: every kernel runs the same
// checks against the naive product.
//
// The checks: shapes with dimensions 0 to 70 (0, 1, primes, non-square,
// tall and skinny, and sizes on the peeling edges of a block grid), padded
// strides whose padding holds NaN (a kernel that reads outside its
// matrices produces NaN), C filled with NaN before the call (C = A·B must
// not read C), inputs left unchanged, exact equality for small-integer
// inputs, and a bound on the relative error for random real inputs.
package kerneltest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// Config tunes the suite for one kernel.
type Config struct {
	// Block is the block grid n, m, p of the kernel's first level; sizes
	// around multiples of Block and of Block^Levels are added to the shapes.
	// Zero values add none.
	Block [3]int
	// Levels is the number of levels the kernel applies (at least 1 for
	// the edge sizes to be added).
	Levels int
	// Random is the number of random shapes, 0 meaning 8.
	Random int
	// Tol bounds the relative error on random real inputs (see RelErr);
	// 0 means 1e-12 (float64) or 1e-4 (float32).
	Tol float64
	// Seed seeds the random shapes and inputs.
	Seed uint64
}

// Shapes returns the shapes n, m, p the suite multiplies for cfg: a fixed
// set of edge cases, sizes around the block edges and random shapes with
// dimensions in [0, 70].
func Shapes(cfg Config) [][3]int {
	shapes := [][3]int{
		{0, 0, 0}, {0, 3, 4}, {3, 0, 4}, {3, 4, 0}, {1, 1, 1}, {1, 7, 1}, {7, 1, 7},
		{2, 2, 2}, {3, 3, 3}, {4, 4, 4}, {5, 5, 5}, {8, 8, 8}, {13, 17, 19},
		{31, 29, 37}, {64, 64, 64}, {70, 70, 70}, {67, 2, 61}, {2, 67, 3},
		{70, 9, 9}, {9, 70, 9}, {9, 9, 70}, {41, 43, 47},
	}
	if b := cfg.Block; b[0] > 0 && b[1] > 0 && b[2] > 0 {
		pow := [3]int{1, 1, 1}
		for l := 0; l < max(cfg.Levels, 1); l++ {
			next := [3]int{pow[0] * b[0], pow[1] * b[1], pow[2] * b[2]}
			if next[0] > 70 || next[1] > 70 || next[2] > 70 {
				break
			}
			pow = next
		}
		for _, d := range []int{-1, 0, 1} {
			for _, mul := range []int{1, 2, 3} {
				s := [3]int{mul*pow[0] + d, mul*pow[1] + d, mul*pow[2] + d}
				if s[0] >= 0 && s[1] >= 0 && s[2] >= 0 && s[0] <= 70 && s[1] <= 70 && s[2] <= 70 {
					shapes = append(shapes, s)
				}
			}
		}
	}
	rnd := rand.New(rand.NewPCG(cfg.Seed, 1))
	nr := cfg.Random
	if nr == 0 {
		nr = 8
	}
	for range nr {
		var s [3]int
		for i := range s {
			s[i] = rnd.IntN(71)
		}
		shapes = append(shapes, s)
	}
	return shapes
}

// Suite checks kernels on shared test cases: the inputs of a shape and
// their naive product are built once and reused by every kernel checked
// with the suite, which keeps a suite of many kernels fast under -race. A
// Suite is not safe for concurrent use.
type Suite struct {
	seed  uint64
	cases map[caseKey]any // *testCase[float32] or *testCase[float64]
}

type caseKey struct {
	shape [3]int
	exact bool
	bits  int
}

// testCase is one product: inputs with NaN padding, the naive product and
// |A|·|B|, row-major n×p.
type testCase[T float] struct {
	a, b     *matrix[T]
	cpad     int
	ref, abs []float64
}

// NewSuite returns an empty suite whose random inputs derive from seed.
func NewSuite(seed uint64) *Suite { return &Suite{seed: seed, cases: make(map[caseKey]any)} }

// TestMul runs the suite on a float64 kernel with a fresh Suite and returns
// the largest relative error seen on random real inputs.
func TestMul(t *testing.T, mul func(c, a, b blas64.General), cfg Config) float64 {
	t.Helper()
	return NewSuite(cfg.Seed).TestMul(t, mul, cfg)
}

// TestMul32 is TestMul for a float32 kernel.
func TestMul32(t *testing.T, mul func(c, a, b blas32.General), cfg Config) float64 {
	t.Helper()
	return NewSuite(cfg.Seed).TestMul32(t, mul, cfg)
}

// TestMul checks a float64 kernel on the shapes of cfg, reporting failures
// through t, and returns the largest relative error seen on random real
// inputs.
func (s *Suite) TestMul(t *testing.T, mul func(c, a, b blas64.General), cfg Config) float64 {
	t.Helper()
	e, errs := s.Check(mul, cfg)
	report(t, errs)
	return e
}

// TestMul32 is TestMul for a float32 kernel.
func (s *Suite) TestMul32(t *testing.T, mul func(c, a, b blas32.General), cfg Config) float64 {
	t.Helper()
	e, errs := s.Check32(mul, cfg)
	report(t, errs)
	return e
}

func report(t *testing.T, errs []error) {
	t.Helper()
	for i, err := range errs {
		if i == 10 {
			t.Errorf("(and %d more errors)", len(errs)-i)
			break
		}
		t.Error(err)
	}
}

// Check runs the checks on a float64 kernel and returns the largest
// relative error on random real inputs and every failure found.
func (s *Suite) Check(mul func(c, a, b blas64.General), cfg Config) (float64, []error) {
	tol := cfg.Tol
	if tol == 0 {
		tol = 1e-12
	}
	return check(s, cfg, tol, func(c, a, b *matrix[float64]) {
		mul(c.general64(), a.general64(), b.general64())
	})
}

// Check32 is Check for a float32 kernel.
func (s *Suite) Check32(mul func(c, a, b blas32.General), cfg Config) (float64, []error) {
	tol := cfg.Tol
	if tol == 0 {
		tol = 1e-4
	}
	return check(s, cfg, tol, func(c, a, b *matrix[float32]) {
		mul(c.general32(), a.general32(), b.general32())
	})
}

type float interface{ ~float32 | ~float64 }

// matrix is a test matrix whose padding (columns cols..stride-1 and a tail
// after the last row) holds a sentinel.
type matrix[T float] struct {
	rows, cols, stride int
	data               []T
}

const tail = 3 // elements of padding after the last row

func newMatrix[T float](rows, cols, pad int, fill T) *matrix[T] {
	m := &matrix[T]{rows: rows, cols: cols, stride: cols + pad}
	if m.stride == 0 {
		m.stride = 1
	}
	m.data = make([]T, rows*m.stride+tail)
	for i := range m.data {
		m.data[i] = fill
	}
	return m
}

func (m *matrix[T]) at(i, j int) T     { return m.data[i*m.stride+j] }
func (m *matrix[T]) set(i, j int, v T) { m.data[i*m.stride+j] = v }

func (m *matrix[T]) general64() blas64.General {
	return blas64.General{Rows: m.rows, Cols: m.cols, Stride: m.stride, Data: any(m.data).([]float64)}
}

func (m *matrix[T]) general32() blas32.General {
	return blas32.General{Rows: m.rows, Cols: m.cols, Stride: m.stride, Data: any(m.data).([]float32)}
}

// naive returns A·B computed in float64 by the definition, and |A|·|B|,
// which scales its rounding errors; both n×p row-major.
func naive[T float](a, b *matrix[T]) (c, abs []float64) {
	n, m, p := a.rows, a.cols, b.cols
	c = make([]float64, n*p)
	abs = make([]float64, n*p)
	for i := 0; i < n; i++ {
		ci, ai := c[i*p:(i+1)*p], abs[i*p:(i+1)*p]
		for k := 0; k < m; k++ {
			x := float64(a.at(i, k))
			brow := b.data[k*b.stride : k*b.stride+p]
			for j, y := range brow {
				ci[j] += x * float64(y)
				ai[j] += math.Abs(x * float64(y))
			}
		}
	}
	return c, abs
}

// relErr returns max |C − ref| / max (|A|·|B|), the normwise relative error
// of C against the reference product (the absolute error when |A|·|B| is 0).
func relErr[T float](c *matrix[T], ref, abs []float64) float64 {
	var num, den float64
	p := c.cols
	for i, r := range ref {
		num = max(num, math.Abs(float64(c.at(i/p, i%p))-r))
		den = max(den, abs[i])
	}
	if den == 0 {
		return num
	}
	return num / den
}

// get returns the cached test case of a shape, building it on first use.
func get[T float](s *Suite, shape [3]int, exact bool) *testCase[T] {
	var zero T
	key := caseKey{shape, exact, int(unsafe.Sizeof(zero)) * 8}
	if c, ok := s.cases[key]; ok {
		return c.(*testCase[T])
	}
	n, m, p := shape[0], shape[1], shape[2]
	h := uint64(n)<<40 | uint64(m)<<20 | uint64(p)
	if exact {
		h |= 1 << 63
	}
	rnd := rand.New(rand.NewPCG(s.seed, h))
	nan := T(math.NaN())
	tc := &testCase[T]{
		a:    newMatrix(n, m, rnd.IntN(3), nan),
		b:    newMatrix(m, p, rnd.IntN(3), nan),
		cpad: rnd.IntN(3),
	}
	for _, x := range []*matrix[T]{tc.a, tc.b} {
		for i := 0; i < x.rows; i++ {
			for j := 0; j < x.cols; j++ {
				if exact {
					// Small integers: every partial sum of every shipped
					// scheme is then exactly representable.
					x.set(i, j, T(rnd.IntN(5)-2))
				} else {
					x.set(i, j, T(2*rnd.Float64()-1))
				}
			}
		}
	}
	tc.ref, tc.abs = naive(tc.a, tc.b)
	s.cases[key] = tc
	return tc
}

func check[T float](s *Suite, cfg Config, tol float64, mul func(c, a, b *matrix[T])) (float64, []error) {
	var errs []error
	worst := 0.0
	for _, shape := range Shapes(cfg) {
		n, m, p := shape[0], shape[1], shape[2]
		for _, exact := range []bool{true, false} {
			tc := get[T](s, shape, exact)
			a, b := tc.a, tc.b
			c := newMatrix(n, p, tc.cpad, T(math.NaN()))
			a0, b0 := slices.Clone(a.data), slices.Clone(b.data)
			mul(c, a, b)
			if !equalNaN(a.data, a0) || !equalNaN(b.data, b0) {
				errs = append(errs, fmt.Errorf("%dx%dx%d: an input was modified", n, m, p))
				copy(a.data, a0)
				copy(b.data, b0)
			}
			for i := range c.data {
				r, j := i/c.stride, i%c.stride
				if (r >= n || j >= p) && !math.IsNaN(float64(c.data[i])) {
					errs = append(errs, fmt.Errorf("%dx%dx%d: C's padding at element %d was written", n, m, p, i))
					break
				}
			}
			if exact {
				if i, ok := firstDiff(c, tc.ref); !ok {
					errs = append(errs, fmt.Errorf("%dx%dx%d, integer inputs: C[%d][%d] = %v, want %v",
						n, m, p, i/p, i%p, c.at(i/p, i%p), tc.ref[i]))
				}
				continue
			}
			e := relErr(c, tc.ref, tc.abs)
			if !(e <= tol) {
				errs = append(errs, fmt.Errorf("%dx%dx%d, random inputs: relative error %.3g above %.3g", n, m, p, e, tol))
			}
			worst = max(worst, e)
		}
	}
	return worst, errs
}

func firstDiff[T float](c *matrix[T], ref []float64) (int, bool) {
	p := c.cols
	for i, r := range ref {
		if float64(c.at(i/p, i%p)) != r {
			return i, false
		}
	}
	return 0, true
}

func equalNaN[T float](x, y []T) bool {
	return slices.EqualFunc(x, y, func(a, b T) bool { return a == b || (a != a && b != b) })
}
