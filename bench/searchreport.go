package bench

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"

	"github.com/alphamat/alphamat/tensorgame"
)

// WriteSearchTable writes one line per format and walker count: the target
// and published ranks, how many runs reached the target, the time to
// target (median, min, max; "-" for runs that did not reach it), flips per
// second and the best rank found; with several walker counts also the
// speedups (see Speedups).
func WriteSearchTable(w io.Writer, r *SearchReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head, rows := r.table()
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, cells := range rows {
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	return tw.Flush()
}

// table returns the header and the cells of each row of the search table:
// the columns WriteSearchTable writes, and report.md with a source column.
func (r *SearchReport) table() (head []string, rows [][]string) {
	sp := r.Speedups()
	head = []string{"format", "workers", "target", "prior", "AlphaTensor", "best known", "reached", "median", "min", "max", "flips/s", "best found"}
	if sp != nil {
		head = append(head, "time speedup", "flips/s speedup")
	}
	for i, row := range r.Rows {
		cells := []string{row.Format, fmt.Sprint(r.walkers(row)), fmt.Sprint(row.Target),
			rankCell(row.Prior), rankCell(row.AlphaTensor), rankCell(row.BestKnown),
			fmt.Sprintf("%d/%d", row.Reached, len(row.Runs)), reachCell(row.MedianS), reachCell(row.MinS), reachCell(row.MaxS),
			fmt.Sprintf("%.3g", row.FlipsPerSec), fmt.Sprint(row.Best)}
		if sp != nil {
			cells = append(cells, speedupCell(sp[i].Time), speedupCell(sp[i].Flips))
		}
		rows = append(rows, cells)
	}
	return head, rows
}

// Speedup is how a row of a search benchmark compares with the row of the
// same format with the fewest walkers: the ratio of their median times to
// target (0 when either median missed the target) and of their flips per
// second.
type Speedup struct {
	Time  float64 `json:"time"`
	Flips float64 `json:"flips_per_s"`
}

// Speedups returns, for each row of r, its Speedup; nil when r has one
// walker count.
func (r *SearchReport) Speedups() []Speedup {
	if len(r.Workers) < 2 {
		return nil
	}
	base := map[string]SearchRow{}
	for _, row := range r.Rows {
		if b, ok := base[row.Format]; !ok || r.walkers(row) < r.walkers(b) {
			base[row.Format] = row
		}
	}
	out := make([]Speedup, len(r.Rows))
	for i, row := range r.Rows {
		b := base[row.Format]
		if b.MedianS > 0 && row.MedianS > 0 {
			out[i].Time = b.MedianS / row.MedianS
		}
		if b.FlipsPerSec > 0 {
			out[i].Flips = row.FlipsPerSec / b.FlipsPerSec
		}
	}
	return out
}

// walkers returns the walkers of row's runs, GOMAXPROCS for 0.
func (r *SearchReport) walkers(row SearchRow) int {
	if row.Workers == 0 {
		return r.GOMAXPROCS
	}
	return row.Workers
}

func speedupCell(x float64) string {
	if x == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", x)
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

// WriteSearchReport writes report.md and, per row, a plot of the best rank
// against time for every run (search_<format>.png, or
// search_<format>_w<workers>.png with several walker counts) into dir,
// made if missing; with several walker counts also search_scaling.png, the
// speedups against walkers (see Speedups). It returns the paths written.
func WriteSearchReport(dir string, r *SearchReport, command string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	sp := r.Speedups()
	var written, plots []string
	save := func(name string, p *plot.Plot) error {
		path := filepath.Join(dir, name)
		if err := savePNG(path, p); err != nil {
			return err
		}
		written = append(written, path)
		plots = append(plots, name)
		return nil
	}
	if sp != nil {
		p, err := scalingPlot(r, sp)
		if err != nil {
			return written, err
		}
		if err := save("search_scaling.png", p); err != nil {
			return written, err
		}
	}
	for _, row := range r.Rows {
		p, err := rankPlot(row, r.Field)
		if err != nil {
			return written, err
		}
		name := "search_" + row.Format + ".png"
		if sp != nil {
			name = fmt.Sprintf("search_%s_w%d.png", row.Format, r.walkers(row))
			p.Title.Text += fmt.Sprintf(", %d workers", r.walkers(row))
		}
		if err := save(name, p); err != nil {
			return written, err
		}
	}
	path := filepath.Join(dir, "report.md")
	err := tensorgame.AtomicWrite(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		fmt.Fprintf(bw, "# alphamat search benchmark\n\n")
		if command != "" {
			fmt.Fprintf(bw, "Command: `%s`\n\n", command)
		}
		fmt.Fprintf(bw, "Started %s; field %s; target %s; %d seeds per format and walker count, %s per run; "+
			"GOMAXPROCS %d. Each run starts from the standard algorithm. "+
			"Times are to the target rank; a run that missed it counts as slower than all others.",
			r.Started.Format("2006-01-02 15:04 MST"), r.Field, r.Target, r.Seeds, fmtSec(r.TimeLimitS), r.GOMAXPROCS)
		if sp != nil {
			fmt.Fprintf(bw, " Speedups are against the fewest walkers of the same format: the ratio of the median times to target "+
				"(- when a median missed it) and of flips per second.")
		}
		head, rows := r.table()
		fmt.Fprintf(bw, "\n\n| %s | source |\n|%s---|\n", strings.Join(head, " | "), strings.Repeat("---|", len(head)))
		for i, cells := range rows {
			fmt.Fprintf(bw, "| %s | %s |\n", strings.Join(cells, " | "), orDash(r.Rows[i].Source))
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

// scalingPlot draws the speedups sp of r's rows against their walkers (on
// a log scale): per format the time to target and the flips per second,
// with the ideal (speedup = walkers / fewest walkers) as a dashed line. r
// has several walker counts, ascending in r.Workers.
func scalingPlot(r *SearchReport, sp []Speedup) (*plot.Plot, error) {
	var ss []series
	idx := map[string]int{}
	for i, row := range r.Rows {
		w := float64(r.walkers(row))
		for _, kind := range []struct {
			name string
			x    float64
		}{{"time to target", sp[i].Time}, {"flips/s", sp[i].Flips}} {
			name := row.Format + " " + kind.name
			k, ok := idx[name]
			if !ok {
				k = len(ss)
				idx[name] = k
				ss = append(ss, series{name: name})
			}
			if kind.x > 0 {
				ss[k].xy = append(ss[k].xy, plotter.XY{X: w, Y: kind.x})
			}
		}
	}
	p, err := linePlot(fmt.Sprintf("search over %s: speedup vs walkers (GOMAXPROCS %d)", r.Field, r.GOMAXPROCS),
		axis{label: "walkers", log: true}, axis{label: "speedup over the fewest walkers"}, ss)
	if err != nil {
		return nil, err
	}
	lo, hi := float64(r.Workers[0]), float64(r.Workers[len(r.Workers)-1])
	ideal, err := plotter.NewLine(plotter.XYs{{X: lo, Y: 1}, {X: hi, Y: hi / lo}})
	if err != nil {
		return nil, err
	}
	ideal.Dashes = plotutil.Dashes(1)
	p.Add(ideal)
	p.Legend.Add("ideal", ideal)
	p.Y.Max = max(p.Y.Max, 1.3*hi/lo)
	return p, nil
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
