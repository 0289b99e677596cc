package frontier

import (
	"math"
	"time"

	"github.com/alphamat/alphamat/frontier/catalogue"
)

// Arm is one format and field the scheduler can search, with what its
// searches have earned.
type Arm struct {
	Key catalogue.Key `json:"-"`
	// Pulls is the number of searches made, Seconds their time.
	Pulls   int     `json:"pulls"`
	Seconds float64 `json:"seconds"`
	// Gained is the ranks the searches took off.
	Gained int `json:"gained"`
	// Slice is the time of the arm's next search, in seconds (0: the
	// scheduler's Base). It doubles after a search that took nothing off,
	// up to the scheduler's MaxSlice, and stays after one that paid: an
	// arm that keeps being picked without gain gets ever longer walks
	// rather than ever more restarts.
	Slice float64 `json:"slice,omitempty"`
	// Idle is the time searched since the arm's rank last went down (by
	// its own search, or by a meta move: Fresh).
	Idle float64 `json:"idle,omitempty"`
	// Fresh is set when the arm's rank went down by a meta move (or, for
	// an arm over Z, when the rank over Z2 went below it: its schemes wait
	// for lifting) since its last search: its new schemes wait for flip
	// walks, and Pick counts it as not idle.
	Fresh bool `json:"fresh,omitempty"`
	// FreshRank is the best rank of the arm's fresh lineage (searches
	// from the standard algorithm in a pool of their own; 0: none yet).
	FreshRank int `json:"fresh_rank,omitempty"`
	// Unsupported is set, for this process only, when the search refused
	// the format: the catalogue and meta moves only, for now.
	Unsupported string `json:"-"`
}

// Scheduler picks the next format to search and the time of its search.
// It is not safe for concurrent use.
type Scheduler struct {
	Arms []*Arm
	// Base is the time of an arm's first search (default 10 s), MaxSlice
	// the most an arm's Slice grows to (default 16·Base).
	Base, MaxSlice time.Duration
}

// Pick returns the arm to search next, or nil when no arm can be searched.
// gap returns an arm's rank minus its best known rank. The rule:
//
//  1. Arms at or below the best known rank (gap <= 0) wait while any other
//     arm can be searched.
//  2. Among the others, an arm never searched comes first, the largest
//     Urgency first (ties: the smaller format, then Z2 before Z): small
//     formats, cheap to walk, whose improvements the meta moves carry to
//     the large ones, before large formats that the meta moves have not
//     already brought near their best known rank.
//  3. Else the arm of least Effort: the time its current rank will have
//     had after its next search, Idle (0 when Fresh) plus its slice,
//     times its format's Cost. Each open arm so gets search time in
//     inverse proportion to its Cost while its rank stands, and an arm
//     whose rank went down (by its search or a meta move) is searched
//     again at once. Ties go to the smaller format, then Z2 before Z.
func (s *Scheduler) Pick(gap func(catalogue.Key) int) *Arm {
	var open []*Arm
	for _, a := range s.Arms {
		if a.Unsupported == "" && gap(a.Key) > 0 {
			open = append(open, a)
		}
	}
	if len(open) == 0 {
		for _, a := range s.Arms {
			if a.Unsupported == "" {
				open = append(open, a)
			}
		}
	}
	if len(open) == 0 {
		return nil
	}
	var best *Arm
	for _, a := range open {
		if a.Pulls > 0 {
			continue
		}
		if best == nil {
			best = a
			continue
		}
		ua, ub := Urgency(a.Key, gap(a.Key)), Urgency(best.Key, gap(best.Key))
		if ua > ub || ua == ub && catalogue.Compare(a.Key, best.Key) < 0 {
			best = a
		}
	}
	if best != nil {
		return best
	}
	bestEffort := math.Inf(1)
	for _, a := range open {
		e := s.Effort(a)
		if e < bestEffort*(1-1e-12) || e <= bestEffort*(1+1e-12) && catalogue.Compare(a.Key, best.Key) < 0 {
			best, bestEffort = a, e
		}
	}
	return best
}

// Effort is what Pick minimises among arms searched before: a's Idle time
// (0 when Fresh) plus the time of its next search, in seconds, times its
// format's Cost.
func (s *Scheduler) Effort(a *Arm) float64 {
	idle := a.Idle
	if a.Fresh {
		idle = 0
	}
	return (idle + s.SliceOf(a).Seconds()) * Cost(a.Key)
}

// Cost is the prior cost of a second of search of k's format, relative
// to other formats: n·m·p/27, since a flip's cost and the number of flips
// a walk needs grow with the format. The gap does not enter: the last
// ranks of a small gap proved as dear as the first ones of a large gap,
// and a large format that the meta moves carry down to the formats below
// it (5x5x5 to 4x5x5, 3x5x5 and 4x4x5 by restriction) must not starve
// (docs/experiments.md, frontier, "Starts that reach the walkers, fresh
// lineages, time to the large formats"). Each open arm so gets search
// time in inverse proportion to its size while its rank stands: 3x3x6
// (54) four times as much as 6x6x6 (216).
func Cost(k catalogue.Key) float64 {
	return float64(k.Format.Naive()) / 27
}

// Urgency is how much a search of k's format is expected to pay before any
// search of it: its gap to the best known rank over the cost of taking
// ranks off, (n·m·p)², since both a flip's cost and the number of flips a
// walk needs grow with the format. A format still at the standard
// algorithm has urgency about 0.3/(n·m·p): the smallest first.
func Urgency(k catalogue.Key, gap int) float64 {
	c := float64(k.Format.Naive())
	return float64(gap) / (c * c)
}

func (s *Scheduler) base() time.Duration {
	if s.Base > 0 {
		return s.Base
	}
	return 10 * time.Second
}

func (s *Scheduler) maxSlice() time.Duration {
	if s.MaxSlice > 0 {
		return max(s.MaxSlice, s.base())
	}
	return 16 * s.base()
}

// SliceOf returns the time of a's next search: its Slice, within Base and
// MaxSlice.
func (s *Scheduler) SliceOf(a *Arm) time.Duration {
	d := time.Duration(a.Slice * float64(time.Second))
	return min(max(d, s.base()), s.maxSlice())
}

// Record books a search of a that took gained ranks off in seconds: its
// Idle time starts again when its rank went down (gained > 0, or Fresh),
// and its slice doubles (up to MaxSlice) when the search gained nothing.
func (s *Scheduler) Record(a *Arm, gained int, seconds float64) {
	a.Pulls++
	a.Seconds += seconds
	a.Gained += gained
	switch {
	case gained > 0:
		a.Idle = 0
	case a.Fresh:
		a.Idle = seconds
	default:
		a.Idle += seconds
	}
	slice := s.SliceOf(a)
	if gained <= 0 {
		slice = min(2*slice, s.maxSlice())
	}
	a.Slice = slice.Seconds()
	a.Fresh = false
}
