package cluster

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alphamat/alphamat/tensorgame"
)

// TestBadJobs sends a malformed job, which the worker terminates, and a job
// whose function fails, which is tried MaxDeliver times and then dropped;
// a good job after them is done.
func TestBadJobs(t *testing.T) {
	srv := startServer(t, ServerOptions{})
	var failures atomic.Int32
	hub := startHub(t, HubOptions{Endpoint: srv.Endpoint(), MaxDeliver: 2, Done: func(d JobDone) {
		if d.ID == "fails" && d.Err == "this job always fails" {
			failures.Add(1)
		}
	}})
	var tries, good atomic.Int32
	runWorker(t, WorkerOptions{Endpoint: srv.Endpoint()}, func(ctx context.Context, j Job, publish func(*tensorgame.Scheme) error) error {
		if j.ID == "fails" {
			tries.Add(1)
			return errors.New("this job always fails")
		}
		good.Add(1)
		return nil
	})
	raw, err := srv.Endpoint().connect("rogue")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, body := range []string{`{"id":"x","format":"0x1x2","field":"Z2"}`, `not json`, `{"id":"y","format":"2x2x2","field":"Z2","starts":["# size: 2x2x2\n# field: Z2\n1 0 0 0 ; 1 0 0 0 ; 1 0 0 0\n"]}`} {
		if err := raw.Publish(JobsSubject, []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	if err := hub.Submit(ctx, Job{ID: "fails", Format: f, Field: tensorgame.Z2}); err != nil {
		t.Fatal(err)
	}
	if err := hub.Submit(ctx, Job{ID: "good", Format: f, Field: tensorgame.Z2}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the failing job to be dropped", func() bool { return status(t, hub).Dropped == 1 })
	waitFor(t, "the good job", func() bool { return good.Load() == 1 })
	if n := tries.Load(); n != 2 {
		t.Errorf("the failing job was tried %d times, want MaxDeliver = 2", n)
	}
	waitFor(t, "the failures reported", func() bool { return failures.Load() == 2 })
	waitFor(t, "no job pending or in flight", func() bool { st := status(t, hub); return st.Pending == 0 && st.InFlight == 0 })

	// Jobs the hub refuses to submit, with errors naming job and start.
	std := tensorgame.Standard(f, tensorgame.Z2)
	wrong := std.Clone()
	wrong.Terms = wrong.Terms[1:]
	tooMany := make([]*tensorgame.Scheme, MaxStarts+1)
	for i := range tooMany {
		tooMany[i] = std
	}
	for _, tc := range []struct {
		name    string
		starts  []*tensorgame.Scheme
		lineage string
		want    string
	}{
		{"wrong", []*tensorgame.Scheme{std, std, wrong}, "", "submit wrong: start 2: "},
		{"nil", []*tensorgame.Scheme{std, nil}, "", "submit nil: start 1: no scheme"},
		{"format", []*tensorgame.Scheme{std, tensorgame.Standard(tensorgame.Format{N: 2, M: 2, P: 3}, tensorgame.Z2)}, "", "submit format: start 1: a 2x2x3 scheme"},
		{"many", tooMany, "", "submit many: 65 starts, more than MaxStarts"},
		{"lineage", nil, "../up", "submit lineage: lineage \"../up\""},
	} {
		err := hub.Submit(ctx, Job{ID: tc.name, Format: f, Field: tensorgame.Z2, Starts: tc.starts, Lineage: tc.lineage})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("submit %s: %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
	if st := status(t, hub); st.Pending != 0 {
		t.Errorf("%d jobs pending after refused submits", st.Pending)
	}
}

func TestReadTokenFile(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, content string
		mode          os.FileMode
		want          string // "" for an error
	}{
		{"good", "s3cret\n", 0o600, "s3cret"},
		{"spaces", "  s3cret  \nsecond line\n", 0o400, "s3cret"},
		{"readable", "s3cret\n", 0o644, ""},
		{"empty", "\n", 0o600, ""},
	} {
		path := filepath.Join(dir, tc.name)
		if err := os.WriteFile(path, []byte(tc.content), tc.mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(path, tc.mode)
		got, err := ReadTokenFile(path)
		if tc.want == "" {
			if err == nil {
				t.Errorf("%s: %q, want an error", tc.name, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	if _, err := ReadTokenFile(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing token file: no error")
	}
}

// TestOutboxLeftBehind starts a worker on an outbox that another left: it
// sends the good scheme and moves the bad file aside.
func TestOutboxLeftBehind(t *testing.T) {
	srv := startServer(t, ServerOptions{})
	hub := startHub(t, HubOptions{Endpoint: srv.Endpoint()})
	outbox := t.TempDir()
	s7 := strassen(t)
	if err := tensorgame.WriteFile(filepath.Join(outbox, "left.txt"), s7); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(outbox, "bad.txt")
	if err := os.WriteFile(bad, []byte("# size: 2x2x2\n# field: Z\n1 1 1 1 ; 1 1 1 1 ; 1 1 1 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	runWorker(t, WorkerOptions{Endpoint: srv.Endpoint(), Outbox: outbox}, publishAll())
	waitFor(t, "the scheme left behind", func() bool { return get(t, hub.Catalogue(), KeyOf(s7)) != nil })
	waitFor(t, "the bad file moved aside", func() bool {
		_, err := os.Stat(bad + ".bad")
		return err == nil
	})
	waitFor(t, "the outbox to empty", func() bool {
		files, _ := filepath.Glob(filepath.Join(outbox, "*.txt"))
		return len(files) == 0
	})
}

// TestConcurrentPublish calls publish from several goroutines of one job, as
// walkers do: every scheme reaches the catalogue and the report counts all.
func TestConcurrentPublish(t *testing.T) {
	srv := startServer(t, ServerOptions{})
	var published atomic.Int32
	hub := startHub(t, HubOptions{Endpoint: srv.Endpoint(), Done: func(d JobDone) { published.Store(int32(d.Published)) }})
	s7 := strassen(t)
	const walkers = 4
	runWorker(t, WorkerOptions{Endpoint: srv.Endpoint()}, func(ctx context.Context, j Job, publish func(*tensorgame.Scheme) error) error {
		errs := make(chan error, 2*walkers)
		for i := range walkers {
			go func() {
				errs <- publish(s7) // the same scheme from every walker
				errs <- publish(tensorgame.Standard(tensorgame.Format{N: 1, M: 1, P: i + 1}, tensorgame.Z2))
			}()
		}
		for range 2 * walkers {
			if err := <-errs; err != nil {
				return err
			}
		}
		return nil
	})
	if err := hub.Submit(context.Background(), Job{ID: "walkers", Format: s7.Format, Field: s7.Field}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the job report", func() bool { return published.Load() == 2*walkers })
	waitFor(t, "every scheme in the catalogue", func() bool { return len(status(t, hub).Best) == 1+walkers })
}

// TestJobWork sends a job with a target; its function sees the target and
// reports work from two goroutines, which arrives summed in the JobDone;
// ReportWork outside a job does nothing.
func TestJobWork(t *testing.T) {
	srv := startServer(t, ServerOptions{})
	done := make(chan JobDone, 1)
	hub := startHub(t, HubOptions{Endpoint: srv.Endpoint(), Done: func(d JobDone) { done <- d }})
	var target atomic.Int32
	runWorker(t, WorkerOptions{Endpoint: srv.Endpoint()}, func(ctx context.Context, j Job, _ func(*tensorgame.Scheme) error) error {
		target.Store(int32(j.Target))
		ch := make(chan struct{})
		go func() { ReportWork(ctx, 40); close(ch) }()
		ReportWork(ctx, 2)
		<-ch
		return nil
	})
	ReportWork(context.Background(), 1)
	if err := hub.Submit(context.Background(), Job{ID: "work", Format: tensorgame.Format{N: 2, M: 2, P: 2}, Field: tensorgame.Z2, Target: 7}); err != nil {
		t.Fatal(err)
	}
	d := <-done
	if d.Work != 42 || target.Load() != 7 {
		t.Errorf("job done %+v with target %d; want work 42 and target 7", d, target.Load())
	}
	// The same job function in this process, without servers.
	j := Job{ID: "local", Format: tensorgame.Format{N: 2, M: 2, P: 2}, Field: tensorgame.Z2, Target: 5}
	fn := func(ctx context.Context, j Job, publish func(*tensorgame.Scheme) error) error {
		ReportWork(ctx, int64(j.Target))
		if err := publish(strassen(t)); err != nil {
			return err
		}
		<-ctx.Done() // the budget ends it, which is no failure
		return ctx.Err()
	}
	var got []*tensorgame.Scheme
	d = RunJob(context.Background(), Job{ID: j.ID, Format: j.Format, Field: j.Field, Target: j.Target, Budget: 10 * time.Millisecond}, fn,
		func(s *tensorgame.Scheme) error { got = append(got, s); return nil })
	if d.Work != 5 || d.Err != "" || len(got) != 1 || d.ID != "local" {
		t.Errorf("RunJob: %+v with %d schemes; want work 5, no error, one scheme", d, len(got))
	}
	d = RunJob(context.Background(), j, func(context.Context, Job, func(*tensorgame.Scheme) error) error { return errors.New("no") }, nil)
	if d.Err != "no" {
		t.Errorf("RunJob of a failing function: %+v", d)
	}
}
