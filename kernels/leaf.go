package kernels

import (
	"reflect"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/alphamat/alphamat/kernels/gemm"
)

// Names of the leaf implementations that have a shipped table.
const (
	LeafGonum    = "gonum"    // gonum.org/v1/gonum/blas/gonum, without the packed leaf
	LeafPacked   = "packed"   // kernels/gemm with its assembly micro-kernels
	LeafOpenBLAS = "openblas" // gonum.org/v1/netlib/blas/netlib (cgo, OpenBLAS)
)

// Leaf returns the name of the implementation that computes the float64
// leaves (base-case products) of every kernel, and the one its tables are
// keyed by. It follows blas64.Implementation: gonum's own implementation,
// the default, is replaced by the packed kernels/gemm when that runs its
// assembly micro-kernels (LeafPacked); otherwise gonum's is used
// (LeafGonum). netlib's is LeafOpenBLAS, kernels/gemm's LeafPacked (or
// "packed-go" without assembly), and any other implementation is named by
// its Go type, such as "example.com/blas.Impl".
func Leaf() string { return leafName(blas64.Implementation()) }

// Leaf32 is Leaf for the float32 leaves and blas32.Implementation.
func Leaf32() string { return leafName(blas32.Implementation()) }

func leafName(impl any) string {
	switch impl.(type) {
	case gonum.Implementation, *gonum.Implementation:
		if gemm.Accelerated() {
			return LeafPacked
		}
		return LeafGonum
	case gemm.Implementation, *gemm.Implementation:
		if gemm.Accelerated() {
			return LeafPacked
		}
		return "packed-go"
	}
	t := reflect.TypeOf(impl)
	if t == nil {
		return "nil"
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.PkgPath() == "gonum.org/v1/netlib/blas/netlib" && t.Name() == "Implementation" {
		return LeafOpenBLAS
	}
	return t.PkgPath() + "." + t.Name()
}

// leaf64 returns the float64 base case: the packed Dgemm in place of
// gonum's (see Leaf), the installed implementation otherwise.
func leaf64() func(alpha float64, a, b view[float64], beta float64, c view[float64]) {
	if _, ok := blas64.Implementation().(gonum.Implementation); ok && gemm.Accelerated() {
		return gemmPacked64
	}
	return gemm64
}

// leaf32 is leaf64 for float32.
func leaf32() func(alpha float32, a, b view[float32], beta float32, c view[float32]) {
	if _, ok := blas32.Implementation().(gonum.Implementation); ok && gemm.Accelerated() {
		return gemmPacked32
	}
	return gemm32
}

func gemmPacked64(alpha float64, a, b view[float64], beta float64, c view[float64]) {
	gemm.Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, a.rows, b.cols, a.cols, alpha,
		a.data, a.stride, b.data, b.stride, beta, c.data, c.stride)
}

func gemmPacked32(alpha float32, a, b view[float32], beta float32, c view[float32]) {
	gemm.Implementation{}.Sgemm(blas.NoTrans, blas.NoTrans, a.rows, b.cols, a.cols, alpha,
		a.data, a.stride, b.data, b.stride, beta, c.data, c.stride)
}
