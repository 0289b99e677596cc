package reproduce

import (
	"context"
	"fmt"
	"hash/fnv"
	"path/filepath"
	"slices"
	"time"

	"github.com/alphamat/alphamat/frontier/meta"
	"github.com/alphamat/alphamat/search"
	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/tensorgame"
)

// runRow searches one row from the extra start schemes starts and records
// the outcome, adding to what an earlier pass recorded; a search error is
// recorded in the row, not returned.
func (t *table) runRow(ctx context.Context, cfg Config, i, workers int, starts []*tensorgame.Scheme) {
	row := t.snapshot()[i]
	t.update(i, func(r *Row) { r.Status = StatusRunning })
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
			r.Status, r.Error = StatusFailed, err.Error()
			return
		}
		r.Flips = prevFlips + res.Stats.Flips
		if res.Best != nil {
			r.take(cfg.RunDir, res)
		}
		r.Reached = res.Reached && r.Found > 0 && r.Found <= r.Published
		if r.Reached {
			r.Status = StatusReproduced
			if res.ReachedAfter > 0 {
				r.Seconds = prevSeconds + res.ReachedAfter.Seconds()
				r.Flips = prevFlips + res.ReachedAfterFlips
			}
		} else {
			r.Status = StatusMissed
		}
	})
}

// rowSearch is the search of row for its budget, from starts, toward
// target, in the row's run directory under cfg.RunDir, with the row's
// cyclic walkers and a seed derived from the row's key and salt.
func rowSearch(cfg Config, row Row, starts []*tensorgame.Scheme, target, workers int, salt string) search.Config {
	return search.Config{
		Starts:  starts,
		Cyclic:  meta.Cyclic(row.format),
		Format:  row.format,
		Field:   row.field,
		Target:  target,
		Time:    cfg.Budget,
		Workers: workers,
		Seed:    cfg.Seed ^ hashString(key(row)+salt),
		RunDir:  filepath.Join(cfg.RunDir, key(row)),
	}
}

// hashString returns the 64-bit FNV-1a hash of s.
func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// take records res's best scheme (non-nil) as the row's: its rank, how it
// was found, and its file relative to runDir.
func (r *Row) take(runDir string, res search.Result) {
	r.Found = res.Best.Rank()
	r.Method = method(res.Best.Origin)
	if rel, err := filepath.Rel(runDir, res.Path); err == nil {
		r.Scheme = rel
	}
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

// compositeStart returns, as a list of search starts, the best direct sum
// (meta.Sum) of smaller formats whose schemes the rows of this reproduction
// found (in runDir/<format>-<field>), when it beats what the row's own run
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
	held := &meta.Runs{Dir: runDir}
	if c, err := meta.Sum(row.format, row.field, held); err == nil && held.Err == nil && c != nil && (cur == nil || c.Rank() < cur.Rank()) {
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

// restrictionStarts returns up to 64 restrictions (meta.Restrictions) of
// the lowest schemes, up to 32 of each, of the formats one size larger than
// the row's, from their rows' directories in runDir; nil when there are
// none or a directory cannot be read (that row's own search reports it).
// How many sources matters: 4x5x5 from restrictions of 12 5x5x5 schemes of
// rank 96 reached 76 in 8 s on one core, from 2 in 106 s.
func restrictionStarts(runDir string, row Row) []*tensorgame.Scheme {
	held := &meta.Runs{Dir: runDir}
	rs, err := meta.Restrictions(row.format, row.field, held, 32, 64)
	if err != nil || held.Err != nil {
		return nil
	}
	return rs
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
		if row.Reached || row.Status == StatusFailed || row.Resumed || !searchedAbove(rows, row) {
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

// searchedAbove reports whether a row of rows over row's field, searched in
// this run (not resumed), has a format one size larger than row's.
func searchedAbove(rows []Row, row Row) bool {
	for _, r := range rows {
		if r.field == row.field && !r.Resumed && r.Status != StatusFailed && meta.OneAbove(r.format, row.format) {
			return true
		}
	}
	return false
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
		t.update(i, func(r *Row) { r.Status = StatusBeyond })
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
			r.Status, r.Found = StatusReproduced, row.Found
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

// reduceFromZ completes the Z2 rows from the Z rows of the same format that
// did better: a scheme over Z reduced mod 2 is one over Z2 (verified, and
// stored in the Z2 row's run directory). A Z2 row that missed takes the Z
// row's time too; one already reproduced keeps its time and method, and
// the method says which rank came from Z (a 5x5x5 run whose Z2 row
// reached 95 and whose Z row, starting from it, 93).
func (t *table) reduceFromZ(runDir string) error {
	rows := t.snapshot()
	for i, r := range rows {
		if r.field != tensorgame.Z2 || r.Status == StatusFailed {
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
			z2.Origin.Detail = "alphamat reproduce: reduced mod 2 from the Z row's scheme"
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
					row.Status = StatusReproduced
				}
			})
		}
	}
	return t.save(runDir)
}
