package bench

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/alphamat/alphamat/ranks"
	"github.com/alphamat/alphamat/search"
	"github.com/alphamat/alphamat/tensorgame"
)

// DefaultSearchFormats returns the formats a search benchmark times when
// SearchConfig.Formats is empty: 2x2x2, 2x2x3, 2x2x4, 2x3x3, 2x3x4, 3x3x3,
// 3x3x4 and 4x4x4, the small ones a flip-graph walk brings to the best rank
// known before AlphaTensor within seconds to minutes.
func DefaultSearchFormats() []tensorgame.Format {
	return []tensorgame.Format{
		{N: 2, M: 2, P: 2}, {N: 2, M: 2, P: 3}, {N: 2, M: 2, P: 4}, {N: 2, M: 3, P: 3},
		{N: 2, M: 3, P: 4}, {N: 3, M: 3, P: 3}, {N: 3, M: 3, P: 4}, {N: 4, M: 4, P: 4},
	}
}

// Searcher runs one search; search.Run is the real one.
type Searcher func(ctx context.Context, cfg search.Config) (search.Result, error)

// Target kinds for SearchConfig.Target.
const (
	TargetPrior = "prior" // the best rank known before AlphaTensor (Fawzi et al. 2022, Fig. 3)
	TargetBest  = "best"  // the best rank known today over the field
)

// SearchConfig describes a search benchmark: every format is searched once
// per seed and walker count, each run from the standard algorithm until it
// reaches the target rank or its time is up.
type SearchConfig struct {
	// Formats to search (default DefaultSearchFormats).
	Formats []tensorgame.Format
	// Field of the search (default Z2).
	Field tensorgame.Field
	// Target is TargetPrior (the default; for 3x3x3 23, for 4x4x4 49),
	// TargetBest, or a number: the rank to reach, for every format.
	Target string
	// Seeds is the number of runs per format (default 3), seeded 1, 2, ....
	Seeds int
	// Time bounds each run (default 1 minute).
	Time time.Duration
	// Workers lists the walker counts to run each format and seed with
	// (default: GOMAXPROCS alone; 1 makes a run reproducible). Several
	// counts, like 1, 2, 4, 8, 16, measure how the search scales with
	// cores: each count gets a row per format.
	Workers []int
	// Cyclic adds cyclic-symmetric walkers (search.Config.Cyclic) to the
	// runs of square formats.
	Cyclic bool
	// Transpose adds transpose-symmetric walkers
	// (search.Config.Transpose) to the runs of formats with two equal
	// sizes.
	Transpose bool
	// Search runs one search (default search.Run).
	Search Searcher
	// Status, when non-nil, receives a line per run.
	Status io.Writer
}

// SearchReport is the outcome of a search benchmark.
type SearchReport struct {
	Started    time.Time   `json:"started"`
	Field      string      `json:"field"`
	Target     string      `json:"target"`
	Seeds      int         `json:"seeds"`
	TimeLimitS float64     `json:"time_limit_s"`
	Workers    []int       `json:"workers,omitempty"` // empty: GOMAXPROCS
	Cyclic     bool        `json:"cyclic,omitempty"`
	Transpose  bool        `json:"transpose,omitempty"`
	GOMAXPROCS int         `json:"gomaxprocs"`
	Rows       []SearchRow `json:"rows"`
	// Scaling holds the rows' speedups (SearchReport.Speedups), one
	// per row; none with one walker count.
	Scaling []Speedup `json:"speedups,omitempty"`
}

// SearchRow summarises the runs of one format with one walker count.
type SearchRow struct {
	Format string `json:"format"`
	// Workers is the walkers of each run (0: GOMAXPROCS).
	Workers int `json:"workers"`
	// Target is the rank the runs tried to reach.
	Target int `json:"target"`
	// Published ranks (0: none): the best known before AlphaTensor,
	// AlphaTensor's over the field, and the best known over the field.
	Prior       int    `json:"prior"`
	AlphaTensor int    `json:"alphatensor"`
	BestKnown   int    `json:"best_known"`
	Source      string `json:"source,omitempty"`
	// Reached counts the runs that reached the target.
	Reached int `json:"reached"`
	// Time to target over all runs, in seconds; a run that did not reach
	// the target counts as +Inf, written in JSON as -1.
	MedianS float64 `json:"median_s"`
	MinS    float64 `json:"min_s"`
	MaxS    float64 `json:"max_s"`
	// FlipsPerSec is the median over the runs of flips per second.
	FlipsPerSec float64 `json:"flips_per_s"`
	// Best is the lowest rank any run reached.
	Best int         `json:"best"`
	Runs []SearchRun `json:"runs"`
}

// SearchRun is one run of one format.
type SearchRun struct {
	Seed        uint64  `json:"seed"`
	Reached     bool    `json:"reached"`
	Stopped     string  `json:"stopped"`
	ReachedS    float64 `json:"reached_s"` // time to the target (0: not reached)
	ElapsedS    float64 `json:"elapsed_s"`
	Flips       int64   `json:"flips"`
	FlipsPerSec float64 `json:"flips_per_s"`
	Best        int     `json:"best"`
	// Trace is the best rank over time, one point per improvement.
	Trace []TracePoint `json:"trace"`
}

// TracePoint is the best rank held at a time into a run.
type TracePoint struct {
	S    float64 `json:"s"`
	Rank int     `json:"rank"`
}

// RunSearches runs the search benchmark. It returns the rows finished so
// far and ctx.Err() when ctx is done, and an error for a bad configuration
// or a failed search.
func RunSearches(ctx context.Context, cfg SearchConfig) (*SearchReport, error) {
	if len(cfg.Formats) == 0 {
		cfg.Formats = DefaultSearchFormats()
	}
	if cfg.Field == 0 {
		cfg.Field = tensorgame.Z2
	}
	if cfg.Target == "" {
		cfg.Target = TargetPrior
	}
	if cfg.Seeds <= 0 {
		cfg.Seeds = 3
	}
	if cfg.Time <= 0 {
		cfg.Time = time.Minute
	}
	if cfg.Search == nil {
		cfg.Search = search.Run
	}
	rep := &SearchReport{
		Started: time.Now().UTC(), Field: cfg.Field.String(), Target: cfg.Target, Seeds: cfg.Seeds,
		TimeLimitS: cfg.Time.Seconds(), Cyclic: cfg.Cyclic, Transpose: cfg.Transpose, GOMAXPROCS: gomaxprocs(),
	}
	counts := slices.Compact(slices.Sorted(slices.Values(cfg.Workers)))
	if len(counts) == 0 {
		counts = []int{0}
	}
	if counts[0] < 0 || counts[0] == 0 && len(counts) > 1 {
		return rep, fmt.Errorf("bench: workers %v: want counts of at least 1, or 0 (GOMAXPROCS) alone", counts)
	}
	if counts[0] > 0 {
		rep.Workers = counts
	}
	for _, f := range cfg.Formats {
		for _, w := range counts {
			row, err := searchFormat(ctx, cfg, f, w)
			if err != nil {
				return rep, err
			}
			rep.Rows = append(rep.Rows, row)
			rep.Scaling = rep.Speedups()
		}
	}
	return rep, nil
}

// target returns the rank to reach for f.
func (cfg SearchConfig) target(f tensorgame.Format, pub ranks.Row, known bool) (int, error) {
	switch cfg.Target {
	case TargetPrior, TargetBest:
		if !known {
			return 0, fmt.Errorf("format %v has no published rank; give a number as the target", f)
		}
		t := pub.Best(cfg.Field)
		if cfg.Target == TargetPrior && pub.Prior > 0 {
			t = max(pub.Prior, t)
		}
		if t == 0 {
			return 0, fmt.Errorf("format %v has no published rank over %v", f, cfg.Field)
		}
		return t, nil
	}
	var t int
	if _, err := fmt.Sscan(cfg.Target, &t); err != nil || t < 1 {
		return 0, fmt.Errorf("target %q: want %s, %s or a positive rank", cfg.Target, TargetPrior, TargetBest)
	}
	return t, nil
}

func searchFormat(ctx context.Context, cfg SearchConfig, f tensorgame.Format, workers int) (SearchRow, error) {
	pub, known := ranks.Lookup(f)
	target, err := cfg.target(f, pub, known)
	if err != nil {
		return SearchRow{}, err
	}
	row := SearchRow{
		Format: f.String(), Workers: workers, Target: target, Prior: pub.Prior,
		AlphaTensor: pub.AlphaTensor(cfg.Field), BestKnown: pub.Best(cfg.Field), Source: pub.Source,
	}
	var times, rates []float64
	for seed := uint64(1); seed <= uint64(cfg.Seeds); seed++ {
		run, err := searchOnce(ctx, cfg, f, workers, target, seed)
		if err != nil {
			return row, err
		}
		if cfg.Status != nil {
			fmt.Fprintf(cfg.Status, "bench: search %v seed %d, %s: best %d (target %d) after %.1fs, %.3g flips/s, %s\n",
				f, seed, workersText(workers), run.Best, target, run.ElapsedS, run.FlipsPerSec, run.Stopped)
		}
		t := math.Inf(1)
		if run.Reached {
			row.Reached++
			t = run.ReachedS
		}
		times = append(times, t)
		rates = append(rates, run.FlipsPerSec)
		if run.Best > 0 && (row.Best == 0 || run.Best < row.Best) {
			row.Best = run.Best
		}
		row.Runs = append(row.Runs, run)
		if err := ctx.Err(); err != nil {
			return row, err
		}
	}
	slices.Sort(times)
	row.MedianS, row.MinS, row.MaxS = jsonSec(median(times)), jsonSec(times[0]), jsonSec(times[len(times)-1])
	slices.Sort(rates)
	row.FlipsPerSec = median(rates)
	return row, nil
}

// searchOnce runs one search and records its trace of best ranks.
func searchOnce(ctx context.Context, cfg SearchConfig, f tensorgame.Format, workers, target int, seed uint64) (SearchRun, error) {
	var mu sync.Mutex
	// The run starts from the standard algorithm (no run directory, no
	// start scheme): rank n·m·p at time 0.
	trace := []TracePoint{{S: 0, Rank: f.Naive()}}
	record := func(st search.Stats) {
		mu.Lock()
		defer mu.Unlock()
		if st.Best > 0 && (len(trace) == 0 || st.Best < trace[len(trace)-1].Rank) {
			trace = append(trace, TracePoint{S: st.Elapsed.Seconds(), Rank: st.Best})
		}
	}
	res, err := cfg.Search(ctx, search.Config{
		Format: f, Field: cfg.Field, Target: target, Time: cfg.Time, Workers: workers, Seed: seed,
		Cyclic:    cfg.Cyclic && f.N == f.M && f.M == f.P,
		Transpose: cfg.Transpose && (f.N == f.M || f.M == f.P || f.N == f.P),
		Status:    record, StatusEvery: 100 * time.Millisecond,
	})
	if err != nil {
		return SearchRun{}, fmt.Errorf("search %v seed %d: %w", f, seed, err)
	}
	run := SearchRun{
		Seed: seed, Reached: res.Reached, Stopped: string(res.Stopped), ElapsedS: res.Stats.Elapsed.Seconds(),
		Flips: res.Stats.Flips, FlipsPerSec: res.Stats.FlipsPerSec, Best: res.Stats.Best,
	}
	if res.Best != nil {
		run.Best = res.Best.Rank()
	}
	if run.FlipsPerSec == 0 && run.ElapsedS > 0 {
		run.FlipsPerSec = float64(run.Flips) / run.ElapsedS
	}
	if res.Reached {
		run.ReachedS = res.ReachedAfter.Seconds()
		if run.ReachedS == 0 {
			run.ReachedS = run.ElapsedS
		}
	}
	mu.Lock()
	run.Trace = slices.Clone(trace)
	mu.Unlock()
	// The status snapshots come every 100 ms; the final rank may be newer.
	if run.Best > 0 && (len(run.Trace) == 0 || run.Best < run.Trace[len(run.Trace)-1].Rank) {
		at := run.ElapsedS
		if res.Reached {
			at = run.ReachedS
		}
		run.Trace = append(run.Trace, TracePoint{S: at, Rank: run.Best})
	}
	return run, nil
}

// workersText says how many walkers a run has: "4 workers", or
// "GOMAXPROCS workers" for 0.
func workersText(w int) string {
	if w == 0 {
		return "GOMAXPROCS workers"
	}
	if w == 1 {
		return "1 worker"
	}
	return fmt.Sprintf("%d workers", w)
}

// median returns the median of sorted xs (the mean of the middle two for an
// even count).
func median(xs []float64) float64 {
	n := len(xs)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// jsonSec maps +Inf (not reached) to -1, which JSON can hold.
func jsonSec(s float64) float64 {
	if math.IsInf(s, 0) || math.IsNaN(s) {
		return -1
	}
	return s
}
