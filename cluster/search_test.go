package cluster

import (
	"context"
	"fmt"
	"sync/atomic"
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
		res, err := search.Run(ctx, search.Config{Format: j.Format, Field: j.Field, Starts: j.Starts, Target: 7, Workers: 1, Seed: j.Seed})
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
		if err := hub.Submit(context.Background(), Job{ID: id, Format: f, Field: tensorgame.Z2, Starts: []*tensorgame.Scheme{tensorgame.Standard(f, tensorgame.Z2)}, Budget: time.Minute, Seed: uint64(i + 1)}); err != nil {
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

// BenchmarkFlips compares the two set-ups on 4x4x4 over Z2 from the
// standard algorithm, each op a 2 s search: one process with two walkers,
// and a hub with two one-walker workers (in-process, so the same cores),
// each running 2 s jobs from a queue that runs ahead. flips/s is the flips
// of all walkers per second of wall time.
func BenchmarkFlips(b *testing.B) {
	const d = 2 * time.Second
	f := tensorgame.Format{N: 4, M: 4, P: 4}
	b.Run("process-2-walkers", func(b *testing.B) {
		var flips int64
		t0 := time.Now()
		for i := range b.N {
			res, err := search.Run(context.Background(), search.Config{Format: f, Field: tensorgame.Z2, Time: d, Workers: 2, Seed: uint64(i + 1)})
			if err != nil {
				b.Fatal(err)
			}
			flips += res.Stats.Flips
		}
		b.ReportMetric(float64(flips)/time.Since(t0).Seconds(), "flips/s")
	})
	b.Run("hub-2-workers", func(b *testing.B) {
		srv := startServer(b, ServerOptions{})
		hub := startHub(b, HubOptions{Endpoint: srv.Endpoint()})
		var flips atomic.Int64
		walk := func(ctx context.Context, j Job, publish func(*tensorgame.Scheme) error) error {
			res, err := search.Run(ctx, search.Config{Format: j.Format, Field: j.Field, Starts: j.Starts, Time: j.Budget, Workers: 1, Seed: j.Seed})
			if err != nil {
				return err
			}
			flips.Add(res.Stats.Flips)
			return publish(res.Best)
		}
		w1 := runWorker(b, WorkerOptions{Endpoint: srv.Endpoint()}, walk)
		w2 := runWorker(b, WorkerOptions{Endpoint: srv.Endpoint()}, walk)
		b.ResetTimer()
		t0 := time.Now()
		// The queue runs ahead, as a scheduler's would: no worker waits.
		for i := range 2 * b.N {
			j := Job{ID: fmt.Sprintf("flips-%d-%d", b.N, i), Format: f, Field: tensorgame.Z2, Starts: []*tensorgame.Scheme{tensorgame.Standard(f, tensorgame.Z2)}, Budget: d, Seed: uint64(i + 1)}
			if err := hub.Submit(context.Background(), j); err != nil {
				b.Fatal(err)
			}
		}
		for w1.jobsDone()+w2.jobsDone() < 2*b.N {
			time.Sleep(time.Millisecond)
		}
		b.ReportMetric(float64(flips.Load())/time.Since(t0).Seconds(), "flips/s")
	})
}
