package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"text/tabwriter"
)

// WriteTable writes the rows of r as an aligned text table, one line per
// contender, shape and element type, with wrong rows marked "WRONG".
func WriteTable(w io.Writer, r *KernelReport) error {
	fmt.Fprintf(w, "%s\n", r.Setup())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "shape\tdtype\tcontender\treps\tmedian\tmin\tGFLOPS\tvs gemm\trounds\tcpu vs gemm\tmax rel err\tcheck\t\n")
	for _, row := range r.Rows {
		check := "ok"
		if row.Wrong {
			check = "WRONG: " + row.Err
		}
		fmt.Fprintf(tw, "%v\t%s\t%s\t%d\t%s\t%s\t%.2f\t%.3f\t%s\t%s\t%s\t%s\t\n",
			row.Shape, row.DType, row.Contender, row.Reps,
			fmtSec(row.MedianSec), fmtSec(row.MinSec), row.GFLOPS, row.Speedup,
			fmtRounds(row), fmtCPU(row), fmtErr(row.MaxRelErr), check)
	}
	return tw.Flush()
}

// WriteJSON writes r as indented JSON.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func fmtSec(s float64) string {
	switch {
	case s == 0:
		return "-"
	case s < 1e-3:
		return fmt.Sprintf("%.1fµs", s*1e6)
	case s < 1:
		return fmt.Sprintf("%.2fms", s*1e3)
	}
	return fmt.Sprintf("%.3fs", s)
}

// fmtRounds formats the per-round speed-ups of row as "median (low-high)",
// "-" when there are none.
func fmtRounds(row KernelRow) string {
	if row.RoundSpeedup == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f (%.2f-%.2f)", row.RoundSpeedup, row.SpeedupLow, row.SpeedupHigh)
}

// fmtCPU formats the CPU-time speed-up of row, "-" when there is none.
func fmtCPU(row KernelRow) string {
	if row.CPUSpeedup == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f", row.CPUSpeedup)
}

func fmtErr(e float64) string {
	if e == math.MaxFloat64 {
		return "NaN/Inf"
	}
	return fmt.Sprintf("%.2e", e)
}

// Setup returns one line saying what ran under the products: the BLAS of
// gemm, the kernels' leaves and their threads, the workers, and where
// kernels.Mul's table came from.
func (r *KernelReport) Setup() string {
	workers := "GOMAXPROCS"
	if r.Workers > 0 {
		workers = fmt.Sprint(r.Workers)
	}
	leaf := r.Leaf
	if r.Leaf32 != r.Leaf {
		leaf += " (float32: " + r.Leaf32 + ")"
	}
	s := fmt.Sprintf("gemm: %s BLAS; kernels' leaves: %s on %d threads; kernels' workers: %s; GOMAXPROCS %d; kernels.Mul table: %s",
		r.BLAS, leaf, r.LeafThreads, workers, r.GOMAXPROCS, r.TableSource)
	if r.TableError != "" {
		s += " (user table ignored: " + r.TableError + ")"
	}
	if r.LoadStart > 0 || r.LoadEnd > 0 {
		s += fmt.Sprintf("; load average %.2f at the start, %.2f at the end", r.LoadStart, r.LoadEnd)
	}
	return s
}
