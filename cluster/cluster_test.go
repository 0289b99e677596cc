package cluster

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alphamat/alphamat/tensorgame"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"
)

func TestJobRoundTrip(t *testing.T) {
	srv := startServer(t, ServerOptions{})
	mirror := t.TempDir()
	var mu sync.Mutex
	var accepted []Improvement
	var reports []JobDone
	var acceptedBeforeDone int
	hub := startHub(t, HubOptions{Endpoint: srv.Endpoint(), Mirror: mirror, Accepted: func(im Improvement) {
		mu.Lock()
		accepted = append(accepted, im)
		mu.Unlock()
	}, Done: func(d JobDone) {
		mu.Lock()
		reports = append(reports, d)
		acceptedBeforeDone = len(accepted)
		mu.Unlock()
	}})
	s7 := strassen(t)
	std := tensorgame.Standard(tensorgame.Format{N: 2, M: 2, P: 3}, tensorgame.Z2)
	var got []Job
	var gotMu sync.Mutex
	w := runWorker(t, WorkerOptions{Endpoint: srv.Endpoint(), Name: "w1"}, func(ctx context.Context, j Job, publish func(*tensorgame.Scheme) error) error {
		gotMu.Lock()
		got = append(got, j)
		gotMu.Unlock()
		return publishAll(s7, std)(ctx, j, publish)
	})
	ctx := context.Background()
	job := Job{ID: "j1", Format: s7.Format, Field: s7.Field, Starts: []*tensorgame.Scheme{tensorgame.Standard(s7.Format, s7.Field), s7},
		From: []tensorgame.Parent{tensorgame.ParentOf(s7)}, Move: tensorgame.MoveFlips, Budget: time.Minute, Seed: 42}
	if err := hub.Submit(ctx, job); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the job to be done", func() bool { return w.jobsDone() == 1 })
	waitFor(t, "two new bests", func() bool { st := status(t, hub); return st.Accepted == 2 })

	gotMu.Lock()
	g := got[0]
	gotMu.Unlock()
	if g.ID != job.ID || g.Format != job.Format || g.Field != job.Field || g.Budget != job.Budget || g.Seed != job.Seed ||
		g.Move != job.Move || len(g.From) != 1 || g.From[0] != job.From[0] || !equalSchemes(g.Starts, job.Starts) {
		t.Errorf("job arrived as %+v, sent %+v", g, job)
	}
	st := status(t, hub)
	if st.Pending != 0 || st.InFlight != 0 {
		t.Errorf("pending %d, in flight %d after the job; want 0, 0", st.Pending, st.InFlight)
	}
	want := map[Key]int{KeyOf(s7): 7, KeyOf(std): 12}
	if len(st.Best) != 2 || st.Best[KeyOf(s7)] != 7 || st.Best[KeyOf(std)] != 12 {
		t.Errorf("best ranks %v, want %v", st.Best, want)
	}
	if len(st.Workers) != 1 || st.Workers[0].Name != "w1" {
		t.Errorf("workers %+v, want w1", st.Workers)
	}
	for _, s := range []*tensorgame.Scheme{s7, std} {
		k := KeyOf(s)
		if c := get(t, hub.Catalogue(), k); c == nil || !c.Equal(s) {
			t.Errorf("catalogue %v: %v, want the published scheme", k, c)
		}
		m, err := tensorgame.ReadFile(filepath.Join(mirror, k.String()+".txt"))
		if err != nil {
			t.Errorf("mirror: %v", err)
		} else if !m.Equal(s) {
			t.Errorf("mirror %v differs from the published scheme", k)
		}
	}
	// Workers read the catalogue too (Job.From).
	wc, err := w.Catalogue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := wc.Get(ctx, KeyOf(s7)); err != nil || !c.Equal(s7) {
		t.Errorf("worker's catalogue %v: %v, %v", KeyOf(s7), c, err)
	}
	if _, err := wc.Get(ctx, Key{tensorgame.Format{N: 3, M: 3, P: 3}, tensorgame.Z}); !errors.Is(err, ErrNotFound) {
		t.Errorf("worker's catalogue 3x3x3-Z: %v, want ErrNotFound", err)
	}
	waitFor(t, "the job report", func() bool { return status(t, hub).Done == 1 })
	mu.Lock()
	if len(accepted) != 2 || accepted[0].Worker != "w1" || accepted[0].Job != "j1" {
		t.Errorf("accepted %+v, want 2 from w1, j1", accepted)
	}
	if len(reports) != 1 || reports[0].ID != "j1" || reports[0].Worker != "w1" || reports[0].Published != 2 || reports[0].Err != "" {
		t.Errorf("job reports %+v, want j1 from w1 with 2 schemes", reports)
	}
	if acceptedBeforeDone != 2 {
		t.Errorf("%d schemes accepted before the job report, want 2", acceptedBeforeDone)
	}
	mu.Unlock()
	waitFor(t, "the outbox to empty", func() bool {
		files, _ := filepath.Glob(filepath.Join(w.opts.Outbox, "*"))
		return len(files) == 0
	})

	// Not better: stale, the catalogue keeps the best.
	raw, err := srv.Endpoint().connect("raw")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	m, err := improvementMsg(tensorgame.Standard(s7.Format, s7.Field), "raw", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := raw.PublishMsg(m); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a stale improvement", func() bool { return status(t, hub).Stale == 1 })
	if c := get(t, hub.Catalogue(), KeyOf(s7)); c == nil || c.Rank() != 7 {
		t.Errorf("catalogue after a worse scheme: %v, want rank 7", c)
	}
}

// TestRogue publishes wrong, malformed, mislabelled and oversized schemes: the
// hub refuses each, logs it, and goes on to accept a good one.
func TestRogue(t *testing.T) {
	const maxPayload, maxText = 64 << 10, 1 << 20
	srv := startServer(t, ServerOptions{MaxPayload: maxPayload})
	logs := &syncBuffer{}
	hub := startHub(t, HubOptions{Endpoint: srv.Endpoint(), MaxPayload: maxPayload, MaxSchemeText: maxText, Log: slog.New(slog.NewTextHandler(logs, nil))})
	rogue, err := srv.Endpoint().connect("rogue")
	if err != nil {
		t.Fatal(err)
	}
	defer rogue.Close()

	s7 := strassen(t)
	wrong := s7.Clone()
	wrong.Terms[3].U[0] = wrong.Terms[3].U[0].Add(tensorgame.Int(1))
	text := func(s *tensorgame.Scheme) []byte {
		var b bytes.Buffer
		if err := tensorgame.Write(&b, s); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	gz := func(b []byte) []byte {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(b)
		zw.Close()
		return z.Bytes()
	}
	// A gzip bomb: a header, then more text than the hub reads.
	bomb := func() []byte {
		var z bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&z, gzip.BestSpeed)
		zw.Write([]byte("# size: 2x2x2\n# field: Z\n"))
		line := bytes.Repeat([]byte("0 "), 1<<16)
		for n := 0; n <= maxText; n += len(line) {
			zw.Write(line)
		}
		zw.Close()
		return z.Bytes()
	}()
	if len(bomb) > maxPayload {
		t.Fatalf("the gzip bomb is %d bytes, more than the payload limit", len(bomb))
	}
	subj := KeyOf(s7).subject()
	for _, tc := range []struct {
		name, subject string
		body          []byte
		gzip          bool
	}{
		{"wrong", subj, text(wrong), false},
		{"malformed", subj, []byte("# size: 2x2x2\n# field: Z\n1 0 ; 1\n"), false},
		{"binary", subj, []byte{0, 1, 2, 0xff, '\n'}, false},
		{"empty", subj, nil, false},
		{"mislabelled", KeyOf(tensorgame.Standard(tensorgame.Format{N: 2, M: 2, P: 3}, tensorgame.Z)).subject(), text(s7), false},
		{"bad subject", ImproveSubject + ".2x2x2.F7", text(s7), false},
		{"bad gzip", subj, []byte("not gzip"), true},
		{"gzip bomb", subj, bomb, true},
		{"wrong gzipped", subj, gz(text(wrong)), true},
	} {
		m := nats.NewMsg(tc.subject)
		m.Data = tc.body
		if tc.gzip {
			m.Header.Set(hdrEncoding, "gzip")
		}
		if err := rogue.PublishMsg(m); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
	}
	const refusals = 9
	// Oversized: the client refuses to send it; the server would close
	// the connection of a client that did.
	big := nats.NewMsg(subj)
	big.Data = make([]byte, maxPayload+1)
	if err := rogue.PublishMsg(big); !errors.Is(err, nats.ErrMaxPayload) {
		t.Errorf("publishing %d bytes: %v, want %v", len(big.Data), err, nats.ErrMaxPayload)
	}
	waitFor(t, "the refusals", func() bool { return status(t, hub).Refused == refusals })

	good, err := improvementMsg(s7, "rogue", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := rogue.PublishMsg(good); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the good scheme", func() bool { return status(t, hub).Accepted == 1 })
	if st := status(t, hub); st.Refused != refusals || st.Best[KeyOf(s7)] != 7 {
		t.Errorf("refused %d, best %v; want %d refusals and rank 7", st.Refused, st.Best, refusals)
	}
	if n := strings.Count(logs.String(), "refused improvement"); n != refusals {
		t.Errorf("%d refusals logged, want %d:\n%s", n, refusals, logs)
	}
	// A worker refuses to publish a wrong scheme.
	w := runWorker(t, WorkerOptions{Endpoint: srv.Endpoint()}, func(context.Context, Job, func(*tensorgame.Scheme) error) error { return nil })
	if err := w.publish(wrong, ""); err == nil {
		t.Error("a worker published a wrong scheme")
	}

	// A job larger than the servers take: the hub refuses to submit it,
	// before it verifies its starts (random 20-bit coefficients, which do
	// not compress to fit: two 6x6x6 schemes are about 110 KiB gzipped).
	f6 := tensorgame.Format{N: 6, M: 6, P: 6}
	noise := tensorgame.Standard(f6, tensorgame.Z)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tm := range noise.Terms {
		for _, fac := range [][]tensorgame.Rat{tm.U, tm.V, tm.W} {
			for i := range fac {
				fac[i] = tensorgame.Int(rng.Int64N(1 << 20))
			}
		}
	}
	starts := []*tensorgame.Scheme{noise, noise}
	err = hub.Submit(context.Background(), Job{ID: "large", Format: f6, Field: tensorgame.Z, Starts: starts})
	if !errors.Is(err, ErrJobTooLarge) || !strings.Contains(err.Error(), "submit large") {
		t.Errorf("submitting a job larger than the payload limit: %v, want an error naming it and wrapping ErrJobTooLarge", err)
	}
}

func TestToken(t *testing.T) {
	srv := startServer(t, ServerOptions{Listen: "127.0.0.1:0", Token: "s3cret"})
	for _, tc := range []struct {
		name, token string
		ok          bool
	}{
		{"right", "s3cret", true},
		{"wrong", "guess", false},
		{"none", "", false},
	} {
		w, err := NewWorker(WorkerOptions{Endpoint: Endpoint{URLs: srv.ClientURL(), Token: tc.token}, Outbox: t.TempDir(), Log: quiet()})
		if tc.ok {
			if err != nil {
				t.Errorf("%s token: %v", tc.name, err)
			} else {
				w.Close()
			}
			continue
		}
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "wrong or missing token") {
			t.Errorf("%s token: %v, want an error wrapping ErrRefused", tc.name, err)
		}
		if w != nil {
			w.Close()
		}
	}
	// Nkeys: a user whose public key the server knows gets in, another not.
	user, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := user.PublicKey()
	other, _ := nkeys.CreateUser()
	ksrv := startServer(t, ServerOptions{Listen: "127.0.0.1:0", NKeys: []string{pub}})
	for _, tc := range []struct {
		name string
		kp   nkeys.KeyPair
		ok   bool
	}{{"known", user, true}, {"unknown", other, false}} {
		seed, _ := tc.kp.Seed()
		file := filepath.Join(t.TempDir(), "user.nk")
		if err := os.WriteFile(file, seed, 0o600); err != nil {
			t.Fatal(err)
		}
		w, err := NewWorker(WorkerOptions{Endpoint: Endpoint{URLs: ksrv.ClientURL(), NKeySeed: file}, Outbox: t.TempDir(), Log: quiet()})
		if w != nil {
			w.Close()
		}
		if tc.ok && err != nil {
			t.Errorf("%s nkey: %v", tc.name, err)
		}
		if !tc.ok && !errors.Is(err, ErrRefused) {
			t.Errorf("%s nkey: %v, want an error wrapping ErrRefused", tc.name, err)
		}
	}
	if s, err := StartServer(ServerOptions{StoreDir: t.TempDir(), Token: "x", NKeys: []string{pub}}); err == nil {
		s.Shutdown()
		t.Error("a token and nkeys together: no error")
	}
	for _, addr := range []string{"0.0.0.0:0", ":0", "10.1.2.3:4222"} {
		if s, err := StartServer(ServerOptions{StoreDir: t.TempDir(), Listen: addr}); err == nil {
			s.Shutdown()
			t.Errorf("listening on %s without a token: no error", addr)
		}
	}
}

// TestHubRestart stops the hub and its server, publishes nothing while the
// server is down, restarts both on the same store, and finds the catalogue,
// the pending jobs and an improvement sent while the hub alone was down.
func TestHubRestart(t *testing.T) {
	store := t.TempDir()
	srv, err := StartServer(ServerOptions{StoreDir: store})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	hub, err := NewHub(ctx, HubOptions{Endpoint: srv.Endpoint(), Log: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	s7 := strassen(t)
	send := func(s *tensorgame.Scheme) {
		t.Helper()
		nc, err := srv.Endpoint().connect("raw")
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		m, err := improvementMsg(s, "raw", "")
		if err != nil {
			t.Fatal(err)
		}
		if err := nc.PublishMsg(m); err != nil {
			t.Fatal(err)
		}
		nc.Flush()
	}
	send(s7)
	waitFor(t, "the first scheme", func() bool { return status(t, hub).Accepted == 1 })
	for _, id := range []string{"a", "b"} {
		if err := hub.Submit(ctx, Job{ID: id, Format: s7.Format, Field: s7.Field}); err != nil {
			t.Fatal(err)
		}
	}
	hub.Close()
	// While the hub is down, an improvement goes into the stream.
	std := tensorgame.Standard(tensorgame.Format{N: 1, M: 2, P: 3}, tensorgame.Z2)
	send(std)
	srv.Shutdown()

	srv = startServer(t, ServerOptions{StoreDir: store})
	mirror := t.TempDir()
	hub = startHub(t, HubOptions{Endpoint: srv.Endpoint(), Mirror: mirror})
	waitFor(t, "the improvement sent while the hub was down", func() bool { return status(t, hub).Accepted == 1 })
	st := status(t, hub)
	if st.Pending != 2 || st.Best[KeyOf(s7)] != 7 || st.Best[KeyOf(std)] != 6 {
		t.Errorf("after the restart: pending %d, best %v; want 2 pending, ranks 7 and 6", st.Pending, st.Best)
	}
	if m, err := tensorgame.ReadFile(filepath.Join(mirror, KeyOf(s7).String()+".txt")); err != nil || !m.Equal(s7) {
		t.Errorf("mirror after the restart: %v", err)
	}
	w := runWorker(t, WorkerOptions{Endpoint: srv.Endpoint()}, publishAll())
	waitFor(t, "the two jobs queued before the restart", func() bool { return w.jobsDone() == 2 })
}

// TestCutOff stops the server under a working worker: the worker keeps its
// improvement in its outbox and publishes it when the server is back.
func TestCutOff(t *testing.T) {
	store := t.TempDir()
	srv := startServer(t, ServerOptions{StoreDir: store, Listen: "127.0.0.1:0", Token: "t"})
	url := srv.ClientURL()
	addr := strings.TrimPrefix(url, "nats://")
	hub := startHub(t, HubOptions{Endpoint: srv.Endpoint()})
	s7 := strassen(t)
	cut := make(chan struct{})
	published := make(chan error, 1)
	outbox := t.TempDir()
	w := runWorker(t, WorkerOptions{Endpoint: Endpoint{URLs: url, Token: "t"}, Outbox: outbox}, func(ctx context.Context, j Job, publish func(*tensorgame.Scheme) error) error {
		<-cut
		published <- publish(s7)
		return nil
	})
	if err := hub.Submit(context.Background(), Job{ID: "cut", Format: s7.Format, Field: s7.Field}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the worker to take the job", func() bool { return status(t, hub).InFlight == 1 })
	hub.Close()
	srv.Shutdown()
	waitFor(t, "the worker to see the server gone", func() bool { return w.nc.Status() != nats.CONNECTED })
	close(cut)
	if err := <-published; err != nil {
		t.Fatalf("publish while cut off: %v", err)
	}
	if files, _ := filepath.Glob(filepath.Join(outbox, "*.txt")); len(files) != 1 {
		t.Fatalf("outbox while cut off: %v, want the scheme", files)
	}

	srv = startServer(t, ServerOptions{StoreDir: store, Listen: addr, Token: "t"})
	hub = startHub(t, HubOptions{Endpoint: srv.Endpoint()})
	waitFor(t, "the kept scheme to reach the catalogue", func() bool { return get(t, hub.Catalogue(), KeyOf(s7)) != nil })
	waitFor(t, "the outbox to empty", func() bool {
		files, _ := filepath.Glob(filepath.Join(outbox, "*.txt"))
		return len(files) == 0
	})
	if c := get(t, hub.Catalogue(), KeyOf(s7)); !c.Equal(s7) {
		t.Errorf("catalogue holds %v, want Strassen", c)
	}
}

func TestMain(m *testing.M) {
	if cfg := os.Getenv(childEnv); cfg != "" {
		os.Exit(childWorker(cfg))
	}
	if store := os.Getenv(hubEnv); store != "" {
		os.Exit(childHub(store))
	}
	os.Exit(m.Run())
}
