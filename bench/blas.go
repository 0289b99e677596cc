package bench

import (
	"fmt"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// BLAS implementations that UseBLAS knows.
const (
	BLASGonum    = "gonum"    // gonum's pure Go (and assembly) BLAS, the default
	BLASOpenBLAS = "openblas" // OpenBLAS through cgo, in binaries built with -tags netlib
)

// UseBLAS switches the BLAS behind blas64 and blas32 (and so behind gemm,
// the Strassen-Winograd baseline and the kernels' leaves) to name, "gonum"
// or "openblas". With threads > 0 it also sets OpenBLAS's own thread count
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
	case BLASOpenBLAS, "netlib":
		if err := useOpenBLAS(threads); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("BLAS %q: want %s or %s", name, BLASGonum, BLASOpenBLAS)
	}
	return restore, nil
}
