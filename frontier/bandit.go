package frontier

import (
	"math"

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
	// Reward is the recent rate of progress, in ranks per second of
	// search: an exponential moving average over the searches (weight
	// Decay for the newest), so that a format that stopped paying loses its
	// turn.
	Reward float64 `json:"reward"`
	// Fresh is set when a meta move improved the format since its last
	// search: its new schemes wait for flip walks.
	Fresh bool `json:"fresh,omitempty"`
	// Unsupported is set, for this process only, when the search refused
	// the format: the catalogue and meta moves only, for now.
	Unsupported string `json:"-"`
}

// Decay is the weight of the newest search in Arm.Reward.
const Decay = 0.5

// Scheduler picks the next format to search: a bandit over arms (formats ×
// fields) whose reward is the rank taken off per second of search. It is
// not safe for concurrent use.
type Scheduler struct {
	Arms []*Arm
	// Explore scales the UCB bonus (default 1).
	Explore float64
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
//  3. Else UCB1: the arm with the largest Reward + Explore·s·√(2 ln N / n)
//     (N searches in all, n of this arm, s the largest Reward of any arm or
//     1/60 rank per second if none has one), where an arm a meta move made
//     Fresh counts as earning s; ties go to the larger Urgency.
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
	better := func(a, b *Arm) bool { // a before b on a tie of scores
		ua, ub := Urgency(a.Key, gap(a.Key)), Urgency(b.Key, gap(b.Key))
		if ua != ub {
			return ua > ub
		}
		return catalogue.Compare(a.Key, b.Key) < 0
	}
	for _, a := range open {
		if a.Pulls == 0 && (best == nil || best.Pulls > 0 || better(a, best)) {
			best = a
		}
	}
	if best != nil && best.Pulls == 0 {
		return best
	}
	total, scale := 0, 0.0
	for _, a := range s.Arms {
		total += a.Pulls
		scale = math.Max(scale, a.Reward)
	}
	if scale == 0 {
		scale = 1.0 / 60
	}
	explore := s.Explore
	if explore == 0 {
		explore = 1
	}
	bestScore := math.Inf(-1)
	best = nil
	for _, a := range open {
		mean := a.Reward
		if a.Fresh {
			mean = math.Max(mean, scale)
		}
		score := mean + explore*scale*math.Sqrt(2*math.Log(float64(max(total, 1)))/float64(a.Pulls))
		if score > bestScore+1e-12 || math.Abs(score-bestScore) <= 1e-12 && better(a, best) {
			best, bestScore = a, score
		}
	}
	return best
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

// Record books a search of a that took gained ranks off in seconds.
func (s *Scheduler) Record(a *Arm, gained int, seconds float64) {
	rate := float64(gained) / math.Max(seconds, 1e-3)
	if a.Pulls == 0 {
		a.Reward = rate
	} else {
		a.Reward = Decay*rate + (1-Decay)*a.Reward
	}
	a.Pulls++
	a.Seconds += seconds
	a.Gained += gained
	a.Fresh = false
}
