package search

import (
	"math"
	"sync"
	"sync/atomic"
)

// startPicker picks the start of a lane's next epoch among n starts and
// learns what the epochs from each start reached.
type startPicker interface {
	// pick returns the index, below n, of the next epoch's start.
	pick(n int) int
	// record adds an ended epoch from start k that made flips flips and
	// reached rank res.
	record(k, res int, flips int64)
}

// roundRobin takes the starts in turn.
type roundRobin struct {
	n atomic.Int64 // epochs picked
}

func (p *roundRobin) pick(n int) int { return int(p.n.Add(1)-1) % n }

func (p *roundRobin) record(int, int, int64) {}

// share is what the epochs from one start have spent and reached.
type share struct {
	picked int   // epochs started from it
	epochs int   // of which ended
	flips  int64 // made by the lane during those
	best   int   // the lowest result of those (see byResult.record)
}

// byResult gives each start's epochs a share of the lane's flips that
// halves with each step ranks (an orbit of a symmetric lane) its best
// result is above the best of all starts; a start not tried yet comes
// first. Descents of one symmetric start can be far better than another's,
// and taking turns would give the worse start most of the time
// (docs/experiments.md, "Cyclic walkers on 5x5x5", shares against turns).
type byResult struct {
	step   int
	mu     sync.Mutex
	shares []share
}

func (p *byResult) pick(n int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.shares) != n {
		p.shares = make([]share, n)
	}
	lowest := 0
	for i, s := range p.shares {
		if s.picked == 0 {
			p.shares[i].picked++
			return i
		}
		if s.epochs > 0 && (lowest == 0 || s.best < lowest) {
			lowest = s.best
		}
	}
	k, cost := 0, math.Inf(1)
	for i, s := range p.shares {
		c := 0.0 // a start whose epoch has not ended yet
		if s.epochs > 0 {
			c = float64(s.flips) * math.Exp2(float64(s.best-lowest)/float64(p.step))
		}
		if c < cost {
			k, cost = i, c
		}
	}
	p.shares[k].picked++
	return k
}

func (p *byResult) record(k, res int, flips int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := &p.shares[k]
	if s.epochs == 0 || res < s.best {
		s.best = res
	}
	s.epochs++
	s.flips += flips
}
