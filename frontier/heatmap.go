package frontier

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/alphamat/alphamat/tensorgame"
)

// gapGrid is a heat map grid of the relative gaps of one field: columns
// are the sizes p, rows the pairs (n, m), n <= m <= p.
type gapGrid struct {
	ps    []int
	pairs [][2]int
	z     map[tensorgame.Format]float64
}

func (g gapGrid) Dims() (c, r int) { return len(g.ps), len(g.pairs) }
func (g gapGrid) X(c int) float64  { return float64(g.ps[c]) }
func (g gapGrid) Y(r int) float64  { return float64(r) }
func (g gapGrid) Z(c, r int) float64 {
	f := tensorgame.Format{N: g.pairs[r][0], M: g.pairs[r][1], P: g.ps[c]}
	if v, ok := g.z[f]; ok {
		return v
	}
	return math.NaN()
}

// writeHeatMaps draws, for each field, the gap relative to the best known
// rank, (ours - known) / known in percent, of every format as a heat map
// with the size p across and the pairs n×m down, and writes the PNG to w.
func writeHeatMaps(w io.Writer, rows []Row) error {
	var fields []tensorgame.Field
	for _, r := range rows {
		if !slices.Contains(fields, r.Field) {
			fields = append(fields, r.Field)
		}
	}
	top := 0.0
	grids := make([]gapGrid, len(fields))
	for i, field := range fields {
		g := gapGrid{z: map[tensorgame.Format]float64{}}
		for _, r := range rows {
			if r.Field != field {
				continue
			}
			f := r.Format.Canonical()
			v := 100 * float64(r.Gap) / float64(max(r.Known, 1))
			g.z[f] = v
			top = math.Max(top, v)
			if !slices.Contains(g.ps, f.P) {
				g.ps = append(g.ps, f.P)
			}
			if pr := [2]int{f.N, f.M}; !slices.Contains(g.pairs, pr) {
				g.pairs = append(g.pairs, pr)
			}
		}
		slices.Sort(g.ps)
		slices.SortFunc(g.pairs, func(a, b [2]int) int {
			if a[0] != b[0] {
				return a[0] - b[0]
			}
			return a[1] - b[1]
		})
		grids[i] = g
	}
	plots := make([][]*plot.Plot, 1)
	for i, g := range grids {
		p := plot.New()
		p.Title.Text = fmt.Sprintf("%v: (ours - best known) / best known, %% (grey: not worked on)", fields[i])
		p.X.Label.Text = "p"
		p.Y.Label.Text = "n×m"
		h := plotter.NewHeatMap(g, reversed{palette.Heat(64, 1)})
		h.Min, h.Max = 0, math.Max(top, 1)
		h.NaN = color.Gray{Y: 0xe0}
		h.Underflow = color.RGBA{G: 0x80, A: 0xff} // below 0: a record
		p.Add(h)
		var ticks []plot.Tick
		for r, pr := range g.pairs {
			label := ""
			if len(g.pairs) <= 40 || pr[0] == pr[1] {
				label = fmt.Sprintf("%d×%d", pr[0], pr[1])
			}
			ticks = append(ticks, plot.Tick{Value: float64(r), Label: label})
		}
		p.Y.Tick.Marker = plot.ConstantTicks(ticks)
		var xt []plot.Tick
		for _, v := range g.ps {
			xt = append(xt, plot.Tick{Value: float64(v), Label: fmt.Sprint(v)})
		}
		p.X.Tick.Marker = plot.ConstantTicks(xt)
		plots[0] = append(plots[0], p)
	}
	width := vg.Length(5*len(plots[0])+1) * vg.Inch
	height := vg.Length(min(16, max(4, 0.1*float64(len(grids[0].pairs))+2))) * vg.Inch
	img := vgimg.New(width, height)
	dc := draw.New(img)
	t := draw.Tiles{Rows: 1, Cols: len(plots[0]), PadX: vg.Inch / 4, PadY: vg.Inch / 4,
		PadTop: vg.Inch / 8, PadBottom: vg.Inch / 8, PadLeft: vg.Inch / 8, PadRight: vg.Inch / 8}
	canvases := plot.Align(plots, t, dc)
	for j, p := range plots[0] {
		p.Draw(canvases[0][j])
	}
	_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
	return err
}

// reversed is a palette with its colors in reverse order: light for small
// gaps, dark red for large ones.
type reversed struct{ palette.Palette }

func (r reversed) Colors() []color.Color {
	c := slices.Clone(r.Palette.Colors())
	slices.Reverse(c)
	return c
}
