//go:build !netlib

package bench

import "errors"

// OpenBLASAvailable reports whether this binary was built with the netlib
// tag, so that UseBLAS("openblas") works.
const OpenBLASAvailable = false

// errNoNetlib explains how to get OpenBLAS leaves.
var errNoNetlib = errors.New(`BLAS "openblas": this binary was built without OpenBLAS; install it and rebuild with the netlib tag:
	apt-get install -y libopenblas-dev
	go build -tags netlib ./cmd/alphamat`)

func useOpenBLAS(int) error { return errNoNetlib }

func openBLASThreads() int { return 0 }
