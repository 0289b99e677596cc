package search

import (
	"context"
	"fmt"
	"time"

	"github.com/alphamat/alphamat/tensorgame"
)

// TimeToRank runs a search of format f over field in memory (no run
// directory), from the standard algorithm, with the given number of
// workers and seed, until it holds a scheme of rank <= target or ctx is
// done. It returns the time and the flips (all walkers together) it took to
// reach the target, and an error when the target was not reached. It is
// what BenchmarkTimeToRank measures; `alphamat bench search` (package
// bench) calls Run itself, with a run directory and its own Config.
func TimeToRank(ctx context.Context, f tensorgame.Format, field tensorgame.Field, target, workers int, seed uint64) (time.Duration, int64, error) {
	if target < 1 {
		return 0, 0, fmt.Errorf("search: target rank %d is below 1", target)
	}
	res, err := Run(ctx, Config{Format: f, Field: field, Target: target, Workers: workers, Seed: seed})
	if err != nil {
		return 0, 0, err
	}
	if !res.Reached {
		best := 0
		if res.Best != nil {
			best = res.Best.Rank()
		}
		return 0, res.Stats.Flips, fmt.Errorf("search: %v over %v: target %d not reached (best %d, %s after %v)",
			f, field, target, best, res.Stopped, res.Stats.Elapsed.Round(time.Millisecond))
	}
	return res.ReachedAfter, res.ReachedAfterFlips, nil
}
