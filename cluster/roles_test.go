package cluster

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/alphamat/alphamat/tensorgame"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nkeys"
)

// TestRoles runs a worker with a worker's token on a port with a token: it
// pulls jobs, publishes a scheme that the hub accepts, reads the catalogue
// and acks. Then, with the same token, everything a worker does not do is
// refused and changes nothing: submitting a job, purging or deleting a
// stream, writing or deleting the catalogue. An observer's token reads the
// cluster's state and publishes nothing; a role's token as another role
// is refused; a worker's nkey has a worker's rights.
func TestRoles(t *testing.T) {
	const tok = "hub-s3cret"
	srv := startServer(t, ServerOptions{Listen: "127.0.0.1:0", Token: tok})
	done := make(chan JobDone, 4)
	hub := startHub(t, HubOptions{Endpoint: srv.Endpoint(), Done: func(d JobDone) { done <- d }})
	worker := Endpoint{URLs: srv.ClientURL(), Token: RoleToken(tok, RoleWorker), Role: RoleWorker}
	s := strassen(t)
	var (
		mu   sync.Mutex
		read *tensorgame.Scheme
		w    *Worker
	)
	w = runWorker(t, WorkerOptions{Endpoint: worker}, func(ctx context.Context, j Job, publish func(*tensorgame.Scheme) error) error {
		if j.ID == "publish" {
			return publish(s)
		}
		cat, err := w.Catalogue(ctx)
		if err != nil {
			return err
		}
		got, err := cat.Get(ctx, KeyOf(s))
		mu.Lock()
		read = got
		mu.Unlock()
		return err
	})
	ctx := context.Background()
	f := s.Format
	for _, id := range []string{"publish", "read"} {
		if err := hub.Submit(ctx, Job{ID: id, Format: f, Field: tensorgame.Z}); err != nil {
			t.Fatal(err)
		}
		select {
		case d := <-done:
			if d.ID != id || d.Err != "" {
				t.Fatalf("job %s: report %+v", id, d)
			}
		case <-time.After(time.Minute):
			t.Fatalf("job %s: no report", id)
		}
	}
	mu.Lock()
	if read == nil || read.Hash() != s.Hash() {
		t.Errorf("the worker read %v from the catalogue, want Strassen's scheme", read)
	}
	mu.Unlock()
	waitFor(t, "no job in flight", func() bool { st := status(t, hub); return st.InFlight == 0 && st.Pending == 0 })

	// The worker's token, on its own connection: what a worker does not do.
	refused := refusedOps(t, worker)
	for _, op := range []string{"submit a job", "purge the jobs", "purge the improvements", "delete the jobs stream",
		"write the catalogue", "delete the catalogue entry", "delete the catalogue"} {
		if err := refused[op]; err == nil {
			t.Errorf("a worker could %s", op)
		}
	}
	if st := status(t, hub); st.Pending != 0 || st.Best[KeyOf(s)] != 7 {
		t.Errorf("after the refusals: status %+v; want no job queued and 2x2x2 at rank 7", st)
	}
	if got := get(t, hub.Catalogue(), KeyOf(s)); got == nil || got.Hash() != s.Hash() {
		t.Errorf("after the refusals the catalogue holds %v, want Strassen's scheme", got)
	}
	if info, err := hub.js.Stream(ctx, ImprovementsStream); err != nil || info.CachedInfo().State.Msgs == 0 {
		t.Errorf("improvements stream after the refusals: %v", err)
	}

	// An observer reads the state and may not publish an improvement.
	observer := Endpoint{URLs: srv.ClientURL(), Token: RoleToken(tok, RoleObserver), Role: RoleObserver}
	st, err := Observe(ctx, observer, 300*time.Millisecond)
	if err != nil || st.Best[KeyOf(s)] != 7 || len(st.Workers) != 1 {
		t.Errorf("observer: status %+v, %v; want 2x2x2 at 7 and one worker", st, err)
	}
	if err := refusedOps(t, observer)["publish an improvement"]; err == nil {
		t.Error("an observer could publish an improvement")
	}

	// A role's token is not another role's.
	for _, e := range []Endpoint{
		{URLs: srv.ClientURL(), Token: RoleToken(tok, RoleWorker), Role: RoleHub},
		{URLs: srv.ClientURL(), Token: RoleToken(tok, RoleObserver), Role: RoleWorker},
		{URLs: srv.ClientURL(), Token: tok, Role: RoleWorker},
	} {
		nc, err := e.connect("wrong role")
		if err == nil {
			nc.Close()
		}
		if !errors.Is(err, ErrRefused) {
			t.Errorf("%s with another role's token: %v, want ErrRefused", e.Role, err)
		}
	}
	if RoleToken(tok, RoleWorker) == tok || RoleToken(tok, RoleWorker) == RoleToken(tok, RoleObserver) ||
		RoleToken(tok, RoleWorker) != RoleToken(tok, RoleWorker) || RoleToken(tok, RoleHub) != tok {
		t.Error("RoleToken: want the hub's token for the hub and distinct derived tokens for the others")
	}

	// A worker's nkey: a worker's rights.
	user, _ := nkeys.CreateUser()
	pub, _ := user.PublicKey()
	seed, _ := user.Seed()
	file := filepath.Join(t.TempDir(), "worker.nk")
	if err := os.WriteFile(file, seed, 0o600); err != nil {
		t.Fatal(err)
	}
	ksrv := startServer(t, ServerOptions{Listen: "127.0.0.1:0", WorkerNKeys: []string{pub}})
	kctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := NewHub(kctx, HubOptions{Endpoint: Endpoint{URLs: ksrv.ClientURL(), NKeySeed: file}, Log: quiet(), Setup: time.Second}); err == nil {
		t.Error("a worker's nkey could create the streams of a hub")
	}
}

// refusedOps tries, with e's credentials, what only a hub may do, and
// returns each operation's error.
func refusedOps(t *testing.T, e Endpoint) map[string]error {
	t.Helper()
	// A refusal is a permission violation, which the server reports
	// asynchronously; the operation itself would wait for its timeout.
	violation := make(chan error, 16)
	nc, err := e.connect("probe", nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
		violation <- err
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	try := func(fn func(ctx context.Context) error) error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		res := make(chan error, 1)
		go func() { res <- fn(ctx) }()
		select {
		case err := <-res:
			return err
		case err := <-violation:
			cancel()
			<-res
			if !errors.Is(err, nats.ErrPermissionViolation) {
				t.Errorf("an asynchronous error that is not a permission violation: %v", err)
			}
			return err
		}
	}
	s := strassen(t)
	out := map[string]error{}
	out["submit a job"] = try(func(ctx context.Context) error {
		body, err := encodeJob(Job{ID: "rogue", Format: s.Format, Field: s.Field})
		if err != nil {
			return nil
		}
		_, err = js.Publish(ctx, JobsSubject, body)
		return err
	})
	for op, stream := range map[string]string{"purge the jobs": JobsStream, "purge the improvements": ImprovementsStream} {
		out[op] = try(func(ctx context.Context) error {
			// The stream's info may be readable or not; the purge is the test.
			return purge(ctx, nc, stream)
		})
	}
	out["delete the jobs stream"] = try(func(ctx context.Context) error { return js.DeleteStream(ctx, JobsStream) })
	out["delete the catalogue"] = try(func(ctx context.Context) error { return js.DeleteObjectStore(ctx, CatalogueBucket) })
	out["write the catalogue"] = try(func(ctx context.Context) error {
		obs, err := js.ObjectStore(ctx, CatalogueBucket)
		if err != nil {
			return err
		}
		_, err = obs.Put(ctx, jetstream.ObjectMeta{Name: KeyOf(s).String(), Metadata: map[string]string{metaRank: "1"}}, bytes.NewReader([]byte("rogue")))
		return err
	})
	out["delete the catalogue entry"] = try(func(ctx context.Context) error {
		obs, err := js.ObjectStore(ctx, CatalogueBucket)
		if err != nil {
			return err
		}
		return obs.Delete(ctx, KeyOf(s).String())
	})
	out["publish an improvement"] = try(func(ctx context.Context) error {
		m, err := improvementMsg(s, "probe", "")
		if err != nil {
			return nil
		}
		_, err = js.PublishMsg(ctx, m)
		return err
	})
	return out
}

// purge sends a purge request for stream straight to the JetStream API and
// returns an error unless the server confirms it.
func purge(ctx context.Context, nc *nats.Conn, stream string) error {
	m, err := nc.RequestWithContext(ctx, "$JS.API.STREAM.PURGE."+stream, nil)
	if err != nil {
		return err
	}
	if !bytes.Contains(m.Data, []byte(`"success":true`)) {
		return errors.New(string(m.Data))
	}
	return nil
}

func TestWriteTokenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "worker.token")
	tok := RoleToken("s3cret", RoleWorker)
	for range 2 { // a second write replaces the first
		if err := WriteTokenFile(path, tok); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadTokenFile(path)
	if err != nil || got != tok {
		t.Errorf("read back %q, %v; want %q", got, err, tok)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v; want 600", fi.Mode().Perm(), err)
	}
	if err := WriteTokenFile(filepath.Join(t.TempDir(), "no", "such", "dir"), tok); err == nil {
		t.Error("a token file in a missing directory: no error")
	}
}
