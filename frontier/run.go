package frontier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/alphamat/alphamat/frontier/catalogue"
	"github.com/alphamat/alphamat/frontier/meta"
	"github.com/alphamat/alphamat/ranks"
	"github.com/alphamat/alphamat/search"
	"github.com/alphamat/alphamat/search/lift"
	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/tensorgame"
)

// Config describes a frontier run.
type Config struct {
	// Formats are the formats to work on (any order of sizes; each in
	// 2..MaxSize); the factors of their tensor products join them (Scope).
	Formats []tensorgame.Format
	// Fields are Z2 and/or Z (default both).
	Fields []tensorgame.Field
	// Dir is the run directory: the catalogue, the state and the report.
	Dir string
	// Time bounds the run (0: until ctx is done).
	Time time.Duration
	// Slice is the time of an arm's first search (0: Time over twice the
	// number of arms, within 3 s..60 s; 20 s without Time). An arm's
	// slice doubles after every search of it that gains nothing, up to
	// MaxSlice (Arm.Slice).
	Slice time.Duration
	// MaxSlice bounds an arm's slice (0: 16 times Slice, at most a
	// quarter of Time; never below Slice).
	MaxSlice time.Duration
	// Workers is the number of walkers of each search (default GOMAXPROCS).
	Workers int
	// Seed seeds the searches: search k of a run directory gets Seed+k.
	Seed uint64
	// Cyclic adds cyclic-symmetric walkers (search.Config.Cyclic) to the
	// searches of the formats meta.Cyclic names: square formats n×n×n with
	// n >= CyclicFrom that the cyclic walker supports (cyclic.Supports: up
	// to 16x16x16), where they pay on 5x5x5 (docs/experiments.md,
	// "## search"), and the formats one size below them, whose cyclic walks
	// of the square format above hand restrictions to the plain walkers.
	Cyclic bool
	// Log, when non-nil, gets one line per search, improvement, record
	// and warning.
	Log io.Writer
	// Progress, when non-nil, is called with the table after every search.
	Progress func([]Row)
	// Known gives the best known ranks (default: ranks.Frontier).
	Known []ranks.Known
	// Search runs one search (default search.Run); tests replace it, and
	// Dispatch.Search runs it as a cluster job.
	Search func(context.Context, search.Config) (search.Result, error)
	// Slots, when non-nil, returns how many searches may run at once
	// (at least 1; asked again after every search and every second);
	// nil: one at a time. Searches in flight are of distinct formats
	// unless Twice.
	Slots func() int
	// Twice lets two searches of one format run at once when every format
	// short of the best known rank is in flight (see Slots); Config.Search
	// must then keep their run directories apart.
	Twice bool
}

// CyclicFrom is the least n of the square formats that Config.Cyclic
// searches with cyclic walkers too (meta.Cyclic).
const CyclicFrom = meta.CyclicFrom

// StateFile is the scheduler's state in the run directory.
const StateFile = "frontier.json"

// state is what a run directory remembers besides the catalogue.
type state struct {
	Searches int `json:"searches"`
	// Issued counts the searches started, booked or not: search k
	// gets seed Config.Seed+k.
	Issued int `json:"issued,omitempty"`
	// Lifts counts the turns of arms that lifted (liftArm) instead of a
	// search; Seconds includes their time.
	Lifts   int        `json:"lifts,omitempty"`
	Seconds float64    `json:"seconds"`
	Arms    []armState `json:"arms"`
	Records []Record   `json:"records,omitempty"`
}

type armState struct {
	Format tensorgame.Format `json:"format"`
	Field  tensorgame.Field  `json:"field"`
	Arm
}

// Record is a scheme below the best known rank.
type Record struct {
	Format tensorgame.Format `json:"format"`
	Field  tensorgame.Field  `json:"field"`
	Rank   int               `json:"rank"`
	Known  int               `json:"known"`
	// Checked says the second, independent check (CheckByProduct) passed;
	// CheckError is its failure otherwise.
	Checked    bool      `json:"checked"`
	CheckError string    `json:"check_error,omitempty"`
	Path       string    `json:"path"`
	Time       time.Time `json:"time"`
}

// engine is one frontier run. Its searches may run at once (Config.Slots);
// mu guards everything else.
type engine struct {
	mu      sync.Mutex
	issued  int // searches started, for their seeds
	cfg     Config
	cat     *catalogue.Catalogue
	targets *Targets
	sched   *Scheduler
	arms    map[catalogue.Key]*Arm
	scope   []tensorgame.Format
	st      state
	start   time.Time
	rng     *rand.Rand
	prop    *Propagator // its queue carries over from search to search
	// unlifted holds the Z2 schemes (pool.Hash) that lifting to Z failed
	// on (not liftable, or undecided): liftArm does not try them again.
	unlifted map[uint64]bool
}

// Run works on cfg.Formats until cfg.Time is up or ctx is done, then
// writes the report into the run directory and returns it. It returns an
// error for a bad configuration or a run directory it cannot use, and, with
// the report written, ctx's error when ctx was canceled. A corrupt scheme
// file or state file is set aside with a warning, never fatal.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	e, err := newEngine(cfg)
	if err != nil {
		return nil, err
	}
	return e.run(ctx)
}

func newEngine(cfg Config) (*engine, error) {
	if len(cfg.Formats) == 0 {
		return nil, fmt.Errorf("frontier: no formats")
	}
	for _, f := range cfg.Formats {
		if err := CheckFormat(f); err != nil {
			return nil, fmt.Errorf("frontier: %w", err)
		}
	}
	if len(cfg.Fields) == 0 {
		cfg.Fields = []tensorgame.Field{tensorgame.Z2, tensorgame.Z}
	}
	for _, field := range cfg.Fields {
		if field != tensorgame.Z2 && field != tensorgame.Z {
			return nil, fmt.Errorf("frontier: field %v: want Z2 or Z", field)
		}
	}
	if cfg.Dir == "" {
		return nil, fmt.Errorf("frontier: no run directory")
	}
	if cfg.Time < 0 || cfg.Slice < 0 || cfg.MaxSlice < 0 || cfg.Workers < 0 {
		return nil, fmt.Errorf("frontier: negative time, slice or workers")
	}
	if cfg.Known == nil {
		rows, err := ranks.Frontier()
		if err != nil {
			return nil, fmt.Errorf("frontier: %w", err)
		}
		cfg.Known = rows
	}
	if cfg.Search == nil {
		cfg.Search = search.Run
	}
	e := &engine{cfg: cfg, targets: NewTargets(cfg.Known), arms: map[catalogue.Key]*Arm{},
		sched: &Scheduler{}, scope: Scope(cfg.Formats), rng: rand.New(rand.NewPCG(cfg.Seed, 0xf)),
		unlifted: map[uint64]bool{}}
	cat, err := catalogue.Open(cfg.Dir, catalogue.Options{Warn: e.warn})
	if err != nil {
		return nil, fmt.Errorf("frontier: %w", err)
	}
	e.cat = cat
	e.loadState()
	e.issued = max(e.st.Searches, e.st.Issued)
	for _, f := range e.scope {
		for _, field := range cfg.Fields {
			k := catalogue.Key{Format: f, Field: field}
			a := e.arms[k]
			if a == nil {
				a = &Arm{Key: k}
				e.arms[k] = a
			}
			e.sched.Arms = append(e.sched.Arms, a)
		}
	}
	e.sched.Base, e.sched.MaxSlice = e.slice(), e.maxSlice()
	return e, nil
}

func (e *engine) logf(format string, args ...any) {
	if e.cfg.Log != nil {
		fmt.Fprintf(e.cfg.Log, format+"\n", args...)
	}
}

func (e *engine) warn(err error) { e.logf("warning: %v", err) }

// loadState reads the state file; a corrupt one is set aside with a
// warning, and the run goes on from the catalogue alone.
func (e *engine) loadState() {
	path := filepath.Join(e.cfg.Dir, StateFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err == nil {
		err = json.Unmarshal(b, &e.st)
	}
	if err != nil {
		aside := path + ".corrupt"
		os.Rename(path, aside)
		e.warn(fmt.Errorf("%s: %v; set aside as %s, the scheduler starts afresh", path, err, aside))
		e.st = state{}
		return
	}
	for _, as := range e.st.Arms {
		a := as.Arm
		a.Key = catalogue.KeyOf(as.Format, as.Field)
		e.arms[a.Key] = &a
	}
}

// saveState writes the state file atomically.
func (e *engine) saveState() error {
	e.st.Arms = e.st.Arms[:0]
	e.st.Issued = e.issued
	keys := make([]catalogue.Key, 0, len(e.arms))
	for k := range e.arms {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, catalogue.Compare)
	for _, k := range keys {
		e.st.Arms = append(e.st.Arms, armState{Format: k.Format, Field: k.Field, Arm: *e.arms[k]})
	}
	b, err := json.MarshalIndent(e.st, "", "  ")
	if err != nil {
		return fmt.Errorf("frontier: %w", err)
	}
	return tensorgame.AtomicWrite(filepath.Join(e.cfg.Dir, StateFile), func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

// gap returns the catalogue's rank of k minus the best known.
func (e *engine) gap(k catalogue.Key) int {
	return e.cat.Rank(k.Format, k.Field) - e.targets.Known(k.Format, k.Field)
}

// pickGap is the gap the scheduler sees: an arm over Z waits (0) while
// the arm over Z2 of its format is open at the same rank, since a search
// over Z walks over Z2 with half its walkers and lifts what they find,
// which the search over Z2 and the lift after it (liftArm) do with all of
// them; once the Z2 rank falls below, the Z arm lifts, and searches on its
// own when those schemes do not lift.
func (e *engine) pickGap(k catalogue.Key) int {
	g := e.gap(k)
	if g <= 0 || k.Field != tensorgame.Z {
		return g
	}
	twin := e.arms[catalogue.KeyOf(k.Format, tensorgame.Z2)]
	if twin != nil && twin.Unsupported == "" && e.gap(twin.Key) > 0 &&
		e.cat.Rank(k.Format, tensorgame.Z2) >= e.cat.Rank(k.Format, tensorgame.Z) {
		return 0
	}
	return g
}

func (e *engine) run(ctx context.Context) (*Report, error) {
	e.start = time.Now()
	runCtx := ctx
	if e.cfg.Time > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, e.cfg.Time)
		defer cancel()
	}
	// Seed: the standard algorithm of every format in scope, then
	// whatever meta moves give from everything held.
	for _, f := range e.scope {
		for _, field := range e.cfg.Fields {
			e.cat.HoldStandard(f, field)
		}
	}
	e.propagate(runCtx, e.cat.Keys(), e.sched.Base)
	if err := e.saveState(); err != nil {
		return nil, err
	}
	e.progress()
	if err := e.loop(runCtx); err != nil {
		return nil, err
	}
	rep := e.report()
	if err := rep.WriteFiles(e.cfg.Dir); err != nil {
		return nil, fmt.Errorf("frontier: report: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	return rep, nil
}

// loop runs searches until ctx is done, up to Config.Slots of them at
// once, each of a format no other search in flight has (but see
// Config.Twice).
func (e *engine) loop(ctx context.Context) error {
	slots := e.cfg.Slots
	if slots == nil {
		slots = func() int { return 1 }
	}
	type outcome struct {
		a   *Arm
		err error
	}
	done := make(chan outcome)
	busy := map[*Arm]int{} // searches in flight per arm
	inflight := 0
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var failed error
	for {
		if ctx.Err() == nil && failed == nil {
			for n := max(slots(), 1); inflight < n; {
				e.mu.Lock()
				a := e.pickFree(busy)
				e.mu.Unlock()
				if a == nil {
					break
				}
				busy[a]++
				inflight++
				go func() { done <- outcome{a, e.searchArm(ctx, a)} }()
			}
		}
		if inflight == 0 {
			if ctx.Err() == nil && failed == nil {
				e.logf("no format left that the search supports")
			}
			return failed
		}
		var ctxDone <-chan struct{}
		if ctx.Err() == nil {
			ctxDone = ctx.Done()
		}
		select {
		case o := <-done:
			if busy[o.a]--; busy[o.a] == 0 {
				delete(busy, o.a)
			}
			inflight--
			if o.err != nil && failed == nil {
				failed = o.err
			}
		case <-tick.C:
		case <-ctxDone:
		}
	}
}

// pickFree picks among the arms not in busy; when all arms still short of
// the best known rank are busy, one of them gets another search (with
// another seed) rather than an arm that is there already. Two searches of
// one format at once need Config.Search to keep their run directories
// apart, as cluster workers do (each has its own).
func (e *engine) pickFree(busy map[*Arm]int) *Arm {
	if len(busy) == 0 {
		return e.sched.Pick(e.pickGap)
	}
	free := &Scheduler{Base: e.sched.Base, MaxSlice: e.sched.MaxSlice}
	for _, a := range e.sched.Arms {
		if busy[a] == 0 {
			free.Arms = append(free.Arms, a)
		}
	}
	a := free.Pick(e.pickGap)
	if !e.cfg.Twice || a != nil && e.pickGap(a.Key) > 0 {
		return a
	}
	if b := e.sched.Pick(e.pickGap); b != nil && e.pickGap(b.Key) > 0 {
		return b
	}
	return a
}

// slice returns the time of an arm's first search.
func (e *engine) slice() time.Duration {
	if e.cfg.Slice > 0 {
		return e.cfg.Slice
	}
	if e.cfg.Time == 0 {
		return 20 * time.Second
	}
	s := e.cfg.Time / time.Duration(2*len(e.sched.Arms))
	return min(max(s, 3*time.Second), time.Minute)
}

// maxSlice returns the most an arm's slice grows to (Config.MaxSlice).
func (e *engine) maxSlice() time.Duration {
	base := e.slice()
	if e.cfg.MaxSlice > 0 {
		return max(e.cfg.MaxSlice, base)
	}
	m := 16 * base
	if e.cfg.Time > 0 {
		m = min(m, e.cfg.Time/4)
	}
	return max(m, base)
}

// propagate runs the meta moves from keys, and from those an earlier call
// left, for up to budget (none: until ctx is done), and books what
// improved; what is left waits for the next call, after the next search.
// Carrying one improvement of 2x2x2 to the 680 formats of --max 16 takes
// minutes (docs/experiments.md, frontier): the searches go on meanwhile.
func (e *engine) propagate(ctx context.Context, keys []catalogue.Key, budget time.Duration) {
	if e.prop == nil {
		e.prop = &Propagator{Cat: e.cat, Scope: e.scope, Warn: e.warn, Improved: func(s *tensorgame.Scheme) {
			k := catalogue.KeyOf(s.Format, s.Field)
			if a := e.arms[k]; a != nil {
				a.Fresh = true
			}
			e.markLift(k)
			e.logf("%v %v: rank %d by %s", k.Format, k.Field, s.Rank(), s.Origin.Move)
			e.noteRecord(s)
		}}
	}
	if budget > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, budget)
		defer cancel()
	}
	e.prop.Propagate(ctx, keys)
	if n := e.prop.Pending(); n > 0 {
		e.logf("meta moves: %d formats wait for the next turn", n)
	}
}

// noteRecord checks a new best below the best known rank a second time
// and books it.
func (e *engine) noteRecord(s *tensorgame.Scheme) {
	k := catalogue.KeyOf(s.Format, s.Field)
	known := e.targets.Known(k.Format, k.Field)
	if s.Rank() >= known {
		return
	}
	r := Record{Format: k.Format, Field: k.Field, Rank: s.Rank(), Known: known, Time: time.Now().UTC(),
		Path: filepath.Join(e.cfg.Dir, k.String(), pool.FileName(k.Format, k.Field, s.Rank()))}
	if err := CheckByProduct(s, e.rng, 4); err != nil {
		r.CheckError = err.Error()
		e.logf("RECORD CANDIDATE %v %v rank %d (best known %d) FAILED the independent check: %v", k.Format, k.Field, s.Rank(), known, err)
	} else {
		r.Checked = true
		e.logf("NEW RECORD: %v over %v at rank %d, below the best known %d (verified twice): %s", k.Format, k.Field, s.Rank(), known, r.Path)
	}
	e.st.Records = append(e.st.Records, r)
}

// searchArm searches a's format for up to its slice (Scheduler.SliceOf)
// and books the outcome; an arm over Z whose format is held at a lower
// rank over Z2 lifts those schemes instead (liftArm). It holds e.mu except
// during the search or lift.
func (e *engine) searchArm(ctx context.Context, a *Arm) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	f, field := a.Key.Format, a.Key.Field
	slice := e.sched.SliceOf(a)
	if dl, ok := ctx.Deadline(); ok {
		slice = min(slice, time.Until(dl))
	}
	if slice < time.Second {
		e.mu.Unlock()
		<-ctx.Done()
		e.mu.Lock()
		return nil
	}
	if lifted, err := e.liftArm(ctx, a, slice); lifted || err != nil {
		return err
	}
	before := e.cat.Rank(f, field)
	known := e.targets.Known(f, field)
	target := known
	if before <= known {
		target = before - 1 // on toward a record
	}
	fresh := e.freshTurn(a)
	var starts []*tensorgame.Scheme
	lineage := ""
	if fresh {
		lineage = FreshLineage
	} else {
		starts = e.starts(f, field, before)
	}
	runDir := filepath.Join(e.cfg.Dir, "search", searchDirName(f, field, lineage))
	seed := e.cfg.Seed + uint64(e.issued)
	e.issued++
	cfg := search.Config{Format: f, Field: field, Target: max(target, 0), Time: slice, Workers: e.cfg.Workers,
		Seed: seed, Starts: starts, RunDir: runDir,
		Cyclic: e.cfg.Cyclic && meta.Cyclic(f)}
	t0 := time.Now()
	e.mu.Unlock()
	res, err := e.cfg.Search(ctx, cfg)
	e.mu.Lock()
	secs := time.Since(t0).Seconds()
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		a.Unsupported = err.Error()
		e.warn(fmt.Errorf("%v over %v: the search refused it (%v); catalogue and meta moves only", f, field, err))
		return nil
	}
	found := []*tensorgame.Scheme{}
	if res.Best != nil {
		found = append(found, res.Best)
	}
	if more, err := pool.ReadLowest(runDir, f, field, 8); err == nil {
		found = append(found, more...)
	} else {
		e.warn(err)
	}
	move := tensorgame.MoveFlips
	if field == tensorgame.Z {
		move = tensorgame.MoveTernaryFlips
	}
	if fresh {
		// Nothing found: the lineage is at the standard algorithm.
		if a.FreshRank == 0 {
			a.FreshRank = f.Naive()
		}
		for _, s := range found {
			a.FreshRank = min(a.FreshRank, s.Rank())
		}
	}
	var improved []catalogue.Key
	for _, s := range found {
		if s.Origin == nil {
			var parents []*tensorgame.Scheme
			if len(starts) > 0 {
				parents = starts[:1]
			}
			s.Origin = tensorgame.Derive(move, parents...)
			s.Origin.Params = map[string]string{"seed": strconv.FormatUint(seed, 10), "by": "frontier"}
			if lineage != "" {
				s.Origin.Params["lineage"] = lineage
			}
		}
		ok, err := e.cat.Offer(s)
		if err != nil {
			e.warn(err)
			continue
		}
		if ok {
			improved = append(improved, a.Key)
			e.noteRecord(s)
		}
	}
	after := e.cat.Rank(f, field)
	if after < before {
		e.markLift(a.Key)
	}
	e.sched.Record(a, before-after, secs)
	e.st.Searches++
	e.st.Seconds += secs
	fromFresh := ""
	if fresh {
		fromFresh = fmt.Sprintf(", fresh lineage at %d", a.FreshRank)
	}
	e.logf("[%s] %v %v: %d -> %d in %.1fs (best known %d, gap %d%s)", time.Since(e.start).Round(time.Second),
		f, field, before, after, secs, known, after-known, fromFresh)
	if len(improved) > 0 || e.prop != nil && e.prop.Pending() > 0 {
		e.propagate(ctx, improved[:min(len(improved), 1)], e.sched.Base)
	}
	if err := e.saveState(); err != nil {
		return err
	}
	e.progress()
	return nil
}

// FreshLineage names the fresh lineage of an arm (freshTurn): its
// searches keep their pool in search/<n>x<m>x<p>-<field>-fresh, beside
// the arm's own, and as cluster jobs they carry it as cluster.Job.Lineage.
const FreshLineage = "fresh"

// searchDirName returns the name of the run directory of the searches of
// f over field of a lineage ("": the arm's own searches).
func searchDirName(f tensorgame.Format, field tensorgame.Field, lineage string) string {
	name := pool.RunName(f, field)
	if lineage != "" {
		name += "-" + lineage
	}
	return name
}

// lineageOf returns the lineage of a search from its run directory
// (searchDirName): FreshLineage or "".
func lineageOf(runDir string) string {
	if strings.HasSuffix(runDir, "-"+FreshLineage) {
		return FreshLineage
	}
	return ""
}

// freshTurn reports whether a's next search is one of its fresh lineage:
// a walk from the standard algorithm, in a pool of its own that later
// fresh searches go on from, instead of from the catalogue's schemes. The
// catalogue's best schemes of a format are often one family (a product,
// a sum, their descendants) whose plateau the walks do not leave, where
// walks from the standard algorithm go lower (4x4x4 over Z2 from
// 2x2x2 ⊗ 2x2x2: docs/experiments.md, frontier, "Starts that reach the
// walkers, fresh lineages, time to the large formats"). Every second
// search of an arm is fresh while the lineage is within FreshWithin of
// the catalogue's rank (or not started); one that fell further behind is
// not searched again.
func (e *engine) freshTurn(a *Arm) bool {
	if a.Pulls%2 == 0 {
		return false
	}
	return a.FreshRank == 0 || a.FreshRank <= e.cat.Rank(a.Key.Format, a.Key.Field)+FreshWithin
}

// FreshWithin is how far above the catalogue's rank a fresh lineage may
// be and still get searches (freshTurn).
const FreshWithin = 2

// starts returns the starts of a search of f over field from the
// catalogue, whose rank there is held: its best schemes (unless the
// standard algorithm), over Z also the best over Z2 (which the search
// lifts), and restrictions of the best schemes of the formats one size
// larger, even above the rank held: they descend where the format's own
// schemes stall (meta.Restrictions).
func (e *engine) starts(f tensorgame.Format, field tensorgame.Field, held int) []*tensorgame.Scheme {
	var starts []*tensorgame.Scheme
	if held < f.Naive() {
		starts = e.cat.Schemes(f, field, 4)
	}
	if field == tensorgame.Z && e.cat.Rank(f, tensorgame.Z2) < f.Naive() {
		starts = append(starts, e.cat.Schemes(f, tensorgame.Z2, 2)...)
	}
	rs, err := meta.Restrictions(f, field, e.cat, restrictPerFormat, restrictStarts)
	if err != nil {
		e.warn(err)
		return starts
	}
	for _, r := range rs {
		if r.Rank() < f.Naive() {
			starts = append(starts, r)
		}
	}
	return starts
}

// restrictPerFormat and restrictStarts bound the restriction starts of a
// search: how many of each larger format's best schemes are restricted,
// and how many of the lowest restrictions are kept. More sources help
// (docs/experiments.md, reproduce, "Large rows: cyclic walks and
// restriction starts").
const (
	restrictPerFormat = 8
	restrictStarts    = 16
)

// markLift marks the arm over Z of k's format Fresh when k is over Z2 and
// now held below the rank over Z: its next turn lifts (liftArm).
func (e *engine) markLift(k catalogue.Key) {
	if k.Field != tensorgame.Z2 {
		return
	}
	z := catalogue.KeyOf(k.Format, tensorgame.Z)
	if a := e.arms[z]; a != nil && e.cat.Rank(k.Format, tensorgame.Z2) < e.cat.Rank(k.Format, tensorgame.Z) {
		a.Fresh = true
	}
}

// liftSchemes is how many of the best Z2 schemes of a format liftArm
// tries.
const liftSchemes = 4

// liftArm, for an arm over Z whose format the catalogue holds at a lower
// rank over Z2, Hensel-lifts those Z2 schemes (search/lift, integer
// coefficients only) for up to slice, the first that lifts ends it, and
// books the turn as a search of the arm. Lifting comes first because most
// Z2 schemes that flip walks find lift, and a lift is far cheaper than the
// walks over Z it saves (docs/experiments.md, frontier, "Scheduling for
// small gaps"). It reports false, having done nothing,
// when there is nothing to lift: the field is Z2, the Z2 rank is not
// lower, or every such scheme failed to lift before. It holds e.mu except
// during the lift.
func (e *engine) liftArm(ctx context.Context, a *Arm, slice time.Duration) (bool, error) {
	f := a.Key.Format
	held := e.cat.Rank(f, tensorgame.Z)
	if a.Key.Field != tensorgame.Z || e.cat.Rank(f, tensorgame.Z2) >= held {
		return false, nil
	}
	var todo []*tensorgame.Scheme
	for _, s := range e.cat.Schemes(f, tensorgame.Z2, liftSchemes) {
		if !e.unlifted[pool.Hash(s)] {
			todo = append(todo, s)
		}
	}
	if len(todo) == 0 {
		return false, nil
	}
	seed := e.cfg.Seed + uint64(e.issued)
	e.issued++
	t0 := time.Now()
	e.mu.Unlock()
	lctx, cancel := context.WithTimeout(ctx, slice)
	var got *tensorgame.Scheme
	var failed []uint64
	for i, s := range todo {
		z, err := lift.Lift(lctx, s, lift.Options{IntegerOnly: true, Seed: seed + uint64(i)})
		if lctx.Err() != nil {
			break
		}
		if err != nil {
			failed = append(failed, pool.Hash(s))
			continue
		}
		z.Origin = tensorgame.Derive(tensorgame.MoveLift, s)
		z.Origin.Params = map[string]string{"seed": strconv.FormatUint(seed+uint64(i), 10), "by": "frontier"}
		got = z
		break
	}
	cancel()
	e.mu.Lock()
	secs := time.Since(t0).Seconds()
	for _, h := range failed {
		e.unlifted[h] = true
	}
	if got == nil && ctx.Err() != nil {
		return true, nil
	}
	var improved []catalogue.Key
	if got != nil {
		ok, err := e.cat.Offer(got)
		if err != nil {
			e.warn(err)
		} else if ok {
			improved = append(improved, a.Key)
			e.noteRecord(got)
		}
	}
	after := e.cat.Rank(f, tensorgame.Z)
	e.sched.Record(a, held-after, secs)
	e.st.Lifts++
	e.st.Seconds += secs
	e.logf("[%s] %v %v: %d -> %d in %.1fs by lifting %d Z2 schemes of rank %d (%d failed; best known %d, gap %d)",
		time.Since(e.start).Round(time.Second), f, a.Key.Field, held, after, secs, len(todo), todo[0].Rank(),
		len(failed), e.targets.Known(f, a.Key.Field), after-e.targets.Known(f, a.Key.Field))
	if len(improved) > 0 || e.prop != nil && e.prop.Pending() > 0 {
		e.propagate(ctx, improved, e.sched.Base)
	}
	if err := e.saveState(); err != nil {
		return true, err
	}
	e.progress()
	return true, nil
}

func (e *engine) progress() {
	if e.cfg.Progress != nil {
		e.cfg.Progress(e.rows())
	}
}
