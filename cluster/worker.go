package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alphamat/alphamat/tensorgame"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// A JobFunc runs one job. It calls publish with each scheme worth sending:
// publish verifies it and writes it into the outbox, and the worker sends it
// in the background, so publish never waits on the network; it returns an
// error only for a scheme that fails to verify or to be written, and is safe
// to call from several goroutines (walkers) at once. ctx ends
// when the job's budget is spent or the worker stops; a JobFunc that returns
// nil, or the ctx error after its budget, has done its job.
type JobFunc func(ctx context.Context, job Job, publish func(*tensorgame.Scheme) error) error

// workKey is the context key of a job's work counter.
type workKey struct{}

// ReportWork adds n to the work counted for the job whose context is ctx
// (JobDone.Work), from any goroutine; with a context that is not a job's it
// does nothing. A search reports its flips, so that the hub can tell the
// cluster's flips per second.
func ReportWork(ctx context.Context, n int64) {
	if c, ok := ctx.Value(workKey{}).(*atomic.Int64); ok {
		c.Add(n)
	}
}

// WorkerOptions configures a Worker.
type WorkerOptions struct {
	// Endpoint is where the servers are.
	Endpoint Endpoint
	// Name names the worker in heartbeats; empty: host name and process
	// ID. Characters outside [A-Za-z0-9_-] become '_'.
	Name string
	// Outbox is the directory that keeps published schemes until the
	// stream has them (required). A worker started on an outbox left by
	// an earlier one publishes what it finds there.
	Outbox string
	// Heartbeat is the interval of the worker's status messages to the
	// hub and of outbox retries; 0 means 5s. Job heartbeats (in-progress
	// acks) go every AckWait/3 of the jobs consumer.
	Heartbeat time.Duration
	// Log receives failures; nil: slog.Default().
	Log *slog.Logger
}

// A Worker pulls jobs, runs them and publishes improvements.
type Worker struct {
	opts WorkerOptions
	log  *slog.Logger
	nc   *nats.Conn
	js   jetstream.JetStream

	wake    chan struct{} // a scheme in the outbox, or a reconnection
	flushMu sync.Mutex    // one flush at a time

	mu    sync.Mutex
	job   string
	jobs  int
	jobOf map[string]string // outbox file -> job, for the message header
}

// NewWorker connects to the servers. A server that refuses the token gives an
// error wrapping ErrRefused. The worker publishes what an earlier worker left
// in the outbox once Run starts.
func NewWorker(o WorkerOptions) (*Worker, error) {
	if o.Outbox == "" {
		return nil, errors.New("cluster: worker needs an outbox directory")
	}
	if err := os.MkdirAll(o.Outbox, 0o755); err != nil {
		return nil, fmt.Errorf("cluster: worker outbox: %w", err)
	}
	if o.Name == "" {
		host, _ := os.Hostname()
		o.Name = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	o.Name = strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
			return r
		}
		return '_'
	}, o.Name)
	if o.Heartbeat == 0 {
		o.Heartbeat = 5 * time.Second
	}
	w := &Worker{opts: o, log: o.Log, wake: make(chan struct{}, 1), jobOf: map[string]string{}}
	if w.log == nil {
		w.log = slog.Default()
	}
	w.log = w.log.With("worker", o.Name)
	nc, err := o.Endpoint.connect(o.Name, nats.ReconnectHandler(func(*nats.Conn) { w.kick() }))
	if err != nil {
		return nil, fmt.Errorf("cluster: worker %s: %w", o.Name, err)
	}
	w.nc = nc
	w.js, err = jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("cluster: worker %s: %w", o.Name, err)
	}
	return w, nil
}

// Catalogue returns the cluster's catalogue, to resolve Job.From; it fails
// until the hub has created it.
func (w *Worker) Catalogue(ctx context.Context) (*Catalogue, error) {
	obs, err := w.js.ObjectStore(ctx, CatalogueBucket)
	if err != nil {
		return nil, fmt.Errorf("cluster: worker %s: catalogue: %w", w.opts.Name, err)
	}
	return &Catalogue{obs: obs}, nil
}

// Connected reports whether the worker is connected to the servers now.
func (w *Worker) Connected() bool { return w.nc.Status() == nats.CONNECTED }

// Name returns the worker's name.
func (w *Worker) Name() string { return w.opts.Name }

// Close closes the connection; Run must have returned.
func (w *Worker) Close() { w.nc.Close() }

// Run pulls jobs and runs fn on each until ctx ends, then returns nil. A job
// whose fn fails is handed back for redelivery; a job still running when ctx
// ends is handed back too.
func (w *Worker) Run(ctx context.Context, fn JobFunc) error {
	cons, err := w.consumer(ctx)
	if err != nil {
		return nil // ctx ended
	}
	ackWait := cons.CachedInfo().Config.AckWait
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wg.Go(func() { w.background(ctx) })
	for ctx.Err() == nil {
		fctx, fcancel := context.WithTimeout(ctx, 2*time.Second)
		m, err := cons.Next(jetstream.FetchContext(fctx))
		fcancel()
		if err != nil {
			if !errors.Is(err, nats.ErrTimeout) && !errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
				w.log.Debug("fetch", "err", err)
				sleep(ctx, 250*time.Millisecond)
			}
			continue
		}
		w.run(ctx, m, ackWait, fn)
	}
	return nil
}

// consumer waits for the hub to create the jobs consumer.
func (w *Worker) consumer(ctx context.Context) (jetstream.Consumer, error) {
	for said := false; ; {
		tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		cons, err := w.js.Consumer(tctx, JobsStream, JobsConsumer)
		cancel()
		if err == nil {
			return cons, nil
		}
		if !said {
			w.log.Info("waiting for the hub's job stream", "err", err)
			said = true
		}
		if !sleep(ctx, 250*time.Millisecond) {
			return nil, ctx.Err()
		}
	}
}

// run runs one job message. A malformed job is terminated (never
// redelivered); a failed one is handed back after a second, so that
// another worker may try it, up to the consumer's MaxDeliver.
func (w *Worker) run(ctx context.Context, m jetstream.Msg, ackWait time.Duration, fn JobFunc) {
	job, err := decodeJob(m.Data())
	if err != nil {
		w.log.Warn("refused job", "bytes", len(m.Data()), "err", err)
		m.TermWithReason("malformed job")
		return
	}
	w.setJob(job.ID, false)
	defer w.setJob("", false)
	jctx, cancel := ctx, context.CancelFunc(func() {})
	if job.Budget > 0 {
		jctx, cancel = context.WithTimeout(ctx, job.Budget)
	}
	defer cancel()
	beat := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(max(ackWait/3, 10*time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-beat:
				return
			case <-t.C:
				m.InProgress() // cut off: the job may be redelivered; keep walking
			}
		}
	})
	t0 := time.Now()
	var published, work atomic.Int64 // publish may be called from several goroutines
	jctx = context.WithValue(jctx, workKey{}, &work)
	err = fn(jctx, job, func(s *tensorgame.Scheme) error {
		err := w.publish(s, job.ID)
		if err == nil {
			published.Add(1)
		}
		return err
	})
	close(beat)
	wg.Wait()
	if ctx.Err() != nil {
		m.Nak()
		return
	}
	failed := err != nil && !(errors.Is(err, context.DeadlineExceeded) && jctx.Err() != nil)
	// The job's schemes go first, then its JobDone, on one stream.
	actx, acancel := context.WithTimeout(ctx, 5*time.Second)
	defer acancel()
	w.flush(actx)
	done := JobDone{ID: job.ID, Worker: w.opts.Name, Elapsed: time.Since(t0), Published: int(published.Load()), Work: work.Load()}
	if failed {
		done.Err = err.Error()
	}
	if b, jerr := json.Marshal(done); jerr == nil {
		if _, perr := w.js.Publish(actx, DoneSubject, b); perr != nil {
			w.log.Info("job report lost", "job", job.ID, "err", perr)
		}
	}
	if failed {
		w.log.Warn("job failed", "job", job.ID, "err", err)
		m.NakWithDelay(time.Second)
		return
	}
	if err := m.DoubleAck(actx); err != nil {
		w.log.Warn("ack lost: the job may be redone", "job", job.ID, "err", err)
	}
	w.setJob("", true)
}

func (w *Worker) setJob(id string, done bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.job = id
	if done {
		w.jobs++
	}
}

// kick wakes the background loop.
func (w *Worker) kick() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// publish verifies s, writes it into the outbox and wakes the background
// loop, which sends it; the job function never waits on the network.
func (w *Worker) publish(s *tensorgame.Scheme, job string) error {
	if err := tensorgame.Verify(s); err != nil {
		return fmt.Errorf("cluster: publish: %w", err)
	}
	path := filepath.Join(w.opts.Outbox, msgID(s)+".txt")
	if err := tensorgame.WriteFile(path, s); err != nil {
		return fmt.Errorf("cluster: publish: %w", err)
	}
	w.mu.Lock()
	w.jobOf[path] = job
	w.mu.Unlock()
	w.kick()
	return nil
}

// send publishes s and waits for the stream's ack.
func (w *Worker) send(ctx context.Context, s *tensorgame.Scheme, job string) error {
	m, err := improvementMsg(s, w.opts.Name, job)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err = w.js.PublishMsg(ctx, m)
	return err
}

// flush sends what the outbox holds and returns how many remain.
func (w *Worker) flush(ctx context.Context) int {
	w.flushMu.Lock()
	defer w.flushMu.Unlock()
	files, err := filepath.Glob(filepath.Join(w.opts.Outbox, "*.txt"))
	if err != nil {
		return 0
	}
	left := 0
	for _, f := range files {
		s, err := tensorgame.ReadFile(f)
		if err == nil {
			err = tensorgame.Verify(s)
		}
		if err != nil {
			w.log.Error("outbox: bad scheme file, moved aside", "file", f, "err", err)
			os.Rename(f, f+".bad")
			continue
		}
		if w.nc.Status() != nats.CONNECTED {
			left++
			continue
		}
		w.mu.Lock()
		job := w.jobOf[f]
		w.mu.Unlock()
		if err := w.send(ctx, s, job); err != nil {
			w.log.Info("improvement kept in the outbox", "file", f, "err", err)
			left++
			continue
		}
		os.Remove(f)
		w.mu.Lock()
		delete(w.jobOf, f)
		w.mu.Unlock()
	}
	return left
}

// background sends the worker's heartbeats and flushes the outbox, every
// Heartbeat and at once after a publish or a reconnection; when ctx ends it
// flushes once more, for up to 5s.
func (w *Worker) background(ctx context.Context) {
	t := time.NewTicker(w.opts.Heartbeat)
	defer t.Stop()
	defer func() {
		fctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		w.flush(fctx)
	}()
	for {
		left := w.flush(ctx)
		w.mu.Lock()
		st := WorkerStatus{Name: w.opts.Name, Job: w.job, Jobs: w.jobs, Outbox: left}
		w.mu.Unlock()
		if b, err := json.Marshal(st); err == nil {
			w.nc.Publish(WorkersSubject+"."+w.opts.Name, b)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.wake:
		}
	}
}

// sleep waits d or until ctx ends; it reports whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

// RunJob runs fn on j in this process as a worker would, without servers:
// the job's budget bounds it, publish receives its schemes (unverified:
// the caller checks them), and the report says how long it ran and the
// work it reported. It measures a job function apart from the transport.
func RunJob(ctx context.Context, j Job, fn JobFunc, publish func(*tensorgame.Scheme) error) JobDone {
	if j.Budget > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, j.Budget)
		defer cancel()
	}
	var work atomic.Int64
	t0 := time.Now()
	err := fn(context.WithValue(ctx, workKey{}, &work), j, publish)
	d := JobDone{ID: j.ID, Worker: "local", Elapsed: time.Since(t0), Work: work.Load()}
	if err != nil && !(errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil) {
		d.Err = err.Error()
	}
	return d
}
