package search

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/alphamat/alphamat/search/flip"
	"github.com/alphamat/alphamat/search/lift"
	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/tensorgame"
)

// Config describes one search run. The zero values of the optional fields
// are sensible defaults.
type Config struct {
	Format tensorgame.Format
	// Field is Z2 (flip walks over Z2) or Z (flip walks over Z2 whose
	// schemes are lifted to Z by search/lift).
	Field tensorgame.Field
	// Target is the rank to reach: the run stops when it holds a scheme of
	// rank <= Target. 0: no target (search until Time is up or ctx is
	// done). A target below 0 or above the start rank is an error.
	Target int
	// Time bounds the run (0: no bound).
	Time time.Duration
	// Workers is the number of walkers (default GOMAXPROCS).
	Workers int
	// Seed seeds the walkers; with Workers 1 a fresh run is reproducible.
	Seed uint64
	// From, when non-nil, is the start scheme, of Format, verified by Run
	// (a Z or Q scheme is reduced mod 2 for the Z2 walkers). Without it the
	// run starts from its pool (run directory) or the standard algorithm.
	From *tensorgame.Scheme
	// RunDir is the run directory ("": the pool is kept in memory only).
	RunDir string
	// Status, when non-nil, is called about every StatusEvery (default 1 s)
	// from a separate goroutine with a snapshot of the counters.
	Status      func(Stats)
	StatusEvery time.Duration
	// Tuning holds the knobs of the walk; its zero value gives defaults.
	Tuning Tuning
}

// Tuning holds the knobs of the walk. Zero values give the defaults.
type Tuning struct {
	// Chunk is the number of flips a walker makes between two looks at
	// the pool (default 16384).
	Chunk int64
	// PlusAfter is the number of flips without a reduction after which a
	// walker makes a plus transition (default 10000; negative: never).
	PlusAfter int64
	// PlusMax bounds plus transitions to PlusMax ranks above the best
	// (default 2).
	PlusMax int
	// PathLimit is the number of flips a walker makes without improving on
	// the best rank of its path before it restarts from a pool scheme
	// (default 50 million; negative: never).
	PathLimit int64
	// AddEvery is the number of flips between two reports of schemes at the
	// best rank, which keep the pool diverse (default 1 million).
	AddEvery int64
	// PerRank and Depth bound the pool (see pool.Options).
	PerRank, Depth int
}

func (t Tuning) withDefaults() Tuning {
	if t.Chunk <= 0 {
		t.Chunk = 1 << 14
	}
	if t.PlusAfter == 0 {
		t.PlusAfter = 10000
	}
	if t.PlusMax <= 0 {
		t.PlusMax = 2
	}
	if t.PathLimit == 0 {
		t.PathLimit = 50_000_000
	}
	if t.AddEvery <= 0 {
		t.AddEvery = 1 << 20
	}
	return t
}

// Stats is a snapshot of a running search.
type Stats struct {
	Best        int           // best rank held over the run's field (0: none yet)
	BestZ2      int           // best rank over Z2 (the walkers' pool)
	Target      int           // the target rank (0: none)
	Flips       int64         // flips made by all walkers in this run
	Reductions  int64         // reductions made by all walkers
	Plus        int64         // plus transitions made by all walkers
	Restarts    int64         // walker restarts from the pool
	Plateau     int64         // longest current plateau among the walkers, in flips
	Lifts       int64         // Z2 schemes given to lift (field Z)
	Lifted      int64         // of which lifted to Z
	Elapsed     time.Duration // time since the run started
	FlipsPerSec float64       // over the whole run
}

// Result is the outcome of a run.
type Result struct {
	Best    *tensorgame.Scheme // the best scheme held over the run's field (verified); nil if none
	Path    string             // the file of Best's rank in the run directory ("" without one)
	Reached bool               // a target was set and Best.Rank() <= Target
	// Stopped says why the run ended: "target", "time" or "canceled"
	// (ctx was done).
	Stopped string
	// ReachedAfter is the time and the number of flips it took to reach
	// the target (zero when not reached).
	ReachedAfter      time.Duration
	ReachedAfterFlips int64
	Workers           int // the number of walkers that ran
	Stats             Stats
}

var _ Walker = (*flip.Walker)(nil)

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
	return r.run(ctx)
}

type run struct {
	cfg    Config
	tune   Tuning
	zrun   bool       // field Z: lift the Z2 schemes
	pool   *pool.Pool // schemes over cfg.Field (on disk with a run directory)
	z2     *pool.Pool // the walkers' schemes over Z2 (pool itself for Z2 runs)
	from   *tensorgame.Scheme
	fromZ2 *tensorgame.Scheme
	prev   pool.State
	seed   uint64

	start                             time.Time
	flips, reductions, plus, restarts atomic.Int64
	lifts, lifted                     atomic.Int64
	plateau                           []atomic.Int64
	reachedNS, reachedFlips           atomic.Int64
	stop                              context.CancelFunc
	liftq                             chan *tensorgame.Scheme
	statusMu                          sync.Mutex
}

func newRun(cfg Config) (*run, error) {
	f := cfg.Format
	if !f.Valid() {
		return nil, fmt.Errorf("search: invalid format %v", f)
	}
	if _, err := flip.New(f, 0, flip.Options{}); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	r := &run{cfg: cfg, tune: cfg.Tuning.withDefaults()}
	switch cfg.Field {
	case tensorgame.Z2:
	case tensorgame.Z:
		r.zrun = true
	default:
		return nil, fmt.Errorf("search: field %v: the flip-graph search works over Z2 and Z", cfg.Field)
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
		if s.Format != f {
			return nil, fmt.Errorf("search: start scheme is of format %v, not %v", s.Format, f)
		}
		if err := tensorgame.Verify(s); err != nil {
			return nil, fmt.Errorf("search: start scheme (%v, rank %d over %v) fails verification: %w", s.Format, s.Rank(), s.Field, err)
		}
		z2, err := lift.ReduceMod2(s)
		if err != nil {
			return nil, fmt.Errorf("search: start scheme: %w", err)
		}
		if err := tensorgame.Verify(z2); err != nil {
			return nil, fmt.Errorf("search: start scheme does not hold mod 2: %w", err)
		}
		r.fromZ2 = z2
		if s.Field == cfg.Field {
			r.from = s
		}
		startRank = s.Rank()
	}
	if cfg.Target < 0 {
		return nil, fmt.Errorf("search: target rank %d is below 1", cfg.Target)
	}
	if cfg.Target > startRank {
		return nil, fmt.Errorf("search: target rank %d is above the start rank %d", cfg.Target, startRank)
	}
	return r, nil
}

func (r *run) openPools() error {
	cfg := r.cfg
	opts := pool.Options{PerRank: r.tune.PerRank, Depth: r.tune.Depth}
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
	r.z2 = r.pool
	if r.zrun {
		// The Z2 walkers keep many schemes near the rank being lifted, and
		// replace the oldest when full, so that lifting sees new ones.
		r.z2 = pool.New(cfg.Format, tensorgame.Z2, pool.Options{PerRank: 256, Depth: 8, Replace: true})
	}
	switch {
	case r.from != nil:
		if _, err := r.pool.Add(r.annotate(r.from.Clone(), "start scheme")); err != nil {
			return fmt.Errorf("search: %w", err)
		}
	case r.fromZ2 != nil && !r.zrun:
		if _, err := r.pool.Add(r.annotate(r.fromZ2.Clone(), "start scheme, reduced mod 2")); err != nil {
			return fmt.Errorf("search: %w", err)
		}
	}
	if r.pool.Best() == 0 {
		std := tensorgame.Standard(cfg.Format, cfg.Field)
		if _, err := r.pool.Add(r.annotate(std, "the standard algorithm")); err != nil {
			return fmt.Errorf("search: %w", err)
		}
	}
	if r.zrun {
		start := r.fromZ2
		if start == nil {
			var err error
			if start, err = lift.ReduceMod2(r.pool.BestScheme()); err != nil {
				return fmt.Errorf("search: %w", err)
			}
		}
		if _, err := r.z2.Add(start); err != nil {
			return fmt.Errorf("search: %w", err)
		}
	}
	return nil
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
	if err := r.openPools(); err != nil {
		return Result{}, err
	}
	r.start = time.Now()
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
	if r.zrun {
		r.liftq = make(chan *tensorgame.Scheme, 64)
		g.Go(func() error { return r.lifter(gctx) })
	}
	for i := range r.cfg.Workers {
		seed := mix(r.seed + uint64(i))
		g.Go(func() error { return r.walker(gctx, i, seed) })
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
		res.Stopped = "target"
		res.Reached = true
		res.ReachedAfter = time.Duration(r.reachedNS.Load())
		res.ReachedAfterFlips = r.reachedFlips.Load()
	case parent.Err() != nil:
		res.Stopped = "canceled"
	default:
		res.Stopped = "time"
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
		BestZ2:     r.z2.Best(),
		Target:     r.cfg.Target,
		Flips:      r.flips.Load(),
		Reductions: r.reductions.Load(),
		Plus:       r.plus.Load(),
		Restarts:   r.restarts.Load(),
		Lifts:      r.lifts.Load(),
		Lifted:     r.lifted.Load(),
		Elapsed:    time.Since(r.start),
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

// aim returns the rank the Z2 walkers work at: the best Z2 rank for a Z2
// run; for a Z run, one below the best Z rank (the next rank to lift).
func (r *run) aim() int {
	if !r.zrun {
		return r.z2.Best()
	}
	return max(r.pool.Best()-1, 1)
}

// walker runs one Z2 walker until ctx is done.
func (r *run) walker(ctx context.Context, id int, seed uint64) error {
	w, err := flip.New(r.cfg.Format, seed, flip.Options{PlusAfter: r.tune.PlusAfter, Extra: r.tune.PlusMax + 2})
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	rng := rand.New(rand.NewPCG(seed, 0x706f6f6c))
	start := r.z2.Pick(rng, r.aim())
	if id == 0 && r.fromZ2 != nil {
		start = r.fromZ2 // the first walker starts from the given scheme
	}
	if start == nil {
		start = r.z2.Pick(rng, 0)
	}
	if err := w.Start(start); err != nil {
		return fmt.Errorf("search: walker %d: %w", id, err)
	}
	var lastF, lastR, lastP int64
	// pathLow is the lowest rank reported (or started from) since the last
	// (re)start, since the lowest rank of the path.
	pathLow, pathBest, since, sinceAdd := w.Rank(), w.Rank(), int64(0), int64(0)
	for ctx.Err() == nil {
		aim := r.aim()
		report := aim - 1 // Z2: report improvements on the best
		if r.zrun {
			report = aim // Z: every new scheme at the rank being lifted
		}
		n := w.Walk(r.tune.Chunk, min(report, pathLow-1), aim+r.tune.PlusMax)
		f, red, pl, plat := w.Counts()
		r.flips.Add(f - lastF)
		r.reductions.Add(red - lastR)
		r.plus.Add(pl - lastP)
		lastF, lastR, lastP = f, red, pl
		r.plateau[id].Store(plat)
		since += n
		sinceAdd += n
		rank := w.Rank()
		if rank < pathBest {
			pathBest, since = rank, 0
		}
		if (rank <= report && rank < pathLow) || (rank <= aim && sinceAdd >= r.tune.AddEvery && r.z2.Wants(rank)) {
			pathLow = min(pathLow, rank)
			sinceAdd = 0
			s := r.annotate(w.Scheme(), fmt.Sprintf("flip-graph walk over Z2, seed %d", seed))
			added, err := r.z2.Add(s)
			if err != nil {
				return fmt.Errorf("search: walker %d: %w", id, err)
			}
			if added {
				r.improved(ctx, s)
			}
		}
		if n == 0 || (r.tune.PathLimit > 0 && since >= r.tune.PathLimit) {
			if s := r.z2.Pick(rng, r.aim()); s != nil {
				if err := w.Start(s); err != nil {
					return fmt.Errorf("search: walker %d: restart: %w", id, err)
				}
				r.restarts.Add(1)
				pathLow, pathBest, since = w.Rank(), w.Rank(), 0
			} else if n == 0 {
				return fmt.Errorf("search: walker %d: no flip possible and nothing to restart from", id)
			}
		}
	}
	return nil
}

// improved handles a Z2 scheme the pool accepted: a Z2 run checks its
// target; a Z run queues the scheme for lifting when it is below the best
// Z rank.
func (r *run) improved(ctx context.Context, s *tensorgame.Scheme) {
	if !r.zrun {
		r.markReached()
		return
	}
	if b := r.pool.Best(); b > 0 && s.Rank() >= b {
		return
	}
	select {
	case r.liftq <- s:
	default: // the lifter is busy: this one is skipped
	}
}

// lifter lifts queued Z2 schemes to Z and stores those that lift.
func (r *run) lifter(ctx context.Context) error {
	for i := uint64(0); ; i++ {
		var s *tensorgame.Scheme
		select {
		case <-ctx.Done():
			return nil
		case s = <-r.liftq:
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
		z.Comments = append(z.Comments, fmt.Sprintf("alphamat search %v over Z: lifted from a flip-graph walk over Z2", r.cfg.Format))
		if _, err := r.pool.Add(z); err != nil {
			return fmt.Errorf("search: %w", err)
		}
		r.markReached()
	}
}
