package agent

import (
	"context"
	"sync"

	"github.com/alphamat/alphamat/mcts"
	"github.com/alphamat/alphamat/tensorgame"
)

// HeldOutResult is the outcome of SolveHeldOut.
type HeldOutResult struct {
	Problems, Solved int
	// ByRank[r] counts problems and solutions of rank r: [problems, solved].
	ByRank map[int][2]int
	// FoundRanks is the sum over the solved problems of the rank of the
	// decomposition found (at most the demonstration's: the step limit).
	FoundRanks int
	Search     mcts.Stats
}

// MeanFound returns the mean rank of the decompositions found (0 when
// none was).
func (r HeldOutResult) MeanFound() float64 {
	if r.Solved == 0 {
		return 0
	}
	return float64(r.FoundRanks) / float64(r.Solved)
}

// SolveHeldOut plays one game on each demonstration's tensor with the step
// limit set to its number of terms, and counts the games whose search
// reaches a zero residual within that limit (a decomposition at least as
// short as the demonstration's). Games run workers at a time against ev.
func SolveHeldOut(ctx context.Context, demos []*Demo, field tensorgame.Field, ev mcts.StateEvaluator, cfg mcts.Config, workers int, seed uint64) (HeldOutResult, error) {
	cfg.StopOnSolve = true
	res := HeldOutResult{ByRank: map[int][2]int{}}
	var mu sync.Mutex
	next := 0
	err := mcts.Run(ctx, workers, ev, func(int) (mcts.Job, bool) {
		mu.Lock()
		defer mu.Unlock()
		if next == len(demos) {
			return mcts.Job{}, false
		}
		d := demos[next]
		next++
		g := &tensorgame.Game{Target: d.Tensor, Field: field, MaxSteps: d.Rank()}
		return mcts.Job{Game: g, Config: cfg, Seed: seed + uint64(next), Tag: d}, true
	}, func(job mcts.Job, r *mcts.Result) error {
		d := job.Tag.(*Demo)
		c := res.ByRank[d.Rank()]
		c[0]++
		res.Problems++
		if r.Best != nil {
			c[1]++
			res.Solved++
			res.FoundRanks += len(r.Best)
		}
		res.ByRank[d.Rank()] = c
		res.Search.Add(r.Stats)
		return nil
	})
	return res, err
}
