package search

import (
	"context"
	"errors"
	"time"

	"github.com/alphamat/alphamat/tensorgame"
)

// Config describes one search run. The zero values of the optional fields
// are sensible defaults.
type Config struct {
	Format tensorgame.Format
	Field  tensorgame.Field // Z2 (flip walks) or Z (ternary walks plus lifting of Z2 schemes)
	// Target is the rank to reach; the run stops when it holds a scheme of
	// rank <= Target. 0: search until the context is done or Time is up.
	Target int
	// Time bounds the run (0: no bound).
	Time time.Duration
	// Workers is the number of walkers (default GOMAXPROCS).
	Workers int
	// Seed seeds the walkers; with Workers 1 a run is reproducible.
	Seed uint64
	// From, when non-nil, is the start scheme (verified, of Format); else
	// the run starts from its pool (run directory) or the standard algorithm.
	From *tensorgame.Scheme
	// RunDir is the run directory ("": keep the pool in memory only).
	RunDir string
	// Status, when non-nil, is called about every StatusEvery (default 1 s)
	// from a separate goroutine with a snapshot of the counters.
	Status      func(Stats)
	StatusEvery time.Duration
}

// Stats is a snapshot of a running search.
type Stats struct {
	Best        int           // best rank held (0: none yet)
	Flips       int64         // flips made by all walkers
	Reductions  int64         // reductions made by all walkers
	Plus        int64         // plus transitions made by all walkers
	Plateau     int64         // longest current plateau among walkers, in flips
	Elapsed     time.Duration // time since the run started
	FlipsPerSec float64       // over the last status interval
}

// Result is the outcome of a run.
type Result struct {
	Best    *tensorgame.Scheme // the best scheme held (verified)
	Path    string             // where Best is stored in the run directory ("" without one)
	Reached bool               // Best.Rank() <= Target (false when Target is 0)
	Stats   Stats
}

// Run searches for schemes of cfg.Format over cfg.Field until the target is
// reached, the time is up or ctx is done; the last two are not errors. It
// returns an error for bad configurations and failures of the run directory.
func Run(ctx context.Context, cfg Config) (Result, error) {
	return Result{}, errors.New("search: not built yet (issue 3)")
}
