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
	"github.com/nats-io/nats.go/jetstream"
)

// childEnv switches the test binary into a worker process (see childWorker),
// hubEnv into a hub process (see childHub).
const (
	childEnv = "ALPHAMAT_CLUSTER_TEST_WORKER"
	hubEnv   = "ALPHAMAT_CLUSTER_TEST_HUB"
)

// childHub starts a server on the store dir, listening on loopback with the
// token "hub", and a hub; it prints the server's URL and waits to be killed.
func childHub(store string) int {
	srv, err := StartServer(ServerOptions{StoreDir: store, Listen: "127.0.0.1:0", Token: "hub"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if _, err := NewHub(context.Background(), HubOptions{Endpoint: srv.Endpoint(), Log: quiet()}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	fmt.Println(srv.ClientURL())
	select {}
}

// TestHubKilled kills a process running a server and a hub with SIGKILL
// after it took a job and an improvement, and restarts them on the same
// store: the job is still queued and the scheme in the catalogue.
func TestHubKilled(t *testing.T) {
	store := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), hubEnv+"="+store)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	url, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("hub process: %v", err)
	}
	ep := Endpoint{URLs: strings.TrimSpace(url), Token: "hub"}
	nc, err := ep.connect("test")
	if err != nil {
		t.Fatal(err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	body, err := encodeJob(Job{ID: "survives", Format: tensorgame.Format{N: 3, M: 3, P: 3}, Field: tensorgame.Z2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(ctx, JobsSubject, body); err != nil {
		t.Fatal(err)
	}
	s7 := strassen(t)
	m, err := improvementMsg(s7, "test", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := js.PublishMsg(ctx, m); err != nil {
		t.Fatal(err)
	}
	obs, err := js.ObjectStore(ctx, CatalogueBucket)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the hub process to accept the scheme", func() bool { return get(t, &Catalogue{obs: obs}, KeyOf(s7)) != nil })
	nc.Close()
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	srv := startServer(t, ServerOptions{StoreDir: store})
	hub := startHub(t, HubOptions{Endpoint: srv.Endpoint()})
	st := status(t, hub)
	if st.Pending != 1 || st.Best[KeyOf(s7)] != 7 {
		t.Errorf("after SIGKILL and restart: pending %d, best %v; want 1 job and rank 7", st.Pending, st.Best)
	}
	var got []string
	var mu sync.Mutex
	w := runWorker(t, WorkerOptions{Endpoint: srv.Endpoint()}, func(_ context.Context, j Job, _ func(*tensorgame.Scheme) error) error {
		mu.Lock()
		got = append(got, j.ID)
		mu.Unlock()
		return nil
	})
	waitFor(t, "the job queued before the kill", func() bool { return w.jobsDone() == 1 })
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0] != "survives" {
		t.Errorf("jobs after the restart: %v, want [survives]", got)
	}
}

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
	const ackWait = 2 * time.Second
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
	time.Sleep(3 * ackWait / 2)
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
