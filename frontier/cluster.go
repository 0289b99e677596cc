package frontier

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/alphamat/alphamat/cluster"
	"github.com/alphamat/alphamat/frontier/meta"
	"github.com/alphamat/alphamat/search"
	"github.com/alphamat/alphamat/tensorgame"
)

// Dispatch runs the searches of a frontier run as cluster jobs: its Search
// (for Config.Search) submits a job (format, field, the search's start
// schemes, budget = the search's time, seed) to a cluster hub and waits for the
// job's report; the schemes the hub accepted from the job (verified) are
// the search's result. Its Slots (for Config.Slots) is the number of
// workers heard from lately, so that every worker has a job.
type Dispatch struct {
	hub   *cluster.Hub
	nonce string
	grace time.Duration

	mu      sync.Mutex
	seq     int
	calls   map[string]*call                   // by job ID
	orphans map[cluster.Key]*tensorgame.Scheme // accepted from jobs no one waits for
	slots   int
	asked   time.Time
}

// call is a search waiting for its job.
type call struct {
	best *tensorgame.Scheme
	done chan cluster.JobDone
}

// NewDispatch starts a hub with o (whose Accepted and Done it takes), drops
// the jobs a previous run left in the queue, and returns its dispatcher. A job whose report does not come within its
// budget plus grace (a worker killed, a report lost) ends its search with
// what the hub accepted from it; grace 0 means 2·AckWait + 30s.
func NewDispatch(ctx context.Context, o cluster.HubOptions, grace time.Duration) (*Dispatch, error) {
	var b [4]byte
	rand.Read(b[:])
	if grace == 0 {
		aw := o.AckWait
		if aw == 0 {
			aw = 30 * time.Second
		}
		grace = 2*aw + 30*time.Second
	}
	d := &Dispatch{nonce: hex.EncodeToString(b[:]), grace: grace,
		calls: map[string]*call{}, orphans: map[cluster.Key]*tensorgame.Scheme{}, slots: 1}
	o.Accepted = d.accepted
	o.Done = d.jobDone
	hub, err := cluster.NewHub(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("frontier: %w", err)
	}
	// The jobs a previous run left are no one's: their searches are gone.
	if err := hub.PurgeJobs(ctx); err != nil {
		hub.Close()
		return nil, fmt.Errorf("frontier: %w", err)
	}
	d.hub = hub
	return d, nil
}

// Hub returns the dispatcher's hub.
func (d *Dispatch) Hub() *cluster.Hub { return d.hub }

// Close closes the hub.
func (d *Dispatch) Close() { d.hub.Close() }

func (d *Dispatch) accepted(imp cluster.Improvement) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c := d.calls[imp.Job]
	if c == nil {
		k := cluster.KeyOf(imp.Scheme)
		if o := d.orphans[k]; o == nil || imp.Scheme.Rank() < o.Rank() {
			d.orphans[k] = imp.Scheme
		}
		return
	}
	if c.best == nil || imp.Scheme.Rank() < c.best.Rank() {
		c.best = imp.Scheme
	}
}

func (d *Dispatch) jobDone(jd cluster.JobDone) {
	d.mu.Lock()
	c := d.calls[jd.ID]
	d.mu.Unlock()
	if c != nil {
		select {
		case c.done <- jd:
		default:
		}
	}
}

// Slots returns the number of workers heard from in the last 15 s (three
// heartbeats), at least 1; it asks the hub at most once a second.
func (d *Dispatch) Slots() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	if time.Since(d.asked) < time.Second {
		return d.slots
	}
	d.asked = time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	st, err := d.hub.Status(ctx)
	if err != nil {
		return d.slots
	}
	n := 0
	for _, w := range st.Workers {
		if time.Since(w.LastSeen) < 15*time.Second {
			n++
		}
	}
	d.slots = max(n, 1)
	return d.slots
}

// Search runs cfg as a cluster job and returns the best scheme the hub
// accepted from it (nil if none), or an error when the job's function
// failed (the format unsupported, say) or the job could not be submitted
// (more than cluster.MaxStarts starts, say). The job starts from
// cfg.From, when set, and all of cfg.Starts; a job too large for the
// servers (cluster.ErrJobTooLarge: many starts of a large format) goes with
// the first half of its starts, or the first quarter, and so on down to
// one.
func (d *Dispatch) Search(ctx context.Context, cfg search.Config) (search.Result, error) {
	key := cluster.Key{Format: cfg.Format, Field: cfg.Field}
	d.mu.Lock()
	d.seq++
	id := fmt.Sprintf("%s-%d-%v", d.nonce, d.seq, key)
	c := &call{done: make(chan cluster.JobDone, 1)}
	d.calls[id] = c
	if o := d.orphans[key]; o != nil {
		c.best = o
		delete(d.orphans, key)
	}
	d.mu.Unlock()
	defer func() {
		d.mu.Lock()
		delete(d.calls, id)
		d.mu.Unlock()
	}()
	job := cluster.Job{ID: id, Format: cfg.Format, Field: cfg.Field, Budget: cfg.Time, Seed: cfg.Seed,
		Lineage: lineageOf(cfg.RunDir)}
	if cfg.From != nil {
		job.Starts = append(job.Starts, cfg.From)
	}
	job.Starts = append(job.Starts, cfg.Starts...)
	err := d.hub.Submit(ctx, job)
	for errors.Is(err, cluster.ErrJobTooLarge) && len(job.Starts) > 1 {
		job.Starts = job.Starts[:len(job.Starts)/2]
		err = d.hub.Submit(ctx, job)
	}
	if err != nil {
		return search.Result{}, err
	}
	var res search.Result
	wait := time.NewTimer(cfg.Time + d.grace)
	defer wait.Stop()
	select {
	case jd := <-c.done:
		if jd.Err != "" {
			return res, fmt.Errorf("job %s on %s: %s", id, jd.Worker, jd.Err)
		}
		res.Stopped = "time"
	case <-wait.C:
		res.Stopped = "time"
	case <-ctx.Done():
		res.Stopped = "canceled"
	}
	d.mu.Lock()
	res.Best = c.best
	d.mu.Unlock()
	return res, nil
}

// WorkerConfig describes the searches of a cluster worker.
type WorkerConfig struct {
	// Dir is the worker's run directory: each job's search keeps its pool
	// in Dir/search/<format>-<field>.
	Dir string
	// Workers is the number of walkers of each search (default GOMAXPROCS).
	Workers int
	// Cyclic is Config.Cyclic.
	Cyclic bool
	// Targets gives the best known ranks: a job searches for the best
	// known rank, or for one below its start when the start is there.
	Targets *Targets
	// Log, when non-nil, gets one line per job.
	Log io.Writer
}

// Job returns the cluster job function that runs a frontier search: the
// flip-graph search of the job's format and field from all its starts
// (search.Config.Starts) for its budget, toward the job's target (0: the
// best known rank, and always below the job's start rank: the lowest rank
// of its starts over its field, else the standard algorithm's), whose best
// scheme it publishes; it reports the search's flips as the job's work
// (cluster.ReportWork).
func (w WorkerConfig) Job() cluster.JobFunc {
	return func(ctx context.Context, j cluster.Job, publish func(*tensorgame.Scheme) error) error {
		f, field := j.Format, j.Field
		start := f.Naive()
		for _, s := range j.Starts {
			if s.Field == field {
				start = min(start, s.Rank())
			}
		}
		target := w.Targets.Known(f, field)
		if j.Target > 0 {
			target = j.Target
		}
		if start <= target {
			target = start - 1
		}
		key := cluster.Key{Format: f, Field: field}
		cfg := search.Config{Format: f, Field: field, Target: max(target, 0), Time: j.Budget, Workers: w.Workers,
			Seed: j.Seed, Starts: j.Starts, RunDir: filepath.Join(w.Dir, "search", searchDirName(key.Format, key.Field, j.Lineage)),
			Cyclic: w.Cyclic && meta.Cyclic(f)}
		res, err := search.Run(ctx, cfg)
		if err != nil {
			return err
		}
		cluster.ReportWork(ctx, res.Stats.Flips)
		if w.Log != nil {
			best := 0
			if res.Best != nil {
				best = res.Best.Rank()
			}
			fmt.Fprintf(w.Log, "job %s: %v %v from %d (%d starts) to %d in %.1fs, %d flips (%.0f/s)\n", j.ID, f, field, start, len(j.Starts), best,
				res.Stats.Elapsed.Seconds(), res.Stats.Flips, res.Stats.FlipsPerSec)
		}
		if res.Best == nil {
			return nil
		}
		s := res.Best
		if s.Origin == nil {
			move := tensorgame.MoveFlips
			if field == tensorgame.Z {
				move = tensorgame.MoveTernaryFlips
			}
			// The first start is the parent, as in a frontier run's own
			// searches (the catalogue's best comes first).
			s.Origin = tensorgame.Derive(move, j.Starts[:min(len(j.Starts), 1)]...)
			s.Origin.Params = map[string]string{"seed": strconv.FormatUint(j.Seed, 10), "by": "frontier", "job": j.ID}
		}
		return publish(s)
	}
}
