package frontier

import (
	"context"
	"path/filepath"
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
// search the worker's search refuses is an error, and jobs a previous run
// left are dropped when a dispatcher starts.
func TestDispatch(t *testing.T) {
	dir := t.TempDir()
	srv, err := cluster.StartServer(cluster.ServerOptions{StoreDir: filepath.Join(dir, "nats")})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
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
	if st, err := old.Hub().Status(ctx); err != nil || st.Pending != 1 {
		t.Fatalf("status %+v, %v; want the job pending", st, err)
	}
	old.Close()

	d, err := NewDispatch(ctx, opts, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if st, err := d.Hub().Status(ctx); err != nil || st.Pending != 0 {
		t.Fatalf("status %+v, %v; want no job pending after NewDispatch", st, err)
	}
	known, err := ranks.Frontier()
	if err != nil {
		t.Fatal(err)
	}
	w, err := cluster.NewWorker(cluster.WorkerOptions{Endpoint: srv.Endpoint(), Outbox: filepath.Join(dir, "outbox")})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		w.Run(wctx, WorkerConfig{Dir: dir, Workers: 1, Targets: NewTargets(known)}.Job())
		close(done)
	}()
	defer func() { cancel(); <-done }()

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
}
