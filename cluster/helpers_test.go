package cluster

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/alphamat/alphamat/tensorgame"
)

// strassen reads Strassen's 2x2x2 scheme of rank 7 over Z.
func strassen(t testing.TB) *tensorgame.Scheme {
	t.Helper()
	s, err := tensorgame.ReadFile("../schemes/2x2x2_r7_Z_strassen.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := tensorgame.Verify(s); err != nil {
		t.Fatal(err)
	}
	return s
}

// syncBuffer is a bytes.Buffer safe for concurrent use, for captured logs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// quiet returns a logger that discards, or logs to stderr when
// ALPHAMAT_CLUSTER_TEST_LOG is set.
func quiet() *slog.Logger {
	if os.Getenv("ALPHAMAT_CLUSTER_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// startServer starts a server and shuts it down at the end of the test.
func startServer(t testing.TB, o ServerOptions) *Server {
	t.Helper()
	if o.StoreDir == "" {
		o.StoreDir = t.TempDir()
	}
	s, err := StartServer(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Shutdown)
	return s
}

// startHub starts a hub and closes it at the end of the test.
func startHub(t testing.TB, o HubOptions) *Hub {
	t.Helper()
	if o.Log == nil {
		o.Log = quiet()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	h, err := NewHub(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	return h
}

// runWorker runs a worker with fn until the end of the test.
func runWorker(t testing.TB, o WorkerOptions, fn JobFunc) *Worker {
	t.Helper()
	if o.Outbox == "" {
		o.Outbox = t.TempDir()
	}
	if o.Log == nil {
		o.Log = quiet()
	}
	if o.Heartbeat == 0 {
		o.Heartbeat = 100 * time.Millisecond
	}
	w, err := NewWorker(o)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := w.Run(ctx, fn); err != nil {
			t.Error(err)
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		w.Close()
	})
	return w
}

// waitFor polls cond until it holds, failing the test after a minute.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// status returns the hub's status, failing the test on an error.
func status(t testing.TB, h *Hub) Status {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := h.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// get returns the catalogue's scheme of k, or nil.
func get(t testing.TB, c *Catalogue, k Key) *tensorgame.Scheme {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := c.Get(ctx, k)
	if err != nil {
		return nil
	}
	return s
}

// jobsDone returns the jobs a worker has acked.
func (w *Worker) jobsDone() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.jobs
}

// publishAll is a job function that publishes schemes and returns.
func publishAll(ss ...*tensorgame.Scheme) JobFunc {
	return func(ctx context.Context, _ Job, publish func(*tensorgame.Scheme) error) error {
		for _, s := range ss {
			if err := publish(s); err != nil {
				return err
			}
		}
		return nil
	}
}

// equalSchemes reports whether a and b hold equal schemes in one order.
func equalSchemes(a, b []*tensorgame.Scheme) bool {
	return slices.EqualFunc(a, b, (*tensorgame.Scheme).Equal)
}
