package alphacmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/alphamat/alphamat/cluster"
	"github.com/alphamat/alphamat/frontier"
	"github.com/alphamat/alphamat/ranks"
	"github.com/alphamat/alphamat/tensorgame"
)

// Where a frontier run keeps its cluster state, under --run.
const (
	frontierStore  = "nats"        // the JetStream store of the embedded server
	frontierOutbox = "outbox"      // the local worker's outbox
	frontierURL    = "cluster.url" // the hub's client URL, for workers and tests
	// The tokens of workers and of --status that a hub with a token
	// writes (cluster.RoleToken): a worker's token gives a worker's
	// rights only.
	frontierWorkerToken = "worker.token"
	frontierStatusToken = "status.token"
)

// checkClusterFlags checks the combinations of the cluster flags.
func checkClusterFlags(o *frontierOptions, routes string) error {
	for _, r := range strings.Split(routes, ",") {
		r = strings.TrimSpace(r)
		if r == "" {
			continue
		}
		if i := strings.Index(r, "://"); i >= 0 {
			r = r[i+3:]
		}
		o.Routes = append(o.Routes, r)
	}
	switch {
	case o.Join != "" && o.Listen != "":
		return usageErrorf("frontier: --join (a worker) or --listen (a hub), not both")
	case o.Status && o.Join == "":
		return usageErrorf("frontier: --status needs --join URL")
	case o.Serve && (o.Listen == "" || o.Cluster == ""):
		return usageErrorf("frontier: --serve needs --listen and --cluster")
	case (o.Cluster != "" || o.ClusterListen != "" || len(o.Routes) > 0) &&
		(o.Cluster == "" || o.ClusterListen == "" || len(o.Routes) == 0 || o.Listen == ""):
		return usageErrorf("frontier: a cluster node needs --listen, --cluster, --cluster-listen and --routes")
	case o.AckWait <= 0:
		return usageErrorf("frontier: --ack-wait must be positive")
	}
	return nil
}

// clusterLog logs the cluster layer's warnings and errors on w.
func clusterLog(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// readToken reads --token-file, if given.
func readToken(o *frontierOptions) (string, error) {
	if o.TokenFile == "" {
		return "", nil
	}
	return cluster.ReadTokenFile(o.TokenFile)
}

// startServer starts the embedded server of a hub or node: in-process
// only without --listen.
func startServer(o *frontierOptions, log *slog.Logger) (*cluster.Server, error) {
	tok, err := readToken(o)
	if err != nil {
		return nil, fmt.Errorf("frontier: %w", err)
	}
	srv, err := cluster.StartServer(cluster.ServerOptions{StoreDir: filepath.Join(o.Run, frontierStore),
		Listen: o.Listen, Token: tok, Cluster: o.Cluster, ClusterListen: o.ClusterListen, Routes: o.Routes, Log: log})
	if err != nil {
		return nil, fmt.Errorf("frontier: %w", err)
	}
	return srv, nil
}

// frontierHub is the cluster side of a frontier run: the embedded server,
// the hub (a frontier.Dispatch) and the local worker.
type frontierHub struct {
	srv    *cluster.Server
	d      *frontier.Dispatch
	worker *cluster.Worker
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// startFrontierHub starts the server (in-process only, or on --listen),
// the hub and, unless --workers 0 on a hub, one local worker with
// --workers walkers, and points cfg's searches at the hub.
//
// One local worker with all the walkers, not one worker per walker: the
// walkers of one search share its pool and its best schemes, and the
// scheduler keeps one search at a time as before the cluster, so the
// in-process run measures as it did (docs/experiments.md, "## cluster").
func startFrontierHub(ctx context.Context, cio *IO, o *frontierOptions, log io.Writer, cfg *frontier.Config) (*frontierHub, error) {
	l := clusterLog(cio.ErrOut)
	if err := os.MkdirAll(o.Run, 0o755); err != nil {
		return nil, fmt.Errorf("frontier: %w", err)
	}
	srv, err := startServer(o, l)
	if err != nil {
		return nil, err
	}
	h := &frontierHub{srv: srv}
	replicas := 1
	if o.Cluster != "" {
		replicas = 3
	}
	h.d, err = frontier.NewDispatch(ctx, cluster.HubOptions{Endpoint: srv.Endpoint(), Replicas: replicas,
		AckWait: o.AckWait, Log: l}, 0)
	if err != nil {
		srv.Shutdown()
		return nil, err
	}
	cfg.Search = h.d.Search
	if o.Listen != "" {
		url := srv.ClientURL()
		err := writeRoleTokens(cio, o, url)
		if err == nil {
			err = tensorgame.AtomicWrite(filepath.Join(o.Run, frontierURL), func(w io.Writer) error {
				_, err := fmt.Fprintln(w, url)
				return err
			})
		}
		if err != nil {
			h.stop()
			return nil, fmt.Errorf("frontier: %w", err)
		}
		cfg.Slots = h.d.Slots
		cfg.Twice = true // every worker keeps its own run directory
	}
	if o.Listen != "" && o.workersSet && o.Workers == 0 {
		return h, nil
	}
	targets, err := frontierTargets()
	if err != nil {
		h.stop()
		return nil, err
	}
	h.worker, err = cluster.NewWorker(cluster.WorkerOptions{Endpoint: srv.Endpoint(), Name: "local",
		Outbox: filepath.Join(o.Run, frontierOutbox), Log: l})
	if err != nil {
		h.stop()
		return nil, fmt.Errorf("frontier: %w", err)
	}
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	h.cancel = cancel
	job := frontier.WorkerConfig{Dir: o.Run, Workers: o.Workers, Cyclic: o.Cyclic, Targets: targets, Log: log}.Job()
	h.wg.Go(func() { h.worker.Run(wctx, job) })
	return h, nil
}

// writeRoleTokens writes the tokens of workers and of --status into the
// run directory of a hub with a token, and says how to start a worker.
func writeRoleTokens(cio *IO, o *frontierOptions, url string) error {
	tok, err := readToken(o)
	if err != nil || tok == "" {
		if err == nil {
			fmt.Fprintf(cio.ErrOut, "hub listening on %s; workers: alphamat frontier --join %s\n", url, url)
		}
		return err
	}
	wt, st := filepath.Join(o.Run, frontierWorkerToken), filepath.Join(o.Run, frontierStatusToken)
	if err := cluster.WriteTokenFile(wt, cluster.RoleToken(tok, cluster.RoleWorker)); err != nil {
		return err
	}
	if err := cluster.WriteTokenFile(st, cluster.RoleToken(tok, cluster.RoleObserver)); err != nil {
		return err
	}
	fmt.Fprintf(cio.ErrOut, "hub listening on %s; workers: alphamat frontier --join %s --token-file %s (a worker's rights only; --status: %s)\n",
		url, url, wt, st)
	return nil
}

// stop stops the local worker, the hub and the server.
func (h *frontierHub) stop() {
	if h.cancel != nil {
		h.cancel()
		h.wg.Wait()
		h.worker.Close()
	}
	if h.d != nil {
		h.d.Close()
	}
	h.srv.Shutdown()
}

func frontierTargets() (*frontier.Targets, error) {
	rows, err := ranks.Frontier()
	if err != nil {
		return nil, fmt.Errorf("frontier: %w", err)
	}
	return frontier.NewTargets(rows), nil
}

// frontierCluster runs the cluster roles without a scheduler: a worker
// (--join), the cluster's status (--join --status) or a server node
// (--serve).
func frontierCluster(ctx context.Context, io *IO, o *frontierOptions) error {
	l := clusterLog(io.ErrOut)
	if o.Serve {
		srv, err := startServer(o, l)
		if err != nil {
			return err
		}
		fmt.Fprintf(io.ErrOut, "node %s of cluster %s: clients %s, routes %s; Ctrl-C stops it\n",
			srv.Name(), o.Cluster, srv.ClientURL(), srv.ClusterAddr())
		<-ctx.Done()
		srv.Shutdown()
		return &SilentError{Code: exitCancel}
	}
	tok, err := readToken(o)
	if err != nil {
		return fmt.Errorf("frontier: %w", err)
	}
	ep := cluster.Endpoint{URLs: o.Join, Token: tok, Role: cluster.RoleWorker}
	if o.Status {
		ep.Role = cluster.RoleObserver
		return frontierStatus(ctx, io, o, ep)
	}
	targets, err := frontierTargets()
	if err != nil {
		return err
	}
	w, err := cluster.NewWorker(cluster.WorkerOptions{Endpoint: ep, Outbox: filepath.Join(o.Run, frontierOutbox), Log: l})
	if errors.Is(err, cluster.ErrRefused) {
		return fmt.Errorf("frontier: %w; a worker's token is the %s that the hub writes into its run directory", err, frontierWorkerToken)
	}
	if err != nil {
		return fmt.Errorf("frontier: %w", err)
	}
	defer w.Close()
	walkers := o.Workers
	if walkers == 0 {
		walkers = runtime.GOMAXPROCS(0)
	}
	fmt.Fprintf(io.ErrOut, "worker %s joined %s with %d walkers; outbox %s; Ctrl-C stops it\n",
		w.Name(), o.Join, walkers, filepath.Join(o.Run, frontierOutbox))
	job := frontier.WorkerConfig{Dir: o.Run, Workers: walkers, Cyclic: o.Cyclic, Targets: targets, Log: io.ErrOut}.Job()
	w.Run(ctx, keepWalking(ctx, job, w.Connected, io.ErrOut))
	if ctx.Err() != nil {
		return &SilentError{Code: exitCancel}
	}
	return nil
}

// keepWalking wraps a job function so that a worker cut off from the
// servers keeps walking: when a job's budget is spent while online says no,
// the job goes on for another budget (with another seed) from the best
// scheme it published, first, and then the job's own starts, and so on
// until the worker is back or stop ends. Its schemes wait in the worker's
// outbox.
func keepWalking(stop context.Context, job cluster.JobFunc, online func() bool, log io.Writer) cluster.JobFunc {
	return func(ctx context.Context, j cluster.Job, publish func(*tensorgame.Scheme) error) error {
		var (
			mu     sync.Mutex
			best   *tensorgame.Scheme // the best scheme the job published
			starts = j.Starts
		)
		pub := func(s *tensorgame.Scheme) error {
			err := publish(s)
			if err == nil {
				mu.Lock()
				if s.Format == j.Format && s.Field == j.Field && (best == nil || s.Rank() < best.Rank()) {
					best = s
					j.Starts = append([]*tensorgame.Scheme{s}, starts...)
				}
				mu.Unlock()
			}
			return err
		}
		err := job(ctx, j, pub)
		spent := errors.Is(ctx.Err(), context.DeadlineExceeded) // the budget, not the worker, ended it
		for err == nil && spent && j.Budget > 0 && stop.Err() == nil && !online() {
			j.Seed += 1 << 32
			fmt.Fprintf(log, "cut off from the servers: job %s goes on for %v\n", j.ID, j.Budget)
			sctx, cancel := context.WithTimeout(stop, j.Budget)
			mu.Lock()
			next := j
			mu.Unlock()
			err = job(sctx, next, pub)
			spent = errors.Is(sctx.Err(), context.DeadlineExceeded)
			cancel()
		}
		return err
	}
}

// statusRow is one catalogue entry of --status --json.
type statusRow struct {
	Format tensorgame.Format `json:"format"`
	Field  tensorgame.Field  `json:"field"`
	Rank   int               `json:"rank"`
	Known  int               `json:"known"`
}

// frontierStatus prints what the cluster is doing.
func frontierStatus(ctx context.Context, io *IO, o *frontierOptions, ep cluster.Endpoint) error {
	targets, err := frontierTargets()
	if err != nil {
		return err
	}
	st, err := cluster.Observe(ctx, ep, o.HeardFor)
	if errors.Is(err, cluster.ErrRefused) && ep.Token != "" {
		// The hub's own token, on the hub's host, reads the status too.
		ep.Role = cluster.RoleHub
		st, err = cluster.Observe(ctx, ep, o.HeardFor)
	}
	if err != nil {
		return fmt.Errorf("frontier: status: %w", err)
	}
	var rows []statusRow
	for k, r := range st.Best {
		rows = append(rows, statusRow{k.Format, k.Field, r, targets.Known(k.Format, k.Field)})
	}
	slices.SortFunc(rows, func(a, b statusRow) int {
		if c := a.Format.Naive() - b.Format.Naive(); c != 0 {
			return c
		}
		return strings.Compare(fmt.Sprint(a.Format, a.Field), fmt.Sprint(b.Format, b.Field))
	})
	if o.JSON {
		out := struct {
			Workers  []cluster.WorkerStatus `json:"workers"`
			Pending  int                    `json:"pending"`
			InFlight int                    `json:"in_flight"`
			Best     []statusRow            `json:"best"`
		}{st.Workers, st.Pending, st.InFlight, rows}
		if out.Workers == nil {
			out.Workers = []cluster.WorkerStatus{}
		}
		b, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(io.Out, "%s\n", b)
		return err
	}
	tw := tabwriter.NewWriter(io.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%d workers heard in %v, %d jobs pending, %d in flight\n", len(st.Workers), o.HeardFor, st.Pending, st.InFlight)
	fmt.Fprintln(tw, "worker\tjob\tjobs done\toutbox")
	for _, w := range st.Workers {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\n", w.Name, w.Job, w.Jobs, w.Outbox)
	}
	fmt.Fprintln(tw, "\nformat\tfield\trank\tbest known\tgap")
	for _, r := range rows {
		fmt.Fprintf(tw, "%v\t%v\t%d\t%d\t%d\n", r.Format, r.Field, r.Rank, r.Known, r.Rank-r.Known)
	}
	return tw.Flush()
}
