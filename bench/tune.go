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

// Crossover is the measured crossover of one kernel plan over gemm, at one
// level or recursing to one leaf size: the smallest size from which it
// beats gemm at every larger size measured.
type Crossover struct {
	Plan   string `json:"plan"`
	Scheme string `json:"scheme"`
	Rank   int    `json:"rank"`
	// Leaf is the cut-off the plan recursed to (TuneConfig.Leaves), 0 for
	// one level.
	Leaf  int   `json:"leaf,omitempty"`
	DType DType `json:"dtype"`
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
	// Leaves, when not empty, are the cut-offs swept for every plan: the
	// plan runs as a Kernel with that Cutoff and no limit on Levels, so at
	// size n it recurses while the blocks stay at least that large (a
	// 2x2x2 plan with leaf 512 runs three levels at 4096 and four at
	// 8192), and only at sizes where it recurses at least once. Empty: one
	// level of each plan over gemm.
	Leaves []int
}

// tuned is what one Tune contender runs: a plan, and the leaf size it
// recurses to (0: one level).
type tuned struct {
	plan *kernels.Plan
	leaf int
}

// TuneName returns the name of the Tune contender for plan recursing to
// leaf (0: one level): the plan's name, with "/leaf<leaf>" after it for a
// leaf size.
func TuneName(plan string, leaf int) string {
	if leaf == 0 {
		return plan
	}
	return fmt.Sprintf("%s/leaf%d", plan, leaf)
}

// Tune measures, for every shipped kernel plan, one level of the plan over
// gemm leaves (no cut-off), or with cfg.Leaves the plan recursing to each
// leaf size, against gemm itself in the same rounds at a sweep of sizes,
// and returns the crossover of each plan (and leaf size) and element type
// together with the full measurements. Products are checked as in
// RunKernels.
func Tune(ctx context.Context, cfg TuneConfig) ([]Crossover, *KernelReport, error) {
	sizes := cfg.Sizes
	if len(sizes) == 0 {
		sizes = DefaultTuneSizes()
	}
	if cfg.Reps == 0 {
		cfg.Reps = 3
	}
	for _, l := range cfg.Leaves {
		if l < 1 {
			return nil, nil, fmt.Errorf("bench: tune: leaf size %d: want at least 1", l)
		}
	}
	cs := []Contender{GemmContender()}
	kinds := map[string]tuned{}
	for _, p := range kernels.Plans() {
		if cfg.Keep != nil && !cfg.Keep(p.Name) {
			continue
		}
		if len(cfg.Leaves) == 0 {
			c := kernelContender(kernels.Kernel{Plans: []*kernels.Plan{p}, Levels: 1, Cutoff: 1, Workers: cfg.Workers}, p, 1)
			c.Name = TuneName(p.Name, 0)
			cs = append(cs, c)
			kinds[c.Name] = tuned{plan: p}
			continue
		}
		for _, l := range cfg.Leaves {
			// Levels 1 in the contender is the depth Fits asks for: at
			// least one level; the kernel itself recurses as deep as l
			// allows.
			c := kernelContender(kernels.Kernel{Plans: []*kernels.Plan{p}, Cutoff: l, Workers: cfg.Workers}, p, 1)
			c.Name, c.Levels = TuneName(p.Name, l), 0
			cs = append(cs, c)
			kinds[c.Name] = tuned{plan: p, leaf: l}
		}
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
	rep.Crossovers = crossovers(rep.Rows, kinds)
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

// clearWin reports whether r beats gemm by enough for a tuned table to
// choose it: a paired speed-up of at least MinWin, and a slowest round
// (SpeedupLow, where rounds were paired) still faster than gemm, so that
// a rule is not made from one lucky round and kernels.Mul stays at or
// above the leaf.
func (r KernelRow) clearWin() bool {
	if r.Wrong || r.Kind != KindKernel {
		return false
	}
	s, low := r.pairedSpeedup(), r.SpeedupLow
	if r.RoundSpeedup == 0 {
		low = s
	}
	return s >= MinWin && low > 1
}

// crossovers reads the crossover of every Tune contender (kinds, by name)
// and element type off rows.
func crossovers(rows []KernelRow, kinds map[string]tuned) []Crossover {
	var out []Crossover
	idx := map[string]int{}
	for _, r := range rows {
		k, ok := kinds[r.Contender]
		if !ok || r.Kind != KindKernel {
			continue
		}
		key := r.Contender + "/" + string(r.DType)
		i, ok := idx[key]
		if !ok {
			i = len(out)
			idx[key] = i
			p := k.plan
			out = append(out, Crossover{Plan: p.Name, Scheme: p.Format(), Rank: p.Rank, Leaf: k.leaf, DType: r.DType})
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
// uses. For each element type measured it starts with gemm, then goes up
// the measured square sizes n and chooses, at each, the contender with the
// best speed-up among those that win clearly there (KernelRow.clearWin:
// a median of at least MinWin and a slowest round still faster than gemm),
// or gemm when none does; a rule with Min n is written wherever the choice
// changes. A one-level contender is eligible only from its crossover on
// (so that it won at every larger size too) and recurses while the blocks
// stay at or above its crossover divided by its block count; a contender
// of a leaf sweep (TuneConfig.Leaves) keeps its leaf as the rule's Cutoff,
// and so the depth it was measured at. The table is validated before it is
// returned.
func SelectionTable(rep *KernelReport) (*kernels.Table, error) {
	cross := map[string]Crossover{}
	for _, c := range rep.Crossovers {
		cross[TuneName(c.Plan, c.Leaf)+"/"+string(c.DType)] = c
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
		// The choice at each square size: a clear winner's row, or gemm.
		type choice struct {
			n     int
			row   *KernelRow
			cross Crossover
		}
		var sizes []int
		best := map[int]choice{}
		for i := range rep.Rows {
			r := &rep.Rows[i]
			if r.DType != dt || !r.Shape.IsSquare() {
				continue
			}
			n := r.Shape.N
			if _, ok := best[n]; !ok {
				best[n] = choice{n: n}
				sizes = append(sizes, n)
			}
			c, ok := cross[r.Contender+"/"+string(dt)]
			if !ok || !r.clearWin() || (c.Leaf == 0 && (c.Size == 0 || n < c.Size)) {
				continue
			}
			if b := best[n]; b.row == nil || r.pairedSpeedup() > b.row.pairedSpeedup() {
				best[n] = choice{n: n, row: r, cross: c}
			}
		}
		slices.Sort(sizes)
		prev := "gemm"
		for _, n := range sizes {
			b := best[n]
			rule := kernels.Rule{Precision: precision, Min: n, Kernel: "gemm"}
			if b.row != nil {
				c := b.cross
				cutoff := c.Leaf
				if cutoff == 0 {
					p := plans[c.Plan]
					cutoff = (c.Size + min(p.N, p.M, p.P) - 1) / min(p.N, p.M, p.P)
				}
				rule = kernels.Rule{
					Precision: precision, Min: n, Kernel: c.Plan, Cutoff: max(cutoff, 1),
					Workers: rep.Workers, Speedup: round3(b.row.pairedSpeedup()),
				}
			}
			key := TuneName(rule.Kernel, rule.Cutoff)
			if rule.Kernel == "gemm" {
				key = "gemm"
			}
			if key == prev {
				continue
			}
			prev = key
			t.Rules = append(t.Rules, rule)
		}
	}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("tuned table: %w", err)
	}
	return t, nil
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
