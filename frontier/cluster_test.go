package frontier

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alphamat/alphamat/cluster"
	"github.com/alphamat/alphamat/ranks"
	"github.com/alphamat/alphamat/search"
	"github.com/alphamat/alphamat/tensorgame"
)

// TestDispatch runs a frontier on 2x2x2 and 2x2x3 over Z2 through a hub
// and one in-process worker: both reach their best known ranks (7, 11)
// from the standard algorithm, the searches come back through the hub, a
// search the worker's search refuses is an error, jobs a previous run
// left are dropped when a dispatcher starts, and a search's start schemes
// (From and all of Starts) reach the worker's search.
func TestDispatch(t *testing.T) {
	dir := t.TempDir()
	srv := testServer(t, dir)
	ctx := context.Background()
	opts := cluster.HubOptions{Endpoint: srv.Endpoint(), AckWait: 2 * time.Second}

	// A job left by an earlier run, with no worker to take it.
	old, err := NewDispatch(ctx, opts, 0)
	if err != nil {
		t.Fatal(err)
	}
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	if err := old.Hub().Submit(ctx, cluster.Job{ID: "left-over", Format: f, Field: tensorgame.Z2, Budget: time.Hour}); err != nil {
		t.Fatal(err)
	}
	// The consumer counts a job as pending shortly after the stream has it.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		st, err := old.Hub().Status(ctx)
		if err == nil && st.Pending == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("status %+v, %v; want the job pending", st, err)
		}
	}
	old.Close()

	d, err := NewDispatch(ctx, opts, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	if st, err := d.Hub().Status(ctx); err != nil || st.Pending != 0 {
		t.Fatalf("status %+v, %v; want no job pending after NewDispatch", st, err)
	}
	known, err := ranks.Frontier()
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu   sync.Mutex
		jobs = map[uint64]cluster.Job{} // by seed
		log  strings.Builder
	)
	job := WorkerConfig{Dir: dir, Workers: 1, Targets: NewTargets(known), Log: lockedWriter{&mu, &log}}.Job()
	runWorker(t, srv, dir, func(ctx context.Context, j cluster.Job, publish func(*tensorgame.Scheme) error) error {
		mu.Lock()
		jobs[j.Seed] = j
		mu.Unlock()
		return job(ctx, j, publish)
	})

	if _, err := d.Search(ctx, search.Config{Format: f, Field: tensorgame.Q, Time: time.Second, Seed: 1}); err == nil {
		t.Error("a search over Q: no error")
	}
	rep, err := Run(ctx, Config{Formats: []tensorgame.Format{f, {N: 2, M: 2, P: 3}}, Fields: []tensorgame.Field{tensorgame.Z2},
		Dir: filepath.Join(dir, "run"), Time: 6 * time.Second, Slice: 2 * time.Second, Known: known, Search: d.Search, Slots: d.Slots})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Rows {
		if r.Gap > 0 {
			t.Errorf("%v %v: rank %d, gap %d", r.Format, r.Field, r.Rank, r.Gap)
		}
	}
	// The searches went through the hub: a scheme of each format accepted.
	st, err := d.Hub().Status(ctx)
	if err != nil || st.Accepted < 2 || len(st.Best) < 2 {
		t.Errorf("hub status %+v, %v; want schemes of both formats accepted", st, err)
	}

	// A search from several starts: all of them reach the worker's
	// search, From first, and the job starts from the lowest rank over
	// its field.
	f3 := tensorgame.Format{N: 2, M: 2, P: 3}
	best, err := d.Hub().Catalogue().Get(ctx, cluster.Key{Format: f3, Field: tensorgame.Z2})
	if err != nil {
		t.Fatal(err)
	}
	std2, stdZ := tensorgame.Standard(f3, tensorgame.Z2), tensorgame.Standard(f3, tensorgame.Z)
	for _, tc := range []struct {
		seed   uint64
		from   *tensorgame.Scheme
		starts []*tensorgame.Scheme
		want   []*tensorgame.Scheme
	}{
		{1001, nil, []*tensorgame.Scheme{stdZ, best, std2}, []*tensorgame.Scheme{stdZ, best, std2}},
		{1002, best, []*tensorgame.Scheme{std2, stdZ}, []*tensorgame.Scheme{best, std2, stdZ}},
	} {
		if _, err := d.Search(ctx, search.Config{Format: f3, Field: tensorgame.Z2, Time: time.Second, Seed: tc.seed,
			From: tc.from, Starts: tc.starts}); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		j, ok := jobs[tc.seed]
		mu.Unlock()
		if !ok {
			t.Fatalf("seed %d: no job reached the worker", tc.seed)
		}
		if !slices.EqualFunc(j.Starts, tc.want, (*tensorgame.Scheme).Equal) {
			t.Errorf("seed %d: the job has %d starts, want %d: %v", tc.seed, len(j.Starts), len(tc.want), j.Starts)
		}
		line := fmt.Sprintf("job %s: %v %v from %d (3 starts)", j.ID, f3, tensorgame.Z2, best.Rank())
		mu.Lock()
		logged := log.String()
		mu.Unlock()
		if !strings.Contains(logged, line) {
			t.Errorf("seed %d: the worker's log has no %q:\n%s", tc.seed, line, logged)
		}
	}

	// A search of a fresh lineage: its job carries the lineage, and the
	// worker keeps its pool apart from the arm's own.
	fresh := filepath.Join(dir, "run", "search", searchDirName(f3, tensorgame.Z2, FreshLineage))
	if _, err := d.Search(ctx, search.Config{Format: f3, Field: tensorgame.Z2, Time: time.Second, Seed: 1003, RunDir: fresh}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	j := jobs[1003]
	mu.Unlock()
	if j.Lineage != FreshLineage {
		t.Errorf("fresh search: job lineage %q, want %q", j.Lineage, FreshLineage)
	}
	if _, err := os.Stat(filepath.Join(dir, "search", "2x2x3-z2-fresh")); err != nil {
		t.Errorf("the worker kept no pool of its own for the fresh lineage: %v", err)
	}
}

// testServer starts an embedded server with its store in dir, shut down
// when the test ends.
func testServer(t *testing.T, dir string) *cluster.Server {
	t.Helper()
	srv, err := cluster.StartServer(cluster.ServerOptions{StoreDir: filepath.Join(dir, "nats")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	return srv
}

// runWorker runs a worker of srv with its outbox in dir on fn until the
// test ends.
func runWorker(t *testing.T, srv *cluster.Server, dir string, fn cluster.JobFunc) {
	t.Helper()
	w, err := cluster.NewWorker(cluster.WorkerOptions{Endpoint: srv.Endpoint(), Outbox: filepath.Join(dir, "outbox")})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		w.Run(ctx, fn)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		w.Close()
	})
}

// lockedWriter is an io.Writer that holds mu while it writes to w.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestDispatchTooLarge: a search whose job is larger than the jobs
// stream takes goes with fewer starts, the first ones; one whose first
// start alone is too large fails with cluster.ErrJobTooLarge.
func TestDispatchTooLarge(t *testing.T) {
	dir := t.TempDir()
	srv := testServer(t, dir)
	ctx := context.Background()
	// Jobs of at most 4 KiB: two 3x3x3 standard algorithms (1.7 KiB of
	// text each) fit, three do not.
	d, err := NewDispatch(ctx, cluster.HubOptions{Endpoint: srv.Endpoint(), MaxPayload: 4 << 10}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	var (
		mu     sync.Mutex
		starts [][]*tensorgame.Scheme
	)
	runWorker(t, srv, dir, func(_ context.Context, j cluster.Job, _ func(*tensorgame.Scheme) error) error {
		mu.Lock()
		starts = append(starts, j.Starts)
		mu.Unlock()
		return nil
	})

	f := tensorgame.Format{N: 3, M: 3, P: 3}
	std2, stdZ, stdQ := tensorgame.Standard(f, tensorgame.Z2), tensorgame.Standard(f, tensorgame.Z), tensorgame.Standard(f, tensorgame.Q)
	cfg := search.Config{Format: f, Field: tensorgame.Z2, Time: time.Second, Starts: []*tensorgame.Scheme{std2, stdZ, stdQ}}
	if _, err := d.Search(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(starts) != 1 || !slices.EqualFunc(starts[0], []*tensorgame.Scheme{std2}, (*tensorgame.Scheme).Equal) {
		t.Errorf("the worker got jobs with starts %v; want one job from the first start", starts)
	}
	mu.Unlock()
	// Over Z2 a term twice is no term: 3x3x3 at rank 27+80 verifies and
	// is too large alone.
	big := std2.Clone()
	for range 40 {
		big.Terms = append(big.Terms, std2.Terms[0], std2.Terms[0])
	}
	if err := tensorgame.Verify(big); err != nil {
		t.Fatal(err)
	}
	cfg.Starts = []*tensorgame.Scheme{big, std2}
	if _, err := d.Search(ctx, cfg); !errors.Is(err, cluster.ErrJobTooLarge) {
		t.Errorf("a search whose first start is too large: %v, want cluster.ErrJobTooLarge", err)
	}
}
