package alphacmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/color"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/alphamat/alphamat/agent"
	"github.com/alphamat/alphamat/mcts"
	"github.com/alphamat/alphamat/tensorgame"
)

// curvePoint is one point of a training run's curve.
type curvePoint struct {
	Step  int64  `json:"step"` // SGD steps so far
	Phase string `json:"phase"`
	// Loss, ActionAcc and ValueErr are running means (exponential, 2 %
	// per step) of the SGD steps' loss, action accuracy and value error;
	// zero at step 0.
	Loss      float64 `json:"loss"`
	ActionAcc float64 `json:"action_acc"`
	ValueErr  float64 `json:"value_err"`
	// HeldOut counts the held-out synthetic problems that fit the network
	// (agent.HeldOut) and those a game solved within their
	// demonstration's rank (agent.SolveHeldOut); zero when not evaluated.
	HeldOut       int     `json:"heldout_problems,omitempty"`
	HeldOutSolved int     `json:"heldout_solved"`
	Seconds       float64 `json:"seconds"` // wall time of the run's invocations so far
	Time          string  `json:"time"`    // when the point was taken (UTC, RFC 3339)
}

// trainCurve is what a training run directory keeps of its progress:
// curve.json (the command lines of every invocation and the points),
// command.txt (those command lines) and curve.png (loss and held-out
// solve rate against SGD steps).
type trainCurve struct {
	Commands []string     `json:"commands"`
	Points   []curvePoint `json:"points"`

	dir      string
	problems []*agent.Demo
	field    tensorgame.Field
	search   mcts.Config
	seed     uint64
	every    int
	start    time.Time
	before   float64 // seconds of earlier invocations
}

// openCurve reads the curve of run directory dir (none yet: empty) and
// records this invocation's command line. Held-out problems are the
// first problems of agent.HeldOut that fit net (none: every = 0 or
// problems = 0).
func openCurve(dir string, args []string, net *agent.Net, field tensorgame.Field, search mcts.Config, seed uint64, every, problems int) (*trainCurve, error) {
	c := &trainCurve{dir: dir, field: field, search: search, seed: seed, every: every, start: time.Now()}
	path := filepath.Join(dir, "curve.json")
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("training curve: %w", err)
	default:
		if err := json.Unmarshal(data, c); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if n := len(c.Points); n > 0 {
			c.before = c.Points[n-1].Seconds
		}
	}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = a
		if a == "" || strings.ContainsAny(a, " \t\"'$\\") {
			quoted[i] = strconv.Quote(a)
		}
	}
	c.Commands = append(c.Commands, strings.Join(quoted, " "))
	if every > 0 && problems > 0 {
		cfg := net.Config()
		for _, d := range agent.HeldOut(8*problems, field) {
			if cfg.Fits(d.Tensor.A, d.Tensor.B, d.Tensor.C) && len(c.problems) < problems {
				c.problems = append(c.problems, d)
			}
		}
	}
	return c, c.write()
}

// due reports whether step (SGD steps so far) is a point of the curve.
func (c *trainCurve) due(step int64) bool { return c.every > 0 && step%int64(c.every) == 0 }

// add evaluates net on the held-out problems and appends a point.
func (c *trainCurve) add(ctx context.Context, net *agent.Net, step int64, phase string, loss, acc, verr float64) error {
	p := curvePoint{Step: step, Phase: phase, Loss: loss, ActionAcc: acc, ValueErr: verr}
	if len(c.problems) > 0 {
		workers := 4 * runtime.GOMAXPROCS(0)
		b := mcts.NewBatcher(net, workers, 1)
		res, err := agent.SolveHeldOut(ctx, c.problems, c.field, b, c.search, workers, c.seed)
		b.Close()
		if err != nil {
			return err
		}
		p.HeldOut, p.HeldOutSolved = res.Problems, res.Solved
	}
	now := time.Now()
	p.Seconds = c.before + now.Sub(c.start).Seconds()
	p.Time = now.UTC().Format(time.RFC3339)
	c.Points = append(c.Points, p)
	return c.write()
}

// write writes curve.json, command.txt and curve.png.
func (c *trainCurve) write() error {
	err := tensorgame.AtomicWrite(filepath.Join(c.dir, "curve.json"), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(c)
	})
	if err != nil {
		return err
	}
	err = tensorgame.AtomicWrite(filepath.Join(c.dir, "command.txt"), func(w io.Writer) error {
		_, err := io.WriteString(w, strings.Join(c.Commands, "\n")+"\n")
		return err
	})
	if err != nil || len(c.Points) == 0 {
		return err
	}
	return c.plot(filepath.Join(c.dir, "curve.png"))
}

// plot draws the loss (above) and the held-out solve rate (below)
// against SGD steps.
func (c *trainCurve) plot(path string) error {
	var loss, solved plotter.XYs
	for _, p := range c.Points {
		if p.Step > 0 {
			loss = append(loss, plotter.XY{X: float64(p.Step), Y: p.Loss})
		}
		if p.HeldOut > 0 {
			solved = append(solved, plotter.XY{X: float64(p.Step), Y: 100 * float64(p.HeldOutSolved) / float64(p.HeldOut)})
		}
	}
	top, bottom := plot.New(), plot.New()
	top.Title.Text = "alphamat train: " + filepath.Base(c.dir)
	top.Y.Label.Text = "loss (running mean)"
	bottom.X.Label.Text = "SGD steps"
	bottom.Y.Label.Text = "held-out solved (%)"
	bottom.Y.Min, bottom.Y.Max = 0, 100
	for _, s := range []struct {
		p   *plot.Plot
		xy  plotter.XYs
		col color.Color
	}{{top, loss, color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}}, {bottom, solved, color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}}} {
		s.p.Add(plotter.NewGrid())
		if len(s.xy) == 0 {
			continue
		}
		l, pts, err := plotter.NewLinePoints(s.xy)
		if err != nil {
			return err
		}
		l.Color, pts.Color = s.col, s.col
		s.p.Add(l, pts)
	}
	img := vgimg.New(7*vg.Inch, 6*vg.Inch)
	dc := draw.New(img)
	plots := [][]*plot.Plot{{top}, {bottom}}
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadTop: vg.Points(6), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(6), PadY: vg.Points(12)}
	canvases := plot.Align(plots, tiles, dc)
	for i := range plots {
		plots[i][0].Draw(canvases[i][0])
	}
	return tensorgame.AtomicWrite(path, func(w io.Writer) error {
		_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
		return err
	})
}
