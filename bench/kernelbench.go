package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/alphamat/alphamat/kernels"
)

// Default tolerances on the relative error of a product (see KernelRow.MaxRelErr).
const (
	DefaultTol64 = 1e-8
	DefaultTol32 = 1e-2
)

// KernelConfig describes a kernel benchmark.
type KernelConfig struct {
	// Shapes are the products to time, in order.
	Shapes []Shape
	// DTypes are the element types to time at each shape (default F64, F32).
	DTypes []DType
	// Contenders are timed at every shape they apply to (Contender.Applies)
	// and for every element type they have. The first KindGemm contender is
	// the base of the speed-up column; without one the column is 0.
	Contenders []Contender
	// Warmup untimed calls (0: none) and Reps timed calls (default 5) per
	// contender, shape and element type. The calls are interleaved: each
	// round calls every contender once, so that all see the same load.
	Warmup, Reps int
	// Tol64 and Tol32 bound the relative error of a correct product
	// (defaults DefaultTol64, DefaultTol32); a contender above it is wrong.
	Tol64, Tol32 float64
	// Seed seeds the random matrices, uniform in [-1, 1).
	Seed uint64
	// BLAS names the BLAS implementation in use, for the report.
	BLAS string
	// Workers is the Workers of the kernel contenders (0: GOMAXPROCS), for
	// the report.
	Workers int
	// Status, when non-nil, receives one progress line per shape and round.
	Status io.Writer
}

// KernelReport is the outcome of a kernel benchmark.
type KernelReport struct {
	Started    time.Time `json:"started"`
	GoVersion  string    `json:"go_version"`
	GOOS       string    `json:"goos"`
	GOARCH     string    `json:"goarch"`
	NumCPU     int       `json:"num_cpu"`
	GOMAXPROCS int       `json:"gomaxprocs"`
	BLAS       string    `json:"blas"`
	// Leaf and Leaf32 name the implementations under the kernels' leaves
	// (kernels.Leaf, kernels.Leaf32); LeafThreads is the threads one leaf
	// product may use (OpenBLAS's thread count, or GOMAXPROCS); Workers the
	// kernels' Workers (0: GOMAXPROCS).
	Leaf        string `json:"leaf"`
	Leaf32      string `json:"leaf32"`
	LeafThreads int    `json:"leaf_threads"`
	Workers     int    `json:"workers"`
	// TableSource says where kernels.Mul's table for Leaf came from
	// (kernels.LeafTable), and TableError why a user table was ignored.
	TableSource string  `json:"table_source"`
	TableError  string  `json:"table_error,omitempty"`
	Warmup      int     `json:"warmup"`
	Reps        int     `json:"reps"`
	Tol64       float64 `json:"tol64"`
	Tol32       float64 `json:"tol32"`
	Seed        uint64  `json:"seed"`
	// LoadStart and LoadEnd are the machine's one-minute load average
	// (/proc/loadavg) when the run started and ended, 0 where the system
	// does not say: beside the spread of the per-round speed-ups, how busy
	// the machine was.
	LoadStart float64     `json:"load_start,omitempty"`
	LoadEnd   float64     `json:"load_end,omitempty"`
	Rows      []KernelRow `json:"rows"`
	// Crossovers holds the crossover sizes measured by Tune, if any.
	Crossovers []Crossover `json:"crossovers,omitempty"`
}

// KernelRow is one contender at one shape and element type.
type KernelRow struct {
	Shape     Shape  `json:"shape"`
	DType     DType  `json:"dtype"`
	Contender string `json:"contender"`
	Kind      Kind   `json:"kind"`
	Scheme    string `json:"scheme,omitempty"`
	Rank      int    `json:"rank,omitempty"`
	Levels    int    `json:"levels,omitempty"`
	// Reps is the number of timed calls.
	Reps int `json:"reps"`
	// MedianSec and MinSec are the median and fastest timed call, in seconds.
	MedianSec float64 `json:"median_s"`
	MinSec    float64 `json:"min_s"`
	// GFLOPS is the effective rate 2·N·M·P / median time (in 1e9 per second),
	// counting the flops of the standard algorithm whatever the contender
	// does; PeakGFLOPS uses the fastest call.
	GFLOPS     float64 `json:"gflops"`
	PeakGFLOPS float64 `json:"peak_gflops"`
	// Speedup is the median time of the gemm contender at the same shape and
	// element type over this one's (above 1: faster than gemm).
	Speedup float64 `json:"speedup"`
	// RoundSpeedup is the median, and SpeedupLow and SpeedupHigh the
	// smallest and largest, of the speed-ups of single rounds: gemm's time
	// in a round over this contender's time in the same round (0 when gemm
	// did not run in the same rounds). The two calls of a round are
	// seconds apart, so RoundSpeedup follows a machine whose load drifts
	// better than Speedup does, and the spread shows how much it moved.
	RoundSpeedup float64 `json:"round_speedup,omitempty"`
	SpeedupLow   float64 `json:"speedup_low,omitempty"`
	SpeedupHigh  float64 `json:"speedup_high,omitempty"`
	// CPUSec is the median process CPU time of a call (user and system, all
	// threads, OpenBLAS's included; 0 where the system does not say), and
	// CPUSpeedup gemm's median CPU time over this one's. CPU time counts
	// the work done, not the time spent waiting for a core, so on a busy
	// machine it moves much less than the wall-clock time; it also counts
	// what a thread burns while it spins waiting for its siblings.
	CPUSec     float64 `json:"cpu_s,omitempty"`
	CPUSpeedup float64 `json:"cpu_speedup,omitempty"`
	// MaxRelErr is the largest, over all calls, of max|C - Cref| / max|Cref|,
	// where Cref is blas64.Gemm's product in float64 of the same inputs
	// (math.MaxFloat64 when the product held NaN or Inf).
	MaxRelErr float64 `json:"max_rel_err"`
	// Wrong marks a contender whose product was off by more than the
	// tolerance, or that panicked; Err says why.
	Wrong bool   `json:"wrong,omitempty"`
	Err   string `json:"error,omitempty"`
}

// Wrong returns the rows marked wrong.
func (r *KernelReport) Wrong() []KernelRow {
	var out []KernelRow
	for _, row := range r.Rows {
		if row.Wrong {
			out = append(out, row)
		}
	}
	return out
}

// RunKernels times cfg.Contenders on cfg.Shapes and checks every product
// against blas64.Gemm in float64. It returns the rows measured so far and
// ctx.Err() when ctx is done; a wrong contender is not an error (see
// KernelReport.Wrong).
func RunKernels(ctx context.Context, cfg KernelConfig) (*KernelReport, error) {
	cfg = cfg.withDefaults()
	if err := cfg.check(); err != nil {
		return nil, err
	}
	rep := &KernelReport{
		Started:     time.Now().UTC(),
		GoVersion:   runtime.Version(),
		GOOS:        runtime.GOOS,
		GOARCH:      runtime.GOARCH,
		NumCPU:      runtime.NumCPU(),
		GOMAXPROCS:  runtime.GOMAXPROCS(0),
		BLAS:        cfg.BLAS,
		Leaf:        kernels.Leaf(),
		Leaf32:      kernels.Leaf32(),
		LeafThreads: LeafThreads(),
		Workers:     cfg.Workers,
		Warmup:      cfg.Warmup,
		Reps:        cfg.Reps,
		Tol64:       cfg.Tol64,
		Tol32:       cfg.Tol32,
		Seed:        cfg.Seed,
		LoadStart:   loadAverage(),
	}
	defer func() { rep.LoadEnd = loadAverage() }()
	if _, src, err := kernels.LeafTable(rep.Leaf); err != nil {
		rep.TableSource, rep.TableError = src, err.Error()
	} else {
		rep.TableSource = src
	}
	for si, s := range cfg.Shapes {
		for _, dt := range cfg.DTypes {
			var cs []*Contender
			for i := range cfg.Contenders {
				c := &cfg.Contenders[i]
				if c.Applies(s) && c.has(dt) {
					cs = append(cs, c)
				}
			}
			if len(cs) == 0 {
				continue
			}
			rows, err := runGroup(ctx, cfg, s, dt, uint64(si), cs)
			rep.Rows = append(rep.Rows, rows...)
			if err != nil {
				return rep, err
			}
		}
	}
	return rep, nil
}

func (cfg KernelConfig) withDefaults() KernelConfig {
	if len(cfg.DTypes) == 0 {
		cfg.DTypes = []DType{F64, F32}
	}
	if cfg.Reps == 0 {
		cfg.Reps = 5
	}
	if cfg.Tol64 == 0 {
		cfg.Tol64 = DefaultTol64
	}
	if cfg.Tol32 == 0 {
		cfg.Tol32 = DefaultTol32
	}
	if cfg.BLAS == "" {
		cfg.BLAS = "gonum"
	}
	return cfg
}

func (cfg KernelConfig) check() error {
	if cfg.Warmup < 0 || cfg.Reps < 1 {
		return fmt.Errorf("bench: warm-up %d and repetitions %d: want at least 0 and 1", cfg.Warmup, cfg.Reps)
	}
	for _, s := range cfg.Shapes {
		if s.N < 1 || s.M < 1 || s.P < 1 {
			return fmt.Errorf("bench: shape %v: sizes must be positive", s)
		}
	}
	seen := map[string]bool{}
	for _, c := range cfg.Contenders {
		if c.Name == "" || seen[c.Name] {
			return fmt.Errorf("bench: contender name %q is empty or repeated", c.Name)
		}
		seen[c.Name] = true
	}
	for _, dt := range cfg.DTypes {
		if dt != F64 && dt != F32 {
			return fmt.Errorf("bench: element type %q: want f64 or f32", dt)
		}
	}
	return nil
}

// problem holds the matrices of one shape and element type, and the checks
// that go with them; the run loop itself does not know the element type.
type problem struct {
	call   func(c *Contender) // c.Mul64 or c.Mul32 on the problem's matrices
	poison func()             // fill C with NaN, so that entries left unset show
	relErr func() float64     // max|C - Cref| / max|Cref|
}

func newProblem(s Shape, dt DType, seed, stream uint64) problem {
	rng := rand.New(rand.NewPCG(seed, stream))
	a64 := blas64.General{Rows: s.N, Cols: s.M, Stride: s.M, Data: make([]float64, s.N*s.M)}
	b64 := blas64.General{Rows: s.M, Cols: s.P, Stride: s.P, Data: make([]float64, s.M*s.P)}
	ref := blas64.General{Rows: s.N, Cols: s.P, Stride: s.P, Data: make([]float64, s.N*s.P)}
	for _, d := range [][]float64{a64.Data, b64.Data} {
		for i := range d {
			d[i] = 2*rng.Float64() - 1
			if dt == F32 {
				d[i] = float64(float32(d[i]))
			}
		}
	}
	blas64.Implementation().Dgemm(blas.NoTrans, blas.NoTrans, s.N, s.P, s.M, 1,
		a64.Data, a64.Stride, b64.Data, b64.Stride, 0, ref.Data, ref.Stride)
	var refMax float64
	for _, v := range ref.Data {
		refMax = max(refMax, math.Abs(v))
	}
	if refMax == 0 {
		refMax = 1
	}
	if dt == F64 {
		c := blas64.General{Rows: s.N, Cols: s.P, Stride: s.P, Data: make([]float64, s.N*s.P)}
		return problem{
			call:   func(k *Contender) { k.Mul64(c, a64, b64) },
			poison: func() { fill(c.Data, math.NaN()) },
			relErr: func() float64 { return relErr(c.Data, ref.Data, refMax) },
		}
	}
	a32 := blas32.General{Rows: s.N, Cols: s.M, Stride: s.M, Data: narrow(a64.Data)}
	b32 := blas32.General{Rows: s.M, Cols: s.P, Stride: s.P, Data: narrow(b64.Data)}
	c := blas32.General{Rows: s.N, Cols: s.P, Stride: s.P, Data: make([]float32, s.N*s.P)}
	return problem{
		call:   func(k *Contender) { k.Mul32(c, a32, b32) },
		poison: func() { fill(c.Data, float32(math.NaN())) },
		relErr: func() float64 { return relErr(c.Data, ref.Data, refMax) },
	}
}

func narrow(x []float64) []float32 {
	y := make([]float32, len(x))
	for i, v := range x {
		y[i] = float32(v)
	}
	return y
}

func fill[T number](x []T, v T) {
	for i := range x {
		x[i] = v
	}
}

// relErr returns max|c - ref| / refMax, or math.MaxFloat64 if c holds a NaN
// or an infinity.
func relErr[T number](c []T, ref []float64, refMax float64) float64 {
	var e float64
	for i, v := range c {
		d := math.Abs(float64(v) - ref[i])
		if !(d <= e) { // also true for NaN
			if math.IsNaN(d) || math.IsInf(d, 0) {
				return math.MaxFloat64
			}
			e = d
		}
	}
	return e / refMax
}

// callSafe runs one product of c on p and returns its wall-clock and
// process CPU time, reporting a panic as an error.
func (p problem) callSafe(c *Contender) (d, cpu time.Duration, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	start, cpu0 := time.Now(), processCPU()
	p.call(c)
	return time.Since(start), processCPU() - cpu0, nil
}

// runGroup times cs at one shape and element type, interleaving the calls.
func runGroup(ctx context.Context, cfg KernelConfig, s Shape, dt DType, stream uint64, cs []*Contender) ([]KernelRow, error) {
	p := newProblem(s, dt, cfg.Seed, stream)
	tol := cfg.Tol64
	if dt == F32 {
		tol = cfg.Tol32
	}
	type acc struct {
		times  []time.Duration
		cpu    []time.Duration // process CPU time of each timed call
		relErr float64
		err    error
	}
	accs := make([]acc, len(cs))
	rounds := cfg.Warmup + cfg.Reps
	for r := 0; r < rounds; r++ {
		if cfg.Status != nil {
			phase := "warm-up"
			if r >= cfg.Warmup {
				phase = fmt.Sprintf("rep %d/%d", r-cfg.Warmup+1, cfg.Reps)
			}
			fmt.Fprintf(cfg.Status, "bench: %v %s: %s over %d contenders\n", s, dt, phase, len(cs))
		}
		for i, c := range cs {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			a := &accs[i]
			if a.err != nil { // a panicking contender is not called again
				continue
			}
			p.poison()
			d, cpu, err := p.callSafe(c)
			if err != nil {
				a.err = err
				continue
			}
			a.relErr = max(a.relErr, p.relErr())
			if r >= cfg.Warmup {
				a.times = append(a.times, d)
				a.cpu = append(a.cpu, cpu)
			}
		}
	}
	rows := make([]KernelRow, len(cs))
	base := -1
	for i, c := range cs {
		if c.Kind == KindGemm && len(accs[i].times) > 0 {
			base = i
			break
		}
	}
	// Per-round ratios, before medianMin sorts the times. A contender that
	// panicked stops early; its rounds still line up with gemm's from the
	// first.
	for i := range cs {
		if base < 0 {
			break
		}
		a, bt := accs[i].times, accs[base].times
		ratios := make([]float64, min(len(a), len(bt)))
		for k := range ratios {
			ratios[k] = bt[k].Seconds() / a[k].Seconds()
		}
		if len(ratios) > 0 {
			slices.Sort(ratios)
			rows[i].RoundSpeedup = median(ratios)
			rows[i].SpeedupLow, rows[i].SpeedupHigh = ratios[0], ratios[len(ratios)-1]
		}
	}
	for i, c := range cs {
		a := accs[i]
		row := KernelRow{
			Shape: s, DType: dt, Contender: c.Name, Kind: c.Kind,
			Rank: c.Rank, Levels: c.Levels, Reps: len(a.times), MaxRelErr: a.relErr,
			RoundSpeedup: rows[i].RoundSpeedup, SpeedupLow: rows[i].SpeedupLow, SpeedupHigh: rows[i].SpeedupHigh,
		}
		if c.Scheme.Valid() {
			row.Scheme = c.Scheme.String()
		}
		if len(a.cpu) > 0 {
			med, _ := medianMin(a.cpu)
			row.CPUSec = med.Seconds()
		}
		if len(a.times) > 0 {
			med, mn := medianMin(a.times)
			row.MedianSec, row.MinSec = med.Seconds(), mn.Seconds()
			row.GFLOPS = s.Flops() / row.MedianSec / 1e9
			row.PeakGFLOPS = s.Flops() / row.MinSec / 1e9
		}
		switch {
		case a.err != nil:
			row.Wrong, row.Err = true, a.err.Error()
		case !(a.relErr <= tol):
			row.Wrong = true
			row.Err = fmt.Sprintf("relative error %.3g above the tolerance %.3g", a.relErr, tol)
			if a.relErr == math.MaxFloat64 {
				row.Err = "product holds NaN or Inf (entries left unset?)"
			}
		}
		rows[i] = row
	}
	if base >= 0 {
		for i := range rows {
			if rows[i].MedianSec > 0 {
				rows[i].Speedup = rows[base].MedianSec / rows[i].MedianSec
			}
			if rows[i].CPUSec > 0 && rows[base].CPUSec > 0 {
				rows[i].CPUSpeedup = rows[base].CPUSec / rows[i].CPUSec
			}
		}
	}
	return rows, nil
}

// loadAverage returns the one-minute load average from /proc/loadavg, or 0
// where it cannot be read.
func loadAverage() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return 0
	}
	l, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return 0
	}
	return l
}

// medianMin returns the median (the mean of the middle two for an even
// count) and the minimum of ts, which it sorts.
func medianMin(ts []time.Duration) (med, mn time.Duration) {
	slices.Sort(ts)
	n := len(ts)
	if n%2 == 1 {
		return ts[n/2], ts[0]
	}
	return (ts[n/2-1] + ts[n/2]) / 2, ts[0]
}

// MaxSize is the largest matrix dimension ParseSizes accepts: three
// float64 matrices of 65536² take 96 GiB.
const MaxSize = 1 << 16

// ParseSizes parses a comma-separated list of sizes ("256,512,1024") or a
// doubling range ("256..4096": 256, 512, ..., 4096). Sizes must be in
// [1, MaxSize].
func ParseSizes(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if lo, hi, ok := strings.Cut(part, ".."); ok {
			a, err1 := parsePositive(lo)
			b, err2 := parsePositive(hi)
			if err := errors.Join(err1, err2); err != nil {
				return nil, fmt.Errorf("sizes %q: %w", s, err)
			}
			if a > b {
				return nil, fmt.Errorf("sizes %q: range %d..%d is empty", s, a, b)
			}
			for n := a; n <= b; n *= 2 {
				out = append(out, n)
			}
			continue
		}
		n, err := parsePositive(part)
		if err != nil {
			return nil, fmt.Errorf("sizes %q: %w", s, err)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("sizes %q: no size given", s)
	}
	return out, nil
}

func parsePositive(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 {
		if errors.Is(err, strconv.ErrRange) {
			return 0, fmt.Errorf("size %q is above the largest size %d", s, MaxSize)
		}
		return 0, fmt.Errorf("size %q is not a positive integer", s)
	}
	if n > MaxSize {
		return 0, fmt.Errorf("size %d is above the largest size %d", n, MaxSize)
	}
	return n, nil
}

// RectShapes returns, for every kernel contender of a non-square scheme
// n×m×p and every size, the shape (n·k, m·k, p·k) with k = size / max(n, m,
// p): a product whose largest dimension is about size and whose blocks fit
// the scheme. Shapes repeat neither within nor across schemes.
func RectShapes(cs []Contender, sizes []int) []Shape {
	var out []Shape
	seen := map[Shape]bool{}
	for _, c := range cs {
		f := c.Scheme
		if c.Kind != KindKernel || !f.Valid() || (f.N == f.M && f.M == f.P) {
			continue
		}
		for _, n := range sizes {
			k := n / max(f.N, f.M, f.P)
			if k < 1 {
				continue
			}
			s := Shape{f.N * k, f.M * k, f.P * k}
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}
