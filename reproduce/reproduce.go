package reproduce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/alphamat/alphamat/ranks"
	"github.com/alphamat/alphamat/search"
	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/tensorgame"
)

// defaultFormats are the formats of AlphaTensor's Fig. 3 that a default
// run reproduces: those that finish in about two minutes on two cores.
const defaultFormats = "2x2x2 2x2x3 2x2x4 2x2x5 2x3x3 2x3x4 2x4x4 3x3x3 3x3x4"

// DefaultFormats returns the formats a run without Formats reproduces.
func DefaultFormats() []tensorgame.Format {
	var fs []tensorgame.Format
	for _, s := range strings.Fields(defaultFormats) {
		f, err := tensorgame.ParseFormat(s)
		if err != nil {
			panic("reproduce: default formats: " + err.Error())
		}
		fs = append(fs, f)
	}
	return fs
}

// AllFormats returns every format of the ranks table with an AlphaTensor
// rank (the 20 formats with n, m, p <= 5 of Fig. 3).
func AllFormats() ([]tensorgame.Format, error) {
	rows, err := ranks.Table()
	if err != nil {
		return nil, err
	}
	var fs []tensorgame.Format
	for _, r := range rows {
		if r.ATZ2 > 0 || r.ATZ > 0 {
			fs = append(fs, r.Format)
		}
	}
	return fs, nil
}

// Config describes a reproduction. Zero values of the optional fields give
// the defaults.
type Config struct {
	// Formats to reproduce (default DefaultFormats()); each must be in the
	// ranks table with an AlphaTensor rank.
	Formats []tensorgame.Format
	// Fields to reproduce each format over (default Z2 and Z).
	Fields []tensorgame.Field
	// Budget bounds the search of one row (default 2 minutes); a row
	// searched again from restrictions of larger formats' schemes (see
	// Run) gets it again.
	Budget time.Duration
	// Workers is the number of cores to use in all (default GOMAXPROCS).
	Workers int
	// Parallel is the number of rows searched at once; the workers are
	// shared among them (default 1: each row gets every worker). A row
	// waits for the rows of the smaller formats its composite start is
	// made of.
	Parallel int
	// Beyond searches each reproduced row whose best known rank is below
	// the published one (4x4x5, 4x5x5 and 5x5x5) once more, the budget
	// again, toward the best known rank; a row searched so in an earlier
	// run is not searched again.
	Beyond bool
	// Seed seeds the searches (each row derives its own).
	Seed uint64
	// RunDir holds the reproduction (default runs/reproduce).
	RunDir string
	// Progress, when non-nil, is called with a snapshot of the table when
	// a row starts, improves or ends, and about once a second.
	Progress func([]Row)
}

// Row is one line of the reproduction: a format over a field.
type Row struct {
	Format    string  `json:"format"`
	Field     string  `json:"field"`
	Published int     `json:"published"`                // AlphaTensor's rank over Field: the target
	BestKnown int     `json:"best_known"`               // best known rank over Field as of the ranks table
	Found     int     `json:"found"`                    // best rank found (0: none yet)
	Reached   bool    `json:"reached"`                  // Found <= Published
	Seconds   float64 `json:"seconds"`                  // time to reach the target (or searched, when missed)
	Flips     int64   `json:"flips"`                    // flips it took
	Method    string  `json:"method"`                   // how the scheme was found: flips, lift, ternary, agent
	Scheme    string  `json:"scheme"`                   // the scheme file, relative to the run directory
	Resumed   bool    `json:"resumed"`                  // reproduced by an earlier run and not searched again
	Beyond    float64 `json:"beyond_seconds,omitempty"` // searched beyond Published (Config.Beyond); to BestKnown when reached
	Status    string  `json:"status"`                   // pending, running, beyond, reproduced, missed, failed
	Error     string  `json:"error,omitempty"`

	format tensorgame.Format
	field  tensorgame.Field
}

// Report is the outcome of a reproduction.
type Report struct {
	Rows     []Row   `json:"rows"`
	Workers  int     `json:"workers"`
	Parallel int     `json:"parallel"` // rows searched at once, sharing the workers
	Seed     uint64  `json:"seed"`
	Budget   float64 `json:"budget_seconds"` // per row and search
	CPUs     int     `json:"cpus"`           // runtime.NumCPU of the machine
	Seconds  float64 `json:"seconds"`        // wall time of this run
	RunDir   string  `json:"run_dir"`
}

// Missed returns the rows that were not reproduced.
func (r *Report) Missed() []Row {
	var out []Row
	for _, row := range r.Rows {
		if !row.Reached {
			out = append(out, row)
		}
	}
	return out
}

// stateFile records the rows reproduced so far.
const stateFile = "rows.json"

func (c Config) withDefaults() (Config, error) {
	if len(c.Formats) == 0 {
		c.Formats = DefaultFormats()
	}
	if len(c.Fields) == 0 {
		c.Fields = []tensorgame.Field{tensorgame.Z2, tensorgame.Z}
	}
	for _, f := range c.Fields {
		if f != tensorgame.Z2 && f != tensorgame.Z {
			return c, fmt.Errorf("reproduce: field %v: AlphaTensor's table has Z2 and Z", f)
		}
	}
	if c.Budget <= 0 {
		c.Budget = 2 * time.Minute
	}
	if c.Workers < 0 || c.Parallel < 0 {
		return c, errors.New("reproduce: workers and parallel must be positive")
	}
	if c.Workers == 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.Parallel == 0 {
		c.Parallel = 1
	}
	c.Parallel = min(c.Parallel, c.Workers)
	if c.RunDir == "" {
		c.RunDir = filepath.Join("runs", "reproduce")
	}
	return c, nil
}

// rowsFor returns the table rows of the requested formats and fields, in
// order, with their targets.
func rowsFor(c Config) ([]Row, error) {
	var rows []Row
	seen := map[tensorgame.Format]bool{}
	for _, f := range c.Formats {
		if seen[f] {
			continue
		}
		seen[f] = true
		pub, ok := ranks.Lookup(f)
		if !ok {
			return nil, fmt.Errorf("reproduce: format %v is not in the ranks table", f)
		}
		for _, field := range c.Fields {
			target := pub.AlphaTensor(field)
			if target == 0 {
				return nil, fmt.Errorf("reproduce: format %v has no AlphaTensor rank over %v", f, field)
			}
			rows = append(rows, Row{
				Format: f.String(), Field: field.String(), Published: target,
				BestKnown: pub.Best(field), Status: "pending", format: f, field: field,
			})
		}
	}
	return rows, nil
}

// Run reproduces the rows of cfg and writes the report files into the run
// directory. Rows already reproduced there are not searched again. Rows run
// smallest format first, except that a row waits for the row one size
// above it when that row has cyclic walkers (see waitsFor); then every row
// still missed whose format is one size below a format searched in this
// run is searched again, largest first, from restrictions of that format's
// best schemes (see descend), and with Config.Beyond the rows below their
// best known rank once more (see beyond). A row whose search fails is
// reported as failed (and missed), and the others go on; Run returns an
// error only for a bad configuration, an unusable run directory, or a
// report it cannot write. When ctx is done, rows in flight stop and are
// reported as missed.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	rows, err := rowsFor(cfg)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.RunDir, 0o755); err != nil {
		return nil, fmt.Errorf("reproduce: run directory: %w", err)
	}
	done, err := readState(cfg.RunDir)
	if err != nil {
		return nil, err
	}
	// A row waits for the rows of its smaller parts (see compositeStart),
	// so that its composite start uses their results, and for a row above
	// it with cyclic walkers (see waitsFor); rows start in an order that
	// puts the rows a row waits for before it.
	deps := dependencies(rows)
	order, ok := schedule(deps)
	if !ok {
		return nil, errors.New("reproduce: the rows wait for each other in a cycle")
	}
	start := time.Now()
	t := &table{rows: rows, progress: cfg.Progress}
	for i := range rows {
		if prev, ok := done[key(rows[i])]; ok && prev.Reached && schemeHolds(cfg.RunDir, prev) {
			prev.Resumed, prev.Status = true, "reproduced"
			prev.format, prev.field = rows[i].format, rows[i].field
			rows[i] = prev
		}
	}
	t.notify()
	stopTicker := t.tick(time.Second)
	g, gctx := errgroup.WithContext(ctx)
	workers := max(1, cfg.Workers/cfg.Parallel)
	// Rows start in order as soon as the rows they wait for have ended and
	// one of the cfg.Parallel slots is free: one at a time, that is the
	// order itself; with more, a row that waits holds no slot.
	started := make([]bool, len(rows))
	finished := make([]bool, len(rows))
	for i := range rows {
		started[i], finished[i] = rows[i].Resumed, rows[i].Resumed
	}
	ended := make(chan int)
	running := 0
	for {
		for _, i := range order {
			if running == cfg.Parallel {
				break
			}
			if started[i] || slices.ContainsFunc(deps[i], func(j int) bool { return !finished[j] }) {
				continue
			}
			started[i] = true
			running++
			g.Go(func() error {
				defer func() { ended <- i }()
				row := t.snapshot()[i]
				starts, _ := t.starts(cfg.RunDir, i, row)
				t.runRow(gctx, cfg, i, workers, starts)
				return t.save(cfg.RunDir)
			})
		}
		if running == 0 {
			break
		}
		finished[<-ended] = true
		running--
	}
	err = g.Wait()
	if err == nil {
		err = t.descend(ctx, cfg)
	}
	if err == nil && cfg.Beyond {
		err = t.beyond(ctx, cfg)
	}
	if err == nil {
		err = t.reduceFromZ(cfg.RunDir)
	}
	stopTicker()
	if err != nil {
		return nil, err
	}
	rep := &Report{Rows: t.snapshot(), Workers: cfg.Workers, Parallel: cfg.Parallel, Seed: cfg.Seed, Budget: cfg.Budget.Seconds(),
		CPUs: runtime.NumCPU(), Seconds: time.Since(start).Seconds(), RunDir: cfg.RunDir}
	if err := rep.WriteFiles(cfg.RunDir); err != nil {
		return rep, err
	}
	return rep, nil
}

// key names a row in the state file and its run directory: pool.RunName.
func key(r Row) string { return pool.RunName(r.format, r.field) }

// table is the live state of the rows, shared by the row goroutines.
type table struct {
	mu       sync.Mutex
	rows     []Row
	tried    map[int]map[uint64]bool // row -> hashes of the restriction starts it had
	progress func([]Row)
	saveMu   sync.Mutex
}

func (t *table) snapshot() []Row {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.rows)
}

func (t *table) update(i int, f func(*Row)) {
	t.mu.Lock()
	f(&t.rows[i])
	t.mu.Unlock()
	t.notify()
}

func (t *table) notify() {
	if t.progress != nil {
		t.progress(t.snapshot())
	}
}

// tick calls notify every d until the returned function is called.
func (t *table) tick(d time.Duration) func() {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tk := time.NewTicker(d)
		defer tk.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tk.C:
				t.notify()
			}
		}
	}()
	return func() { close(stop); wg.Wait() }
}

// descend is the second pass of a run, largest format first: every row
// still missed whose format is one size below a format searched in this run
// is searched again (the budget again) from restrictions of that format's
// best schemes (see restrictionStarts), with all workers, when there are
// restrictions its first pass did not have or it waited for that row. Its
// time and flips add to the first pass's.
func (t *table) descend(ctx context.Context, cfg Config) error {
	rows := t.snapshot()
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	// Largest first, so that a row searched again can restrict the one
	// above it; Z2 before Z, whose search also starts from the Z2 row's best.
	slices.SortStableFunc(order, func(a, b int) int {
		if d := rows[b].format.Naive() - rows[a].format.Naive(); d != 0 {
			return d
		}
		return int(rows[a].field) - int(rows[b].field)
	})
	for _, i := range order {
		if ctx.Err() != nil {
			return nil
		}
		row := t.snapshot()[i]
		if row.Reached || row.Status == "failed" || row.Resumed || !searchedAbove(rows, row) {
			continue
		}
		starts, fresh := t.starts(cfg.RunDir, i, row)
		// No restriction, or the first pass had them all: nothing new to
		// search from, unless the row waited for the row above (waitsFor),
		// which gives its first pass the restrictions it would otherwise
		// get only here; it keeps its second search.
		if fresh == 0 && !slices.ContainsFunc(rows, func(a Row) bool { return a.field == row.field && waitsFor(row, a) }) {
			continue
		}
		t.runRow(ctx, cfg, i, cfg.Workers, starts)
		if err := t.save(cfg.RunDir); err != nil {
			return err
		}
	}
	return nil
}

// beyond is the pass of Config.Beyond, smallest format first and Z2 before
// Z (as the first pass): every reproduced row whose best known rank is
// below what it found, and that no run has searched beyond its published
// rank yet, is searched toward the best known rank with all workers, the
// budget again, from its run directory and the starts of its first pass.
// Its time to the published rank stays as it was.
func (t *table) beyond(ctx context.Context, cfg Config) error {
	for i, row := range t.snapshot() {
		if ctx.Err() != nil {
			return nil
		}
		if !row.Reached || row.Beyond > 0 || row.BestKnown == 0 || row.Found <= row.BestKnown {
			continue
		}
		starts, _ := t.starts(cfg.RunDir, i, row)
		t.update(i, func(r *Row) { r.Status = "beyond" })
		start := time.Now()
		sc := rowSearch(cfg, row, starts, row.BestKnown, cfg.Workers, " beyond")
		sc.Status = func(st search.Stats) {
			t.update(i, func(r *Row) {
				if st.Best > 0 {
					r.Found = min(r.Found, st.Best)
				}
				r.Beyond = st.Elapsed.Seconds()
			})
		}
		res, err := search.Run(ctx, sc)
		t.update(i, func(r *Row) {
			r.Status, r.Found = "reproduced", row.Found
			// Interrupted: searched beyond again by the next run.
			r.Beyond = 0
			if ctx.Err() == nil {
				r.Beyond = max(time.Since(start).Seconds(), 1e-3)
			}
			if err != nil {
				r.Error = fmt.Sprintf("beyond the published rank: %v", err)
				return
			}
			if res.Reached && res.ReachedAfter > 0 {
				r.Beyond = res.ReachedAfter.Seconds()
			}
			if res.Best != nil && res.Best.Rank() < row.Found {
				r.take(cfg.RunDir, res)
			}
		})
		if err := t.save(cfg.RunDir); err != nil {
			return err
		}
	}
	return nil
}

// searchedAbove reports whether a row of rows over row's field, searched in
// this run (not resumed), has a format one size larger than row's.
func searchedAbove(rows []Row, row Row) bool {
	for _, r := range rows {
		if r.field == row.field && !r.Resumed && r.Status != "failed" && oneAbove(r.format, row.format) {
			return true
		}
	}
	return false
}

// oneAbove reports whether g is f with one size larger by one, in any order
// of the sizes.
func oneAbove(g, f tensorgame.Format) bool {
	a, b := g.Canonical(), f.Canonical()
	d := [3]int{a.N - b.N, a.M - b.M, a.P - b.P}
	slices.Sort(d[:])
	return d == [3]int{0, 0, 1}
}

// starts returns the extra start schemes of row i's search: its composite
// start, for a Z row the Z2 row's best (see compositeStart), and
// restrictions of larger formats' schemes already in the run directory
// (from an earlier run, or rows before it). fresh counts the restrictions
// not among the row's starts before.
func (t *table) starts(runDir string, i int, row Row) (starts []*tensorgame.Scheme, fresh int) {
	starts = compositeStart(runDir, filepath.Join(runDir, key(row)), row)
	rs := restrictionStarts(runDir, row)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tried == nil {
		t.tried = map[int]map[uint64]bool{}
	}
	if t.tried[i] == nil {
		t.tried[i] = map[uint64]bool{}
	}
	for _, s := range rs {
		if h := pool.Hash(s); !t.tried[i][h] {
			t.tried[i][h] = true
			fresh++
		}
	}
	return append(starts, rs...), fresh
}

// restrictionStarts returns restrictions of the best schemes of the
// formats one size larger than the row's, from their rows' directories in
// runDir (search.RestrictionsFromRuns with its defaults); nil when there are
// none or a directory cannot be read (that row's own search reports it).
func restrictionStarts(runDir string, row Row) []*tensorgame.Scheme {
	rs, err := search.RestrictionsFromRuns(runDir, row.format, row.field, 0, 0)
	if err != nil {
		return nil
	}
	return rs
}

// runRow searches one row from the extra start schemes starts and records
// the outcome, adding to what an earlier pass recorded; a search error is
// recorded in the row, not returned.
func (t *table) runRow(ctx context.Context, cfg Config, i, workers int, starts []*tensorgame.Scheme) {
	row := t.snapshot()[i]
	t.update(i, func(r *Row) { r.Status = "running" })
	start := time.Now()
	prevSeconds, prevFlips := row.Seconds, row.Flips
	sc := rowSearch(cfg, row, starts, row.Published, workers, "")
	sc.Status = func(st search.Stats) {
		t.update(i, func(r *Row) {
			r.Found = st.Best
			r.Seconds = prevSeconds + st.Elapsed.Seconds()
			r.Flips = prevFlips + st.Flips
		})
	}
	res, err := search.Run(ctx, sc)
	t.update(i, func(r *Row) {
		r.Seconds = prevSeconds + time.Since(start).Seconds()
		if err != nil {
			r.Status, r.Error = "failed", err.Error()
			return
		}
		r.Flips = prevFlips + res.Stats.Flips
		if res.Best != nil {
			r.take(cfg.RunDir, res)
		}
		r.Reached = res.Reached && r.Found > 0 && r.Found <= r.Published
		if r.Reached {
			r.Status = "reproduced"
			if res.ReachedAfter > 0 {
				r.Seconds = prevSeconds + res.ReachedAfter.Seconds()
				r.Flips = prevFlips + res.ReachedAfterFlips
			}
		} else {
			r.Status = "missed"
		}
	})
}

// rowSearch is the search of row for its budget, from starts, toward
// target, in the row's run directory under cfg.RunDir, with the row's
// cyclic walkers and a seed derived from the row's key and salt.
func rowSearch(cfg Config, row Row, starts []*tensorgame.Scheme, target, workers int, salt string) search.Config {
	return search.Config{
		Starts:  starts,
		Cyclic:  cyclicRow(row.format),
		Format:  row.format,
		Field:   row.field,
		Target:  target,
		Time:    cfg.Budget,
		Workers: workers,
		Seed:    cfg.Seed ^ hashString(key(row)+salt),
		RunDir:  filepath.Join(cfg.RunDir, key(row)),
	}
}

// take records res's best scheme (non-nil) as the row's: its rank, how it
// was found, and its file relative to runDir.
func (r *Row) take(runDir string, res search.Result) {
	r.Found = res.Best.Rank()
	r.Method = method(res.Best)
	if rel, err := filepath.Rel(runDir, res.Path); err == nil {
		r.Scheme = rel
	}
}

// dependencies returns, for each row, the rows over its field that it
// waits for: the row one size above it when that row has cyclic walkers
// (see waitsFor), and the earlier rows whose format is one of the two
// parts of a split of its format (2x5x5 and 3x5x5 for 5x5x5), the rows its
// composite start is made of, unless such a part waits for it, directly
// or through others (3x5x5 waits for 4x5x5, which waits for 5x5x5).
func dependencies(rows []Row) [][]int {
	deps := make([][]int, len(rows))
	for i, r := range rows {
		for j, a := range rows {
			if j != i && a.field == r.field && waitsFor(r, a) {
				deps[i] = append(deps[i], j)
			}
		}
	}
	// reaches reports whether row j waits for row i through deps.
	reaches := func(j, i int) bool {
		seen := map[int]bool{j: true}
		stack := []int{j}
		for len(stack) > 0 {
			k := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, d := range deps[k] {
				if d == i {
					return true
				}
				if !seen[d] {
					seen[d] = true
					stack = append(stack, d)
				}
			}
		}
		return false
	}
	for i, r := range rows {
		parts := search.Parts(r.format)
		for j, a := range rows[:i] {
			if a.field == r.field && slices.Contains(parts, a.format.Canonical()) && !slices.Contains(deps[i], j) && !reaches(j, i) {
				deps[i] = append(deps[i], j)
			}
		}
		slices.Sort(deps[i])
	}
	return deps
}

// waitsFor reports whether row r waits for row a: a's format is one size
// above r's and a has cyclic walkers (cyclicRow), whose schemes restrict to
// r's best starts (4x5x5 waits for 5x5x5, 3x5x5 and 4x4x5 for 4x5x5).
// Searched first, from composites, 3x5x5 missed 58 in its 6 minutes in
// five of six runs of reproduce --all, and reached it within seconds to 4
// minutes from restrictions of 4x5x5's schemes; 4x5x5 reaches 76 from
// restrictions of 5x5x5's schemes of rank 96 in seconds to minutes.
func waitsFor(r, a Row) bool {
	return cyclicRow(a.format) && oneAbove(a.format, r.format)
}

// schedule returns the order to start the rows in: each after the rows it
// depends on, otherwise in table order. It reports false when deps has a
// cycle.
func schedule(deps [][]int) ([]int, bool) {
	done := make([]bool, len(deps))
	var order []int
	for len(order) < len(deps) {
		next := -1
		for i := range deps {
			if !done[i] && !slices.ContainsFunc(deps[i], func(j int) bool { return !done[j] }) {
				next = i
				break
			}
		}
		if next < 0 {
			return nil, false
		}
		done[next] = true
		order = append(order, next)
	}
	return order, true
}

// compositeStart returns, as a list of search starts, the best direct sum
// of two smaller formats whose schemes the rows of this reproduction found
// (in runDir/<format>-<field>), when it beats what the row's own run
// directory dir holds; nil otherwise. Rows run smallest first, so the
// smaller formats are done when a larger one starts (with --parallel some
// may still be running: their best so far is used). A run directory that
// cannot be read counts as holding nothing here; the row's own search
// reports it.
func compositeStart(runDir, dir string, row Row) []*tensorgame.Scheme {
	cur, err := pool.ReadBest(dir, row.format, row.field)
	if err != nil {
		return nil
	}
	var starts []*tensorgame.Scheme
	if c, err := search.CompositeFromRuns(runDir, row.format, row.field); err == nil && c != nil && (cur == nil || c.Rank() < cur.Rank()) {
		starts = append(starts, c)
	}
	// A Z row also starts from the Z2 row's best, which the search lifts.
	if row.field == tensorgame.Z {
		z2dir := filepath.Join(runDir, pool.RunName(row.format, tensorgame.Z2))
		if s, err := pool.ReadBest(z2dir, row.format, tensorgame.Z2); err == nil && s != nil && (cur == nil || s.Rank() < cur.Rank()) {
			starts = append(starts, s)
		}
	}
	return starts
}

// reduceFromZ completes the Z2 rows from the Z rows of the same format that
// did better: a scheme over Z reduced mod 2 is one over Z2 (verified, and
// stored in the Z2 row's run directory). A Z2 row that missed takes the Z
// row's time too; one already reproduced keeps its time and method, and
// the method says which rank came from Z (a 5x5x5 run whose Z2 row
// reached 95 and whose Z row, starting from it, 93).
func (t *table) reduceFromZ(runDir string) error {
	rows := t.snapshot()
	for i, r := range rows {
		if r.field != tensorgame.Z2 || r.Status == "failed" {
			continue
		}
		for _, z := range rows {
			if z.format != r.format || z.field != tensorgame.Z || z.Found == 0 || (r.Found > 0 && z.Found >= r.Found) || z.Scheme == "" {
				continue
			}
			s, err := tensorgame.ReadFile(filepath.Join(runDir, z.Scheme))
			if err != nil {
				return fmt.Errorf("reproduce: %w", err)
			}
			z2, err := tensorgame.ReduceMod2(s)
			if err != nil {
				return fmt.Errorf("reproduce: %w", err)
			}
			z2.Comments = append(z2.Comments, "alphamat reproduce: reduced mod 2 from the Z row's scheme")
			p, err := pool.Open(filepath.Join(runDir, key(r)), r.format, tensorgame.Z2, pool.Options{})
			if err != nil {
				return fmt.Errorf("reproduce: %w", err)
			}
			if _, err := p.Add(z2); err != nil { // verifies
				return fmt.Errorf("reproduce: %v over Z reduced mod 2: %w", r.format, err)
			}
			rel, _ := filepath.Rel(runDir, p.Path(z2.Rank()))
			t.update(i, func(row *Row) {
				row.Found = z2.Rank()
				row.Scheme = rel
				if row.Reached {
					row.Method = fmt.Sprintf("%s; %d reduced from Z", row.Method, row.Found)
					return
				}
				row.Reached = row.Found <= row.Published
				row.Method = "reduced from Z"
				row.Seconds += z.Seconds
				if row.Reached {
					row.Status = "reproduced"
				}
			})
		}
	}
	return t.save(runDir)
}

// method names how s was found, from the last comment a search wrote
// into it (a scheme carries the comments of the schemes it came from).
func method(s *tensorgame.Scheme) string {
	m := baseMethod(s)
	// The last derivation from another format's scheme names the start;
	// the comments before it are that scheme's history.
	from := ""
	for _, c := range s.Comments {
		switch {
		case strings.HasPrefix(c, "derived: direct sum"):
			from = "composite"
		case strings.HasPrefix(c, "derived: restriction"):
			from = "restriction"
			if slices.ContainsFunc(s.Comments, func(c string) bool { return strings.Contains(c, "-symmetric flip-graph walk over Z2 of ") }) {
				// Handed over by the cyclic walkers of the square format
				// above (search.Config.Cyclic).
				from = "cyclic restriction"
			}
		}
	}
	if from != "" {
		if m == "start" {
			return from
		}
		return m + " from " + from
	}
	for _, sym := range []string{"cyclic", "transpose"} {
		if m != sym+" flips" && slices.ContainsFunc(s.Comments, func(c string) bool { return strings.Contains(c, sym+"-symmetric") }) {
			return m + " from " + sym
		}
	}
	return m
}

// cyclicRow reports whether a row's search adds cyclic-symmetric walkers
// (search.Config.Cyclic): square formats of size 5 and up, and the formats
// one size below them (4x5x5), whose cyclic walkers walk the square format
// and hand restrictions of what they find to the plain walkers. On 5x5x5
// they reach 96-101 in three minutes (6 seeds) where plain walks from the
// standard algorithm reach about 114 (a composite start: 100-101); smaller
// square formats reach their targets without them. On 4x5x5 (search
// 4x5x5 --time 60s, 2 workers, 12 seeds) they reached 76 in 4 runs, plain
// walks from the standard algorithm in none.
func cyclicRow(f tensorgame.Format) bool {
	n := max(f.N, f.M, f.P)
	sq := tensorgame.Format{N: n, M: n, P: n}
	return n >= 5 && (f == sq || oneAbove(sq, f))
}

func baseMethod(s *tensorgame.Scheme) string {
	for i := len(s.Comments) - 1; i >= 0; i-- {
		c := strings.ToLower(s.Comments[i])
		switch {
		case strings.Contains(c, "alphamat play"), strings.Contains(c, "tree search"):
			return "agent"
		case !strings.HasPrefix(c, "alphamat search"):
			continue
		case strings.Contains(c, "lifted"):
			return "lift"
		case strings.Contains(c, "standard algorithm"):
			return "standard"
		case strings.Contains(c, "extra start scheme"):
			return "start"
		case strings.Contains(c, "cyclic-symmetric"):
			return "cyclic flips"
		case strings.Contains(c, "transpose-symmetric"):
			return "transpose flips"
		case strings.Contains(c, "walk over z2"):
			return "flips"
		case strings.Contains(c, "walk over z"), strings.Contains(c, "ternary"):
			return "ternary"
		}
	}
	return "flips"
}

// hashString returns the 64-bit FNV-1a hash of s.
func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// save writes the rows reproduced so far into the state file, atomically.
func (t *table) save(dir string) error {
	t.saveMu.Lock()
	defer t.saveMu.Unlock()
	prev, err := readState(dir)
	if err != nil {
		return err
	}
	for _, r := range t.snapshot() {
		if r.Reached && !r.Resumed {
			prev[key(r)] = r
		}
	}
	return tensorgame.AtomicWrite(filepath.Join(dir, stateFile), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(prev)
	})
}

func readState(dir string) (map[string]Row, error) {
	path := filepath.Join(dir, stateFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]Row{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reproduce: %w", err)
	}
	m := map[string]Row{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("reproduce: %s: %w", path, err)
	}
	return m, nil
}

// schemeHolds reports whether the scheme file a state row names is still
// there, of the row's format, field and rank, and verifies.
func schemeHolds(dir string, r Row) bool {
	if r.Scheme == "" {
		return false
	}
	s, err := tensorgame.ReadFile(filepath.Join(dir, r.Scheme))
	if err != nil || s.Format.String() != r.Format || s.Field.String() != r.Field || s.Rank() != r.Found {
		return false
	}
	return tensorgame.Verify(s) == nil
}
