package alphacmd

import (
	"fmt"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/alphamat/alphamat/bench"
	"github.com/alphamat/alphamat/kernels"
	"github.com/alphamat/alphamat/kernels/gemm"
	"github.com/alphamat/alphamat/tensorgame"
)

// newBenchCmd builds "alphamat bench" and its subcommands.
func newBenchCmd(io *IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Benchmark kernels against gemm and Strassen, and searches against published ranks",
		Long: `bench measures the generated kernels against the naive loop, gonum's (or
OpenBLAS's) gemm and a hand-written Strassen-Winograd baseline, and times
flip-graph searches to the published ranks of small formats.`,
	}
	cmd.AddCommand(newBenchKernelsCmd(io, nil), newBenchSearchCmd(io, nil), newBenchClusterCmd(io, nil))
	return cmd
}

// benchKernelsOptions are the settings of "alphamat bench kernels".
type benchKernelsOptions struct {
	IO *IO

	Sizes          []int // square sizes
	Rect           []int // sizes of the rectangular shapes of non-square schemes
	DTypes         []bench.DType
	Levels         []int
	Kernels        *regexp.Regexp // keeps kernel contenders by name; nil: all
	NaiveMax       int
	Cutoff         int // kernels' cut-off (0: kernels.DefaultCutoff)
	StrassenCutoff int
	Warmup, Reps   int
	Threads        int
	BLAS           string
	Tol64, Tol32   float64
	Seed           uint64
	JSON           bool
	Report         string
	Tune           bool
	TuneSizes      []int
	TuneLeaves     []int // with Tune: leaf sizes to sweep (nil: one level)
	TuneOut        string
	Save           bool   // with Tune: save the table where kernels.Mul finds it
	Workers        int    // kernels' Workers (0: GOMAXPROCS)
	Command        string // the command line, quoted in the report
}

// newBenchKernelsCmd builds "alphamat bench kernels"; runF, when non-nil,
// replaces the run (for tests of flag parsing).
func newBenchKernelsCmd(io *IO, runF func(*benchKernelsOptions) error) *cobra.Command {
	opts := &benchKernelsOptions{IO: io}
	var sizes, rect, dtypes, levels, kernelsRe, tuneSizes, tuneLeaves string
	cmd := &cobra.Command{
		Use:   "kernels",
		Short: "Time the fast kernels against naive, gemm and Strassen-Winograd",
		Long: `kernels times every generated kernel at 1, 2 and 3 levels of recursion, the
naive i-k-j loop, gemm (blas64/blas32 Gemm) and a hand-written Strassen-Winograd
baseline, on square sizes and on rectangular shapes matching each non-square
scheme, in float64 and float32. Calls are interleaved (A B C A B C ...) after
a warm-up so that all contenders see the same load; the table gives the
median and minimum time, the effective GFLOPS 2·n·m·p/t and the speed-up over
gemm measured in the same run. Every product is checked against gemm in
float64: a contender off by more than the tolerance is marked WRONG and the
command exits with status 1.

A kernel at L levels runs only on shapes large enough for L levels above the
kernels' cut-off. --blas openblas (binaries built with -tags netlib) puts
OpenBLAS under gemm, Strassen and the kernels' leaves; --blas packed puts
kernels/gemm there. Unless --blas is packed, kernels/gemm's own Dgemm is
timed too, and with OpenBLAS also kernels.Mul on the pure-Go leaves
(kernels.Mul/pure-go): what a user without cgo gets, in the same run. With --blas gonum, gemm is gonum's Dgemm while the
kernels' leaves are kernels/gemm where it has assembly: the report names the
leaf, its threads, and where kernels.Mul's table came from.

--tune measures instead, for each scheme, one level over gemm at the
--tune-sizes and reports its crossover: the size from which it beats gemm;
with --tune-leaves it measures each scheme recursing down to each of those
leaf sizes (as deep as the blocks stay that large) instead of one level.
Every contender runs in the same rounds as gemm. --tune-out then writes
the selection table kernels.Mul reads: at each size the contender that
beats gemm clearly (median speed-up at least 1.03 and its slowest round
still faster than gemm), gemm where none does; a one-level scheme recurses
down to its crossover, a swept one to its leaf size. --save writes the
table where kernels.Mul finds it for the leaf in use on this machine
(kernels.TablePath). --kernels then filters plan names.`,
		Example: `  alphamat bench kernels --sizes 512,1024 --dtype f64 --kernels 'strassen|4x4x4-r49/'
  alphamat bench kernels --sizes 256..4096 --report bench-report
  alphamat bench kernels --tune --dtype f64,f32 --tune-sizes 512..8192 --save
  alphamat bench kernels --tune --blas packed --tune-out kernels/tables/packed.json
  alphamat bench kernels --tune --blas openblas --workers 1 --tune-sizes 4096,8192 --tune-leaves 512,1024,2048 --kernels '^winograd$'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.Sizes, err = bench.ParseSizes(sizes); err != nil {
				return usageErrorf("--sizes: %v", err)
			}
			switch {
			case !cmd.Flags().Changed("rect"):
				opts.Rect = opts.Sizes
			case strings.TrimSpace(rect) != "":
				if opts.Rect, err = bench.ParseSizes(rect); err != nil {
					return usageErrorf("--rect: %v", err)
				}
			}
			if opts.TuneSizes, err = bench.ParseSizes(tuneSizes); err != nil {
				return usageErrorf("--tune-sizes: %v", err)
			}
			if strings.TrimSpace(tuneLeaves) != "" {
				if !opts.Tune {
					return usageErrorf("--tune-leaves needs --tune")
				}
				if opts.TuneLeaves, err = bench.ParseSizes(tuneLeaves); err != nil {
					return usageErrorf("--tune-leaves: %v", err)
				}
			}
			opts.DTypes = nil
			for _, s := range strings.Split(dtypes, ",") {
				dt, err := bench.ParseDType(strings.TrimSpace(s))
				if err != nil {
					return usageErrorf("--dtype: %v", err)
				}
				opts.DTypes = append(opts.DTypes, dt)
			}
			if opts.Levels, err = benchParseInts(levels); err != nil {
				return usageErrorf("--levels: %v", err)
			}
			if kernelsRe != "" {
				if opts.Kernels, err = regexp.Compile(kernelsRe); err != nil {
					return usageErrorf("--kernels: %v", err)
				}
			}
			if opts.Threads < 0 || opts.Reps < 1 || opts.Warmup < 0 || opts.Cutoff < 0 || opts.Workers < 0 {
				return usageErrorf("--threads, --reps, --warmup, --cutoff and --workers must be at least 0, 1, 0, 0 and 0")
			}
			if opts.Save && !opts.Tune {
				return usageErrorf("--save needs --tune")
			}
			opts.Command = benchCommandLine(cmd)
			if runF != nil {
				return runF(opts)
			}
			return benchKernelsRun(cmd, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&sizes, "sizes", "256..4096", "square sizes n: a list (512,1024) or a doubling range (256..4096)")
	f.StringVar(&rect, "rect", "", "largest dimension of the rectangular shapes timed for each non-square scheme (default: the --sizes; \"\": none)")
	f.StringVar(&dtypes, "dtype", "f64,f32", "element types: f64, f32 or both")
	f.StringVar(&levels, "levels", "1,2,3", "recursion levels to time each kernel at")
	f.StringVar(&kernelsRe, "kernels", "", "regular expression keeping the kernels by name (e.g. 'strassen|4x4x4-r49/L2'; kernels.Mul is the library's default table); baselines always run")
	f.IntVar(&opts.Cutoff, "cutoff", 0, "kernels' cut-off: the smallest block a level may produce (0: the kernels' default); small values let 3 levels run on small sizes, e.g. to measure errors")
	f.IntVar(&opts.NaiveMax, "naive-max", 1024, "largest dimension the naive loop is timed at (0: never)")
	f.IntVar(&opts.StrassenCutoff, "strassen-cutoff", bench.DefaultCutoff, "Strassen-Winograd baseline: multiply by gemm once a dimension is at most this")
	f.IntVar(&opts.Warmup, "warmup", 1, "untimed calls per contender before the timed ones")
	f.IntVar(&opts.Reps, "reps", 5, "timed calls per contender, interleaved")
	f.IntVar(&opts.Threads, "threads", 0, "GOMAXPROCS (and OpenBLAS threads) for the run (0: leave as is)")
	f.StringVar(&opts.BLAS, "blas", bench.BLASGonum, "BLAS under gemm and the leaves: gonum, packed, or openblas (needs a build with -tags netlib)")
	f.IntVar(&opts.Workers, "workers", 0, "kernels' Workers: goroutines running sub-products in parallel (0: GOMAXPROCS; 1: one after the other, the leaves parallel)")
	f.Float64Var(&opts.Tol64, "tol64", bench.DefaultTol64, "largest relative error of a correct float64 product")
	f.Float64Var(&opts.Tol32, "tol32", bench.DefaultTol32, "largest relative error of a correct float32 product")
	f.Uint64Var(&opts.Seed, "seed", 1, "seed of the random matrices")
	f.BoolVar(&opts.JSON, "json", false, "write the results as JSON to stdout instead of a table")
	f.StringVar(&opts.Report, "report", "", "also write report.md and PNG plots into this directory")
	f.BoolVar(&opts.Tune, "tune", false, "measure the crossover size of each scheme (one level over gemm) instead")
	f.StringVar(&opts.TuneOut, "tune-out", "", "with --tune, write the selection table of kernels.Mul (JSON) to this file, e.g. kernels/tables/packed.json")
	f.BoolVar(&opts.Save, "save", false, "with --tune, save the selection table where kernels.Mul finds it for this leaf and machine")
	f.StringVar(&tuneSizes, "tune-sizes", "64,96,128,192,256,384,512,768,1024,1536,2048", "sizes --tune measures at")
	f.StringVar(&tuneLeaves, "tune-leaves", "", "with --tune, leaf sizes (cut-offs) to sweep each scheme over, e.g. 512..4096 (default: one level of each)")
	return cmd
}

// benchCommandLine returns the command and the flags the user set, for the
// report.
func benchCommandLine(cmd *cobra.Command) string {
	out := []string{cmd.CommandPath()}
	cmd.Flags().Visit(func(f *pflag.Flag) {
		v := f.Value.String()
		if v == "" || strings.ContainsAny(v, " |;*?'\"$()<>&") {
			v = strconv.Quote(v)
		}
		out = append(out, "--"+f.Name+"="+v)
	})
	return strings.Join(out, " ")
}

// benchSplitFormats splits a list of formats: by ';', or also by ',' and
// spaces when the formats are written with 'x'.
func benchSplitFormats(s string) []string {
	seps := ";"
	if strings.ContainsAny(s, "xX×") {
		seps = ";, \t"
	}
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) })
}

func benchParseInts(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a list of positive integers", s)
		}
		out = append(out, n)
	}
	return out, nil
}

func benchKernelsRun(cmd *cobra.Command, opts *benchKernelsOptions) error {
	ctx := cmd.Context()
	if opts.Threads > 0 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(opts.Threads))
	}
	restore, err := bench.UseBLAS(opts.BLAS, opts.Threads)
	if err != nil {
		return usageErrorf("--blas: %v", err)
	}
	defer restore()

	var rep *bench.KernelReport
	if opts.Tune {
		var keep func(string) bool
		if opts.Kernels != nil {
			keep = opts.Kernels.MatchString
		}
		_, rep, err = bench.Tune(ctx, bench.TuneConfig{
			Sizes: opts.TuneSizes, DTypes: opts.DTypes, Warmup: opts.Warmup, Reps: opts.Reps,
			Seed: opts.Seed, BLAS: opts.BLAS, Status: opts.IO.ErrOut, Keep: keep, Workers: opts.Workers,
			Leaves: opts.TuneLeaves,
		})
	} else {
		cs := bench.Baselines(opts.StrassenCutoff, opts.NaiveMax)
		if opts.NaiveMax == 0 {
			cs = cs[:2]
		}
		var keep func(string) bool
		if opts.Kernels != nil {
			keep = opts.Kernels.MatchString
		}
		if keep == nil || keep("kernels.Mul") {
			cs = append(cs, bench.LibraryContender())
		}
		if opts.BLAS != bench.BLASPacked && gemm.Accelerated() {
			// What a pure-Go user gets, beside gonum's or OpenBLAS's gemm.
			for _, c := range bench.PureGoContenders(opts.BLAS == bench.BLASOpenBLAS) {
				if keep == nil || keep(c.Name) {
					cs = append(cs, c)
				}
			}
		}
		cs = append(cs, bench.KernelContenders(bench.KernelOptions{Levels: opts.Levels, Cutoff: opts.Cutoff, Workers: opts.Workers, Keep: keep})...)
		shapes := make([]bench.Shape, 0, len(opts.Sizes))
		for _, n := range opts.Sizes {
			shapes = append(shapes, bench.Square(n))
		}
		shapes = append(shapes, bench.RectShapes(cs, opts.Rect)...)
		rep, err = bench.RunKernels(ctx, bench.KernelConfig{
			Shapes: shapes, DTypes: opts.DTypes, Contenders: cs, Warmup: opts.Warmup, Reps: opts.Reps,
			Tol64: opts.Tol64, Tol32: opts.Tol32, Seed: opts.Seed, BLAS: opts.BLAS, Workers: opts.Workers, Status: opts.IO.ErrOut,
		})
	}
	if rep == nil {
		return err
	}
	if rep.TableError != "" {
		fmt.Fprintf(opts.IO.ErrOut, "bench: warning: %s; kernels.Mul uses the %s table\n", rep.TableError, rep.TableSource)
	}
	if werr := benchWriteKernels(opts, rep); werr != nil {
		return werr
	}
	if opts.Tune && (opts.TuneOut != "" || opts.Save) && err == nil {
		table, terr := bench.SelectionTable(rep)
		if terr != nil {
			return terr
		}
		// The table says how it was made: the command line, flags and all.
		table.Comment += "; made by " + opts.Command
		if opts.TuneOut != "" {
			if werr := tensorgame.AtomicWrite(opts.TuneOut, table.Write); werr != nil {
				return werr
			}
			fmt.Fprintf(opts.IO.ErrOut, "bench: wrote the selection table %s\n", opts.TuneOut)
		}
		if opts.Save {
			path, serr := kernels.SaveTable(table)
			if serr != nil {
				return serr
			}
			fmt.Fprintf(opts.IO.ErrOut, "bench: saved the selection table for leaf %s: kernels.Mul reads %s\n", table.Leaf, path)
		}
	}
	if err != nil {
		return err
	}
	if wrong := rep.Wrong(); len(wrong) > 0 {
		for _, r := range wrong {
			fmt.Fprintf(opts.IO.ErrOut, "bench: WRONG: %s at %v %s: %s\n", r.Contender, r.Shape, r.DType, r.Err)
		}
		fmt.Fprintf(opts.IO.ErrOut, "bench: %d wrong products\n", len(wrong))
		return &SilentError{Code: exitFail}
	}
	return nil
}

// benchWriteKernels prints the results (table or JSON) and the report.
func benchWriteKernels(opts *benchKernelsOptions, rep *bench.KernelReport) error {
	var err error
	if opts.JSON {
		err = bench.WriteJSON(opts.IO.Out, rep)
	} else {
		err = bench.WriteTable(opts.IO.Out, rep)
		if err == nil && len(rep.Crossovers) > 0 {
			err = benchWriteCrossovers(opts, rep.Crossovers)
		}
	}
	if err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	if opts.Report != "" {
		paths, err := bench.WriteKernelReport(opts.Report, rep, opts.Command)
		if err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.ErrOut, "bench: wrote %s\n", strings.Join(paths, ", "))
	}
	return nil
}

func benchWriteCrossovers(opts *benchKernelsOptions, cs []bench.Crossover) error {
	fmt.Fprintf(opts.IO.Out, "\ncrossovers (over gemm, one level or recursing to the leaf size; 0: never beat gemm):\n")
	for _, c := range cs {
		fmt.Fprintf(opts.IO.Out, "%-24s %-6s %s %d\n", bench.TuneName(c.Plan, c.Leaf), c.Scheme, c.DType, c.Size)
	}
	return nil
}

// benchSearchOptions are the settings of "alphamat bench search".
type benchSearchOptions struct {
	IO        *IO
	Formats   []tensorgame.Format
	Field     tensorgame.Field
	Target    string
	Seeds     int
	Time      time.Duration
	Workers   []int
	Cyclic    bool
	Transpose bool
	JSON      bool
	Report    string
	Command   string
}

// newBenchSearchCmd builds "alphamat bench search"; runF, when non-nil,
// replaces the run.
func newBenchSearchCmd(io *IO, runF func(*benchSearchOptions) error) *cobra.Command {
	opts := &benchSearchOptions{IO: io}
	var formats, field, workers string
	cmd := &cobra.Command{
		Use:   "search",
		Short: "Time flip-graph searches to the published ranks of small formats",
		Long: `search runs the flip-graph search on each format once per seed, from the
standard algorithm, until it reaches the target rank or its time is up, and
reports the time to target (median, min, max over the seeds), flips per
second and the best rank found, next to the published ranks. The default
target is the best rank known before AlphaTensor (3x3x3: 23, 4x4x4: 49).

With several walker counts (--workers 1,2,4,8,16) every format and seed
runs once per count, and the table adds the speedups over the fewest
walkers: of the median time to target and of flips per second; --report
then also plots them against walkers (search_scaling.png). That is how the
search scales with cores, measured.`,
		Example: `  alphamat bench search --formats 3x3x3,4x4x4 --seeds 5 --time 2m
  alphamat bench search --target best --field Z2 --report search-report
  alphamat bench search --formats 3x4x4,4x4x4 --workers 1,2,4,8,16 --seeds 5 --report scaling`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Formats = nil
			if strings.TrimSpace(formats) != "" {
				for _, s := range benchSplitFormats(formats) {
					f, err := tensorgame.ParseFormat(s)
					if err != nil {
						return usageErrorf("--formats: %v", err)
					}
					opts.Formats = append(opts.Formats, f)
				}
			}
			var err error
			if opts.Field, err = tensorgame.ParseField(field); err != nil {
				return usageErrorf("--field: %v", err)
			}
			if opts.Seeds < 1 || opts.Time <= 0 {
				return usageErrorf("--seeds and --time must be positive")
			}
			opts.Workers = nil
			if w := strings.TrimSpace(workers); w != "" && w != "0" {
				if opts.Workers, err = benchParseInts(w); err != nil {
					return usageErrorf("--workers: %v", err)
				}
				for _, n := range opts.Workers {
					if err := checkWorkers("bench search", "--workers", n); err != nil {
						return err
					}
				}
			}
			opts.Command = benchCommandLine(cmd)
			if runF != nil {
				return runF(opts)
			}
			return benchSearchRun(cmd, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&formats, "formats", "", "formats, e.g. 3x3x3,4x4x4 (default 2x2x2,2x2x3,2x2x4,2x3x3,2x3x4,3x3x3,3x3x4,4x4x4)")
	f.StringVar(&field, "field", "Z2", "field of the search: Z2 or Z")
	f.StringVar(&opts.Target, "target", bench.TargetPrior, "rank to reach: prior (best known before AlphaTensor), best (best known today) or a number")
	f.IntVar(&opts.Seeds, "seeds", 3, "runs per format")
	f.DurationVar(&opts.Time, "time", time.Minute, "time limit of each run")
	f.StringVar(&workers, "workers", "0", "walkers per run (0: GOMAXPROCS; at most 64 per CPU), or several counts like 1,2,4,8 to measure scaling")
	f.BoolVar(&opts.Cyclic, "cyclic", false, "add cyclic-symmetric walkers on square formats (see alphamat search --cyclic)")
	f.BoolVar(&opts.Transpose, "transpose", false, "add transpose-symmetric walkers on formats with two equal sizes (see alphamat search --transpose)")
	f.BoolVar(&opts.JSON, "json", false, "write the results as JSON to stdout instead of a table")
	f.StringVar(&opts.Report, "report", "", "also write report.md and a rank-vs-time plot per format into this directory")
	return cmd
}

func benchSearchRun(cmd *cobra.Command, opts *benchSearchOptions) error {
	rep, err := bench.RunSearches(cmd.Context(), bench.SearchConfig{
		Formats: opts.Formats, Field: opts.Field, Target: opts.Target, Seeds: opts.Seeds,
		Time: opts.Time, Workers: opts.Workers, Cyclic: opts.Cyclic, Transpose: opts.Transpose, Status: opts.IO.ErrOut,
	})
	if rep == nil || len(rep.Rows) == 0 {
		return err
	}
	var werr error
	if opts.JSON {
		werr = bench.WriteJSON(opts.IO.Out, rep)
	} else {
		werr = bench.WriteSearchTable(opts.IO.Out, rep)
	}
	if werr != nil {
		return fmt.Errorf("write results: %w", werr)
	}
	if opts.Report != "" {
		paths, werr := bench.WriteSearchReport(opts.Report, rep, opts.Command)
		if werr != nil {
			return werr
		}
		fmt.Fprintf(opts.IO.ErrOut, "bench: wrote %s\n", strings.Join(paths, ", "))
	}
	return err
}
