package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/alphamat/alphamat/search/flip"
	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/search/ternary"
	"github.com/alphamat/alphamat/tensorgame"
)

// liftEvery is the fewest chunks of flips (about a million flips, tens of
// milliseconds, about what one lift of a 3x4x5 scheme takes) between two
// plateau schemes a Z2 walker of a Z run hands to the lifter; it hands the
// next one at the first chunk end after that at which it sits below the
// best rank over Z.
const liftEvery = 64

// lane is one kind of walker (Z2 or ternary) with the pools it works on:
// the archive (the run's pool, or the Z2 schemes of a Z run) keeps what
// the lane found; each epoch has a pool of its own that the walkers start
// from.
type lane struct {
	r     *run
	field tensorgame.Field
	// format is the format the walkers walk and the epochs' pools hold:
	// the run's, or for a lane of a symmetry above it that symmetry's.
	format  tensorgame.Format
	archive *pool.Pool
	// starts holds where epochs start (Config.Starts by rank, then the
	// run's own start), picker which of them the next epoch starts from.
	starts [][]*tensorgame.Scheme
	picker startPicker
	// sink takes what the lane finds and its ended epochs.
	sink sink
	// liftPlateau: a Z2 lane of a Z run, which hands schemes of its
	// plateaus below the best rank over Z to the lifter.
	liftPlateau bool
	// sym, when non-nil, is the symmetry the lane's walkers keep
	// (search/cyclic, search/transpose), and feed the plain lane its sink
	// offers the schemes it finds, or hands restrictions to.
	sym  *symmetry
	feed *lane
	// offered holds the schemes offered to this lane: all of one rank,
	// the lowest offered, at most maxOffered of them.
	offerMu sync.Mutex
	offered []*tensorgame.Scheme
	// restricted holds restrictions to the run's format of the best
	// schemes of the latest epochs of a lane of a symmetry above it (see
	// restrictSink), newest first, at most maxRestricted: epochs take
	// turns between these, one each, and the lane's starts.
	restricted []*tensorgame.Scheme
	flips      atomic.Int64 // flips made by the lane's walkers
	lubyN      atomic.Int64 // epochs made, for their Luby minimum
	ep         atomic.Pointer[epoch]
}

func (r *run) newLane(field tensorgame.Field, archive *pool.Pool, starts [][]*tensorgame.Scheme) *lane {
	return &lane{r: r, field: field, format: r.cfg.Format, archive: archive, starts: starts, picker: &roundRobin{}}
}

func (l *lane) newWalker(seed uint64) (Walker, error) {
	t := l.r.tune
	if l.field == tensorgame.Z {
		return ternary.New(l.format, seed, ternary.Options{PlusAfter: t.PlusAfter, Extra: t.PlusMax + 2})
	}
	if l.sym != nil {
		// A plus transition of a symmetric walker adds an orbit.
		return l.sym.newWalker(l.format, seed, t.PlusAfter, l.sym.step*(t.PlusMax+2))
	}
	return flip.New(l.format, seed, flip.Options{PlusAfter: t.PlusAfter, Extra: t.PlusMax + 2})
}

// move is the provenance of the schemes the lane's walks find.
func (l *lane) move() tensorgame.Move {
	switch {
	case l.field == tensorgame.Z:
		return tensorgame.MoveTernaryFlips
	case l.sym != nil:
		return l.sym.move
	}
	return tensorgame.MoveFlips
}

// plusStep is how much a plus transition raises the rank: an orbit (3
// terms for cyclic walkers, 2 for transpose walkers), else 1. PlusMax
// counts plus transitions.
func (l *lane) plusStep() int {
	if l.sym != nil {
		return l.sym.step
	}
	return 1
}

// kind names the lane's walks in the comments of the schemes they find.
func (l *lane) kind() string {
	if l.sym != nil {
		return l.sym.kind()
	}
	return fmt.Sprintf("flip-graph walk over %v", l.field)
}

// walker runs walks with one walker of lane l until ctx is done. A walk
// starts from a random scheme of the epoch's pool at its level (see levels)
// and goes on past every reduction, reporting each new best of the walk at
// once, for as long as it keeps improving: it ends after max(PathLimit, the
// flips it took to reach its best) flips without going below that best.
//
// Plus transitions adapt to the format: a walk first descends without them,
// since on large formats reductions come tens of millions of flips apart and
// a plus transition every few thousand flips keeps the walk above its best
// for ever (5x5x5 from the standard algorithm: rank 125 for 175 million
// flips with them, 114 in 50 seconds without). Only when no reduction has
// come for max(PlusAfter, Tuning.DescentStall times the mean number of
// flips per improvement of its descent) flips does the walk switch plus
// transitions on, for the rest of the walk. A walk that has not improved
// yet uses the walker's estimate from its last descent; with none (a start
// at a local optimum, like a composite start), PathLimit/16 flips.
func (r *run) walker(ctx context.Context, l *lane, id int, seed uint64) error {
	w, err := l.newWalker(seed)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	t := r.tune
	rng := rand.New(rand.NewPCG(seed, 0x706f6f6c))
	var lastF, lastR, lastP int64
	var est int64              // mean flips per improvement of the last descent, 0: none yet
	var chunks, nextLift int64 // calls of Walk; when to hand the lifter a plateau scheme next
	for ctx.Err() == nil {
		ep := l.ep.Load()
		start := ep.pool.Pick(rng, ep.levels.level(ep.pool))
		if err := w.Start(start); err != nil {
			return fmt.Errorf("search: walker %d: %w", id, err)
		}
		if w.Rank() < start.Rank() {
			// Start simplified the scheme (terms that cancel or merge): a
			// scheme of its own, which no walk from it would report.
			if err := l.found(ep, w.Scheme(), start, seed); err != nil {
				return fmt.Errorf("search: walker %d: %w", id, err)
			}
		}
		r.restarts.Add(1)
		w.SetPlusAfter(-1)
		plus := false
		rank0 := w.Rank()
		best := rank0
		// walked: flips of this walk; atBest: when it reached best.
		var walked, atBest int64
		for ctx.Err() == nil && l.ep.Load() == ep {
			n := w.Walk(t.Chunk, best-1, best+l.plusStep()*t.PlusMax)
			walked += n
			f, red, pl, plat := w.Counts()
			r.flips.Add(f - lastF)
			l.flips.Add(f - lastF)
			r.reductions.Add(red - lastR)
			r.plus.Add(pl - lastP)
			lastF, lastR, lastP = f, red, pl
			r.plateau[id].Store(plat)
			if w.Rank() < best {
				best = w.Rank()
				atBest = walked
				if !plus {
					est = walked / int64(rank0-best)
				}
				if err := l.found(ep, w.Scheme(), start, seed); err != nil {
					return fmt.Errorf("search: walker %d: %w", id, err)
				}
				continue
			}
			chunks++
			if l.liftPlateau && chunks >= nextLift && w.Rank() < r.pool.Best() {
				nextLift = chunks + liftEvery
				// A Z run whose Z2 walker sits below the best rank over Z:
				// the schemes of the plateau differ in whether they lift,
				// so one now and then goes to the lifter.
				s := w.Scheme()
				s.Origin = l.origin(start, seed)
				s.Comments = append(slices.Clone(ep.comments), s.Comments...)
				r.liftq.push(r.annotate(s, fmt.Sprintf("%s on a plateau, seed %d", l.kind(), seed)))
			}
			stuck := walked - atBest
			wait := t.PathLimit / 16 // no estimate: a start at a local optimum
			if est > 0 {
				wait = int64(t.DescentStall * float64(est))
			}
			if !plus && t.PlusAfter > 0 && stuck > max(t.PlusAfter, wait) {
				plus = true
				w.SetPlusAfter(t.PlusAfter)
			}
			if n == 0 || stuck > max(t.PathLimit, atBest) {
				break
			}
		}
		ep.levels.result(rank0, best < rank0)
		if err := l.checkStall(ep); err != nil {
			return err
		}
	}
	return nil
}

// origin is the provenance of a scheme a walk of the lane found from the
// start scheme start with the given seed.
func (l *lane) origin(start *tensorgame.Scheme, seed uint64) *tensorgame.Origin {
	o := tensorgame.Derive(l.move(), start)
	o.Params = map[string]string{"seed": strconv.FormatUint(seed, 10)}
	return o
}

// found stores a scheme a walk reached from a higher rank, from the start
// scheme start: in the epoch's pool, and in the lane's sink.
func (l *lane) found(ep *epoch, s, start *tensorgame.Scheme, seed uint64) error {
	r := l.r
	s.Origin = l.origin(start, seed)
	s.Comments = append(slices.Clone(ep.comments), s.Comments...)
	s = r.annotate(s, fmt.Sprintf("%s, seed %d", l.kind(), seed))
	before := ep.pool.Best()
	if _, err := ep.pool.Add(s); err != nil {
		return err
	}
	if s.Rank() < before {
		ep.improved.Store(l.flips.Load())
	}
	return l.sink.keep(s)
}

// epoch is one descent of a lane: its own pool of schemes and diversity
// levels, started from one of the lane's starts in turn (see
// Tuning.StallRatio).
type epoch struct {
	top      int      // the rank the epoch started from
	comments []string // of its start, when that is one of Config.Starts
	pool     *pool.Pool
	levels   *levels
	start    int64        // lane flips when the epoch started
	improved atomic.Int64 // lane flips when the epoch's best rank last improved
	// stallMin is the epoch's least patience in flips: Tuning.StallMin
	// times the Luby sequence at the lane's epoch count (see checkStall).
	stallMin int64
	// from is the index of the epoch's start among those the lane's
	// picker picked from (see newEpoch); -1 for an epoch from a scheme
	// offered while another ran (see offer).
	from  int
	ended atomic.Bool // claimed by the walker that ends the epoch
}

// newEpoch returns the lane's next epoch, from the start the lane's picker
// picks among the schemes offered to the lane, if any, the restrictions
// handed to it and its starts.
func (l *lane) newEpoch() (*epoch, error) {
	starts := l.starts
	l.offerMu.Lock()
	if len(l.restricted) > 0 {
		var rs [][]*tensorgame.Scheme
		for _, s := range l.restricted {
			rs = append(rs, []*tensorgame.Scheme{s})
		}
		starts = append(rs, starts...)
	}
	if len(l.offered) > 0 {
		starts = append([][]*tensorgame.Scheme{slices.Clone(l.offered)}, starts...)
	}
	l.offerMu.Unlock()
	k := l.picker.pick(len(starts))
	// Every start but the run's own (the last) is one of Config.Starts or
	// offered: what is found carries its comments, like "derived: direct
	// sum ...".
	ep, err := l.epochFrom(starts[k], k < len(starts)-1)
	if err != nil {
		return nil, err
	}
	ep.from = k
	return ep, nil
}

// epochFrom returns a new epoch of the lane started from the schemes ss.
func (l *lane) epochFrom(ss []*tensorgame.Scheme, keepComments bool) (*epoch, error) {
	t := l.r.tune
	ep := &epoch{
		pool:     pool.New(l.format, l.field, t.poolOptions()),
		levels:   newLevels(t),
		start:    l.flips.Load(),
		stallMin: t.StallMin * luby(l.lubyN.Add(1)),
		from:     -1,
	}
	ep.improved.Store(ep.start)
	if keepComments {
		ep.comments = ss[0].Comments
	}
	for _, s := range ss {
		if _, err := ep.pool.Add(s); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
	}
	ep.top = ep.pool.Best()
	return ep, nil
}

// maxOffered bounds the schemes offered to a lane at one rank.
const maxOffered = 32

// offer makes s, found by a symmetric lane, a start of lane l when it is at or
// below the rank of the schemes offered so far: later epochs take turns
// starting from those, and one below the current epoch's best starts a new
// epoch from it at once. Plain flips undo the symmetry and often reduce at
// once, but how far depends on the scheme: from a symmetric 5x5x5 scheme of
// rank 100 (4 fixed terms, 32 orbits) plain walks reached 96 within a
// second, from others of rank 101 (5 fixed terms) 99, hence several.
func (l *lane) offer(s *tensorgame.Scheme) {
	l.offerMu.Lock()
	switch {
	case len(l.offered) == 0 || s.Rank() < l.offered[0].Rank():
		l.offered = []*tensorgame.Scheme{s}
	case s.Rank() == l.offered[0].Rank() && len(l.offered) < maxOffered &&
		!slices.ContainsFunc(l.offered, s.Equal):
		l.offered = append(l.offered, s)
	default:
		l.offerMu.Unlock()
		return
	}
	l.offerMu.Unlock()
	cur := l.ep.Load()
	if cur == nil || s.Rank() >= cur.pool.Best() {
		return
	}
	next, err := l.epochFrom([]*tensorgame.Scheme{s}, true)
	if err != nil {
		return // s verified when the pool took it
	}
	if l.ep.CompareAndSwap(cur, next) {
		l.r.epochs.Add(1)
	}
}

// handOver hands ep, an epoch of the lane that has just ended, to the
// lane's sink: a lane of a symmetry above the run's format hands the
// restrictions of its best schemes to the lane it feeds (see restrictSink).
func (l *lane) handOver(ep *epoch) error { return l.sink.ended(ep) }

// stallGaps is how many mean gaps between two improvements of an epoch
// make it stalled, whatever StallRatio says: formats with a dimension 5 gain
// a rank every few tens of millions of flips, and a restart from the
// standard algorithm after 10 million flips without one threw every gain
// away (2x5x5: rank 48 in 30 s with 2 workers; 42 in 15 s without epochs).
const stallGaps = 16

// checkStall starts a new epoch when ep has stalled; a lane of a symmetry
// above the run's format then hands the restrictions of ep's best schemes
// over to the lane it feeds.
func (l *lane) checkStall(ep *epoch) error {
	t := l.r.tune
	if t.StallRatio < 0 {
		return nil
	}
	last := ep.improved.Load()
	limit := max(ep.stallMin, int64(t.StallRatio*float64(last-ep.start)))
	if gained := ep.top - ep.pool.Best(); gained > 0 {
		// Gaps between reductions: a symmetric walker's lower the rank by
		// an orbit.
		gaps := max(1, gained/l.plusStep())
		limit = max(limit, stallGaps*(last-ep.start)/int64(gaps))
	}
	if l.flips.Load()-last <= limit || !ep.ended.CompareAndSwap(false, true) {
		return nil
	}
	l.record(ep)
	next, err := l.newEpoch()
	if err != nil {
		return nil // the seeds verified when the run started; they cannot fail now
	}
	if !l.ep.CompareAndSwap(ep, next) {
		return nil
	}
	l.r.epochs.Add(1)
	if err := l.handOver(ep); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	return nil
}

// pickStart returns the index in l.starts of the start of the lane's next
// epoch (see startPicker).
func (l *lane) pickStart() int { return l.picker.pick(len(l.starts)) }

// record adds what ep, an epoch of the lane that has ended, spent and
// reached to its start's record in the lane's picker: its best rank, or one
// orbit above its start when it found nothing below it (a start at a local
// optimum, like the best schemes of a resumed run).
func (l *lane) record(ep *epoch) {
	if ep.from < 0 {
		return
	}
	res := ep.pool.Best()
	if res >= ep.top {
		res = ep.top + l.plusStep()
	}
	l.picker.record(ep.from, res, l.flips.Load()-ep.start)
}

// luby returns the i-th term (i >= 1) of the Luby sequence 1, 1, 2, 1, 1,
// 2, 4, 1, 1, 2, 1, 1, 2, 4, 8, ... (Luby, Sinclair & Zuckerman 1993), the
// restart schedule that is within a log factor of the best fixed one for
// any run-time distribution. Epochs that start at a local optimum (an
// offered scheme, a composite, a resumed pool) gain nothing for their
// first StallMin flips and used to end there: a 3x5x5 run from a composite
// of rank 61 made 150-220 epochs of about 20 million flips in 150 s and
// never worked on its best plateau (60) for longer.
func luby(i int64) int64 {
	for {
		k := int64(1)
		for (int64(1)<<k)-1 < i {
			k++
		}
		if i == (int64(1)<<k)-1 {
			return int64(1) << (k - 1)
		}
		i -= (int64(1) << (k - 1)) - 1
	}
}

// levels tracks the diversity wanted at each rank of an epoch (see
// Tuning.Diversity and Tuning.FailLimit).
type levels struct {
	base, most, failLimit int
	mu                    sync.Mutex
	need                  map[int]int // rank -> schemes wanted before starting there
	fails                 map[int]int // rank -> failed attempts in a row
}

func newLevels(t Tuning) *levels {
	return &levels{base: t.Diversity, most: max(t.PerRank, t.Diversity), failLimit: t.FailLimit,
		need: map[int]int{}, fails: map[int]int{}}
}

// level returns the rank to start the next attempt from.
func (l *levels) level(p *pool.Pool) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return p.Level(func(r int) int {
		if n, ok := l.need[r]; ok {
			return n
		}
		return l.base
	})
}

// result records an attempt from rank r and whether it found a lower rank.
func (l *levels) result(r int, ok bool) {
	if l.failLimit < 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if ok {
		l.fails[r] = 0
		return
	}
	l.fails[r]++
	if l.fails[r] >= l.failLimit {
		l.fails[r] = 0
		n := l.need[r]
		if n == 0 {
			n = l.base
		}
		l.need[r] = min(2*n, l.most)
	}
}
