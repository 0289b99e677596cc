package bench

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"github.com/alphamat/alphamat/kernels"
)

// DefaultTuneSizes returns the sizes Tune sweeps when TuneConfig.Sizes is
// empty: 64 to 2048, about √2 apart.
func DefaultTuneSizes() []int { return []int{64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048} }

// MinWin is the speed-up over gemm a plan must reach at a size for Tune to
// count it as a win there: a margin over the noise of timing on a shared
// machine, so that a tuned table prefers the leaf when in doubt.
const MinWin = 1.03

// Crossover is the measured crossover of one kernel plan at one level over
// gemm: the smallest size from which it beats gemm at every larger size
// measured.
type Crossover struct {
	Plan   string `json:"plan"`
	Scheme string `json:"scheme"`
	Rank   int    `json:"rank"`
	DType  DType  `json:"dtype"`
	// Size is the largest dimension of the crossover shape (0: the plan
	// never beat gemm from some size on among the sizes measured).
	Size int `json:"size"`
	// Sizes and Speedups are the measurements behind Size: the largest
	// dimension of each shape and the plan's speed-up over gemm there (the
	// median of its per-round speed-ups, KernelRow.RoundSpeedup).
	Sizes    []int     `json:"sizes"`
	Speedups []float64 `json:"speedups"`
}

// TuneConfig describes a crossover measurement.
type TuneConfig struct {
	// Sizes are the largest dimensions to measure at (default
	// DefaultTuneSizes): square n×n×n for square plans, (n·k, m·k, p·k)
	// with k = size/max(n, m, p) for an n×m×p plan.
	Sizes []int
	// DTypes, Warmup, Reps, Seed, BLAS and Status are as in KernelConfig
	// (Reps default 3).
	DTypes       []DType
	Warmup, Reps int
	Seed         uint64
	BLAS         string
	Status       io.Writer
	// Keep, when non-nil, keeps only the plans whose name it accepts.
	Keep func(plan string) bool
	// Workers is the Workers of the kernels measured, and of the rules of
	// the table SelectionTable makes (0: GOMAXPROCS).
	Workers int
}

// Tune measures, for every shipped kernel plan, one level of the plan over
// gemm leaves (no cut-off) against gemm itself at a sweep of sizes, and
// returns the crossover of each plan and element type together with the
// full measurements. Products are checked as in RunKernels.
func Tune(ctx context.Context, cfg TuneConfig) ([]Crossover, *KernelReport, error) {
	sizes := cfg.Sizes
	if len(sizes) == 0 {
		sizes = DefaultTuneSizes()
	}
	if cfg.Reps == 0 {
		cfg.Reps = 3
	}
	cs := []Contender{GemmContender()}
	plans := map[string]*kernels.Plan{}
	for _, p := range kernels.Plans() {
		if cfg.Keep != nil && !cfg.Keep(p.Name) {
			continue
		}
		c := kernelContender(kernels.Kernel{Plans: []*kernels.Plan{p}, Levels: 1, Cutoff: 1, Workers: cfg.Workers}, p, 1)
		c.Name = p.Name
		cs = append(cs, c)
		plans[p.Name] = p
	}
	shapes := make([]Shape, 0, len(sizes))
	for _, n := range sizes {
		shapes = append(shapes, Square(n))
	}
	shapes = append(shapes, RectShapes(cs, sizes)...)
	rep, err := RunKernels(ctx, KernelConfig{
		Shapes: shapes, DTypes: cfg.DTypes, Contenders: cs, Warmup: cfg.Warmup, Reps: cfg.Reps,
		Seed: cfg.Seed, BLAS: cfg.BLAS, Workers: cfg.Workers, Status: cfg.Status,
	})
	if err != nil {
		return nil, rep, err
	}
	rep.Crossovers = crossovers(rep.Rows, plans)
	return rep.Crossovers, rep, nil
}

// pairedSpeedup is the speed-up over gemm that Tune, SelectionTable and
// the report's summaries go by: the median of the per-round speed-ups (KernelRow.RoundSpeedup), which
// pairs calls made seconds apart, or the ratio of the median times when
// there is none.
func (r KernelRow) pairedSpeedup() float64 {
	if r.RoundSpeedup > 0 {
		return r.RoundSpeedup
	}
	return r.Speedup
}

// crossovers reads the crossover of every plan and element type off rows.
func crossovers(rows []KernelRow, plans map[string]*kernels.Plan) []Crossover {
	var out []Crossover
	idx := map[string]int{}
	for _, r := range rows {
		p, ok := plans[r.Contender]
		if !ok || r.Kind != KindKernel {
			continue
		}
		key := r.Contender + "/" + string(r.DType)
		i, ok := idx[key]
		if !ok {
			i = len(out)
			idx[key] = i
			out = append(out, Crossover{Plan: p.Name, Scheme: p.Format(), Rank: p.Rank, DType: r.DType})
		}
		s := r.pairedSpeedup()
		if r.Wrong {
			s = 0 // a wrong kernel never wins
		}
		out[i].Sizes = append(out[i].Sizes, r.Shape.MaxDim())
		out[i].Speedups = append(out[i].Speedups, s)
	}
	for i := range out {
		c := &out[i]
		order := make([]int, len(c.Sizes))
		for j := range order {
			order[j] = j
		}
		slices.SortStableFunc(order, func(a, b int) int { return c.Sizes[a] - c.Sizes[b] })
		sizes, speedups := make([]int, len(order)), make([]float64, len(order))
		for j, k := range order {
			sizes[j], speedups[j] = c.Sizes[k], c.Speedups[k]
		}
		c.Sizes, c.Speedups = sizes, speedups
		// The crossover is the start of the longest run of wins (at least
		// MinWin) that reaches the largest size.
		for j := len(sizes) - 1; j >= 0 && speedups[j] >= MinWin; j-- {
			c.Size = sizes[j]
		}
	}
	return out
}

// SelectionTable turns a Tune run into the selection table kernels.Mul
// uses: gemm below the first crossover, then from each measured square size
// n the plan with the best one-level speed-up among those whose crossover
// is at most n (a rule with Min n), recursing while the blocks stay at or
// above the plan's crossover divided by its block count. Rules are per
// element type measured. The table is validated before it is returned.
func SelectionTable(rep *KernelReport) (*kernels.Table, error) {
	cross := map[string]Crossover{}
	for _, c := range rep.Crossovers {
		cross[c.Plan+"/"+string(c.DType)] = c
	}
	plans := map[string]*kernels.Plan{}
	for _, p := range kernels.Plans() {
		plans[p.Name] = p
	}
	t := &kernels.Table{Leaf: rep.Leaf, Comment: fmt.Sprintf(
		"measured by alphamat bench kernels --tune on %s, %s/%s, %d CPUs, GOMAXPROCS %d, BLAS %s, leaf %s on %d threads, workers %d, %d reps",
		rep.Started.Format(time.DateOnly), rep.GOOS, rep.GOARCH, rep.NumCPU, rep.GOMAXPROCS, rep.BLAS, rep.Leaf, rep.LeafThreads, rep.Workers, rep.Reps)}
	for _, dt := range reportDTypes(rep) {
		precision := kernels.Float64
		if dt == F32 {
			precision = kernels.Float32
		}
		t.Rules = append(t.Rules, kernels.Rule{Precision: precision, Min: 0, Kernel: "gemm"})
		// The best eligible plan at each square size, in increasing size.
		type win struct {
			n       int
			plan    string
			speedup float64
		}
		var wins []win
		for _, r := range rep.Rows {
			c, ok := cross[r.Contender+"/"+string(dt)]
			if r.DType != dt || !r.Shape.IsSquare() || r.Kind != KindKernel || !ok || r.Wrong ||
				c.Size == 0 || r.Shape.N < c.Size {
				continue
			}
			s := r.pairedSpeedup()
			if len(wins) > 0 && wins[len(wins)-1].n == r.Shape.N {
				if s > wins[len(wins)-1].speedup {
					wins[len(wins)-1] = win{r.Shape.N, r.Contender, s}
				}
				continue
			}
			wins = append(wins, win{r.Shape.N, r.Contender, s})
		}
		slices.SortStableFunc(wins, func(a, b win) int { return a.n - b.n })
		for i, w := range wins {
			if i > 0 && wins[i-1].plan == w.plan {
				continue
			}
			p := plans[w.plan]
			c := cross[w.plan+"/"+string(dt)]
			cutoff := (c.Size + min(p.N, p.M, p.P) - 1) / min(p.N, p.M, p.P)
			t.Rules = append(t.Rules, kernels.Rule{
				Precision: precision, Min: w.n, Kernel: w.plan, Cutoff: max(cutoff, 1), Workers: rep.Workers, Speedup: round3(w.speedup),
			})
		}
	}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("tuned table: %w", err)
	}
	return t, nil
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
