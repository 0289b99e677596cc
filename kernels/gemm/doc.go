// Package gemm is a BLAS whose Level 3 general matrix products, Dgemm and
// Sgemm, are packed and register-blocked in the style of BLIS and
// GotoBLAS, in Go with an AVX2/FMA micro-kernel in assembly. Every other
// BLAS routine is gonum's.
//
// # Use
//
// Implementation satisfies blas.Float64 and blas.Float32, so it plugs into
// gonum's seam:
//
//	blas64.Use(gemm.Implementation{})
//	blas32.Use(gemm.Implementation{})
//
// Package kernels uses it as the leaf of its fast schemes when the
// installed implementation is gonum's and Accelerated reports true.
//
// # Algorithm
//
// C = alpha·op(A)·op(B) + beta·C is computed in three nested blocks. The
// columns of C are cut into slabs of NC columns, the inner dimension into
// slices of KC; for each slice, op(B) is packed into NR-column panels
// (KC×NR, row by row: one micro-kernel step reads NR contiguous values)
// and op(A), scaled by alpha, into MR-row panels of MC-row blocks. The
// micro-kernel multiplies one A panel by one B panel into an MR×NR tile of
// C held in registers: 6×8 for float64 and 6×16 for float32, twelve
// 256-bit FMA accumulators. Tiles on the edges of C go through a small
// buffer, so that the packed panels are padded with zeros and the
// micro-kernel never sees a partial tile.
//
// The blocks of C are computed in parallel on GOMAXPROCS goroutines, as
// gonum's dgemmParallel does: for each slice the packing of B is split
// among the workers, then each worker takes MC-row blocks of C (and,
// when there are fewer blocks than twice the workers, column ranges of
// them), packs its rows of A and runs the micro-kernel. The tasks write
// disjoint parts of C, so there are no locks. Products below 64³
// multiply-adds run on the calling goroutine, and those up to 16³ skip
// packing for a plain loop.
//
// # Build tags and CPUs
//
// The assembly micro-kernels need amd64 with AVX2 and FMA, which
// golang.org/x/sys/cpu checks at run time. Elsewhere, or when built with
// the noasm tag, the same packed algorithm runs a micro-kernel in pure Go,
// which is correct but not faster than gonum's own Dgemm (as fast at 1024,
// 0.4 times at 256: go test -tags noasm -run - -bench Gemm ./kernels/gemm),
// so package kernels keeps gonum's leaves there; Accelerated reports which
// micro-kernel is in use.
//
// # Speed
//
// BenchmarkGemm compares Dgemm and Sgemm with gonum's at sizes 64 to 2048
// (go test -run - -bench Gemm ./kernels/gemm); `alphamat bench kernels`
// times them beside gonum's or OpenBLAS's gemm (contender kernels/gemm;
// see docs/experiments.md, section kernels).
package gemm
