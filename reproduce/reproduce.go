package reproduce

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/alphamat/alphamat/ranks"
	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/tensorgame"
)

// defaultFormats are the formats of AlphaTensor's Fig. 3 that a default
// run reproduces: the small ones, for a first run of a few minutes
// (docs/experiments.md, "The default run").
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
	Method    string  `json:"method"`                   // how the scheme was found, from its Origin (see method): flips, lift from composite, ...
	Scheme    string  `json:"scheme"`                   // the scheme file, relative to the run directory
	Resumed   bool    `json:"resumed"`                  // reproduced by an earlier run and not searched again
	Beyond    float64 `json:"beyond_seconds,omitempty"` // searched beyond Published (Config.Beyond); to BestKnown when reached
	Status    Status  `json:"status"`
	Error     string  `json:"error,omitempty"`

	format tensorgame.Format
	field  tensorgame.Field
}

// Status is where a row stands.
type Status string

// The statuses of a row.
const (
	StatusPending    Status = "pending"    // not started yet
	StatusRunning    Status = "running"    // being searched
	StatusBeyond     Status = "beyond"     // reproduced, searched on toward the best known rank (Config.Beyond)
	StatusReproduced Status = "reproduced" // found at or below the published rank
	StatusMissed     Status = "missed"     // searched and not reproduced
	StatusFailed     Status = "failed"     // its search failed (Row.Error); missed too
)

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
				BestKnown: pub.Best(field), Status: StatusPending, format: f, field: field,
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
	t.resume(cfg.RunDir, done)
	t.notify()
	stopTicker := t.tick(time.Second)
	err = t.firstPass(ctx, cfg, deps, order)
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
