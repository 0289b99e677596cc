package mcts

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/alphamat/alphamat/tensorgame"
)

// Job is one game for Run to play.
type Job struct {
	// Game is the game to play.
	Game *tensorgame.Game
	// Config sets the search of this game.
	Config Config
	// Seed seeds the game's random source.
	Seed uint64
	// Tag is any value of the caller's, handed back with the result (for
	// example the tensorgame.TensorBasis the target was changed by).
	Tag any
	// Finisher, if set, is offered the states the search expands
	// (Search.SetFinisher).
	Finisher Finisher
}

// Run plays games with workers goroutines (at least 1) until next reports
// no more jobs or ctx ends. next is called concurrently and must be safe
// for that; done is called once per finished game, never concurrently, and
// an error from it stops the run. Games cut short by ctx are not reported.
// Run returns the first error of a game, of done, or ctx's error.
func Run(ctx context.Context, workers int, ev StateEvaluator, next func(worker int) (Job, bool), done func(Job, *Result) error) error {
	if workers < 1 {
		return fmt.Errorf("mcts: %d workers, want at least 1", workers)
	}
	g, gctx := errgroup.WithContext(ctx)
	var mu sync.Mutex
	for w := range workers {
		g.Go(func() error {
			for gctx.Err() == nil {
				job, ok := next(w)
				if !ok {
					return nil
				}
				rng := rand.New(rand.NewPCG(job.Seed, job.Seed^0x9e3779b97f4a7c15))
				s := NewSearch(job.Game, ev, job.Config, rng)
				s.SetFinisher(job.Finisher)
				res, err := s.Play(gctx)
				if err != nil {
					if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
						return gctx.Err()
					}
					return fmt.Errorf("game %d: %w", job.Seed, err)
				}
				mu.Lock()
				err = done(job, res)
				mu.Unlock()
				if err != nil {
					return err
				}
			}
			return gctx.Err()
		})
	}
	err := g.Wait()
	if err == nil {
		err = ctx.Err()
	}
	return err
}
