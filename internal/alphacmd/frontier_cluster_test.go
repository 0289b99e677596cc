package alphacmd

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/alphamat/alphamat/cluster"
	"github.com/alphamat/alphamat/frontier"
	"github.com/alphamat/alphamat/tensorgame"
)

// child is an alphamat process: the test binary re-executed (TestMain).
type child struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stderr bytes.Buffer
	lines  chan string // stderr, line by line
	done   chan error
}

func startChild(t *testing.T, args ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(os.Args[0], append([]string{"-test.run=^$", "--"}, args...)...),
		lines: make(chan string, 1000), done: make(chan error, 1)}
	c.cmd.Env = append(os.Environ(), mainEnv+"=1")
	pipe, err := c.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			c.mu.Lock()
			c.stderr.WriteString(sc.Text() + "\n")
			c.mu.Unlock()
			select {
			case c.lines <- sc.Text():
			default:
			}
		}
		c.done <- c.cmd.Wait()
	}()
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		<-c.done
	})
	return c
}

func (c *child) log() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stderr.String()
}

// waitLine waits for a stderr line that contains s.
func (c *child) waitLine(t *testing.T, s string) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case l := <-c.lines:
			if strings.Contains(l, s) {
				return
			}
		case <-deadline:
			t.Fatalf("no line with %q in 60s:\n%s", s, c.log())
		}
	}
}

// wait waits for the process to exit and returns its exit code.
func (c *child) wait(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case <-c.done:
		c.done <- nil // for the cleanup
		return c.cmd.ProcessState.ExitCode()
	case <-time.After(d):
		t.Fatalf("still running after %v:\n%s", d, c.log())
		return -1
	}
}

func writeToken(t *testing.T, tok string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(path, []byte(tok+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// hubURL waits for the hub of run to write its URL.
func hubURL(t *testing.T, run string, hub *child) string {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if b, err := os.ReadFile(filepath.Join(run, frontierURL)); err == nil {
			return strings.TrimSpace(string(b))
		}
	}
	t.Fatalf("the hub wrote no URL:\n%s", hub.log())
	return ""
}

// TestFrontierHubAndWorkers runs a hub without a local worker and two
// worker processes of one walker each on 2x2x2..3x3x3 over Z2, SIGKILLs
// one worker as it starts its second job, and wants every format at its
// best known rank and every scheme of the catalogue verified.
func TestFrontierHubAndWorkers(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "hub")
	tok := writeToken(t, "s3cret-token")
	hub := startChild(t, "frontier", "--max", "3", "--fields", "z2", "--time", "10s", "--slice", "2s",
		"--listen", "127.0.0.1:0", "--token-file", tok, "--workers", "0", "--ack-wait", "2s", "--run", run, "--json")
	url := hubURL(t, run, hub)
	wtok := filepath.Join(run, frontierWorkerToken) // a worker's rights only
	w1 := startChild(t, "frontier", "--join", url, "--token-file", wtok, "--workers", "1", "--run", filepath.Join(dir, "w1"))
	w2 := startChild(t, "frontier", "--join", url, "--token-file", wtok, "--workers", "1", "--run", filepath.Join(dir, "w2"))
	w1.waitLine(t, "job ")
	time.Sleep(500 * time.Millisecond) // into its next 2 s job
	if err := w1.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if code := hub.wait(t, 90*time.Second); code != 0 {
		t.Fatalf("hub exit %d:\n%s", code, hub.log())
	}
	if !strings.Contains(w2.log(), "job ") {
		t.Errorf("the surviving worker ran no job:\n%s", w2.log())
	}
	b, err := os.ReadFile(filepath.Join(run, frontier.ReportJSON))
	if err != nil {
		t.Fatal(err)
	}
	var rep frontier.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 4 {
		t.Errorf("%d rows, want 4 (2x2x2, 2x2x3, 2x3x3, 3x3x3 over Z2)", len(rep.Rows))
	}
	for _, r := range rep.Rows {
		if r.Gap > 0 {
			t.Errorf("%v %v: rank %d, best known %d", r.Format, r.Field, r.Rank, r.Rank-r.Gap)
		}
	}
	n := 0
	err = filepath.WalkDir(run, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".txt") || strings.Contains(path, string(filepath.Separator)+"search"+string(filepath.Separator)) {
			return err
		}
		if strings.Contains(path, string(filepath.Separator)+frontierStore+string(filepath.Separator)) {
			return nil
		}
		s, err := tensorgame.ReadFile(path)
		if err == nil {
			err = tensorgame.Verify(s)
		}
		if err != nil {
			t.Errorf("%s: %v", path, err)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 4 {
		t.Errorf("%d schemes in the catalogue, want at least one per format", n)
	}
}

// TestFrontierWrongToken: a worker with a wrong token, or with the hub's
// own (a worker's token is the one the hub wrote), is refused, with a
// message that says so, and exits 1; --status reads with the status token
// the hub wrote, and with the hub's.
func TestFrontierWrongToken(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "hub")
	hubTok := writeToken(t, "right")
	hub := startChild(t, "frontier", "--max", "2", "--fields", "z2", "--time", "1m", "--listen", "127.0.0.1:0",
		"--token-file", hubTok, "--workers", "0", "--run", run)
	url := hubURL(t, run, hub)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, tok := range []string{writeToken(t, "wrong"), hubTok, filepath.Join(run, frontierStatusToken)} {
		_, errOut, code := execCode(ctx, t, "frontier", "--join", url, "--token-file", tok, "--run", filepath.Join(dir, "w"))
		if code != exitFail || !strings.Contains(errOut, "refused") || !strings.Contains(errOut, frontierWorkerToken) {
			t.Errorf("worker with %s: exit %d, stderr %q; want 1 and a refusal naming the worker's token", tok, code, errOut)
		}
	}
	_, errOut, code := execCode(ctx, t, "frontier", "--status", "--join", url, "--token-file", writeToken(t, "wrong"))
	if code != exitFail || !strings.Contains(errOut, "refused") {
		t.Errorf("status: exit %d, stderr %q; want 1 and a refusal", code, errOut)
	}
	for _, tok := range []string{filepath.Join(run, frontierStatusToken), hubTok} {
		if _, errOut, code := execCode(ctx, t, "frontier", "--status", "--join", url, "--token-file", tok, "--heard-for", "100ms"); code != 0 {
			t.Errorf("status with %s: exit %d, stderr %q", tok, code, errOut)
		}
	}
}

// freePorts returns n loopback addresses whose ports were free a moment ago.
func freePorts(t *testing.T, n int) []string {
	t.Helper()
	var addrs []string
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		addrs = append(addrs, l.Addr().String())
	}
	return addrs
}

// TestFrontierThreeNodes runs a hub on one node of a three-node JetStream
// cluster (the other two --serve) on 2x2x2 and 2x2x3 over Z2, then reads
// the best ranks through another node with --status --json: the streams
// and the catalogue live on all three.
func TestFrontierThreeNodes(t *testing.T) {
	dir := t.TempDir()
	tok := writeToken(t, "three-nodes")
	addrs := freePorts(t, 6)
	clients, routes := addrs[:3], strings.Join(addrs[3:], ",")
	for i := 1; i < 3; i++ {
		n := startChild(t, "frontier", "--serve", "--listen", clients[i], "--cluster", "c3", "--cluster-listen", addrs[3+i],
			"--routes", routes, "--token-file", tok, "--run", filepath.Join(dir, fmt.Sprint("n", i)))
		n.waitLine(t, "of cluster c3")
	}
	run := filepath.Join(dir, "hub")
	hub := startChild(t, "frontier", "--formats", "2x2x2,2x2x3", "--fields", "z2", "--time", "4s", "--slice", "1s", "--workers", "1",
		"--listen", clients[0], "--cluster", "c3", "--cluster-listen", addrs[3], "--routes", routes, "--token-file", tok, "--run", run)
	if code := hub.wait(t, 90*time.Second); code != 0 {
		t.Fatalf("hub exit %d:\n%s", code, hub.log())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, errOut, code := execCode(ctx, t, "frontier", "--status", "--join", "nats://"+clients[2], "--token-file", tok, "--json", "--heard-for", "100ms")
	if code != exitOK {
		t.Fatalf("status: exit %d: %s", code, errOut)
	}
	var st struct {
		Best []statusRow `json:"best"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	want := map[string]int{"2x2x2": 7, "2x2x3": 11}
	for _, r := range st.Best {
		if w, ok := want[r.Format.String()]; ok && r.Rank == w && r.Known == w {
			delete(want, r.Format.String())
		}
	}
	if len(want) > 0 {
		t.Errorf("status through another node: %+v; missing %v", st.Best, want)
	}
}

// TestKeepWalking: a job whose budget ends while the worker is cut off goes
// on, from the best scheme it published, then its own starts, and with
// another seed, until the worker is back; a job that ends online, or whose
// worker stops, does not.
func TestKeepWalking(t *testing.T) {
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	for _, c := range []struct {
		name    string
		offline int // online() answers false this many times, then true
		stopped bool
		calls   int
	}{
		{"online", 0, false, 1},
		{"cut off twice", 2, false, 3},
		{"stopped", 5, true, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			var jobs []cluster.Job
			base := func(ctx context.Context, j cluster.Job, publish func(*tensorgame.Scheme) error) error {
				jobs = append(jobs, j)
				<-ctx.Done()
				return publish(tensorgame.Standard(f, tensorgame.Z2))
			}
			stop, cancel := context.WithCancel(context.Background())
			defer cancel()
			if c.stopped {
				cancel()
			}
			n := 0
			online := func() bool { n++; return n > c.offline }
			var published int
			job := keepWalking(stop, base, online, io.Discard)
			ctx, cancelJob := context.WithTimeout(context.Background(), 10*time.Millisecond)
			defer cancelJob()
			own := []*tensorgame.Scheme{tensorgame.Standard(f, tensorgame.Z), tensorgame.Standard(f, tensorgame.Q)}
			j := cluster.Job{ID: "j", Format: f, Field: tensorgame.Z2, Starts: own, Budget: 10 * time.Millisecond, Seed: 7}
			if err := job(ctx, j, func(*tensorgame.Scheme) error { published++; return nil }); err != nil {
				t.Fatal(err)
			}
			if len(jobs) != c.calls || published != c.calls {
				t.Fatalf("%d slices, %d published; want %d", len(jobs), published, c.calls)
			}
			want := append([]*tensorgame.Scheme{tensorgame.Standard(f, tensorgame.Z2)}, own...)
			if !slices.EqualFunc(jobs[0].Starts, own, (*tensorgame.Scheme).Equal) {
				t.Errorf("slice 0: starts %v, want the job's own", jobs[0].Starts)
			}
			for i, got := range jobs[1:] {
				if !slices.EqualFunc(got.Starts, want, (*tensorgame.Scheme).Equal) || got.Seed == jobs[i].Seed {
					t.Errorf("slice %d: starts %v, seed %d after %d; want the published scheme, the job's own and a new seed", i+1, got.Starts, got.Seed, jobs[i].Seed)
				}
			}
		})
	}
}
