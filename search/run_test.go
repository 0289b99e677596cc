package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alphamat/alphamat/search/pool"
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
			if !res.Reached || res.Stopped != "target" || res.Best.Rank() > c.target {
				t.Fatalf("result %+v: target %d not reached", res.Stats, c.target)
			}
			if res.Best.Field != c.field {
				t.Errorf("best scheme over %v, want %v", res.Best.Field, c.field)
			}
			if err := tensorgame.Verify(res.Best); err != nil {
				t.Fatal(err)
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
	if first.Stopped != "target" || first.Best == nil || first.Best.Rank() > 26 || first.Best.Rank() <= 23 {
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
	if second.Stopped != "canceled" || second.Best.Rank() != first.Best.Rank() {
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
		{"too large", Config{Format: format(9, 8, 8), Field: tensorgame.Z2}, "at most 64"},
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
