// Package bench measures kernels against naive, Strassen-Winograd and gonum
// Dgemm baselines, and searches against published ranks. It backs
// `alphamat bench kernels` and `alphamat bench search`.
//
// # Kernels
//
// [RunKernels] times a list of [Contender] values on a list of shapes, in
// float64 and float32: the naive i-k-j loop ([Naive64]), gemm (blas64.Gemm
// and blas32.Gemm: the base of every ratio), the hand-written
// Strassen-Winograd baseline ([Strassen]: recursive, a cut-off to Gemm, odd
// sizes peeled, never padded) and every generated kernel of package kernels
// at 1, 2 and 3 levels ([KernelContenders]). After a warm-up the calls are
// interleaved, A B C A B C ..., so that all contenders see the same machine
// load; each row of the [KernelReport] gives the median and minimum time,
// the effective GFLOPS 2·n·m·p/t and the speed-up over gemm measured in the
// same run, as a ratio of medians, as the median and range of the
// per-round ratios (calls seconds apart, which a drifting load touches
// alike) and as a ratio of process CPU times; the report gives the load
// average at the start and the end.
//
// Every product is checked while it is timed: C is filled with NaN before
// each call and compared after it with blas64.Gemm's product of the same
// inputs in float64. A contender whose relative error max|C − Cref| /
// max|Cref| exceeds the tolerance, that leaves an entry unset, or that
// panics is marked wrong: a wrong fast kernel is not a fast kernel.
// [WriteTable], [WriteJSON] and [WriteKernelReport] (report.md and PNG
// plots drawn with gonum.org/v1/plot) present the results. [Tune] measures
// the crossover size of each scheme: the size from which one level of it
// beats gemm.
//
// Timing belongs to commands and to `go test -bench`, never to tests: the
// Benchmark functions of this package print one benchstat line per
// contender and shape.
//
// # OpenBLAS
//
// By default gemm and the kernels' leaves run gonum's BLAS. Built with the
// netlib tag, [UseBLAS]("openblas", threads) switches blas64 and blas32 to
// OpenBLAS through cgo (gonum.org/v1/netlib), under gemm, the
// Strassen-Winograd baseline and the kernels alike. To install and build
// (Debian; the netlib tag links -lopenblas itself, so no CGO_LDFLAGS are
// needed):
//
//	apt-get update && apt-get install -y libopenblas-dev
//	go build -tags netlib -o alphamat ./cmd/alphamat
//	./alphamat bench kernels --blas openblas --sizes 1024..8192 --dtype f64
//
// and to test that build:
//
//	go test -tags netlib ./bench/... ./internal/alphacmd/...
//
// Without the tag, --blas openblas fails with an error saying how to build
// with it.
//
// # Searches
//
// [RunSearches] runs the flip-graph search (package search) on small formats
// once per seed and reports the time to reach a target rank (median, min,
// max), flips per second and the best rank found, next to the published
// ranks of package ranks; [WriteSearchReport] adds a plot of the best rank
// against time for every run. With several walker counts
// (SearchConfig.Workers) every format and seed runs once per count, and
// [SearchReport.Speedups] says how the search scales with cores: the
// speedups of the median time to target and of flips per second over the
// fewest walkers, which WriteSearchReport also plots.
//
// # Errors
//
// Caller bugs (mismatched or malformed matrices) panic with an [Error]
// whose text starts with "bench:". Bad configurations and I/O failures are
// returned as errors.
package bench
