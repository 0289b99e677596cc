package search

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/alphamat/alphamat/search/lift"
	"github.com/alphamat/alphamat/tensorgame"
)

// liftQueue holds the Z2 schemes of a Z run waiting to be lifted, at most
// liftQueueLen; the lifter takes the lowest rank first, and a full queue
// drops its highest rank.
type liftQueue struct {
	mu    sync.Mutex
	items []*tensorgame.Scheme
	ready chan struct{} // holds a token while items is not empty
}

const liftQueueLen = 64

func newLiftQueue() *liftQueue { return &liftQueue{ready: make(chan struct{}, 1)} }

// push queues s for lifting.
func (q *liftQueue) push(s *tensorgame.Scheme) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) >= liftQueueLen {
		hi := 0
		for i, t := range q.items {
			if t.Rank() > q.items[hi].Rank() {
				hi = i
			}
		}
		if q.items[hi].Rank() <= s.Rank() {
			return
		}
		q.items[hi] = s
	} else {
		q.items = append(q.items, s)
	}
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// pop returns the queued scheme of lowest rank (the oldest among equals),
// waiting for one until ctx is done (then nil).
func (q *liftQueue) pop(ctx context.Context) *tensorgame.Scheme {
	for {
		q.mu.Lock()
		if len(q.items) > 0 {
			lo := 0
			for i, t := range q.items {
				if t.Rank() < q.items[lo].Rank() {
					lo = i
				}
			}
			s := q.items[lo]
			q.items = append(q.items[:lo], q.items[lo+1:]...)
			if len(q.items) > 0 {
				select {
				case q.ready <- struct{}{}:
				default:
				}
			}
			q.mu.Unlock()
			return s
		}
		q.mu.Unlock()
		select {
		case <-ctx.Done():
			return nil
		case <-q.ready:
		}
	}
}

// lifter lifts the queued Z2 schemes of a Z run to Z and stores those that
// lift (with coefficients in Z) in the run's pool.
func (r *run) lifter(ctx context.Context) error {
	for i := uint64(0); ; i++ {
		s := r.liftq.pop(ctx)
		if s == nil {
			return nil
		}
		if b := r.pool.Best(); b > 0 && s.Rank() >= b {
			continue
		}
		r.lifts.Add(1)
		z, err := lift.Lift(ctx, s, lift.Options{IntegerOnly: true, Seed: r.seed + i})
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, lift.ErrNotLiftable) || errors.Is(err, lift.ErrUndecided) {
				continue
			}
			return fmt.Errorf("search: lift: %w", err)
		}
		if z.Field != tensorgame.Z {
			continue
		}
		r.lifted.Add(1)
		z.Origin = tensorgame.Derive(tensorgame.MoveLift, s)
		z.Comments = append(z.Comments, fmt.Sprintf("alphamat search %v over Z: lifted from a flip-graph walk over Z2", r.cfg.Format))
		if _, err := r.pool.Add(z); err != nil {
			return fmt.Errorf("search: %w", err)
		}
		r.markReached()
	}
}
