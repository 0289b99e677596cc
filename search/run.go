package search

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/alphamat/alphamat/search/cyclic"
	"github.com/alphamat/alphamat/search/flip"
	"github.com/alphamat/alphamat/search/lift"
	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/search/ternary"
	"github.com/alphamat/alphamat/search/transpose"
	"github.com/alphamat/alphamat/tensorgame"
)

// Stats is a snapshot of a running search.
type Stats struct {
	Best        int           // best rank held over the run's field (0: none yet)
	BestZ2      int           // best rank over Z2 (the Z2 walkers' pool; 0 without Z2 walkers)
	Target      int           // the target rank (0: none)
	Start       int           // the best rank when the run started
	Flips       int64         // flips made by all walkers in this run
	Reductions  int64         // reductions made by all walkers
	Plus        int64         // plus transitions made by all walkers
	Restarts    int64         // walks started from a pool scheme (attempts)
	Epochs      int64         // search restarts after a stall (see Tuning.StallRatio)
	Plateau     int64         // longest current plateau among the walkers, in flips
	Lifts       int64         // Z2 schemes given to lift (field Z)
	Lifted      int64         // of which lifted to Z
	Elapsed     time.Duration // time since the run started
	FlipsPerSec float64       // over the whole run
}

// Stop says why a run ended.
type Stop string

// The reasons a run ends.
const (
	StopTarget   Stop = "target"   // the target rank was reached
	StopTime     Stop = "time"     // Config.Time passed
	StopCanceled Stop = "canceled" // ctx was done
)

// Result is the outcome of a run.
type Result struct {
	Best    *tensorgame.Scheme // the best scheme held over the run's field (verified); nil if none
	Path    string             // the file of Best's rank in the run directory ("" without one)
	Reached bool               // a target was set and Best.Rank() <= Target
	// Stopped says why the run ended.
	Stopped Stop
	// ReachedAfter is the time and the number of flips it took to reach
	// the target (zero when not reached).
	ReachedAfter      time.Duration
	ReachedAfterFlips int64
	Workers           int // the number of walkers that ran
	Stats             Stats
	// Warnings name what opening the run directories set aside (a damaged
	// scheme file renamed *.corrupt, see pool.Open); the run went on.
	Warnings []string
}

var (
	_ Walker = (*flip.Walker[[1]uint64])(nil)
	_ Walker = (*ternary.Walker)(nil)
	_ Walker = (*cyclic.Walker[[1]uint64])(nil)
	_ Walker = (*cyclic.Walker[[4]uint64])(nil)
	_ Walker = (*transpose.Walker[[1]uint64])(nil)
	_ Walker = (*transpose.Walker[[4]uint64])(nil)
)

// Run searches for schemes of cfg.Format over cfg.Field until the target is
// reached, the time is up or ctx is done; none of these is an error, and
// Result.Stopped says which. Run returns an error for bad configurations
// (an unsupported format or field, a bad target, a From scheme of another
// format or failing Verify), a run directory it cannot use (see pool.Open;
// nothing in it is changed then) or fails to write, and walker failures.
func Run(ctx context.Context, cfg Config) (Result, error) {
	r, err := newRun(cfg)
	if err != nil {
		return Result{}, err
	}
	res, err := r.run(ctx)
	res.Warnings = r.warnings()
	if cerr := r.close(); err == nil && cerr != nil {
		err = fmt.Errorf("search: %w", cerr)
	}
	return res, err
}

// pools returns the run's pools that may live in run directories: its own
// and its lanes' archives, each once.
func (r *run) pools() []*pool.Pool {
	var ps []*pool.Pool
	add := func(p *pool.Pool) {
		if p != nil && !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	if r == nil {
		return nil
	}
	add(r.pool)
	for _, l := range r.lanes {
		add(l.archive)
	}
	return ps
}

// close releases the run directories' locks (see pool.Pool.Close).
func (r *run) close() error {
	var errs []error
	for _, p := range r.pools() {
		errs = append(errs, p.Close())
	}
	return errors.Join(errs...)
}

// warnings collects what the pools set aside while opening run directories
// (damaged files renamed *.corrupt).
func (r *run) warnings() []string {
	var w []string
	for _, p := range r.pools() {
		w = append(w, p.Warnings()...)
	}
	return w
}

// run is one search: its pools, lanes of walkers and counters.
type run struct {
	cfg       Config
	tune      Tuning
	pool      *pool.Pool // schemes over cfg.Field (on disk with a run directory)
	from      *tensorgame.Scheme
	fromZ2    *tensorgame.Scheme
	starts    []*tensorgame.Scheme // Config.Starts
	startsZ2  []*tensorgame.Scheme // their reductions mod 2
	prev      pool.State
	seed      uint64
	lanes     []*lane     // Z2 run: Z2; Z run: ternary and Z2 (with lifting), or Z2 alone with one worker; symmetric lanes first
	syms      []*symmetry // Config.Cyclic, Config.Transpose
	startRank int
	z2        *lane // the plain Z2 lane, nil without one
	// ternaryLane is the Z lane of a Z run.
	ternaryLane *lane

	start                             time.Time
	flips, reductions, plus, restarts atomic.Int64
	epochs, lifts, lifted             atomic.Int64
	plateau                           []atomic.Int64
	reachedNS, reachedFlips           atomic.Int64
	stop                              context.CancelFunc
	liftq                             *liftQueue
}

func newRun(cfg Config) (*run, error) {
	f := cfg.Format
	if !f.Valid() {
		return nil, fmt.Errorf("search: invalid format %v", f)
	}
	if err := flip.Supports(f); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	r := &run{cfg: cfg, tune: cfg.Tuning.withDefaults()}
	if cfg.Field != tensorgame.Z2 && cfg.Field != tensorgame.Z {
		return nil, fmt.Errorf("search: field %v: the flip-graph search works over Z2 and Z", cfg.Field)
	}
	if err := ternary.Supports(f); cfg.Field == tensorgame.Z && err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if cfg.Workers < 0 {
		return nil, fmt.Errorf("search: %d workers: want at least 1", cfg.Workers)
	}
	if r.cfg.Workers == 0 {
		r.cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.StatusEvery <= 0 {
		r.cfg.StatusEvery = time.Second
	}
	startRank := f.Naive()
	if s := cfg.From; s != nil {
		z2, err := checkStart(s, f)
		if err != nil {
			return nil, err
		}
		r.fromZ2 = z2
		if s.Field == cfg.Field {
			r.from = s
		}
		startRank = s.Rank()
	}
	for _, s := range cfg.Starts {
		z2, err := checkStart(s, f)
		if err != nil {
			return nil, err
		}
		r.starts = append(r.starts, s)
		r.startsZ2 = append(r.startsZ2, z2)
	}
	if cfg.Cyclic {
		cyclicOf := cyclicSymmetry
		if f.N != f.M || f.M != f.P {
			cyclicOf = cyclicAbove
		}
		y, err := cyclicOf(f)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		r.syms = append(r.syms, y)
	}
	if cfg.Transpose {
		y, err := transposeSymmetry(f)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		r.syms = append(r.syms, y)
	}
	if cfg.Target < 0 {
		return nil, fmt.Errorf("search: target rank %d is below 1", cfg.Target)
	}
	if cfg.Target > startRank {
		return nil, fmt.Errorf("search: target rank %d is above the start rank %d", cfg.Target, startRank)
	}
	return r, nil
}

// checkStart verifies a start scheme s for format f and returns its
// reduction mod 2, verified.
func checkStart(s *tensorgame.Scheme, f tensorgame.Format) (*tensorgame.Scheme, error) {
	if s.Format != f {
		return nil, fmt.Errorf("search: start scheme is of format %v, not %v", s.Format, f)
	}
	z2, err := lift.Mod2(s)
	if err != nil {
		return nil, fmt.Errorf("search: start scheme: %w", err)
	}
	if s.Field != tensorgame.Z2 {
		z2.Origin = tensorgame.Derive(tensorgame.MoveMod2, s)
	}
	return z2, nil
}

// open opens the run's pool (the run directory), stores the start scheme
// and sets up the lanes of walkers.
func (r *run) open() error {
	if err := r.openPool(); err != nil {
		return err
	}
	z2Seeds, zSeeds, err := r.seeds()
	if err != nil {
		return err
	}
	z2Starts, zStarts, err := r.extraStarts()
	if err != nil {
		return err
	}
	symStarts := make([][][]*tensorgame.Scheme, len(r.syms))
	for i, y := range r.syms {
		ss, err := r.symStarts(y, z2Starts, z2Seeds)
		if err != nil {
			return err
		}
		symStarts[i] = ss
	}
	z2Starts = append(z2Starts, z2Seeds)
	zStarts = append(zStarts, zSeeds)
	if r.cfg.Field == tensorgame.Z2 {
		r.z2 = r.newLane(tensorgame.Z2, r.pool, z2Starts)
		r.z2.sink = runSink{r}
		r.lanes = []*lane{r.z2}
		return r.addSymmetric(r.pool, symStarts)
	}
	r.ternaryLane = r.newLane(tensorgame.Z, r.pool, zStarts)
	r.ternaryLane.sink = runSink{r}
	// The pool replaces the oldest scheme of a full rank, so that lifting
	// keeps seeing new ones.
	z2 := pool.New(r.cfg.Format, tensorgame.Z2, pool.Options{PerRank: r.tune.PerRank, Depth: 8, Replace: true})
	for _, s := range z2Seeds {
		if _, err := z2.Add(s); err != nil {
			return fmt.Errorf("search: %w", err)
		}
	}
	r.z2 = r.newLane(tensorgame.Z2, z2, z2Starts)
	r.z2.sink = liftSink{r, z2}
	r.z2.liftPlateau = true
	if r.cfg.Workers >= 2 {
		r.lanes = []*lane{r.ternaryLane, r.z2}
	} else {
		// One worker: Z2 walks with lifting, which reach the published
		// ranks where ternary walks alone stall (docs/experiments.md,
		// "One worker over Z").
		r.lanes = []*lane{r.z2}
	}
	return r.addSymmetric(z2, symStarts)
}

// openPool opens the run's pool (the run directory, or one in memory) and
// stores the start scheme, or the standard algorithm in a new run.
func (r *run) openPool() error {
	cfg := r.cfg
	opts := r.tune.poolOptions()
	if cfg.RunDir != "" {
		p, err := pool.Open(cfg.RunDir, cfg.Format, cfg.Field, opts)
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		r.pool = p
		r.prev, _ = p.State()
	} else {
		r.pool = pool.New(cfg.Format, cfg.Field, opts)
	}
	switch {
	case r.from != nil:
		if _, err := r.pool.Add(r.annotate(r.from.Clone(), "start scheme")); err != nil {
			return fmt.Errorf("search: %w", err)
		}
	case r.fromZ2 != nil && cfg.Field == tensorgame.Z2:
		if _, err := r.pool.Add(r.annotate(r.fromZ2.Clone(), "start scheme, reduced mod 2")); err != nil {
			return fmt.Errorf("search: %w", err)
		}
	}
	if r.pool.Best() == 0 {
		std := tensorgame.Standard(cfg.Format, cfg.Field)
		std.Origin = tensorgame.Derive(tensorgame.MoveStandard)
		if _, err := r.pool.Add(r.annotate(std, "the standard algorithm")); err != nil {
			return fmt.Errorf("search: %w", err)
		}
	}
	return nil
}

// seeds returns what the epochs of the Z2 lane and, in a Z run, of the
// ternary lane start from besides Config.Starts: the given scheme or,
// without one, the best schemes of the pool (the standard algorithm in a
// new run).
func (r *run) seeds() (z2Seeds, zSeeds []*tensorgame.Scheme, err error) {
	if r.fromZ2 != nil {
		z2Seeds = []*tensorgame.Scheme{r.fromZ2}
	} else {
		for _, s := range r.pool.Schemes(r.pool.Best()) {
			z2, err := tensorgame.ReduceMod2(s)
			if err != nil {
				return nil, nil, fmt.Errorf("search: %w", err)
			}
			z2Seeds = append(z2Seeds, z2)
		}
	}
	if r.cfg.Field != tensorgame.Z {
		return z2Seeds, nil, nil
	}
	// A Z run: ternary walkers on the run's pool, and Z2 walkers whose
	// schemes, kept in memory, are lifted.
	if r.from != nil && ternaryOK(r.from) {
		zSeeds = []*tensorgame.Scheme{r.from}
	} else if r.from == nil {
		for _, s := range r.pool.Schemes(r.pool.Best()) {
			if ternaryOK(s) {
				zSeeds = append(zSeeds, s)
			}
		}
	}
	if len(zSeeds) == 0 {
		zSeeds = []*tensorgame.Scheme{tensorgame.Standard(r.cfg.Format, tensorgame.Z)}
	}
	return z2Seeds, zSeeds, nil
}

// extraStarts stores Config.Starts in the pool and returns them as starts
// of the Z2 and ternary lanes, the lowest rank first: epochs take turns
// between them, first (a start that is a trap stalls fast, having gained
// nothing), and the seeds. In a Z run given a Z2 search's best and a
// composite, the Z2 walkers so start on the best's plateau, whose schemes
// go to the lifter.
func (r *run) extraStarts() (z2Starts, zStarts [][]*tensorgame.Scheme, err error) {
	field := r.cfg.Field
	for i, s := range r.starts {
		z2Starts = append(z2Starts, []*tensorgame.Scheme{r.startsZ2[i]})
		if field == tensorgame.Z && ternaryOK(s) {
			zStarts = append(zStarts, []*tensorgame.Scheme{s})
		}
		keep := s
		if s.Field != field {
			if field != tensorgame.Z2 {
				continue
			}
			keep = r.startsZ2[i]
		}
		if _, err := r.pool.Add(r.annotate(keep.Clone(), "extra start scheme")); err != nil {
			return nil, nil, fmt.Errorf("search: %w", err)
		}
	}
	byRank := func(a, b []*tensorgame.Scheme) int { return a[0].Rank() - b[0].Rank() }
	slices.SortStableFunc(z2Starts, byRank)
	slices.SortStableFunc(zStarts, byRank)
	return z2Starts, zStarts, nil
}

// symStarts returns the starts of a lane of symmetry y: the symmetric
// ones of the extra starts, the fresh starts of the symmetry (the cyclic
// paired diagonal start, cyclic.PairedStart, and for a composite size the
// product start, cyclic.ProductStart), the symmetric ones of seeds,
// else the best symmetric schemes of the pool (a run directory may hold
// plain walks' schemes below them), and the standard algorithm last, once
// (in a fresh run it is the pool's); pickStart chooses between them. A
// fresh descent is where the symmetric lane finds what the plain one
// cannot (a resumed 5x5x5 run whose cyclic lane only restarted from its
// best symmetric schemes, 101, made 734 epochs in 3.5 minutes without a
// gain).
func (r *run) symStarts(y *symmetry, extra [][]*tensorgame.Scheme, seeds []*tensorgame.Scheme) ([][]*tensorgame.Scheme, error) {
	var out [][]*tensorgame.Scheme
	if y.above {
		// Of a larger format: the fresh starts and its standard algorithm.
		for _, s := range y.fresh {
			out = append(out, []*tensorgame.Scheme{s})
		}
		return append(out, []*tensorgame.Scheme{tensorgame.Standard(y.format, tensorgame.Z2)}), nil
	}
	for _, ss := range extra {
		if y.isSymmetric(ss[0]) {
			out = append(out, ss)
		}
	}
	for _, s := range y.fresh {
		p, err := tensorgame.Permute(s, r.cfg.Format)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		out = append(out, []*tensorgame.Scheme{p})
	}
	var own []*tensorgame.Scheme
	for _, s := range seeds {
		if y.isSymmetric(s) {
			own = append(own, s)
		}
	}
	if len(own) == 0 && r.fromZ2 == nil {
		for _, rank := range slices.Sorted(maps.Keys(r.pool.Len())) {
			for _, s := range r.pool.Schemes(rank) {
				if z2, err := tensorgame.ReduceMod2(s); err == nil && y.isSymmetric(z2) {
					own = append(own, z2)
				}
			}
			if len(own) > 0 {
				break
			}
		}
	}
	if len(own) > 0 {
		out = append(out, own)
	}
	// The standard algorithm once: in a fresh run it is already the pool's.
	std := tensorgame.Standard(r.cfg.Format, tensorgame.Z2)
	if !slices.ContainsFunc(own, std.Equal) {
		out = append(out, []*tensorgame.Scheme{std})
	}
	return out, nil
}

// addSymmetric puts a lane for each of the run's symmetries, with the
// given starts, first among the lanes: their walkers keep the schemes
// symmetric, store what they find in archive and feed each new best to the
// plain Z2 lane as a start. A symmetry above the run's format has an
// archive of its own, in the subdirectory of the run directory named for
// its format (pool.RunName), and feeds restrictions.
func (r *run) addSymmetric(archive *pool.Pool, starts [][][]*tensorgame.Scheme) error {
	if len(r.syms) == 0 {
		return nil
	}
	var syms []*lane
	for i, y := range r.syms {
		c := r.newLane(tensorgame.Z2, archive, starts[i])
		c.sym = y
		c.feed = r.z2
		c.picker = &byResult{step: y.step}
		c.sink = offerSink{to: r.z2, next: r.z2.sink}
		if y.above {
			c.format = y.format
			opts := r.tune.poolOptions()
			c.archive = pool.New(y.format, tensorgame.Z2, opts)
			if r.cfg.RunDir != "" {
				p, err := pool.Open(filepath.Join(r.cfg.RunDir, pool.RunName(y.format, tensorgame.Z2)), y.format, tensorgame.Z2, opts)
				if err != nil {
					return fmt.Errorf("search: %w", err)
				}
				c.archive = p
			}
			c.sink = restrictSink{archive: c.archive, to: r.z2}
		} else if err := r.keepFresh(c); err != nil {
			return err
		}
		syms = append(syms, c)
	}
	// Workers take the lanes in turn: the first symmetric lane, the plain
	// Z2 lane it feeds, then ternary walks (Z run, from the third worker
	// on) and the other symmetric lanes.
	r.lanes = []*lane{syms[0], r.z2}
	if syms[0].sym.above && r.cfg.Workers == 1 {
		// What a lane above finds reaches the run's format only through
		// the plain lane.
		r.lanes = []*lane{r.z2, syms[0]}
	}
	if r.cfg.Field == tensorgame.Z && r.cfg.Workers > len(syms)+1 {
		r.lanes = append(r.lanes, r.ternaryLane)
	}
	r.lanes = append(r.lanes, syms[1:]...)
	return nil
}

// ternaryOK reports whether s is over Z with coefficients in {-1, 0, 1},
// where the ternary walkers can start.
func ternaryOK(s *tensorgame.Scheme) bool {
	n, d := s.MaxAbs()
	return s.Field == tensorgame.Z && n <= 1 && d == 1
}

func (r *run) annotate(s *tensorgame.Scheme, what string) *tensorgame.Scheme {
	s.Comments = append(s.Comments, fmt.Sprintf("alphamat search %v over %v: %s", r.cfg.Format, r.cfg.Field, what))
	return s
}

// mix is splitmix64's finaliser: distinct seeds for the walkers of a run.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func (r *run) reached() bool {
	return r.cfg.Target > 0 && r.pool.Best() > 0 && r.pool.Best() <= r.cfg.Target
}

func (r *run) run(parent context.Context) (Result, error) {
	if err := r.open(); err != nil {
		return Result{}, err
	}
	r.start = time.Now()
	r.startRank = r.pool.Best()
	// A resumed run draws new walks.
	r.seed = mix(r.cfg.Seed ^ uint64(r.prev.Starts)<<40)
	r.prev.Starts++
	r.prev.Seed = r.cfg.Seed
	if err := r.pool.SaveState(r.prev); err != nil {
		return Result{}, fmt.Errorf("search: %w", err)
	}
	ctx, stop := context.WithCancel(parent)
	defer stop()
	if r.cfg.Time > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.cfg.Time)
		defer cancel()
	}
	r.stop = stop
	r.plateau = make([]atomic.Int64, r.cfg.Workers)
	for _, l := range r.lanes {
		ep, err := l.newEpoch()
		if err != nil {
			return Result{}, err
		}
		l.ep.Store(ep)
	}
	if r.reached() {
		stop()
	}

	g, gctx := errgroup.WithContext(ctx)
	statusDone := make(chan struct{})
	var statusWG sync.WaitGroup
	statusWG.Add(1)
	go func() {
		defer statusWG.Done()
		r.statusLoop(statusDone)
	}()
	if r.cfg.Field == tensorgame.Z && r.z2 != nil {
		r.liftq = newLiftQueue()
		// Extra starts over Z2 (a Z2 search's best, say) are lifted first.
		for _, s := range r.starts {
			if s.Field == tensorgame.Z2 && (r.pool.Best() == 0 || s.Rank() < r.pool.Best()) {
				r.liftq.push(s)
			}
		}
		g.Go(func() error { return r.lifter(gctx) })
	}
	for i := range r.cfg.Workers {
		seed := mix(r.seed + uint64(i))
		l := r.lanes[i%len(r.lanes)]
		g.Go(func() error { return r.walker(gctx, l, i, seed) })
	}
	err := g.Wait()
	close(statusDone)
	statusWG.Wait()

	res := Result{Stats: r.stats(), Workers: r.cfg.Workers}
	if err != nil {
		r.saveState(res.Stats)
		return res, err
	}
	switch {
	case r.reached():
		res.Stopped = StopTarget
		res.Reached = true
		res.ReachedAfter = time.Duration(r.reachedNS.Load())
		res.ReachedAfterFlips = r.reachedFlips.Load()
	case parent.Err() != nil:
		res.Stopped = StopCanceled
	default:
		res.Stopped = StopTime
	}
	if s := r.pool.BestScheme(); s != nil {
		res.Best = s.Clone()
		res.Path = r.pool.Path(s.Rank())
	}
	if err := r.saveState(res.Stats); err != nil {
		return res, err
	}
	if r.cfg.Status != nil {
		r.cfg.Status(res.Stats)
	}
	return res, nil
}

func (r *run) saveState(st Stats) error {
	s := r.prev
	s.Flips += st.Flips
	s.Elapsed += st.Elapsed.Seconds()
	if err := r.pool.SaveState(s); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	return nil
}

func (r *run) stats() Stats {
	st := Stats{
		Best:       r.pool.Best(),
		Target:     r.cfg.Target,
		Start:      r.startRank,
		Flips:      r.flips.Load(),
		Reductions: r.reductions.Load(),
		Plus:       r.plus.Load(),
		Restarts:   r.restarts.Load(),
		Epochs:     r.epochs.Load(),
		Lifts:      r.lifts.Load(),
		Lifted:     r.lifted.Load(),
		Elapsed:    time.Since(r.start),
	}
	if r.z2 != nil {
		st.BestZ2 = r.z2.archive.Best()
	}
	for i := range r.plateau {
		st.Plateau = max(st.Plateau, r.plateau[i].Load())
	}
	if s := st.Elapsed.Seconds(); s > 0 {
		st.FlipsPerSec = float64(st.Flips) / s
	}
	return st
}

// statusLoop calls cfg.Status and saves the state file every
// StatusEvery (the state file at most every 10 s) until done is closed.
func (r *run) statusLoop(done <-chan struct{}) {
	t := time.NewTicker(r.cfg.StatusEvery)
	defer t.Stop()
	lastSave := time.Now()
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		st := r.stats()
		if r.cfg.Status != nil {
			r.cfg.Status(st)
		}
		if time.Since(lastSave) >= 10*time.Second {
			lastSave = time.Now()
			// A failure here shows again, and is returned, at the end.
			_ = r.saveState(st)
		}
	}
}

// markReached records when the target was first reached and stops the run.
func (r *run) markReached() {
	if !r.reached() {
		return
	}
	if r.reachedNS.CompareAndSwap(0, int64(max(time.Since(r.start), 1))) {
		r.reachedFlips.Store(r.flips.Load())
	}
	r.stop()
}
