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
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "shape\tdtype\tcontender\treps\tmedian\tmin\tGFLOPS\tvs gemm\tmax rel err\tcheck\t\n")
	for _, row := range r.Rows {
		check := "ok"
		if row.Wrong {
			check = "WRONG: " + row.Err
		}
		fmt.Fprintf(tw, "%v\t%s\t%s\t%d\t%s\t%s\t%.2f\t%.3f\t%s\t%s\t\n",
			row.Shape, row.DType, row.Contender, row.Reps,
			fmtSec(row.MedianSec), fmtSec(row.MinSec), row.GFLOPS, row.Speedup,
			fmtErr(row.MaxRelErr), check)
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

func fmtErr(e float64) string {
	if e == math.MaxFloat64 {
		return "NaN/Inf"
	}
	return fmt.Sprintf("%.2e", e)
}
