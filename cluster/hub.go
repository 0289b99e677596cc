package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/alphamat/alphamat/tensorgame"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// HubOptions configures a Hub.
type HubOptions struct {
	// Endpoint is where the servers are.
	Endpoint Endpoint
	// Name names the hub's connection; empty: "alphamat-hub".
	Name string
	// Replicas is the number of copies of every stream and of the
	// catalogue: 1 on one server, 3 on a cluster of three. 0 means 1.
	Replicas int
	// AckWait is how long a job may go without an ack or heartbeat before
	// it is redelivered to another worker; 0 means 30s. Workers send
	// heartbeats every AckWait/3.
	AckWait time.Duration
	// MaxDeliver bounds the deliveries of one job (a job whose function
	// keeps failing); 0 means 10.
	MaxDeliver int
	// MaxPayload bounds a message in the streams; 0: DefaultMaxPayload.
	MaxPayload int32
	// MaxSchemeText bounds the text of an improvement after
	// decompression; 0: MaxSchemeText.
	MaxSchemeText int
	// Mirror, when not empty, is a directory that receives every
	// catalogue entry as "<key>.txt": all of them when the hub starts,
	// then each new best.
	Mirror string
	// Accepted, when not nil, is called with each new best scheme after
	// it is in the catalogue, on the hub's one consuming goroutine.
	Accepted func(Improvement)
	// Done, when not nil, is called with each job report, on the same
	// goroutine, after the job's improvements (when its worker was
	// connected as it finished).
	Done func(JobDone)
	// Log receives refusals and failures; nil: slog.Default().
	Log *slog.Logger
	// Setup bounds how long NewHub waits for JetStream (a cluster electing
	// its leaders); 0 means 30s.
	Setup time.Duration
}

// An Improvement is a scheme accepted into the catalogue.
type Improvement struct {
	Scheme      *tensorgame.Scheme
	Worker, Job string // as the publisher named them
	Previous    int    // the rank it replaced; 0: none
}

// WorkerStatus is what a worker reports in its heartbeats.
type WorkerStatus struct {
	Name     string    `json:"name"`
	Job      string    `json:"job,omitempty"`      // the job it runs
	Jobs     int       `json:"jobs"`               // jobs done
	Outbox   int       `json:"outbox"`             // schemes not yet published
	LastSeen time.Time `json:"last_seen,omitzero"` // set by the hub
}

// Status is the state of a cluster as its hub sees it.
type Status struct {
	Workers  []WorkerStatus // by name, as last heard
	Pending  int            // jobs not yet delivered
	InFlight int            // jobs delivered, not yet acked
	Best     map[Key]int    // the catalogue's rank per format and field
	// Improvements the hub handled since it started: accepted into the
	// catalogue, refused (malformed, wrong or oversized) and stale (not
	// better than the catalogue; dropped before Verify, so a wrong scheme
	// that is also worse counts as stale).
	Accepted, Refused, Stale int
	// Dropped counts the jobs given up since the hub started, after
	// MaxDeliver deliveries that failed; each is logged.
	Dropped int
	// Done counts the job reports since the hub started.
	Done int
}

// A Hub creates the streams and the catalogue, submits jobs, and accepts
// improvements: it verifies each and keeps the best per format and field.
// Run one hub per cluster.
type Hub struct {
	opts HubOptions
	log  *slog.Logger
	nc   *nats.Conn
	js   jetstream.JetStream
	cat  *Catalogue
	jobs jetstream.Consumer
	cc   jetstream.ConsumeContext
	sub  *nats.Subscription
	adv  *nats.Subscription

	closed sync.Once

	mu                       sync.Mutex
	workers                  map[string]WorkerStatus
	accepted, refused, stale int
	dropped, done            int
}

// maxWorkersSeen bounds the workers a hub remembers.
const maxWorkersSeen = 10000

// NewHub connects to the servers, creates (or finds) the streams, the
// consumers and the catalogue, mirrors the catalogue when asked to, and
// starts accepting improvements. A hub restarted on the same store resumes:
// improvements published while it was down are handled then.
func NewHub(ctx context.Context, o HubOptions) (*Hub, error) {
	if o.Name == "" {
		o.Name = "alphamat-hub"
	}
	if o.Replicas == 0 {
		o.Replicas = 1
	}
	if o.AckWait == 0 {
		o.AckWait = 30 * time.Second
	}
	if o.MaxDeliver == 0 {
		o.MaxDeliver = 10
	}
	if o.MaxPayload == 0 {
		o.MaxPayload = DefaultMaxPayload
	}
	if o.MaxSchemeText == 0 {
		o.MaxSchemeText = MaxSchemeText
	}
	if o.Setup == 0 {
		o.Setup = 30 * time.Second
	}
	h := &Hub{opts: o, log: o.Log, workers: map[string]WorkerStatus{}}
	if h.log == nil {
		h.log = slog.Default()
	}
	h.log = h.log.With("hub", o.Name)
	nc, err := o.Endpoint.connect(o.Name)
	if err != nil {
		return nil, err
	}
	h.nc = nc
	if err := h.setup(ctx); err != nil {
		nc.Close()
		return nil, err
	}
	return h, nil
}

// setup creates what the hub needs, retrying while JetStream is not ready.
func (h *Hub) setup(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, h.opts.Setup)
	defer cancel()
	js, err := jetstream.New(h.nc)
	if err != nil {
		return fmt.Errorf("cluster: hub: %w", err)
	}
	h.js = js
	for {
		err = h.createAll(ctx)
		if err == nil {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("cluster: hub: create streams: %w", err)
		case <-time.After(250 * time.Millisecond):
		}
	}
	if h.opts.Mirror != "" {
		if _, err := h.cat.Mirror(ctx, h.opts.Mirror); err != nil {
			return fmt.Errorf("cluster: hub: %w", err)
		}
	}
	imp, err := js.Consumer(ctx, ImprovementsStream, HubConsumer)
	if err != nil {
		return fmt.Errorf("cluster: hub: %w", err)
	}
	h.sub, err = h.nc.Subscribe(WorkersSubject+".*", h.heard)
	if err != nil {
		return fmt.Errorf("cluster: hub: %w", err)
	}
	h.adv, err = h.nc.Subscribe(maxDeliveriesSubject, h.droppedJob)
	if err != nil {
		return fmt.Errorf("cluster: hub: %w", err)
	}
	h.cc, err = imp.Consume(h.handle, jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
		h.log.Debug("improvements", "err", err)
	}))
	if err != nil {
		return fmt.Errorf("cluster: hub: %w", err)
	}
	return nil
}

// createAll creates or updates the streams, consumers and object store.
func (h *Hub) createAll(ctx context.Context) error {
	o := h.opts
	tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err := h.js.CreateOrUpdateStream(tctx, jetstream.StreamConfig{
		Name:        JobsStream,
		Description: "alphamat jobs: one delivery each, acked when done",
		Subjects:    []string{JobsSubject},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		Replicas:    o.Replicas,
		MaxMsgSize:  o.MaxPayload,
	})
	if err != nil {
		return err
	}
	h.jobs, err = h.js.CreateOrUpdateConsumer(tctx, JobsStream, jetstream.ConsumerConfig{
		Durable:    JobsConsumer,
		AckPolicy:  jetstream.AckExplicitPolicy,
		AckWait:    o.AckWait,
		MaxDeliver: o.MaxDeliver,
		Replicas:   o.Replicas,
	})
	if err != nil {
		return err
	}
	_, err = h.js.CreateOrUpdateStream(tctx, jetstream.StreamConfig{
		Name:        ImprovementsStream,
		Description: "alphamat improvements: schemes published by workers, verified by the hub, and job reports",
		Subjects:    []string{ImproveSubject + ".>", DoneSubject},
		Retention:   jetstream.LimitsPolicy,
		Storage:     jetstream.FileStorage,
		Replicas:    o.Replicas,
		MaxMsgSize:  o.MaxPayload,
		MaxBytes:    1 << 30,
		Discard:     jetstream.DiscardOld,
	})
	if err != nil {
		return err
	}
	_, err = h.js.CreateOrUpdateConsumer(tctx, ImprovementsStream, jetstream.ConsumerConfig{
		Durable:   HubConsumer,
		AckPolicy: jetstream.AckExplicitPolicy,
		AckWait:   time.Minute,
		Replicas:  o.Replicas,
	})
	if err != nil {
		return err
	}
	obs, err := h.js.CreateOrUpdateObjectStore(tctx, jetstream.ObjectStoreConfig{
		Bucket:      CatalogueBucket,
		Description: "alphamat catalogue: the best verified scheme per format and field",
		Storage:     jetstream.FileStorage,
		Replicas:    o.Replicas,
	})
	if err != nil {
		return err
	}
	h.cat = &Catalogue{obs: obs}
	return nil
}

// handle judges one improvement message or passes on a job report.
func (h *Hub) handle(m jetstream.Msg) {
	if m.Subject() == DoneSubject {
		h.handleDone(m)
		return
	}
	worker, job := m.Headers().Get(hdrWorker), m.Headers().Get(hdrJob)
	refuse := func(err error) {
		h.mu.Lock()
		h.refused++
		h.mu.Unlock()
		h.log.Warn("refused improvement", "subject", m.Subject(), "worker", worker, "job", job, "bytes", len(m.Data()), "err", err)
		m.TermWithReason("refused")
	}
	if len(m.Data()) > int(h.opts.MaxPayload) {
		refuse(fmt.Errorf("%d bytes, more than %d", len(m.Data()), h.opts.MaxPayload))
		return
	}
	k, err := parseKeySubject(m.Subject())
	if err != nil {
		refuse(err)
		return
	}
	s, err := parseScheme(m.Data(), m.Headers().Get(hdrEncoding) == "gzip", h.opts.MaxSchemeText, m.Subject())
	if err != nil {
		refuse(err)
		return
	}
	if KeyOf(s) != k {
		refuse(fmt.Errorf("a scheme of %v on the subject of %v", KeyOf(s), k))
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// The store, not memory, is the judge: another hub may have written.
	// A scheme no better than the catalogue's is dropped unverified: it
	// never enters the catalogue, and Verify is the costly step.
	prev, err := h.cat.rank(ctx, k)
	if err == nil && prev > 0 && s.Rank() >= prev {
		h.mu.Lock()
		h.stale++
		h.mu.Unlock()
		m.Ack()
		return
	}
	if err == nil {
		if verr := tensorgame.Verify(s); verr != nil {
			refuse(fmt.Errorf("%s: %w", m.Subject(), verr))
			return
		}
	}
	if err == nil {
		err = h.cat.put(ctx, s)
	}
	if err != nil {
		h.log.Error("catalogue", "key", k, "err", err)
		m.NakWithDelay(time.Second)
		return
	}
	if h.opts.Mirror != "" {
		if err := mirrorOne(h.opts.Mirror, s); err != nil {
			h.log.Error("mirror", "key", k, "err", err)
		}
	}
	h.mu.Lock()
	h.accepted++
	h.mu.Unlock()
	h.log.Info("new best", "key", k, "rank", s.Rank(), "previous", prev, "worker", worker, "job", job)
	if h.opts.Accepted != nil {
		h.opts.Accepted(Improvement{Scheme: s, Worker: worker, Job: job, Previous: prev})
	}
	m.Ack()
}

// handleDone passes on a job report.
func (h *Hub) handleDone(m jetstream.Msg) {
	var d JobDone
	if len(m.Data()) > maxJobDone || json.Unmarshal(m.Data(), &d) != nil || d.ID == "" {
		h.log.Warn("refused job report", "bytes", len(m.Data()))
		m.TermWithReason("refused")
		return
	}
	h.mu.Lock()
	h.done++
	h.mu.Unlock()
	if h.opts.Done != nil {
		h.opts.Done(d)
	}
	m.Ack()
}

// maxDeliveriesSubject is the server's advisory of a job given up.
const maxDeliveriesSubject = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + JobsStream + "." + JobsConsumer

// droppedJob logs a job the server gave up after MaxDeliver deliveries.
func (h *Hub) droppedJob(m *nats.Msg) {
	var adv struct {
		StreamSeq  uint64 `json:"stream_seq"`
		Deliveries uint64 `json:"deliveries"`
	}
	json.Unmarshal(m.Data, &adv)
	h.mu.Lock()
	h.dropped++
	h.mu.Unlock()
	h.log.Error("job dropped after failed deliveries", "stream_seq", adv.StreamSeq, "deliveries", adv.Deliveries)
}

// heard records a worker's heartbeat.
func (h *Hub) heard(m *nats.Msg) {
	var w WorkerStatus
	if len(m.Data) > 4<<10 || json.Unmarshal(m.Data, &w) != nil || w.Name == "" || len(w.Name) > 256 {
		return
	}
	w.LastSeen = time.Now()
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.workers[w.Name]; ok || len(h.workers) < maxWorkersSeen {
		h.workers[w.Name] = w
	}
}

// Catalogue returns the cluster's catalogue.
func (h *Hub) Catalogue() *Catalogue { return h.cat }

// Submit queues a job; it has at most MaxStarts starts, each of the job's
// format, and each must verify. A job whose message would be larger than
// the servers or the jobs stream take is refused with an error wrapping
// ErrJobTooLarge, before its starts are verified.
func (h *Hub) Submit(ctx context.Context, j Job) error {
	if j.ID == "" {
		return errors.New("cluster: submit: job without an ID")
	}
	if strings.ContainsAny(j.ID, "\r\n") {
		return fmt.Errorf("cluster: submit: job ID %q has a line break", j.ID)
	}
	if len(j.ID) > MaxJobID {
		return fmt.Errorf("cluster: submit: job ID of %d bytes, more than MaxJobID = %d", len(j.ID), MaxJobID)
	}
	if !ValidLineage(j.Lineage) {
		return fmt.Errorf("cluster: submit %s: lineage %q: want at most %d letters a-z and digits", j.ID, j.Lineage, MaxLineage)
	}
	if len(j.Starts) > MaxStarts {
		return fmt.Errorf("cluster: submit %s: %d starts, more than MaxStarts = %d", j.ID, len(j.Starts), MaxStarts)
	}
	for i, s := range j.Starts {
		if s == nil {
			return fmt.Errorf("cluster: submit %s: start %d: no scheme", j.ID, i)
		}
		if err := checkStartFormat(s, j.Format); err != nil {
			return fmt.Errorf("cluster: submit %s: start %d: %w", j.ID, i, err)
		}
	}
	body, err := encodeJob(j)
	if err != nil {
		return fmt.Errorf("cluster: submit %s: %w", j.ID, err)
	}
	if limit := min(int64(h.opts.MaxPayload), h.nc.MaxPayload()); int64(len(body)) > limit {
		return fmt.Errorf("cluster: submit %s: a message of %d bytes, more than the %d the servers take (%w)", j.ID, len(body), limit, ErrJobTooLarge)
	}
	for i, s := range j.Starts {
		if err := tensorgame.Verify(s); err != nil {
			return fmt.Errorf("cluster: submit %s: start %d: %w", j.ID, i, err)
		}
	}
	if _, err := h.js.Publish(ctx, JobsSubject, body, jetstream.WithMsgID(j.ID)); err != nil {
		return fmt.Errorf("cluster: submit %s: %w", j.ID, err)
	}
	return nil
}

// Status returns the workers heard from, the jobs pending and in flight, the
// catalogue's ranks and the hub's counts of improvements.
func (h *Hub) Status(ctx context.Context) (Status, error) {
	info, err := h.jobs.Info(ctx)
	if err != nil {
		return Status{}, fmt.Errorf("cluster: status: %w", err)
	}
	best, err := h.cat.Ranks(ctx)
	if err != nil {
		return Status{}, fmt.Errorf("cluster: status: %w", err)
	}
	st := Status{Pending: int(info.NumPending), InFlight: info.NumAckPending, Best: best}
	h.mu.Lock()
	for _, w := range h.workers {
		st.Workers = append(st.Workers, w)
	}
	st.Accepted, st.Refused, st.Stale, st.Dropped, st.Done = h.accepted, h.refused, h.stale, h.dropped, h.done
	h.mu.Unlock()
	slices.SortFunc(st.Workers, func(a, b WorkerStatus) int { return strings.Compare(a.Name, b.Name) })
	return st, nil
}

// Close stops accepting improvements and closes the connection.
func (h *Hub) Close() {
	h.closed.Do(func() {
		h.cc.Drain()
		select {
		case <-h.cc.Closed():
		case <-time.After(5 * time.Second):
		}
		h.sub.Unsubscribe()
		h.adv.Unsubscribe()
		h.nc.Close()
	})
}

// PurgeJobs drops the jobs not yet acknowledged: a scheduler that starts
// afresh drops those its previous run left, which no one waits for.
func (h *Hub) PurgeJobs(ctx context.Context) error {
	s, err := h.js.Stream(ctx, JobsStream)
	if err == nil {
		err = s.Purge(ctx)
	}
	if err != nil {
		return fmt.Errorf("cluster: purge jobs: %w", err)
	}
	return nil
}
