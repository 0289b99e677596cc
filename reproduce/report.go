package reproduce

import (
	"encoding/json"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/alphamat/alphamat/tensorgame"
)

// Files written by WriteFiles into the run directory.
const (
	ReportMarkdown = "report.md"
	ReportJSON     = "report.json"
	PlotRanks      = "ranks.png"
	PlotTimes      = "time.png"
)

// WriteFiles writes report.md, report.json and the two plots into dir,
// each atomically.
func (r *Report) WriteFiles(dir string) error {
	if err := tensorgame.AtomicWrite(filepath.Join(dir, ReportMarkdown), r.WriteMarkdown); err != nil {
		return err
	}
	if err := tensorgame.AtomicWrite(filepath.Join(dir, ReportJSON), r.WriteJSON); err != nil {
		return err
	}
	if err := r.plotRanks(filepath.Join(dir, PlotRanks)); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	if err := r.plotTimes(filepath.Join(dir, PlotTimes)); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	return nil
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// pair is one format's Z2 and Z rows.
type pair struct {
	format string
	z2, z  *Row
}

func (r *Report) pairs() []pair {
	var out []pair
	idx := map[string]int{}
	for i := range r.Rows {
		row := &r.Rows[i]
		j, ok := idx[row.Format]
		if !ok {
			j = len(out)
			idx[row.Format] = j
			out = append(out, pair{format: row.Format})
		}
		if row.Field == tensorgame.Z2.String() {
			out[j].z2 = row
		} else {
			out[j].z = row
		}
	}
	return out
}

// WriteMarkdown writes the report as a Markdown table, one line per format,
// followed by the rows that were missed.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# alphamat reproduce\n\n")
	fmt.Fprintf(&b, "Reproduction of AlphaTensor's ranks (Fawzi et al., Nature 2022, Fig. 3) from scratch: %d rows, %d reproduced, %d workers, %.1f s wall time in this run.\n\n",
		len(r.Rows), len(r.Rows)-len(r.Missed()), r.Workers, r.Seconds)
	if r.Parallel > 0 {
		fmt.Fprintf(&b, "Settings: --parallel %d (rows searched at once), --seed %d, --budget %s per row and search; %d CPUs.\n\n",
			r.Parallel, r.Seed, time.Duration(r.Budget*float64(time.Second)), r.CPUs)
	}
	b.WriteString("| format | published Z2 | published Z | best known Z2 / Z | found Z2 | found Z | time Z2 | time Z | how Z2 | how Z |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|\n")
	cell := func(row *Row, f func(*Row) string) string {
		if row == nil {
			return "-"
		}
		return f(row)
	}
	pub := func(row *Row) string { return fmt.Sprint(row.Published) }
	found := func(row *Row) string {
		s := "-"
		if row.Found > 0 {
			s = fmt.Sprint(row.Found)
		}
		if !row.Reached {
			s += " (missed)"
		}
		return s
	}
	tm := func(row *Row) string {
		s := formatSeconds(row.Seconds)
		if row.Resumed {
			s += " (earlier run)"
		}
		return s
	}
	how := func(row *Row) string {
		if row.Method == "" {
			return "-"
		}
		return row.Method
	}
	best := func(row *Row) string { return fmt.Sprint(row.BestKnown) }
	for _, p := range r.pairs() {
		fmt.Fprintf(&b, "| %s | %s | %s | %s / %s | %s | %s | %s | %s | %s | %s |\n", p.format,
			cell(p.z2, pub), cell(p.z, pub), cell(p.z2, best), cell(p.z, best),
			cell(p.z2, found), cell(p.z, found), cell(p.z2, tm), cell(p.z, tm), cell(p.z2, how), cell(p.z, how))
	}
	if m := r.Missed(); len(m) > 0 {
		b.WriteString("\n## Missed\n\n")
		for _, row := range m {
			fmt.Fprintf(&b, "- %s over %s: target %d, best found %d after %s (%s)", row.Format, row.Field, row.Published, row.Found, formatSeconds(row.Seconds), row.Status)
			if row.Error != "" {
				fmt.Fprintf(&b, ": %s", row.Error)
			}
			b.WriteString("\n")
		}
	} else {
		b.WriteString("\nEvery row was reproduced.\n")
	}
	var beyond []string
	for _, row := range r.Rows {
		if row.Found > 0 && row.Found < row.Published {
			line := fmt.Sprintf("- %s over %s: %d, published %d, best known %d (%s)", row.Format, row.Field, row.Found, row.Published, row.BestKnown, row.Scheme)
			if row.Beyond > 0 {
				line += fmt.Sprintf(", searched %s beyond the published rank", formatSeconds(row.Beyond))
			}
			beyond = append(beyond, line+"\n")
		}
	}
	if len(beyond) > 0 {
		b.WriteString("\n## Below the published rank\n\n")
		for _, s := range beyond {
			b.WriteString(s)
		}
	}
	b.WriteString("\nTimes are to the published rank; \"how\" says what found the scheme: flips (flip-graph walk over Z2), lift (a Z2 walk's scheme Hensel-lifted to Z), ternary (flip walk over Z with coefficients in {-1,0,1}), agent (tree search), cyclic flips (a flip-graph walk over cyclic-symmetric schemes, square formats), composite (the direct sum of two smaller formats' schemes found earlier in this run, like 2x2x3 = 2x2x2 + 2x2x1), restriction (a scheme of a format one size larger restricted to this one, like 4x5x5 from 5x5x5; rows missed at first were searched a second time from those, and their times add both searches), cyclic restriction (the same from the row's own cyclic walkers of the square format above, like 5x5x5 for 4x5x5), \"from composite\", \"from restriction\", \"from cyclic restriction\" and \"from cyclic\" when a walk started there, \"reduced from Z\" for a Z row's scheme taken mod 2, and \"unknown\" for a scheme that records no origin. Every scheme is verified and stored under the run directory.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func formatSeconds(s float64) string {
	switch {
	case s < 1:
		return fmt.Sprintf("%.0f ms", s*1000)
	case s < 120:
		return fmt.Sprintf("%.1f s", s)
	}
	return fmt.Sprintf("%.1f min", s/60)
}

var (
	colZ2    = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	colZ     = color.RGBA{R: 214, G: 39, B: 40, A: 255}
	colPubZ2 = color.RGBA{R: 158, G: 202, B: 225, A: 255}
	colPubZ  = color.RGBA{R: 252, G: 146, B: 114, A: 255}
)

// plotRanks draws, per format, AlphaTensor's ranks over Z2 and Z next to
// the ranks found (a missing bar: nothing found).
func (r *Report) plotRanks(path string) error {
	ps := r.pairs()
	p := plot.New()
	p.Title.Text = "alphamat reproduce: found vs published rank"
	p.Y.Label.Text = "rank"
	names := make([]string, len(ps))
	series := []struct {
		name  string
		col   color.Color
		value func(pair) float64
	}{
		{"published Z2", colPubZ2, func(q pair) float64 { return published(q.z2) }},
		{"found Z2", colZ2, func(q pair) float64 { return found(q.z2) }},
		{"published Z", colPubZ, func(q pair) float64 { return published(q.z) }},
		{"found Z", colZ, func(q pair) float64 { return found(q.z) }},
	}
	w := vg.Points(6)
	top := 0.0
	for k, s := range series {
		vals := make(plotter.Values, len(ps))
		for i, q := range ps {
			names[i] = q.format
			vals[i] = s.value(q)
			top = max(top, vals[i])
		}
		b, err := plotter.NewBarChart(vals, w)
		if err != nil {
			return err
		}
		b.Color, b.LineStyle.Width, b.Offset = s.col, 0, w*vg.Length(k)-1.5*w
		p.Add(b)
		p.Legend.Add(s.name, b)
	}
	p.Legend.Top, p.Legend.Left = true, true
	p.Y.Min, p.Y.Max = 0, top*1.35 // room for the legend
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = math.Pi / 4
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.Add(plotter.NewGrid())
	return save(p, path, len(ps))
}

func published(r *Row) float64 {
	if r == nil {
		return 0
	}
	return float64(r.Published)
}

func found(r *Row) float64 {
	if r == nil {
		return 0
	}
	return float64(r.Found)
}

// plotTimes draws the time to the published rank per row, on a log scale.
func (r *Report) plotTimes(path string) error {
	ps := r.pairs()
	p := plot.New()
	p.Title.Text = "alphamat reproduce: time to the published rank"
	p.Y.Label.Text = "seconds (log; missed rows: time searched)"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	names := make([]string, len(ps))
	z2 := make(plotter.XYs, 0, len(ps))
	z := make(plotter.XYs, 0, len(ps))
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, q := range ps {
		names[i] = q.format
		if q.z2 != nil {
			z2 = append(z2, plotter.XY{X: float64(i), Y: math.Max(q.z2.Seconds, 1e-4)})
		}
		if q.z != nil {
			z = append(z, plotter.XY{X: float64(i), Y: math.Max(q.z.Seconds, 1e-4)})
		}
	}
	for _, xy := range [2]plotter.XYs{z2, z} {
		for _, v := range xy {
			lo, hi = math.Min(lo, v.Y), math.Max(hi, v.Y)
		}
	}
	if lo <= hi {
		// An explicit range keeps the log axis positive (gonum/plot pads a
		// single value by ±1).
		p.Y.Min, p.Y.Max = lo/2, hi*4
	}
	for _, s := range []struct {
		xy   plotter.XYs
		name string
		col  color.Color
		sh   draw.GlyphDrawer
	}{{z2, "Z2", colZ2, draw.CircleGlyph{}}, {z, "Z", colZ, draw.TriangleGlyph{}}} {
		if len(s.xy) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(s.xy)
		if err != nil {
			return err
		}
		sc.GlyphStyle.Color, sc.GlyphStyle.Shape, sc.GlyphStyle.Radius = s.col, s.sh, vg.Points(4)
		p.Add(sc)
		p.Legend.Add(s.name, sc)
	}
	p.Legend.Top, p.Legend.Left = true, true
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = math.Pi / 4
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.Add(plotter.NewGrid())
	return save(p, path, len(ps))
}

func save(p *plot.Plot, path string, n int) error {
	width := vg.Length(max(6, 0.45*float64(n)+2)) * vg.Inch
	wt, err := p.WriterTo(width, 4*vg.Inch, "png")
	if err != nil {
		return err
	}
	return tensorgame.AtomicWrite(path, func(w io.Writer) error {
		_, err := wt.WriteTo(w)
		return err
	})
}
