package cluster

import (
	"context"
	"testing"
	"time"

	"github.com/alphamat/alphamat/search"
	"github.com/alphamat/alphamat/tensorgame"
)

// TestSearchJob runs the flip-graph search as the job function: two
// one-walker workers, two jobs on 2x2x2 over Z2 from the standard algorithm
// with a target of 7, and Strassen's rank in the catalogue.
func TestSearchJob(t *testing.T) {
	srv := startServer(t, ServerOptions{})
	hub := startHub(t, HubOptions{Endpoint: srv.Endpoint()})
	walk := func(ctx context.Context, j Job, publish func(*tensorgame.Scheme) error) error {
		res, err := search.Run(ctx, search.Config{Format: j.Format, Field: j.Field, From: j.Start, Target: 7, Workers: 1, Seed: j.Seed})
		if err != nil {
			return err
		}
		if res.Best != nil {
			return publish(res.Best)
		}
		return nil
	}
	w1 := runWorker(t, WorkerOptions{Endpoint: srv.Endpoint()}, walk)
	w2 := runWorker(t, WorkerOptions{Endpoint: srv.Endpoint()}, walk)
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	for i, id := range []string{"walk-1", "walk-2"} {
		if err := hub.Submit(context.Background(), Job{ID: id, Format: f, Field: tensorgame.Z2, Start: tensorgame.Standard(f, tensorgame.Z2), Budget: time.Minute, Seed: uint64(i + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "both jobs", func() bool { return w1.jobsDone()+w2.jobsDone() == 2 })
	k := Key{f, tensorgame.Z2}
	waitFor(t, "a rank-7 scheme", func() bool { return status(t, hub).Best[k] == 7 })
	if s := get(t, hub.Catalogue(), k); s == nil || s.Rank() != 7 || tensorgame.Verify(s) != nil {
		t.Errorf("catalogue %v: %v, want a verified rank-7 scheme", k, s)
	}
}
