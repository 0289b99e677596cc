package search

import (
	"fmt"
	"slices"

	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/tensorgame"
)

// sink is where a lane puts what it finds besides its epochs' pools.
type sink interface {
	// keep takes a scheme a walk of the lane found.
	keep(s *tensorgame.Scheme) error
	// ended takes an epoch of the lane that has just ended.
	ended(ep *epoch) error
}

// addNew adds s to p when p wants its rank, and reports whether p took it.
func addNew(p *pool.Pool, s *tensorgame.Scheme) (bool, error) {
	if !p.Wants(s.Rank()) {
		return false, nil
	}
	return p.Add(s)
}

// runSink keeps schemes in the run's pool (and so the run directory).
type runSink struct{ r *run }

func (k runSink) keep(s *tensorgame.Scheme) error {
	added, err := addNew(k.r.pool, s)
	if added {
		k.r.markReached()
	}
	return err
}

func (runSink) ended(*epoch) error { return nil }

// liftSink keeps the Z2 schemes of a Z run in archive and hands those
// below the best rank over Z to the lifter.
type liftSink struct {
	r       *run
	archive *pool.Pool
}

func (k liftSink) keep(s *tensorgame.Scheme) error {
	added, err := addNew(k.archive, s)
	if err != nil || !added {
		return err
	}
	if b := k.r.pool.Best(); b > 0 && s.Rank() >= b {
		return nil
	}
	k.r.liftq.push(s)
	return nil
}

func (liftSink) ended(*epoch) error { return nil }

// offerSink offers what a symmetric lane finds to the plain lane to as a
// start (see lane.offer), and keeps it as next does.
type offerSink struct {
	to   *lane
	next sink
}

func (k offerSink) keep(s *tensorgame.Scheme) error {
	k.to.offer(s)
	return k.next.keep(s)
}

func (offerSink) ended(*epoch) error { return nil }

// restrictSink keeps what a lane of a symmetry above the run's format finds
// in the lane's own archive (of the larger format: nothing to lift) and
// hands the restrictions of an ended epoch's best schemes to the plain
// lane to (see ended).
type restrictSink struct {
	archive *pool.Pool
	to      *lane
}

func (k restrictSink) keep(s *tensorgame.Scheme) error {
	_, err := addNew(k.archive, s)
	return err
}

// maxRestricted bounds the restrictions a lane takes turns starting from,
// and perEpoch the ones an epoch of a lane above hands over.
const (
	maxRestricted = 32
	perEpoch      = 4
)

// ended makes the restrictions to the run's format of the best schemes of
// ep starts of k.to, in place of the oldest ones. A restriction's quality
// depends on the lineage of the larger scheme more than on its rank (4x5x5
// from the cyclic 5x5x5 schemes of 20 short runs of one worker: 76 within
// 11 s from those of four runs, whose bests were 93, 99, 99 and 102; 77-84
// from the others, at 99-108), hence many, an epoch each.
func (k restrictSink) ended(ep *epoch) error {
	var batch []*tensorgame.Scheme
	for _, s := range ep.pool.Schemes(ep.pool.Best()) {
		if len(batch) == perEpoch {
			break
		}
		t, err := tensorgame.RestrictTo(s, k.to.format)
		if err != nil {
			return err
		}
		if err := tensorgame.Verify(t); err != nil {
			return fmt.Errorf("restriction of a %v scheme of rank %d fails verification: %w", s.Format, s.Rank(), err)
		}
		if !slices.ContainsFunc(batch, t.Equal) {
			batch = append(batch, t)
		}
	}
	if len(batch) == 0 {
		return nil
	}
	f := k.to
	f.offerMu.Lock()
	f.restricted = append(batch, f.restricted...)
	f.restricted = f.restricted[:min(len(f.restricted), maxRestricted)]
	f.offerMu.Unlock()
	return nil
}
