package cluster_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"time"

	"github.com/alphamat/alphamat/cluster"
	"github.com/alphamat/alphamat/tensorgame"
)

// One machine: an in-process server with its store in the run directory, a
// hub, a worker, and a job whose function publishes what it finds.
func Example() {
	run, err := os.MkdirTemp("", "alphamat-run")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(run)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))

	srv, err := cluster.StartServer(cluster.ServerOptions{StoreDir: run + "/jetstream"})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Shutdown()
	ctx := context.Background()
	hub, err := cluster.NewHub(ctx, cluster.HubOptions{Endpoint: srv.Endpoint(), Mirror: run + "/catalogue", Log: quiet})
	if err != nil {
		log.Fatal(err)
	}
	defer hub.Close()

	w, err := cluster.NewWorker(cluster.WorkerOptions{Endpoint: srv.Endpoint(), Outbox: run + "/outbox", Log: quiet})
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()
	wctx, stop := context.WithCancel(ctx)
	done := make(chan error)
	go func() {
		done <- w.Run(wctx, func(ctx context.Context, j cluster.Job, publish func(*tensorgame.Scheme) error) error {
			// A search would walk from j.Starts for j.Budget with j.Seed.
			return publish(j.Starts[0])
		})
	}()

	f := tensorgame.Format{N: 2, M: 3, P: 2}
	start := tensorgame.Standard(f, tensorgame.Z2)
	if err := hub.Submit(ctx, cluster.Job{ID: "job-1", Format: f, Field: tensorgame.Z2, Starts: []*tensorgame.Scheme{start}, Budget: time.Minute, Seed: 1}); err != nil {
		log.Fatal(err)
	}
	for {
		s, err := hub.Catalogue().Get(ctx, cluster.Key{Format: f, Field: tensorgame.Z2})
		if err == nil {
			fmt.Println(cluster.KeyOf(s), "rank", s.Rank())
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	if err := <-done; err != nil {
		log.Fatal(err)
	}
	// Output: 2x3x2-Z2 rank 12
}
