//go:build netlib

package bench

// #cgo LDFLAGS: -lopenblas
// void openblas_set_num_threads(int);
// int openblas_get_num_threads(void);
import "C"

import (
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

// OpenBLASAvailable reports whether this binary was built with the netlib
// tag, so that UseBLAS("openblas") works.
const OpenBLASAvailable = true

func useOpenBLAS(threads int) error {
	if threads > 0 {
		C.openblas_set_num_threads(C.int(threads))
	}
	blas64.Use(netlib.Implementation{})
	blas32.Use(netlib.Implementation{})
	return nil
}

func openBLASThreads() int { return int(C.openblas_get_num_threads()) }
