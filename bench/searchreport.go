package bench

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"

	"github.com/alphamat/alphamat/tensorgame"
)

// WriteSearchTable writes one line per format: the target and published
// ranks, how many runs reached the target, the time to target (median, min,
// max; "-" for runs that did not reach it), flips per second and the best
// rank found.
func WriteSearchTable(w io.Writer, r *SearchReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "format\ttarget\tprior\tAlphaTensor\tbest known\treached\tmedian\tmin\tmax\tflips/s\tbest found\t\n")
	for _, row := range r.Rows {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%d/%d\t%s\t%s\t%s\t%.3g\t%d\t\n",
			row.Format, row.Target, rankCell(row.Prior), rankCell(row.AlphaTensor), rankCell(row.BestKnown),
			row.Reached, len(row.Runs), reachCell(row.MedianS), reachCell(row.MinS), reachCell(row.MaxS),
			row.FlipsPerSec, row.Best)
	}
	return tw.Flush()
}

func rankCell(r int) string {
	if r == 0 {
		return "-"
	}
	return fmt.Sprint(r)
}

func reachCell(s float64) string {
	if s < 0 {
		return "-"
	}
	return fmtSec(s)
}

// WriteSearchReport writes report.md and, per format, a plot of the best
// rank against time for every run (search_<format>.png) into dir, made if
// missing. It returns the paths written.
func WriteSearchReport(dir string, r *SearchReport, command string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var written, plots []string
	for _, row := range r.Rows {
		p, err := rankPlot(row, r.Field)
		if err != nil {
			return written, err
		}
		name := "search_" + row.Format + ".png"
		path := filepath.Join(dir, name)
		if err := savePNG(path, p); err != nil {
			return written, err
		}
		written = append(written, path)
		plots = append(plots, name)
	}
	path := filepath.Join(dir, "report.md")
	err := tensorgame.AtomicWrite(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprintf(bw, "# alphamat search benchmark\n\n")
		if command != "" {
			fmt.Fprintf(bw, "Command: `%s`\n\n", command)
		}
		fmt.Fprintf(bw, "Started %s; field %s; target %s; %d seeds per format, %s per run; "+
			"workers %d (0: GOMAXPROCS), GOMAXPROCS %d. Each run starts from the standard algorithm. "+
			"Times are to the target rank; a run that missed it counts as slower than all others.\n\n",
			r.Started.Format("2006-01-02 15:04 MST"), r.Field, r.Target, r.Seeds, fmtSec(r.TimeLimitS),
			r.Workers, r.GOMAXPROCS)
		fmt.Fprintf(bw, "| format | target | prior | AlphaTensor | best known | reached | median | min | max | flips/s | best found | source |\n")
		fmt.Fprintf(bw, "|---|---|---|---|---|---|---|---|---|---|---|---|\n")
		for _, row := range r.Rows {
			fmt.Fprintf(bw, "| %s | %d | %s | %s | %s | %d/%d | %s | %s | %s | %.3g | %d | %s |\n",
				row.Format, row.Target, rankCell(row.Prior), rankCell(row.AlphaTensor), rankCell(row.BestKnown),
				row.Reached, len(row.Runs), reachCell(row.MedianS), reachCell(row.MinS), reachCell(row.MaxS),
				row.FlipsPerSec, row.Best, orDash(row.Source))
		}
		fmt.Fprintln(bw)
		for _, p := range plots {
			fmt.Fprintf(bw, "![%s](%s)\n\n", p[:len(p)-len(".png")], p)
		}
		return bw.Flush()
	})
	if err != nil {
		return written, err
	}
	return append(written, path), nil
}

// rankPlot draws the best rank against time of every run of row, as steps,
// with the target and the best known rank as horizontal lines.
func rankPlot(row SearchRow, field string) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s over %s: best rank vs time", row.Format, field)
	p.X.Label.Text = "seconds"
	p.Y.Label.Text = "rank"
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	var end float64
	for _, run := range row.Runs {
		end = max(end, run.ElapsedS)
	}
	if end == 0 {
		end = 1
	}
	for i, run := range row.Runs {
		var xy plotter.XYs
		for _, t := range run.Trace {
			xy = append(xy, plotter.XY{X: t.S, Y: float64(t.Rank)})
		}
		if len(xy) == 0 {
			continue
		}
		xy = append(xy, plotter.XY{X: max(run.ElapsedS, xy[len(xy)-1].X), Y: xy[len(xy)-1].Y})
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, fmt.Errorf("plot %s seed %d: %w", row.Format, run.Seed, err)
		}
		l.StepStyle = plotter.PostStep
		l.Color = plotutil.Color(i)
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("seed %d", run.Seed), l)
	}
	for i, h := range []struct {
		name string
		rank int
	}{{"target", row.Target}, {"best known", row.BestKnown}} {
		if h.rank == 0 || (i == 1 && h.rank == row.Target) {
			continue
		}
		l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: float64(h.rank)}, {X: end, Y: float64(h.rank)}})
		if err != nil {
			return nil, err
		}
		l.Dashes = plotutil.Dashes(i + 1)
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("%s %d", h.name, h.rank), l)
	}
	return p, nil
}
