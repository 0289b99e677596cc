package frontier

import (
	"cmp"
	"encoding/json"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/alphamat/alphamat/tensorgame"
)

// Row is where one format and field stands.
type Row struct {
	Format tensorgame.Format `json:"format"`
	Field  tensorgame.Field  `json:"field"`
	Rank   int               `json:"rank"`  // ours (the catalogue's)
	Known  int               `json:"known"` // best known rank
	// Listed says Known is from the table; else it is the bound of sums
	// and products of known ranks.
	Listed bool `json:"listed"`
	Gap    int  `json:"gap"` // Rank - Known: 0 at the best known rank, below 0 a record
	// Searches counts the arm's turns, all runs: its searches and, over
	// Z, its lifts of the Z2 schemes (liftArm); Seconds is their time.
	Searches int     `json:"searches"`
	Seconds  float64 `json:"seconds"`
	// Lineage is how our best was found, oldest move first.
	Lineage     []tensorgame.Move `json:"lineage,omitempty"`
	Unsupported string            `json:"search_unsupported,omitempty"`
}

// rows returns the table of the arms, smallest format first.
func (e *engine) rows() []Row {
	var out []Row
	for _, a := range e.sched.Arms {
		k := a.Key
		r := Row{Format: k.Format, Field: k.Field, Rank: e.cat.Rank(k.Format, k.Field),
			Known: e.targets.Known(k.Format, k.Field), Listed: e.targets.Listed(k.Format, k.Field),
			Searches: a.Pulls, Seconds: a.Seconds, Unsupported: a.Unsupported}
		r.Gap = r.Rank - r.Known
		if o := e.cat.Origin(k.Format, k.Field); o != nil {
			r.Lineage = o.Lineage
		}
		out = append(out, r)
	}
	return out
}

// WriteTable writes rows as an aligned table: format, field, our rank,
// best known, gap, searches and time searched; with limit > 0 only the
// limit rows of largest gap (and every record).
func WriteTable(w io.Writer, rows []Row, limit int) error {
	show := rows
	if limit > 0 && len(rows) > limit {
		show = byGap(rows)[:limit]
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "format\tfield\tours\tknown\tgap\tsearches\ttime\t")
	for _, r := range show {
		known := fmt.Sprint(r.Known)
		if !r.Listed {
			known += "*"
		}
		gap := fmt.Sprint(r.Gap)
		if r.Gap < 0 {
			gap += " RECORD"
		}
		fmt.Fprintf(tw, "%v\t%v\t%d\t%s\t%s\t%d\t%s\t\n", r.Format, r.Field, r.Rank, known, gap, r.Searches,
			(time.Duration(r.Seconds) * time.Second).Round(time.Second))
	}
	if len(show) < len(rows) {
		fmt.Fprintf(tw, "(%d more at smaller gaps)\t\t\t\t\t\t\t\n", len(rows)-len(show))
	}
	return tw.Flush()
}

// byGap returns rows by gap, largest first (records, below 0, first of all).
func byGap(rows []Row) []Row {
	out := slices.Clone(rows)
	rank := func(r Row) int {
		if r.Gap < 0 {
			return math.MaxInt
		}
		return r.Gap
	}
	slices.SortStableFunc(out, func(a, b Row) int { return cmp.Compare(rank(b), rank(a)) })
	return out
}

// Report is the outcome of a frontier run, written as report.json.
type Report struct {
	Dir      string   `json:"dir"`
	Formats  []string `json:"formats"`
	Fields   []string `json:"fields"`
	Seed     uint64   `json:"seed"`
	Workers  int      `json:"workers"`
	Seconds  float64  `json:"seconds"`       // this run
	Total    float64  `json:"total_seconds"` // searched, all runs of the directory
	Searches int      `json:"searches"`      // all runs, lifts left out (state.Lifts)
	// AtKnown counts the rows at or below the best known rank.
	AtKnown int      `json:"at_known"`
	Rows    []Row    `json:"rows"`
	Records []Record `json:"records,omitempty"`
}

// maxBars is the most formats gap.png draws as bars.
const maxBars = 60

// Report file names in the run directory.
const (
	ReportMarkdown = "report.md"
	ReportJSON     = "report.json"
	PlotGap        = "gap.png"
)

func (e *engine) report() *Report {
	r := &Report{Dir: e.cfg.Dir, Seed: e.cfg.Seed, Workers: e.cfg.Workers, Seconds: time.Since(e.start).Seconds(),
		Total: e.st.Seconds, Searches: e.st.Searches, Rows: e.rows(), Records: e.st.Records}
	for _, f := range e.cfg.Formats {
		r.Formats = append(r.Formats, f.Canonical().String())
	}
	for _, f := range e.cfg.Fields {
		r.Fields = append(r.Fields, f.String())
	}
	for _, row := range r.Rows {
		if row.Gap <= 0 {
			r.AtKnown++
		}
	}
	return r
}

// WriteFiles writes report.md, report.json and gap.png into dir, each
// atomically.
func (r *Report) WriteFiles(dir string) error {
	for _, f := range []struct {
		name string
		fill func(io.Writer) error
	}{{ReportMarkdown, r.WriteMarkdown}, {ReportJSON, r.WriteJSON}} {
		if err := tensorgame.AtomicWrite(filepath.Join(dir, f.name), f.fill); err != nil {
			return err
		}
	}
	return r.plotGap(filepath.Join(dir, PlotGap))
}

// WriteJSON writes r as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteMarkdown writes r as a markdown report.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# alphamat frontier\n\n")
	fmt.Fprintf(&b, "Formats %s (and the factors of their products), fields %s; seed %d. This run: %s; searched in all runs of %s: %s in %d searches.\n\n",
		strings.Join(r.Formats, ", "), strings.Join(r.Fields, ", "), r.Seed,
		(time.Duration(r.Seconds) * time.Second).Round(time.Second), r.Dir,
		(time.Duration(r.Total) * time.Second).Round(time.Second), r.Searches)
	fmt.Fprintf(&b, "**%d of %d** formats × fields at the best known rank or below.\n\n", r.AtKnown, len(r.Rows))
	if len(r.Records) > 0 {
		fmt.Fprintf(&b, "## Records\n\nSchemes below the best known rank, verified by tensorgame.Verify and again by evaluation on random matrices:\n\n")
		fmt.Fprintf(&b, "| format | field | rank | best known | checked twice | file |\n|---|---|---:|---:|---|---|\n")
		for _, rec := range r.Records {
			check := "yes"
			if !rec.Checked {
				check = "NO: " + rec.CheckError
			}
			fmt.Fprintf(&b, "| %v | %v | %d | %d | %s | %s |\n", rec.Format, rec.Field, rec.Rank, rec.Known, check, rec.Path)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "## Where we stand\n\nKnown: the best known rank (FastMatrixMultiplication catalogue, `ranks/frontier.tsv`; * a bound from sums and products). How: the moves that led to our best, oldest first.\n\n")
	fmt.Fprintf(&b, "| format | field | ours | known | gap | searches | time | how |\n|---|---|---:|---:|---:|---:|---:|---|\n")
	for _, row := range r.Rows {
		known := fmt.Sprint(row.Known)
		if !row.Listed {
			known += "*"
		}
		how := make([]string, len(row.Lineage))
		for i, m := range row.Lineage {
			how[i] = string(m)
		}
		note := strings.Join(how, " → ")
		if row.Unsupported != "" {
			note += " (search unsupported)"
		}
		fmt.Fprintf(&b, "| %v | %v | %d | %s | %d | %d | %s | %s |\n", row.Format, row.Field, row.Rank, known, row.Gap,
			row.Searches, (time.Duration(row.Seconds) * time.Second).Round(time.Second), note)
	}
	fmt.Fprintf(&b, "\n![our rank minus the best known](%s)\n", PlotGap)
	_, err := io.WriteString(w, b.String())
	return err
}

// plotGap draws our rank minus the best known for every format: bars, Z2
// and Z side by side, for up to maxBars formats; for more, a heat map per
// field of the gap relative to the best known rank (writeHeatMaps).
func (r *Report) plotGap(path string) error {
	var names []string
	idx := map[tensorgame.Format]int{}
	for _, row := range r.Rows {
		if _, ok := idx[row.Format]; !ok {
			idx[row.Format] = len(names)
			names = append(names, row.Format.String())
		}
	}
	if len(names) > maxBars {
		return tensorgame.AtomicWrite(path, func(w io.Writer) error { return writeHeatMaps(w, r.Rows) })
	}
	p := plot.New()
	p.Title.Text = "alphamat frontier: our rank minus the best known"
	p.Y.Label.Text = "rank gap"
	w := vg.Points(max(1, min(6, 600/float64(2*len(names)+1))))
	colors := map[tensorgame.Field]color.Color{
		tensorgame.Z2: color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
		tensorgame.Z:  color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	}
	top, bottom := 1.0, 0.0
	for k, field := range []tensorgame.Field{tensorgame.Z2, tensorgame.Z} {
		vals := make(plotter.Values, len(names))
		any := false
		for _, row := range r.Rows {
			if row.Field == field {
				vals[idx[row.Format]] = float64(row.Gap)
				top = math.Max(top, float64(row.Gap))
				bottom = math.Min(bottom, float64(row.Gap))
				any = true
			}
		}
		if !any {
			continue
		}
		b, err := plotter.NewBarChart(vals, w)
		if err != nil {
			return err
		}
		b.Color, b.LineStyle.Width, b.Offset = colors[field], 0, w*vg.Length(k)-w/2
		p.Add(b)
		p.Legend.Add(field.String(), b)
	}
	p.Legend.Top = true
	p.Y.Min, p.Y.Max = bottom*1.2, top*1.2
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = math.Pi / 4
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.Add(plotter.NewGrid())
	width := vg.Length(min(20, max(6, 0.3*float64(len(names))+2))) * vg.Inch
	wt, err := p.WriterTo(width, 4*vg.Inch, "png")
	if err != nil {
		return err
	}
	return tensorgame.AtomicWrite(path, func(w io.Writer) error {
		_, err := wt.WriteTo(w)
		return err
	})
}
