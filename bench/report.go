package bench

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/alphamat/alphamat/tensorgame"
)

// WriteKernelReport writes report.md and its PNG plots into dir (made if
// missing): the run's settings, the best kernel at each square size, wrong
// contenders, the largest relative error of each contender, crossovers when
// measured, the full table, and plots over the square shapes of effective
// GFLOPS and of the speed-up over gemm (the median of the per-round
// speed-ups) against n, one pair per element type and number of kernel
// levels (gflops_f64_L2.png, speedup_f64_L2.png; L0 when there are no
// kernels), each with the baselines. command is quoted in
// the report as the command line that made it. It returns the paths written.
func WriteKernelReport(dir string, r *KernelReport, command string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var written, plots []string
	n := axis{label: "n (n×n×n product)", log: true}
	for _, dt := range reportDTypes(r) {
		for _, level := range reportLevels(r) {
			keep := func(k KernelRow) bool { return k.Kind != KindKernel || k.Levels == level }
			gs := squareSeries(r.Rows, dt, keep, func(k KernelRow) float64 { return k.GFLOPS })
			if !hasKernel(r.Rows, dt, level) || len(gs) == 0 {
				continue
			}
			ss := squareSeries(r.Rows, dt, keep, func(k KernelRow) float64 { return k.pairedSpeedup() })
			what := fmt.Sprintf("%s, kernels at %d level(s), BLAS %s, GOMAXPROCS %d", dt, level, r.BLAS, r.GOMAXPROCS)
			switch {
			case level == 0 && hasKernelRows(r.Rows, dt):
				// The kernels of a leaf sweep (Tune with Leaves), whose
				// depth grows with n.
				what = fmt.Sprintf("%s, kernels down to their leaf size, BLAS %s, GOMAXPROCS %d", dt, r.BLAS, r.GOMAXPROCS)
			case level == 0:
				what = fmt.Sprintf("%s, baselines, BLAS %s, GOMAXPROCS %d", dt, r.BLAS, r.GOMAXPROCS)
			}
			for _, pl := range []struct {
				name, title, y string
				s              []series
			}{
				{fmt.Sprintf("gflops_%s_L%d.png", dt, level), "Effective GFLOPS (2n³/t): " + what, "GFLOPS", gs},
				{fmt.Sprintf("speedup_%s_L%d.png", dt, level), "Speed-up over gemm (median of t_gemm/t per round): " + what, "speed-up", ss},
			} {
				p, err := linePlot(pl.title, n, axis{label: pl.y, zero: true}, pl.s)
				if err != nil {
					return written, err
				}
				path := filepath.Join(dir, pl.name)
				if err := savePNG(path, p); err != nil {
					return written, err
				}
				written = append(written, path)
				plots = append(plots, pl.name)
			}
		}
	}
	path := filepath.Join(dir, "report.md")
	err := tensorgame.AtomicWrite(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		writeKernelMarkdown(bw, r, command, plots)
		return bw.Flush()
	})
	if err != nil {
		return written, err
	}
	return append(written, path), nil
}

// reportLevels returns the kernel levels of r's rows in increasing order, or
// [0] when r has no kernel rows.
func reportLevels(r *KernelReport) []int {
	var out []int
	for _, row := range r.Rows {
		if row.Kind == KindKernel && !slices.Contains(out, row.Levels) {
			out = append(out, row.Levels)
		}
	}
	if len(out) == 0 {
		return []int{0}
	}
	slices.Sort(out)
	return out
}

// hasKernel reports whether rows hold a kernel at level levels on a square
// shape in element type dt (always true for level 0, the baselines alone).
// hasKernelRows reports whether rows hold a kernel of element type dt.
func hasKernelRows(rows []KernelRow, dt DType) bool {
	return slices.ContainsFunc(rows, func(r KernelRow) bool { return r.Kind == KindKernel && r.DType == dt })
}

func hasKernel(rows []KernelRow, dt DType, level int) bool {
	if level == 0 {
		return true
	}
	for _, r := range rows {
		if r.Kind == KindKernel && r.Levels == level && r.DType == dt && r.Shape.IsSquare() {
			return true
		}
	}
	return false
}

func reportDTypes(r *KernelReport) []DType {
	var out []DType
	for _, row := range r.Rows {
		if !slices.Contains(out, row.DType) {
			out = append(out, row.DType)
		}
	}
	return out
}

func writeKernelMarkdown(w io.Writer, r *KernelReport, command string, plots []string) {
	fmt.Fprintf(w, "# alphamat kernel benchmark\n\n")
	if command != "" {
		fmt.Fprintf(w, "Command: `%s`\n\n", command)
	}
	fmt.Fprintf(w, "Started %s; %s %s/%s, %d CPUs, GOMAXPROCS %d; BLAS under gemm: %s; "+
		"%d warm-up and %d timed calls per contender, interleaved; seed %d.\n\n",
		r.Started.Format("2006-01-02 15:04 MST"), r.GoVersion, r.GOOS, r.GOARCH, r.NumCPU, r.GOMAXPROCS,
		r.BLAS, r.Warmup, r.Reps, r.Seed)
	fmt.Fprintf(w, "%s.\n\n", r.Setup())
	fmt.Fprintf(w, "Effective GFLOPS = 2·n·m·p / median time. Speed-up = median time of gemm "+
		"(blas64/blas32 Gemm) in the same run / median time. Every product is checked against "+
		"blas64.Gemm in float64; max rel err = max|C − Cref| / max|Cref| over all calls "+
		"(tolerance %.0e for f64, %.0e for f32).\n\n", r.Tol64, r.Tol32)

	fmt.Fprintf(w, "## Best kernel at each shape\n\n")
	fmt.Fprintf(w, "Speed-ups over gemm: the median of the per-round speed-ups (see Rounds below); kernels.Mul is the library's choice from its table for the leaf.\n\n")
	fmt.Fprintf(w, "| shape | dtype | gemm GFLOPS | Strassen-Winograd baseline | kernels.Mul | best kernel | its speed-up |\n|---|---|---|---|---|---|---|\n")
	for _, b := range bestKernels(r.Rows) {
		fmt.Fprintf(w, "| %v | %s | %.2f | %s | %s | %s | %s |\n", b.shape, b.dtype, b.gemm,
			fmtSpeedup(b.strassen), fmtSpeedup(b.library), orDash(b.best), fmtSpeedup(b.speedup))
	}
	fmt.Fprintln(w)

	writeTargets(w, r)

	wrong := r.Wrong()
	fmt.Fprintf(w, "## Wrong products\n\n")
	if len(wrong) == 0 {
		fmt.Fprintf(w, "None: every contender's product agreed with gemm within the tolerance.\n\n")
	} else {
		for _, row := range wrong {
			fmt.Fprintf(w, "- **%s** at %v %s: %s\n", row.Contender, row.Shape, row.DType, row.Err)
		}
		fmt.Fprintln(w)
	}

	fmt.Fprintf(w, "## Largest relative error of each contender\n\n")
	fmt.Fprintf(w, "| contender | scheme | levels | f64 | f32 |\n|---|---|---|---|---|\n")
	for _, e := range maxErrors(r.Rows) {
		fmt.Fprintf(w, "| %s | %s | %d | %s | %s |\n", e.name, orDash(e.scheme), e.levels, fmtErrCell(e.f64), fmtErrCell(e.f32))
	}
	fmt.Fprintln(w)

	if len(r.Crossovers) > 0 {
		fmt.Fprintf(w, "## Crossover sizes (one level over gemm, or recursing to the leaf size)\n\n")
		fmt.Fprintf(w, "| plan | scheme | leaf | dtype | crossover | measured (size: speed-up) |\n|---|---|---|---|---|---|\n")
		for _, c := range r.Crossovers {
			var pts []string
			for i, n := range c.Sizes {
				pts = append(pts, fmt.Sprintf("%d: %.2f", n, c.Speedups[i]))
			}
			size := "never"
			if c.Size > 0 {
				size = fmt.Sprint(c.Size)
			}
			leaf := "one level"
			if c.Leaf > 0 {
				leaf = fmt.Sprint(c.Leaf)
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", c.Plan, c.Scheme, leaf, c.DType, size, strings.Join(pts, ", "))
		}
		fmt.Fprintln(w)
	}

	fmt.Fprintf(w, "## All measurements\n\n")
	fmt.Fprintf(w, "Rounds: the median, smallest and largest speed-up over gemm in a single round (gemm's time in the round over the contender's; each round calls every contender once).\n\n")
	fmt.Fprintf(w, "CPU vs gemm: gemm's median process CPU time (all threads) over the contender's; it counts work, not waiting for a core.\n\n")
	fmt.Fprintf(w, "| shape | dtype | contender | reps | median | min | GFLOPS | vs gemm | rounds | cpu vs gemm | max rel err | check |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, row := range r.Rows {
		check := "ok"
		if row.Wrong {
			check = "**WRONG**: " + row.Err
		}
		fmt.Fprintf(w, "| %v | %s | %s | %d | %s | %s | %.2f | %.3f | %s | %s | %s | %s |\n",
			row.Shape, row.DType, row.Contender, row.Reps, fmtSec(row.MedianSec), fmtSec(row.MinSec),
			row.GFLOPS, row.Speedup, fmtRounds(row), fmtCPU(row), fmtErr(row.MaxRelErr), check)
	}
	fmt.Fprintln(w)

	if len(plots) > 0 {
		fmt.Fprintf(w, "## Plots\n\n")
		for _, p := range plots {
			fmt.Fprintf(w, "![%s](%s)\n\n", strings.TrimSuffix(p, ".png"), p)
		}
	}
}

// target is a size at which the report states kernels.Mul's speed-up over
// gemm in float64, with the goal for it (0: none).
type target struct {
	blas string
	n    int
	goal float64
}

// targets returns the goals set for kernels.Mul over gemm: 4× over
// gonum's Dgemm at 4096 (pure Go), 1.05× over OpenBLAS at 4096 and 1.15×
// at 8192, and with the packed leaf never below 0.98×.
func targets() []target {
	return []target{
		{BLASGonum, 2048, 0}, {BLASGonum, 4096, 4},
		{BLASPacked, 2048, 0.98}, {BLASPacked, 4096, 0.98}, {BLASPacked, 8192, 0.98},
		{BLASOpenBLAS, 4096, 1.05}, {BLASOpenBLAS, 8192, 1.15},
	}
}

// writeTargets reports the best kernel at the sizes the goals name, when
// the run measured them.
func writeTargets(w io.Writer, r *KernelReport) {
	var lines []string
	for _, t := range targets() {
		if t.blas != r.BLAS {
			continue
		}
		for _, b := range bestKernels(r.Rows) {
			if b.dtype != F64 || b.shape != Square(t.n) {
				continue
			}
			verdict := ""
			if t.goal > 0 {
				verdict = fmt.Sprintf(" (goal ≥ %.2f×: missed)", t.goal)
				if b.library >= t.goal {
					verdict = fmt.Sprintf(" (goal ≥ %.2f×: met)", t.goal)
				}
			}
			lines = append(lines, fmt.Sprintf("- n = %d, f64, BLAS %s, leaf %s: kernels.Mul at %s over gemm%s; best kernel %s at %s\n",
				t.n, r.BLAS, r.Leaf, fmtSpeedup(b.library), verdict, orDash(b.best), fmtSpeedup(b.speedup)))
		}
	}
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(w, "## Targets\n\n%s\n", strings.Join(lines, ""))
}

type best struct {
	shape             Shape
	dtype             DType
	gemm              float64 // GFLOPS
	strassen, speedup float64
	library           float64 // kernels.Mul's speed-up
	best              string
}

// bestKernels returns, for each shape and element type in order, gemm's
// GFLOPS, Strassen's speed-up and the fastest correct kernel.
func bestKernels(rows []KernelRow) []best {
	var out []best
	idx := map[string]int{}
	for _, r := range rows {
		key := r.Shape.String() + string(r.DType)
		i, ok := idx[key]
		if !ok {
			i = len(out)
			idx[key] = i
			out = append(out, best{shape: r.Shape, dtype: r.DType})
		}
		b := &out[i]
		switch {
		case r.Kind == KindGemm:
			b.gemm = r.GFLOPS
		case r.Kind == KindStrassen && !r.Wrong:
			b.strassen = r.pairedSpeedup()
		case r.Kind == KindLibrary && !r.Wrong:
			b.library = r.pairedSpeedup()
			if b.library > b.speedup {
				b.speedup, b.best = b.library, r.Contender
			}
		case (r.Kind == KindKernel || r.Kind == KindLibrary) && !r.Wrong && r.pairedSpeedup() > b.speedup:
			b.speedup, b.best = r.pairedSpeedup(), r.Contender
		}
	}
	return out
}

type errRow struct {
	name, scheme string
	levels       int
	f64, f32     float64 // -1: not measured
}

// maxErrors returns the largest relative error of each contender over all
// shapes, per element type.
func maxErrors(rows []KernelRow) []errRow {
	var out []errRow
	idx := map[string]int{}
	for _, r := range rows {
		i, ok := idx[r.Contender]
		if !ok {
			i = len(out)
			idx[r.Contender] = i
			out = append(out, errRow{name: r.Contender, scheme: r.Scheme, levels: r.Levels, f64: -1, f32: -1})
		}
		e := &out[i]
		if r.DType == F32 {
			e.f32 = max(e.f32, r.MaxRelErr)
		} else {
			e.f64 = max(e.f64, r.MaxRelErr)
		}
	}
	return out
}

func fmtErrCell(e float64) string {
	if e < 0 {
		return "-"
	}
	return fmtErr(e)
}

func fmtSpeedup(s float64) string {
	if s == 0 || math.IsNaN(s) {
		return "-"
	}
	return fmt.Sprintf("%.2f×", s)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
