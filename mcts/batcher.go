package mcts

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/alphamat/alphamat/tensorgame"
)

// ErrClosed is returned by Batcher.EvaluateState after Close.
var ErrClosed = errors.New("mcts: batcher closed")

// Batcher gathers single-state requests from many search goroutines into
// batched Evaluate calls (KataGo's NNEvaluator): each caller blocks on its
// own reply channel while server goroutines pop up to MaxBatch waiting
// requests and evaluate them at once. Batches form because many searchers
// wait at the same time; the searchers never build a batch themselves.
type Batcher struct {
	ev       Evaluator
	maxBatch int
	queue    chan *request
	done     chan struct{}
	wg       sync.WaitGroup
	pool     sync.Pool

	mu     sync.RWMutex // held for reading while a request is queued
	closed bool

	calls  atomic.Int64
	states atomic.Int64
}

type request struct {
	ctx   context.Context
	state tensorgame.State
	reply chan reply
}

type reply struct {
	policy Policy
	value  float64
	err    error
}

// NewBatcher starts servers goroutines (at least 1) that evaluate batches
// of at most maxBatch states (at least 1) with ev. Call Close to stop them.
func NewBatcher(ev Evaluator, maxBatch, servers int) *Batcher {
	maxBatch = max(maxBatch, 1)
	servers = max(servers, 1)
	b := &Batcher{
		ev:       ev,
		maxBatch: maxBatch,
		queue:    make(chan *request, maxBatch*servers),
		done:     make(chan struct{}),
	}
	b.pool.New = func() any { return &request{reply: make(chan reply, 1)} }
	b.wg.Add(servers)
	for range servers {
		go b.serve()
	}
	return b
}

// EvaluateState queues state and waits for its evaluation. The state is
// read by a server goroutine while the caller waits; the caller must not
// change it until EvaluateState returns.
func (b *Batcher) EvaluateState(ctx context.Context, state tensorgame.State) (Policy, float64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	r := b.pool.Get().(*request)
	r.ctx, r.state = ctx, state
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return nil, 0, ErrClosed
	}
	select {
	case b.queue <- r:
		b.mu.RUnlock()
	case <-ctx.Done():
		b.mu.RUnlock()
		return nil, 0, ctx.Err()
	}
	// Once queued, a request is always answered (servers drain the queue
	// before they stop), so waiting for the reply alone cannot hang.
	rep := <-r.reply
	r.ctx, r.state = nil, tensorgame.State{}
	b.pool.Put(r)
	return rep.policy, rep.value, rep.err
}

// Close stops the servers after they have answered every queued request.
// Later calls of EvaluateState return ErrClosed.
func (b *Batcher) Close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.done)
	}
	b.mu.Unlock()
	b.wg.Wait()
}

func (b *Batcher) serve() {
	defer b.wg.Done()
	batch := make([]*request, 0, b.maxBatch)
	states := make([]tensorgame.State, 0, b.maxBatch)
	for {
		batch = batch[:0]
		select {
		case r := <-b.queue:
			batch = append(batch, r)
		case <-b.done:
			// Answer whatever is still queued, then stop.
			for {
				select {
				case r := <-b.queue:
					r.reply <- reply{err: ErrClosed}
				default:
					return
				}
			}
		}
	fill:
		for len(batch) < b.maxBatch {
			select {
			case r := <-b.queue:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		b.run(batch, states[:0])
	}
}

// run evaluates one batch. Requests whose context is already cancelled are
// answered with its error and left out; the batch runs under a context that
// is cancelled only when every remaining caller's is.
func (b *Batcher) run(batch []*request, states []tensorgame.State) {
	live := batch[:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.reply <- reply{err: err}
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	for _, r := range live {
		states = append(states, r.state)
	}
	ctx := live[0].ctx
	if len(live) > 1 {
		ctx = context.WithoutCancel(ctx)
	}
	ps, vs, err := b.ev.Evaluate(ctx, states)
	if err == nil && (len(ps) != len(states) || len(vs) != len(states)) {
		err = errors.New("mcts: evaluator returned a result of the wrong length")
	}
	b.calls.Add(1)
	b.states.Add(int64(len(states)))
	for i, r := range live {
		if err != nil {
			r.reply <- reply{err: err}
			continue
		}
		r.reply <- reply{policy: ps[i], value: vs[i]}
	}
}

// BatchStats counts the work of a Batcher.
type BatchStats struct {
	Calls  int64 // Evaluate calls
	States int64 // states evaluated
}

// MeanBatch returns the average batch size.
func (s BatchStats) MeanBatch() float64 {
	if s.Calls == 0 {
		return 0
	}
	return float64(s.States) / float64(s.Calls)
}

// Stats returns the counts so far.
func (b *Batcher) Stats() BatchStats {
	return BatchStats{Calls: b.calls.Load(), States: b.states.Load()}
}

var _ StateEvaluator = (*Batcher)(nil)
