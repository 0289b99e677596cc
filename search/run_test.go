package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alphamat/alphamat/search/cyclic"
	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/search/transpose"
	"github.com/alphamat/alphamat/tensorgame"
)

func format(n, m, p int) tensorgame.Format { return tensorgame.Format{N: n, M: m, P: p} }

func TestRunReachesTarget(t *testing.T) {
	for _, c := range []struct {
		f       tensorgame.Format
		field   tensorgame.Field
		target  int
		workers int
	}{
		{format(2, 2, 2), tensorgame.Z2, 7, 2},
		{format(3, 3, 3), tensorgame.Z2, 23, 2},
		{format(2, 2, 3), tensorgame.Z2, 11, 1},
		{format(2, 2, 2), tensorgame.Z, 7, 2}, // ternary and Z2 walkers, lifting
		{format(2, 2, 2), tensorgame.Z, 7, 1}, // a ternary walker alone
	} {
		t.Run(fmt.Sprintf("%v_%v_%d", c.f, c.field, c.workers), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			res, err := Run(ctx, Config{Format: c.f, Field: c.field, Target: c.target, Workers: c.workers, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Reached || res.Stopped != StopTarget || res.Best.Rank() > c.target {
				t.Fatalf("result %+v: target %d not reached", res.Stats, c.target)
			}
			if res.Best.Field != c.field {
				t.Errorf("best scheme over %v, want %v", res.Best.Field, c.field)
			}
			if err := tensorgame.Verify(res.Best); err != nil {
				t.Fatal(err)
			}
			// What a walk found carries its move, its parent and the
			// lineage from the standard algorithm (a Z run may reach the
			// target by lifting a Z2 walk's scheme).
			if o := res.Best.Origin; o == nil || len(o.Parents) == 0 || !o.Has(tensorgame.MoveStandard) ||
				!(o.Move == tensorgame.MoveFlips || o.Move == tensorgame.MoveTernaryFlips || o.Move == tensorgame.MoveLift) {
				t.Errorf("origin %+v, want a walk or a lift with the standard algorithm in its lineage", o)
			}
		})
	}
}

func TestRunReproducible(t *testing.T) {
	cfg := Config{Format: format(2, 3, 3), Field: tensorgame.Z2, Target: 15, Workers: 1, Seed: 9}
	ctx := context.Background()
	a, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Reached || !b.Reached {
		t.Fatal("target not reached")
	}
	if a.ReachedAfterFlips != b.ReachedAfterFlips || !a.Best.Equal(b.Best) {
		t.Errorf("two runs with one worker and seed 9 differ: %d and %d flips", a.ReachedAfterFlips, b.ReachedAfterFlips)
	}
}

// TestRunResume runs with a run directory, stops it, and resumes it: the
// second start reads the pool back and never regresses.
func TestRunResume(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	cfg := Config{Format: format(3, 3, 3), Field: tensorgame.Z2, Workers: 2, Seed: 3, RunDir: dir,
		Target: 26}
	first, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if first.Stopped != StopTarget || first.Best == nil || first.Best.Rank() > 26 || first.Best.Rank() <= 23 {
		t.Fatalf("first run: stopped %q, stats %+v", first.Stopped, first.Stats)
	}
	got, err := tensorgame.ReadFile(first.Path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rank() != first.Best.Rank() {
		t.Fatalf("%s holds rank %d, want %d", first.Path, got.Rank(), first.Best.Rank())
	}
	// Resume, cancelled from the start: the pool is read back as it was.
	cfg.Target = 0
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	second, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if second.Stopped != StopCanceled || second.Best.Rank() != first.Best.Rank() {
		t.Fatalf("resumed run: stopped %q with rank %d, want canceled with %d", second.Stopped, second.Best.Rank(), first.Best.Rank())
	}
	// Resume with a target the first run did not reach.
	cfg.Target = 23
	ctx, cancel = context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	third, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !third.Reached || third.Best.Rank() > cfg.Target {
		t.Fatalf("third run: %+v", third.Stats)
	}
	p, err := pool.Open(dir, cfg.Format, cfg.Field, pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, ok := p.State()
	if !ok || st.Starts != 3 || st.Best != third.Best.Rank() || st.Flips < first.Stats.Flips {
		t.Errorf("state after three starts: %+v", st)
	}
	for r := third.Best.Rank(); r <= first.Best.Rank(); r++ {
		if _, err := os.Stat(p.Path(r)); err != nil {
			t.Errorf("rank %d: %v", r, err)
		}
	}
}

func TestRunBadConfig(t *testing.T) {
	f := format(2, 2, 2)
	broken := tensorgame.Standard(f, tensorgame.Z2)
	broken.Terms = broken.Terms[1:]
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"too large", Config{Format: format(17, 16, 16), Field: tensorgame.Z2}, "at most 256"},
		{"field Q", Config{Format: f, Field: tensorgame.Q}, "field Q"},
		{"target negative", Config{Format: f, Field: tensorgame.Z2, Target: -1}, "below 1"},
		{"target above start", Config{Format: f, Field: tensorgame.Z2, Target: 9}, "above the start rank 8"},
		{"from other format", Config{Format: f, Field: tensorgame.Z2, From: tensorgame.Standard(format(2, 2, 3), tensorgame.Z2)}, "2x2x3"},
		{"from unverified", Config{Format: f, Field: tensorgame.Z2, From: broken}, "verification"},
		{"run dir is a file", Config{Format: f, Field: tensorgame.Z2, RunDir: file}, "not a directory"},
		{"workers", Config{Format: f, Field: tensorgame.Z2, Workers: -1}, "workers"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Run(context.Background(), c.cfg)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Run: %v, want an error mentioning %q", err, c.want)
			}
		})
	}
}

func TestTimeToRank(t *testing.T) {
	d, flips, err := TimeToRank(context.Background(), format(2, 3, 3), tensorgame.Z2, 15, 2, 5)
	if err != nil {
		t.Fatal(err)
	}
	if d <= 0 || flips <= 0 {
		t.Errorf("TimeToRank = %v, %d flips; want both positive", d, flips)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, _, err := TimeToRank(ctx, format(4, 4, 4), tensorgame.Z2, 40, 1, 5); err == nil {
		t.Error("TimeToRank to an unreachable rank succeeded")
	}
}

func TestLiftQueueLowestFirst(t *testing.T) {
	q := newLiftQueue()
	mk := func(rank int) *tensorgame.Scheme {
		return &tensorgame.Scheme{Terms: make([]tensorgame.Term, rank)}
	}
	for _, r := range []int{9, 7, 8, 7} {
		q.push(mk(r))
	}
	ctx := context.Background()
	for _, want := range []int{7, 7, 8, 9} {
		if got := q.pop(ctx).Rank(); got != want {
			t.Fatalf("pop = rank %d, want %d", got, want)
		}
	}
	// A full queue drops its highest rank for a lower one, and refuses
	// a higher one.
	for range liftQueueLen {
		q.push(mk(20))
	}
	q.push(mk(30))
	q.push(mk(10))
	if got := q.pop(ctx).Rank(); got != 10 {
		t.Errorf("pop = rank %d, want 10", got)
	}
	n := 0
	for len(q.items) > 0 {
		if r := q.pop(ctx).Rank(); r != 20 {
			t.Errorf("pop = rank %d, want 20", r)
		}
		n++
	}
	if n != liftQueueLen-1 {
		t.Errorf("%d schemes left, want %d", n, liftQueueLen-1)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if s := q.pop(cctx); s != nil {
		t.Errorf("pop on an empty queue with a done context = %v, want nil", s)
	}
}

func TestRunCyclic(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	f := format(3, 3, 3)
	// A plain run first leaves schemes that are not symmetric in the run
	// directory: the cyclic walkers must skip them, not fail on them.
	if _, err := Run(context.Background(), Config{Format: f, Field: tensorgame.Z2, Target: 25, Workers: 1, Seed: 2, RunDir: dir}); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Config{Format: f, Field: tensorgame.Z2, Target: 23, Workers: 2, Seed: 1, RunDir: dir, Cyclic: true,
		Time: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Reached {
		t.Fatalf("rank %d, target 23 not reached", res.Best.Rank())
	}
	if err := tensorgame.Verify(res.Best); err != nil {
		t.Fatal(err)
	}
	// The cyclic walkers stored symmetric schemes, saying so.
	files := readPool(t, dir)
	sym := 0
	for name, s := range files {
		// The last walk that found it (a plain walk from a cyclic
		// scheme carries the cyclic walk's comment first).
		last := ""
		for _, c := range s.Comments {
			if strings.Contains(c, "walk over") {
				last = c
			}
		}
		if strings.Contains(last, "cyclic-symmetric flip-graph walk") {
			if !cyclic.Symmetric(s) {
				t.Errorf("%s: found by a cyclic walker, but not symmetric", name)
			}
			sym++
		}
	}
	if sym == 0 {
		t.Errorf("none of the %d pool files was found by a cyclic walker", len(files))
	}
}

// readPool reads the schemes of the pool of the run directory dir, by file
// name; it fails t when there are none.
func readPool(t *testing.T, dir string) map[string]*tensorgame.Scheme {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "pool", "*.txt"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no pool files in %s (%v)", dir, err)
	}
	files := make(map[string]*tensorgame.Scheme)
	for _, name := range names {
		s, err := tensorgame.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = s
	}
	return files
}

// openRun returns the run of cfg with its lanes set up (run.open), not
// started.
func openRun(t *testing.T, cfg Config) *run {
	t.Helper()
	r, err := newRun(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.open(); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestCyclicFeeds checks that a new best of the cyclic lane becomes a start
// of the plain lane, at once when it is below the plain lane's epoch.
func TestCyclicFeeds(t *testing.T) {
	f := format(3, 3, 3)
	r := openRun(t, Config{Format: f, Field: tensorgame.Z2, Workers: 2, Cyclic: true})
	if len(r.lanes) != 2 || r.lanes[0].sym == nil || r.lanes[0].feed != r.lanes[1] || r.lanes[1].sym != nil {
		t.Fatalf("lanes: want a cyclic lane feeding a plain one")
	}
	c, plain := r.lanes[0], r.lanes[1]
	for _, l := range r.lanes {
		ep, err := l.newEpoch()
		if err != nil {
			t.Fatal(err)
		}
		l.ep.Store(ep)
	}
	before := plain.ep.Load()
	w, err := cyclic.New(f, 1, cyclic.Options{})
	if err != nil {
		t.Fatal(err)
	}
	std := tensorgame.Standard(f, tensorgame.Z2)
	if err := w.Start(std); err != nil {
		t.Fatal(err)
	}
	w.Walk(1_000_000, 26, 27)
	if w.Rank() >= 27 {
		t.Fatal("no reduction in a million flips of 3x3x3")
	}
	found := w.Scheme()
	if err := c.found(c.ep.Load(), found, std, 1); err != nil {
		t.Fatal(err)
	}
	if o := found.Origin; o == nil || o.Move != tensorgame.MoveCyclicFlips || len(o.Parents) != 1 || o.Parents[0].Rank != 27 || o.Params["seed"] != "1" {
		t.Fatalf("origin %+v, want cyclic flips from the standard algorithm with seed 1", o)
	}
	after := plain.ep.Load()
	if after == before || after.pool.Best() != w.Rank() {
		t.Fatalf("the plain lane's epoch did not restart from the cyclic scheme of rank %d", w.Rank())
	}
	if len(plain.offered) != 1 || plain.offered[0].Rank() != w.Rank() {
		t.Fatal("the cyclic scheme is not among the plain lane's starts")
	}
	// Another scheme of that rank joins it; one above does not.
	r0 := w.Rank()
	w.Walk(1000, 0, r0) // no plus transitions: mostly the same rank
	if err := c.found(c.ep.Load(), w.Scheme(), std, 1); err != nil {
		t.Fatal(err)
	}
	plain.offer(tensorgame.Standard(f, tensorgame.Z2))
	want := 2 // the two of rank r0, or the one below
	if w.Rank() < r0 {
		want = 1
	}
	if len(plain.offered) != want || plain.offered[want-1].Rank() != w.Rank() {
		t.Fatalf("offered %d schemes, want %d of rank %d", len(plain.offered), want, w.Rank())
	}
	// Epochs take turns between the offered scheme and the run's start.
	var ranks []int
	for range 2 {
		next, err := plain.newEpoch()
		if err != nil {
			t.Fatal(err)
		}
		ranks = append(ranks, next.pool.Best())
	}
	if !slices.Contains(ranks, w.Rank()) || !slices.Contains(ranks, 27) {
		t.Errorf("two epochs start at ranks %v, want the offered %d and the standard 27", ranks, w.Rank())
	}
}

// TestCyclicFreshStarts checks that the cyclic lane of a fresh run takes
// turns between the standard algorithm, the paired diagonal start
// (cyclic.PairedStart) and the product start (cyclic.ProductStart, 7·7 =
// 49 for 4x4x4), whose epochs keep their comments.
func TestCyclicFreshStarts(t *testing.T) {
	f := format(4, 4, 4)
	r := openRun(t, Config{Format: f, Field: tensorgame.Z2, Workers: 2, Cyclic: true})
	c := r.lanes[0]
	if c.sym == nil || len(c.starts) != 3 {
		t.Fatalf("cyclic lane with %d starts, want 3", len(c.starts))
	}
	// In a fresh run the standard algorithm is the pool's (once, last).
	paired, product, std := c.starts[0][0], c.starts[1][0], c.starts[2][0]
	if !std.Equal(tensorgame.Standard(f, tensorgame.Z2)) {
		t.Errorf("last start of rank %d, want the standard algorithm", std.Rank())
	}
	if !slices.ContainsFunc(paired.Comments, func(s string) bool { return strings.Contains(s, "diagonal parts [[0 1] [2 3]]") }) {
		t.Errorf("first start: comments %q, want the paired diagonal start", paired.Comments)
	}
	if product.Rank() != 49 || product.Origin == nil || product.Origin.Move != tensorgame.MoveProduct {
		t.Errorf("second start of rank %d, origin %+v, want the product start of rank 49", product.Rank(), product.Origin)
	}
	var tops []int
	for range 3 {
		ep, err := c.newEpoch()
		if err != nil {
			t.Fatal(err)
		}
		tops = append(tops, ep.top)
		for _, s := range []*tensorgame.Scheme{paired, product} {
			if ep.top == s.Rank() && !slices.Equal(ep.comments, s.Comments) {
				t.Errorf("epoch from the start of rank %d has comments %q", s.Rank(), ep.comments)
			}
		}
	}
	if !slices.Contains(tops, paired.Rank()) || !slices.Contains(tops, 49) || !slices.Contains(tops, 64) {
		t.Errorf("three epochs start at %v, want %d, 49 and 64", tops, paired.Rank())
	}
}

// TestPickStart checks the shares of a symmetric lane's starts: untried
// starts first, then each start's flips weighted by 2 per orbit its best
// result is above the lowest.
func TestPickStart(t *testing.T) {
	r := openRun(t, Config{Format: format(3, 3, 3), Field: tensorgame.Z2, Workers: 2, Cyclic: true})
	c := r.lanes[0]
	if c.sym == nil || len(c.starts) != 2 {
		t.Fatalf("cyclic lane with %d starts, want 2", len(c.starts))
	}
	for want := range 2 {
		ep, err := c.newEpoch()
		if err != nil {
			t.Fatal(err)
		}
		if ep.from != want {
			t.Fatalf("epoch %d from start %d, want %d (untried starts first)", want, ep.from, want)
		}
	}
	for _, tc := range []struct {
		name   string
		shares []share
		want   int
	}{
		{"equal results, fewer flips", []share{{1, 1, 500, 23}, {1, 1, 400, 23}}, 1},
		{"two orbits higher: 4 times the cost", []share{{1, 1, 399, 23}, {1, 1, 100, 29}}, 0},
		{"two orbits higher, past its share", []share{{1, 1, 401, 23}, {1, 1, 100, 29}}, 1},
		{"one epoch still running", []share{{1, 1, 100, 23}, {1, 0, 0, 0}}, 1},
		{"an untried start", []share{{3, 3, 100, 23}, {0, 0, 0, 0}}, 1},
	} {
		p := c.picker.(*byResult)
		p.shares = slices.Clone(tc.shares)
		if got := c.pickStart(); got != tc.want {
			t.Errorf("%s: picked %d, want %d", tc.name, got, tc.want)
		}
		if p.shares[tc.want].picked != tc.shares[tc.want].picked+1 {
			t.Errorf("%s: picked count not updated", tc.name)
		}
	}
}

// TestRecord checks what an ended epoch adds to its start's share: its
// best rank when it went below its start, else one orbit above the start.
func TestRecord(t *testing.T) {
	r := openRun(t, Config{Format: format(3, 3, 3), Field: tensorgame.Z2, Workers: 2, Cyclic: true})
	c := r.lanes[0]
	p := c.picker.(*byResult)
	p.shares = make([]share, len(c.starts))
	ep, err := c.epochFrom([]*tensorgame.Scheme{tensorgame.Standard(format(3, 3, 3), tensorgame.Z2)}, false)
	if err != nil {
		t.Fatal(err)
	}
	ep.from = 1
	c.flips.Add(1000)
	c.record(ep) // no gain: 27 + 3
	ep.top = 33  // as if it had come down from 33 to 27
	c.flips.Add(500)
	c.record(ep)
	if got, want := p.shares[1], (share{epochs: 2, flips: 2500, best: 27}); got != want {
		t.Errorf("share %+v, want %+v", got, want)
	}
	p.shares[1] = share{}
	ep.top = 27
	c.record(ep)
	if got := p.shares[1].best; got != 30 {
		t.Errorf("an epoch without a gain: best %d, want 30 (one orbit above its start)", got)
	}
	ep.from = -1
	c.record(ep)
	if p.shares[1].epochs != 1 || p.shares[0].epochs != 0 {
		t.Errorf("an epoch not from a start was recorded: %+v", p.shares)
	}
}

// TestRunCyclicZ runs the cyclic lane in a Z run: its schemes and the
// plain Z2 lane's are lifted, and the target is reached over Z.
func TestRunCyclicZ(t *testing.T) {
	res, err := Run(context.Background(), Config{Format: format(3, 3, 3), Field: tensorgame.Z, Target: 23, Workers: 2, Seed: 1,
		Cyclic: true, Time: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Reached || res.Best.Field != tensorgame.Z {
		t.Fatalf("rank %d over %v, want 23 over Z", res.Best.Rank(), res.Best.Field)
	}
	if err := tensorgame.Verify(res.Best); err != nil {
		t.Fatal(err)
	}
}

func TestRunCyclicErrors(t *testing.T) {
	if _, err := Run(context.Background(), Config{Format: format(2, 2, 17), Field: tensorgame.Z2, Cyclic: true}); err == nil || !strings.Contains(err.Error(), "17x17x17") {
		t.Errorf("2x2x17 with Cyclic: err = %v, want one that names 17x17x17, the square format above it", err)
	}
}

// TestFromCyclicScheme starts plain walks from a cyclic-symmetric 5x5x5
// scheme of rank 100 (4 fixed terms, 32 orbits) that a cyclic walk found:
// breaking the symmetry, they reach 96, AlphaTensor's rank over Z2 (0.08 s
// with seed 2; seeds 1 and 3: 0.3 s and 2 s). That scheme lifts to Z
// (alphamat lift, 5.6 s): rank 96 over Z, below AlphaTensor's 98.
func TestFromCyclicScheme(t *testing.T) {
	s, err := tensorgame.ReadFile(filepath.Join("testdata", "5x5x5_r100_Z2_cyclic.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !cyclic.Symmetric(s) || s.Rank() != 100 {
		t.Fatalf("testdata: rank %d, symmetric %v; want a symmetric 100", s.Rank(), cyclic.Symmetric(s))
	}
	res, err := Run(context.Background(), Config{Format: s.Format, Field: tensorgame.Z2, From: s, Target: 96,
		Workers: 1, Seed: 2, Time: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Reached {
		t.Fatalf("rank %d after %v, want 96", res.Best.Rank(), res.Stats.Elapsed)
	}
	if err := tensorgame.Verify(res.Best); err != nil {
		t.Fatal(err)
	}
}

// TestRunTranspose runs the transpose lane alone (one worker) on 2x3x3,
// which it walks as 3x2x3: it reaches 15 (Hopcroft-Kerr), and every scheme
// it stored is transpose-symmetric once carried back to 3x2x3.
func TestRunTranspose(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	f := format(2, 3, 3)
	res, err := Run(context.Background(), Config{Format: f, Field: tensorgame.Z2, Target: 15, Workers: 1, Seed: 1, RunDir: dir,
		Transpose: true, Time: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Reached {
		t.Fatalf("rank %d, target 15 not reached", res.Best.Rank())
	}
	files := readPool(t, dir)
	sym := 0
	for name, s := range files {
		if s.Format != f {
			t.Errorf("%s: format %v, want %v", name, s.Format, f)
		}
		if !slices.ContainsFunc(s.Comments, func(c string) bool { return strings.Contains(c, "transpose-symmetric flip-graph walk") }) {
			continue
		}
		p, err := tensorgame.Permute(s, format(3, 2, 3))
		if err != nil {
			t.Fatal(err)
		}
		if !transpose.Symmetric(p) {
			t.Errorf("%s: found by a transpose walker, but not symmetric as 3x2x3", name)
		}
		sym++
	}
	if sym == 0 {
		t.Errorf("none of the %d pool files was found by a transpose walker", len(files))
	}
}

// TestSymmetryErrors checks the formats each symmetry refuses.
func TestSymmetryErrors(t *testing.T) {
	for _, tc := range []struct {
		f                 tensorgame.Format
		cyclic, transpose bool // wanted to work
	}{
		{format(3, 3, 3), true, true},
		{format(3, 5, 5), true, true}, // cyclic: walks of 5x5x5, restricted
		{format(4, 4, 5), true, true},
		{format(3, 4, 5), true, false},
		{format(2, 2, 9), true, true},   // cyclic: walks of 9x9x9, two words
		{format(2, 2, 17), false, true}, // cyclic: 17x17x17, beyond 16
	} {
		_, errC := Run(context.Background(), Config{Format: tc.f, Field: tensorgame.Z2, Cyclic: true, Time: time.Millisecond})
		_, errT := Run(context.Background(), Config{Format: tc.f, Field: tensorgame.Z2, Transpose: true, Time: time.Millisecond})
		if (errC == nil) != tc.cyclic || (errT == nil) != tc.transpose {
			t.Errorf("%v: cyclic error %v, transpose error %v; want them to work: %v, %v", tc.f, errC, errT, tc.cyclic, tc.transpose)
		}
	}
}

func TestLuby(t *testing.T) {
	want := []int64{1, 1, 2, 1, 1, 2, 4, 1, 1, 2, 1, 1, 2, 4, 8, 1, 1, 2, 1, 1, 2, 4, 1, 1, 2, 1, 1, 2, 4, 8, 16, 1}
	for i, w := range want {
		if got := luby(int64(i + 1)); got != w {
			t.Errorf("luby(%d) = %d, want %d", i+1, got, w)
		}
	}
}

// TestCyclicAbove checks the lanes of a Cyclic run of a format that is not
// square: a cyclic lane of the square format above it, with its own
// archive in the run directory, that hands the restrictions of an ended
// epoch's best schemes to the plain lane, whose next epochs start from
// them, newest first.
func TestCyclicAbove(t *testing.T) {
	f := format(2, 3, 3)
	dir := t.TempDir()
	r := openRun(t, Config{Format: f, Field: tensorgame.Z2, Workers: 2, Cyclic: true, RunDir: dir})
	if len(r.lanes) != 2 || r.lanes[0].sym == nil || !r.lanes[0].sym.above || r.lanes[0].feed != r.lanes[1] {
		t.Fatalf("lanes: want a cyclic lane above feeding a plain one")
	}
	c, plain := r.lanes[0], r.lanes[1]
	if c.format != format(3, 3, 3) || plain.format != f {
		t.Fatalf("lane formats %v and %v, want 3x3x3 and %v", c.format, plain.format, f)
	}
	if _, err := os.Stat(filepath.Join(dir, "3x3x3-z2")); err != nil {
		t.Errorf("no archive of the lane above: %v", err)
	}
	ep, err := c.newEpoch()
	if err != nil {
		t.Fatal(err)
	}
	paired, err := cyclic.PairedStart(format(3, 3, 3))
	if err != nil {
		t.Fatal(err)
	}
	if ep.top != 27 && ep.top != paired.Rank() {
		t.Errorf("the cyclic lane starts at %d, want 3x3x3's paired start (%d) or standard algorithm (27)", ep.top, paired.Rank())
	}
	// The epoch's best: cyclic descents from the standard algorithm.
	best := 0
	for seed := uint64(1); seed <= 4; seed++ {
		w, err := cyclic.New(format(3, 3, 3), seed, cyclic.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Start(tensorgame.Standard(format(3, 3, 3), tensorgame.Z2)); err != nil {
			t.Fatal(err)
		}
		w.Walk(200_000, 0, 27)
		if _, err := ep.pool.Add(w.Scheme()); err != nil {
			t.Fatal(err)
		}
		best = ep.pool.Best()
	}
	if err := c.handOver(ep); err != nil {
		t.Fatal(err)
	}
	if len(plain.restricted) == 0 || len(plain.restricted) > perEpoch {
		t.Fatalf("%d restrictions handed over, want 1 to %d", len(plain.restricted), perEpoch)
	}
	for _, s := range plain.restricted {
		if s.Format != f || s.Field != tensorgame.Z2 {
			t.Fatalf("handed over a %v scheme over %v", s.Format, s.Field)
		}
		if err := tensorgame.Verify(s); err != nil {
			t.Fatal(err)
		}
		if s.Rank() > best {
			t.Errorf("restriction of rank %d, above the epoch's best %d", s.Rank(), best)
		}
	}
	next, err := plain.newEpoch()
	if err != nil {
		t.Fatal(err)
	}
	if next.top != plain.restricted[0].Rank() || !slices.ContainsFunc(next.comments, func(c string) bool { return strings.Contains(c, "restriction along") }) {
		t.Errorf("the plain lane's next epoch starts at %d with comments %q, want the newest restriction's", next.top, next.comments)
	}
	// Older restrictions give way to newer ones.
	for range maxRestricted {
		if err := c.handOver(ep); err != nil {
			t.Fatal(err)
		}
	}
	if len(plain.restricted) != maxRestricted {
		t.Errorf("%d restrictions kept, want %d", len(plain.restricted), maxRestricted)
	}
}

// TestWideSymmetricLanes sets up a 9x9x9 run with cyclic and transpose
// lanes, whose factors of 81 coefficients take two words, and walks a
// walker of each lane from the standard algorithm with a plus transition
// after every flip: the scheme must verify and stay symmetric. Then a
// short run with both lanes must end without error at a scheme that
// verifies.
func TestWideSymmetricLanes(t *testing.T) {
	f := format(9, 9, 9)
	cfg := Config{Format: f, Field: tensorgame.Z2, Workers: 3, Cyclic: true, Transpose: true, RunDir: t.TempDir()}
	r := openRun(t, cfg)
	var names []string
	for _, l := range r.lanes {
		if l.sym == nil {
			continue
		}
		names = append(names, l.sym.name)
		w, err := l.sym.newWalker(f, 1, 1, 8)
		if err != nil {
			t.Fatalf("%s: %v", l.sym.name, err)
		}
		if err := w.Start(tensorgame.Standard(f, tensorgame.Z2)); err != nil {
			t.Fatalf("%s: %v", l.sym.name, err)
		}
		w.Walk(2000, 0, f.Naive()+8)
		s := w.Scheme()
		if _, _, plus, _ := w.Counts(); plus == 0 || s.Rank() != w.Rank() {
			t.Errorf("%s: %d plus transitions, rank %d, scheme of %d terms", l.sym.name, plus, w.Rank(), s.Rank())
		}
		if err := tensorgame.Verify(s); err != nil || !l.sym.isSymmetric(s) {
			t.Errorf("%s: symmetric %v, verification %v", l.sym.name, l.sym.isSymmetric(s), err)
		}
	}
	if want := []string{"cyclic-symmetric", "transpose-symmetric"}; !slices.Equal(names, want) {
		t.Fatalf("symmetric lanes %q, want %q", names, want)
	}
	cfg.Time = 2 * time.Second
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := tensorgame.Verify(res.Best); err != nil || res.Best.Format != f {
		t.Errorf("best: a %v scheme, verification %v", res.Best.Format, err)
	}
}

// TestRunCyclicAbove runs 2x3x3 with cyclic walks of 3x3x3: the target is
// reached and everything in the run directory, the lane above's archive
// too, verifies.
func TestRunCyclicAbove(t *testing.T) {
	dir := t.TempDir()
	res, err := Run(context.Background(), Config{Format: format(2, 3, 3), Field: tensorgame.Z2, Target: 15, Workers: 2, Seed: 3,
		Cyclic: true, Time: time.Minute, RunDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Reached {
		t.Fatalf("rank %d, want 15", res.Best.Rank())
	}
	files, err := filepath.Glob(filepath.Join(dir, "3x3x3-z2", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no 3x3x3 schemes kept (%v)", err)
	}
	for _, name := range files {
		s, err := tensorgame.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := tensorgame.Verify(s); err != nil || s.Format != format(3, 3, 3) || !cyclic.Symmetric(s) {
			t.Errorf("%s: a %v scheme, symmetric %v, verification %v", name, s.Format, cyclic.Symmetric(s), err)
		}
	}
}

// TestRunWide runs a one-second search of a format whose factors need
// more than one word (the flip walker picks the width) with a run
// directory, end to end: the best scheme is verified, and so is the file
// the pool wrote for it.
func TestRunWide(t *testing.T) {
	f := format(9, 9, 9)
	res, err := Run(context.Background(), Config{Format: f, Field: tensorgame.Z2, Time: time.Second, Workers: 2, Seed: 1, RunDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Best == nil || res.Best.Rank() > f.Naive() || res.Stopped != StopTime {
		t.Fatalf("best %v, stopped %q: want a scheme of rank <= %d when the time is up", res.Best, res.Stopped, f.Naive())
	}
	if err := tensorgame.Verify(res.Best); err != nil {
		t.Fatal(err)
	}
	if res.Stats.Flips == 0 {
		t.Error("no flip made")
	}
	back, err := tensorgame.ReadFile(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	if err := tensorgame.Verify(back); err != nil || back.Rank() != res.Best.Rank() {
		t.Fatalf("%s: rank %d, %v; want the best, verified", res.Path, back.Rank(), err)
	}
}

// strassenZ2 is Strassen's algorithm over Z2 (AlphaTensor's factorization).
const strassenZ2 = `# field: Z2
# size: n=2 m=2 p=2
0 0 1 1 ; 0 0 1 1 ; 0 1 0 1
0 0 1 0 ; 1 1 1 1 ; 0 0 1 0
0 1 0 0 ; 0 0 1 0 ; 1 1 1 1
0 1 1 1 ; 0 1 1 1 ; 0 1 1 1
1 0 0 0 ; 1 0 0 0 ; 1 0 0 0
1 1 1 1 ; 0 1 0 0 ; 0 1 0 0
0 1 0 1 ; 0 1 0 1 ; 0 0 1 1
`

// TestRunReportsSimplifiedStart starts from Strassen with one term
// written twice more (rank 9 over Z2, where the two copies cancel): the
// walkers' Start simplifies it to rank 7, which the run must report,
// though no walk ever goes below 7.
func TestRunReportsSimplifiedStart(t *testing.T) {
	s, err := tensorgame.Parse(strings.NewReader(strassenZ2), "strassen")
	if err != nil {
		t.Fatal(err)
	}
	s.Terms = append(s.Terms, s.Terms[0].Clone(), s.Terms[0].Clone())
	if err := tensorgame.Verify(s); err != nil || s.Rank() != 9 {
		t.Fatalf("start of rank %d: %v", s.Rank(), err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := Run(ctx, Config{Format: s.Format, Field: tensorgame.Z2, From: s, Target: 7, Workers: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Reached || res.Best.Rank() != 7 {
		t.Fatalf("stopped %q with rank %d, want rank 7 reached", res.Stopped, res.Best.Rank())
	}
}

// TestRunWarnsOfSetAside: a damaged file in a run directory does not stop a
// resumed run; Result.Warnings names it, and it is kept as *.corrupt.
func TestRunWarnsOfSetAside(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	cfg := Config{Format: f, Field: tensorgame.Z2, Target: 7, Workers: 1, Seed: 1, RunDir: dir}
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "pool", "2x2x2_r8_Z2_0123456789abcdef.txt")
	if err := os.WriteFile(bad, []byte("# size: 2x2x2\n1 0"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Reached {
		t.Errorf("resumed run did not hold rank 7")
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], filepath.Base(bad)) {
		t.Errorf("warnings = %q, want one naming %s", res.Warnings, filepath.Base(bad))
	}
	if _, err := os.Stat(bad + ".corrupt"); err != nil {
		t.Errorf("damaged file not kept: %v", err)
	}
}
