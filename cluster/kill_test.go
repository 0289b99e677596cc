package cluster

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/alphamat/alphamat/tensorgame"
)

// childEnv switches the test binary into a worker process (see childWorker).
const childEnv = "ALPHAMAT_CLUSTER_TEST_WORKER"

type childConfig struct {
	URL, Token, Outbox string
}

// childWorker runs a worker whose job function publishes Strassen's 2x2x2
// and the standard 2x2x3 over Z2, prints "published <job>" once the stream
// has them, and then walks until killed.
func childWorker(cfg string) int {
	var c childConfig
	if err := json.Unmarshal([]byte(cfg), &c); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	s7, err := tensorgame.ReadFile("../schemes/2x2x2_r7_Z_strassen.txt")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	w, err := NewWorker(WorkerOptions{Endpoint: Endpoint{URLs: c.URL, Token: c.Token}, Name: "doomed", Outbox: c.Outbox, Heartbeat: 100 * time.Millisecond, Log: quiet()})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	w.Run(context.Background(), func(ctx context.Context, j Job, publish func(*tensorgame.Scheme) error) error {
		for _, s := range []*tensorgame.Scheme{s7, tensorgame.Standard(tensorgame.Format{N: 2, M: 2, P: 3}, tensorgame.Z2)} {
			if err := publish(s); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
		}
		// Wait until the stream has them: the outbox is empty.
		for {
			files, _ := filepath.Glob(filepath.Join(c.Outbox, "*.txt"))
			if len(files) == 0 {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		fmt.Printf("published %s\n", j.ID)
		<-ctx.Done() // walk until killed
		return ctx.Err()
	})
	return 0
}

// TestWorkerKilled kills a worker process with SIGKILL mid-job: its job is
// redelivered to the other worker, and the schemes it published are in the
// catalogue, verified.
func TestWorkerKilled(t *testing.T) {
	const ackWait = time.Second
	srv := startServer(t, ServerOptions{Listen: "127.0.0.1:0", Token: "tok"})
	hub := startHub(t, HubOptions{Endpoint: srv.Endpoint(), AckWait: ackWait})
	ctx := context.Background()
	if err := hub.Submit(ctx, Job{ID: "doomed-job", Format: tensorgame.Format{N: 2, M: 2, P: 2}, Field: tensorgame.Z, Budget: time.Hour}); err != nil {
		t.Fatal(err)
	}

	cfg, _ := json.Marshal(childConfig{URL: srv.ClientURL(), Token: "tok", Outbox: t.TempDir()})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+string(cfg))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			cmd.Process.Kill()
		}
		cmd.Wait()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("worker process: %v", err)
	}
	if strings.TrimSpace(line) != "published doomed-job" {
		t.Fatalf("worker process said %q", line)
	}

	// The other worker waits while the first one's heartbeats hold the job.
	var mu sync.Mutex
	var done []string
	w := runWorker(t, WorkerOptions{Endpoint: srv.Endpoint(), Name: "survivor"}, func(ctx context.Context, j Job, publish func(*tensorgame.Scheme) error) error {
		mu.Lock()
		done = append(done, j.ID)
		mu.Unlock()
		return nil
	})
	time.Sleep(2 * ackWait)
	if n := w.jobsDone(); n != 0 {
		t.Fatalf("the survivor did %d jobs while the first worker held its job", n)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed = true
	waitFor(t, "the job to be redone", func() bool { return w.jobsDone() == 1 })
	mu.Lock()
	if len(done) != 1 || done[0] != "doomed-job" {
		t.Errorf("the survivor did %v, want [doomed-job]", done)
	}
	mu.Unlock()
	waitFor(t, "both schemes in the catalogue", func() bool { return len(status(t, hub).Best) == 2 })
	st := status(t, hub)
	if st.Pending != 0 || st.InFlight != 0 {
		t.Errorf("pending %d, in flight %d; want 0, 0", st.Pending, st.InFlight)
	}
	s7 := strassen(t)
	for _, s := range []*tensorgame.Scheme{s7, tensorgame.Standard(tensorgame.Format{N: 2, M: 2, P: 3}, tensorgame.Z2)} {
		if c := get(t, hub.Catalogue(), KeyOf(s)); c == nil || !c.Equal(s) {
			t.Errorf("catalogue %v: %v, want the killed worker's scheme", KeyOf(s), c)
		}
	}
}
