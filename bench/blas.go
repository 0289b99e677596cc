package bench

import (
	"fmt"
	"runtime"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/alphamat/alphamat/kernels"
	"github.com/alphamat/alphamat/kernels/gemm"
)

// BLAS implementations that UseBLAS knows.
const (
	BLASGonum    = "gonum"    // gonum's pure Go (and assembly) BLAS, the default
	BLASPacked   = "packed"   // kernels/gemm: packed, with AVX2/FMA micro-kernels; gonum's for the rest
	BLASOpenBLAS = "openblas" // OpenBLAS through cgo, in binaries built with -tags netlib
)

// UseBLAS switches the BLAS behind blas64 and blas32 (and so behind gemm,
// the Strassen-Winograd baseline and the kernels' leaves) to name, "gonum",
// "packed" or "openblas". With "gonum" the kernels' leaves are still the
// packed kernels/gemm where it has assembly (see kernels.Leaf), while gemm
// is gonum's Dgemm. With threads > 0 it also sets OpenBLAS's own thread count
// (gonum's Dgemm follows GOMAXPROCS). It returns a function that restores
// the previous implementations. Without the netlib build tag, "openblas"
// is an error that says how to build with it.
func UseBLAS(name string, threads int) (restore func(), err error) {
	prev64, prev32 := blas64.Implementation(), blas32.Implementation()
	restore = func() {
		blas64.Use(prev64)
		blas32.Use(prev32)
	}
	switch name {
	case BLASGonum, "":
		blas64.Use(gonum.Implementation{})
		blas32.Use(gonum.Implementation{})
	case BLASPacked:
		blas64.Use(gemm.Implementation{})
		blas32.Use(gemm.Implementation{})
	case BLASOpenBLAS, "netlib":
		if err := useOpenBLAS(threads); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("BLAS %q: want %s, %s or %s", name, BLASGonum, BLASPacked, BLASOpenBLAS)
	}
	return restore, nil
}

// LeafThreads returns the number of threads a product of the float64 leaf
// in use may run on: OpenBLAS's own thread count for OpenBLAS leaves,
// GOMAXPROCS for the Go ones.
func LeafThreads() int {
	if kernels.Leaf() == kernels.LeafOpenBLAS {
		if n := openBLASThreads(); n > 0 {
			return n
		}
	}
	return runtime.GOMAXPROCS(0)
}
