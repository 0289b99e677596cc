package reproduce

import (
	"context"
	"errors"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/alphamat/alphamat/frontier/meta"
)

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
		parts := meta.Parts(r.format)
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
// above r's and a has cyclic walkers (meta.Cyclic), whose schemes restrict to
// r's best starts (4x5x5 waits for 5x5x5, 3x5x5 and 4x4x5 for 4x5x5).
// docs/experiments.md ("Why a row waits for the row one size above") has
// what this gained.
func waitsFor(r, a Row) bool {
	return meta.Cyclic(a.format) && meta.OneAbove(a.format, r.format)
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

// firstPass searches every row not resumed, in order: a row starts once
// the rows it depends on (deps) have ended and fewer than cfg.Parallel rows
// are running, with cfg.Workers/cfg.Parallel workers; a row that waits
// holds no slot. Of the rows ready at once, the first in order starts, so
// with one slot the rows run exactly in order. (A semaphore or
// errgroup.SetLimit would hand a free slot to whichever goroutine asked
// first, which the Go scheduler decides.)
func (t *table) firstPass(ctx context.Context, cfg Config, deps [][]int, order []int) error {
	g, gctx := errgroup.WithContext(ctx)
	workers := max(1, cfg.Workers/cfg.Parallel)
	rows := t.snapshot()
	ended := make([]bool, len(rows))
	var queue []int
	for _, i := range order {
		if rows[i].Resumed {
			ended[i] = true
		} else {
			queue = append(queue, i)
		}
	}
	ready := func(i int) bool { return !slices.ContainsFunc(deps[i], func(j int) bool { return !ended[j] }) }
	done := make(chan int)
	running := 0
	for len(queue) > 0 || running > 0 {
		for running < cfg.Parallel {
			k := slices.IndexFunc(queue, ready)
			if k < 0 {
				break
			}
			i := queue[k]
			queue = slices.Delete(queue, k, k+1)
			running++
			g.Go(func() error {
				defer func() { done <- i }()
				starts, _ := t.starts(cfg.RunDir, i, t.snapshot()[i])
				t.runRow(gctx, cfg, i, workers, starts)
				return t.save(cfg.RunDir)
			})
		}
		if running == 0 {
			// schedule found an order, so some row is always ready.
			return errors.New("reproduce: no row is ready to start")
		}
		ended[<-done] = true
		running--
	}
	return g.Wait()
}
