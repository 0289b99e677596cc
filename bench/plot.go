package bench

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/alphamat/alphamat/tensorgame"
)

// series is one line of a plot.
type series struct {
	name string
	xy   plotter.XYs
}

// axis describes one axis of a plot.
type axis struct {
	label string
	log   bool // log scale with a tick at every x of the data
	zero  bool // start at 0
}

// linePlot draws series as lines with points, one colour and glyph each.
func linePlot(title string, x, y axis, ss []series) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = x.label
	p.Y.Label.Text = y.label
	p.Legend.Top = true
	p.Legend.Left = true
	p.Add(plotter.NewGrid())
	if y.zero {
		p.Y.Min = 0
	}
	var xs []float64
	var ymax float64
	for i, s := range ss {
		if len(s.xy) == 0 {
			continue
		}
		l, pts, err := plotter.NewLinePoints(s.xy)
		if err != nil {
			return nil, fmt.Errorf("plot %q: series %s: %w", title, s.name, err)
		}
		l.Color = plotutil.Color(i)
		l.Dashes = plotutil.Dashes(i / len(plotutil.DefaultColors))
		pts.Color = plotutil.Color(i)
		pts.Shape = plotutil.Shape(i)
		p.Add(l, pts)
		p.Legend.Add(s.name, l, pts)
		for _, v := range s.xy {
			xs = append(xs, v.X)
			ymax = max(ymax, v.Y)
		}
	}
	// Leave room above the data for the legend, about 12 points a line on a
	// 5-inch (360-point) plot.
	if ymax > 0 && len(ss) > 0 {
		p.Y.Max = ymax / max(0.3, 1-float64(len(ss)+2)*12/360)
	}
	if x.log && len(xs) > 0 {
		slices.Sort(xs)
		xs = slices.Compact(xs)
		if xs[0] > 0 {
			p.X.Scale = plot.LogScale{}
			ticks := make([]plot.Tick, len(xs))
			for i, v := range xs {
				ticks[i] = plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)}
			}
			p.X.Tick.Marker = plot.ConstantTicks(ticks)
			p.X.Min, p.X.Max = xs[0]/math.Sqrt2, xs[len(xs)-1]*math.Sqrt2
		}
	}
	return p, nil
}

// savePNG writes p as a PNG image to path, atomically.
func savePNG(path string, p *plot.Plot) error {
	wt, err := p.WriterTo(8*vg.Inch, 5*vg.Inch, "png")
	if err != nil {
		return fmt.Errorf("render %s: %w", path, err)
	}
	return tensorgame.AtomicWrite(path, func(w io.Writer) error {
		_, err := wt.WriteTo(w)
		return err
	})
}

// squareSeries returns, for each contender with rows at square shapes of
// element type dt that keep accepts, the points (n, value(row)) in order of
// n, in the order the contenders first appear in rows.
func squareSeries(rows []KernelRow, dt DType, keep func(KernelRow) bool, value func(KernelRow) float64) []series {
	var out []series
	idx := map[string]int{}
	for _, r := range rows {
		if r.DType != dt || !r.Shape.IsSquare() || r.MedianSec == 0 || !keep(r) {
			continue
		}
		i, ok := idx[r.Contender]
		if !ok {
			i = len(out)
			idx[r.Contender] = i
			name := r.Contender
			if r.Wrong {
				name += " (WRONG)"
			}
			out = append(out, series{name: name})
		}
		out[i].xy = append(out[i].xy, plotter.XY{X: float64(r.Shape.N), Y: value(r)})
	}
	for _, s := range out {
		slices.SortFunc(s.xy, func(a, b plotter.XY) int { return int(a.X - b.X) })
	}
	return out
}
