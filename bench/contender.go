package bench

import (
	"fmt"
	"runtime"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/alphamat/alphamat/tensorgame"
)

// Kind says what sort of multiplication a Contender is.
type Kind string

// The kinds of contenders.
const (
	KindNaive    Kind = "naive"    // the i-k-j loop (Naive64, Naive32)
	KindGemm     Kind = "gemm"     // blas64.Gemm / blas32.Gemm: the base every ratio refers to
	KindStrassen Kind = "strassen" // the hand-written Strassen-Winograd baseline (Strassen)
	KindKernel   Kind = "kernel"   // a kernel generated from a scheme
	KindLibrary  Kind = "library"  // kernels.MulGeneral: the kernel the default selection table picks
	KindPureGo   Kind = "purego"   // kernels/gemm, or kernels.Mul on it, timed beside another BLAS (PureGoContenders)
)

// DType is the element type of a benchmark: "f64" or "f32".
type DType string

// The element types.
const (
	F64 DType = "f64"
	F32 DType = "f32"
)

// ParseDType parses "f64", "float64", "f32" or "float32".
func ParseDType(s string) (DType, error) {
	switch s {
	case "f64", "float64", "d", "double":
		return F64, nil
	case "f32", "float32", "s", "single":
		return F32, nil
	}
	return "", fmt.Errorf("element type %q: want f64 or f32", s)
}

// Shape is the size of a product C (N×P) = A (N×M) · B (M×P).
type Shape struct {
	N, M, P int
}

// Square returns the shape n×n×n.
func Square(n int) Shape { return Shape{n, n, n} }

// String returns the shape as "NxMxP".
func (s Shape) String() string { return fmt.Sprintf("%dx%dx%d", s.N, s.M, s.P) }

// Flops returns the floating-point operations of the standard algorithm,
// 2·N·M·P, the numerator of every effective GFLOPS figure.
func (s Shape) Flops() float64 { return 2 * float64(s.N) * float64(s.M) * float64(s.P) }

// IsSquare reports whether N = M = P.
func (s Shape) IsSquare() bool { return s.N == s.M && s.M == s.P }

// MaxDim returns the largest of N, M and P.
func (s Shape) MaxDim() int { return max(s.N, s.M, s.P) }

// Contender is one way to multiply matrices in a kernel benchmark. Mul64 and
// Mul32 set c = a·b (c is overwritten, never accumulated into); either may be
// nil when the contender lacks that element type. They are called from one
// goroutine at a time and may keep state between calls.
type Contender struct {
	// Name identifies the contender in tables, JSON and plots; unique in a run.
	Name string
	Kind Kind
	// Scheme, Rank and Field describe a kernel's scheme (zero for baselines);
	// Levels is its number of recursion levels.
	Scheme tensorgame.Format
	Rank   int
	Field  tensorgame.Field
	Levels int
	// MaxDim skips shapes with a dimension above it (0: no limit); the naive
	// loop is too slow to time at large sizes.
	MaxDim int
	// SquareOnly runs the contender on square shapes only.
	SquareOnly bool
	// Fits, when non-nil, must also accept a shape for the contender to
	// run on it.
	Fits func(Shape) bool

	Mul64 func(c, a, b blas64.General)
	Mul32 func(c, a, b blas32.General)
}

// Applies reports whether c runs on shape s: within MaxDim, accepted by
// Fits, and for a kernel of scheme n×m×p, only on shapes whose blocks are
// square: s.N/n = s.M/m = s.P/p (integer division, so that sizes one or two
// above a multiple, which the kernels peel, count too). A square scheme thus
// runs on square shapes.
func (c *Contender) Applies(s Shape) bool {
	if c.MaxDim > 0 && s.MaxDim() > c.MaxDim {
		return false
	}
	if c.SquareOnly && !s.IsSquare() {
		return false
	}
	if c.Fits != nil && !c.Fits(s) {
		return false
	}
	if c.Kind != KindKernel || !c.Scheme.Valid() {
		return true
	}
	f := c.Scheme
	k := s.N / f.N
	return s.M/f.M == k && s.P/f.P == k
}

// has reports whether c has a multiplication for element type dt.
func (c *Contender) has(dt DType) bool {
	if dt == F32 {
		return c.Mul32 != nil
	}
	return c.Mul64 != nil
}

// GemmContender returns the base contender: blas64.Gemm and blas32.Gemm
// with beta 0, through whichever BLAS implementation is in use.
func GemmContender() Contender {
	return Contender{
		Name: "gemm",
		Kind: KindGemm,
		Mul64: func(c, a, b blas64.General) {
			blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, 0, c)
		},
		Mul32: func(c, a, b blas32.General) {
			blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, 0, c)
		},
	}
}

// StrassenContender returns the Strassen-Winograd baseline with the given
// cut-off (0: DefaultCutoff).
func StrassenContender(cutoff int) Contender {
	s := &Strassen{Cutoff: cutoff}
	return Contender{
		Name:  "strassen-winograd",
		Kind:  KindStrassen,
		Mul64: s.Mul64,
		Mul32: s.Mul32,
	}
}

// NaiveContender returns the i-k-j loop, limited to shapes whose largest
// dimension is at most maxDim (0: no limit).
func NaiveContender(maxDim int) Contender {
	return Contender{Name: "naive", Kind: KindNaive, MaxDim: maxDim, Mul64: Naive64, Mul32: Naive32}
}

// Baselines returns gemm, the Strassen-Winograd baseline and the naive loop,
// in that order.
func Baselines(strassenCutoff, naiveMaxDim int) []Contender {
	return []Contender{GemmContender(), StrassenContender(strassenCutoff), NaiveContender(naiveMaxDim)}
}

func gomaxprocs() int { return runtime.GOMAXPROCS(0) }
