package alphacmd

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/alphamat/alphamat/bench"
	"github.com/alphamat/alphamat/cluster"
	"github.com/alphamat/alphamat/frontier"
	"github.com/alphamat/alphamat/tensorgame"
)

// benchClusterOptions are the settings of "alphamat bench cluster".
type benchClusterOptions struct {
	IO      *IO
	Format  tensorgame.Format
	Field   tensorgame.Field
	Procs   []int // worker processes per layout
	Walkers []int // walkers per process, one per layout
	Time    time.Duration
	Slice   time.Duration
	Target  int
	Rounds  int
	Cyclic  bool
	Run     string
	JSON    bool
	Profile string // CPU profile of this process (server and hub)
	Command string
	// worker returns the command of a worker process with args (alphamat
	// frontier ...); nil: this executable. Tests re-execute the test
	// binary.
	worker func(args []string) *exec.Cmd
}

// newBenchClusterCmd builds "alphamat bench cluster"; runF, when non-nil,
// replaces the run.
func newBenchClusterCmd(io *IO, runF func(*benchClusterOptions) error) *cobra.Command {
	opts := &benchClusterOptions{IO: io}
	var format, field, procs, walkers string
	cmd := &cobra.Command{
		Use:   "cluster",
		Short: "Measure a search through the cluster with 1, 2, 4, ... worker processes",
		Long: `cluster measures how the search scales with worker processes joined to a
hub: for each layout (--procs worker processes of --walkers walkers each) it
starts a hub on a loopback port of its own (embedded NATS server, a fresh
store, a random token), the worker processes (alphamat frontier --join),
and keeps one job per process in the queue: the search of --format from the
hub's best scheme so far, for --slice at most, toward --target. A run ends
after --time, or when the hub accepts a scheme at the target; its jobs
end at --time (their budgets are cut to fit), so the processes stop
together.

Each run reports the flips per second of all walkers (the jobs' flips over
the run's span), the flips per CPU-second of the worker processes (from
/proc: the walkers' speed apart from the machine's load), the hub
process's CPU (server and hub: the messaging) as a share of all CPU, and the
time to the target. The layouts alternate --rounds times (A B A B ...) so
that they see the same load; the table gives medians with their spread,
and ratios against the first layout: of medians, and the spread of the
per-round ratios. --procs 0 runs the same jobs (frontier's job function)
one after another in this process, without the cluster: the baseline of
what the transport costs.`,
		Example: `  alphamat bench cluster --format 4x4x4 --procs 0,1,2 --walkers 2,2,1 --time 10s --rounds 5
  alphamat bench cluster --format 5x5x5 --target 96 --procs 1,2,4,8,16 --time 10m --rounds 1 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.Format, err = tensorgame.ParseFormat(format); err != nil {
				return usageErrorf("--format: %v", err)
			}
			if opts.Field, err = tensorgame.ParseField(field); err != nil {
				return usageErrorf("--field: %v", err)
			}
			if opts.Field != tensorgame.Z2 && opts.Field != tensorgame.Z {
				return usageErrorf("--field %v: want Z2 or Z", opts.Field)
			}
			opts.Procs = nil
			for _, f := range strings.Split(procs, ",") {
				n, err := strconv.Atoi(strings.TrimSpace(f))
				if err != nil || n < 0 {
					return usageErrorf("--procs: %q is not a list of counts of at least 0", procs)
				}
				opts.Procs = append(opts.Procs, n)
			}
			if opts.Walkers, err = benchParseInts(walkers); err != nil {
				return usageErrorf("--walkers: %v", err)
			}
			switch len(opts.Walkers) {
			case len(opts.Procs):
			case 1:
				opts.Walkers = slices.Repeat(opts.Walkers, len(opts.Procs))
			default:
				return usageErrorf("--walkers: %d counts for %d --procs; want one, or one per --procs", len(opts.Walkers), len(opts.Procs))
			}
			for i, p := range opts.Procs {
				if err := checkWorkers("bench cluster", "--procs × --walkers", max(p, 1)*opts.Walkers[i]); err != nil {
					return err
				}
			}
			if opts.Time <= 0 || opts.Slice <= 0 || opts.Rounds < 1 || opts.Target < 0 {
				return usageErrorf("--time, --slice and --rounds must be positive, --target not negative")
			}
			opts.Command = benchCommandLine(cmd)
			if runF != nil {
				return runF(opts)
			}
			return benchClusterRun(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "4x4x4", "the format to search")
	f.StringVar(&field, "field", "Z2", "field of the search: Z2 or Z")
	f.StringVar(&procs, "procs", "1,2", "worker processes of each layout, like 1,2,4,8,16 (0: the walkers in this process, without the cluster)")
	f.StringVar(&walkers, "walkers", "1", "walkers of each worker process: one count, or one per --procs (like 2,1 against --procs 1,2)")
	f.DurationVar(&opts.Time, "time", 10*time.Second, "time limit of each run")
	f.DurationVar(&opts.Slice, "slice", 5*time.Second, "budget of one job")
	f.IntVar(&opts.Target, "target", 0, "end a run when the hub accepts a scheme of this rank or below (0: no target; the jobs search toward the best known rank)")
	f.IntVar(&opts.Rounds, "rounds", 3, "runs of each layout, alternated")
	f.BoolVar(&opts.Cyclic, "cyclic", true, "the workers' --cyclic (cyclic-symmetric walkers on square formats from 5x5x5)")
	f.StringVar(&opts.Run, "run", "", "keep the runs' stores and worker logs in this directory (default: a temporary one, removed)")
	f.BoolVar(&opts.JSON, "json", false, "write the results as JSON to stdout instead of a table")
	f.StringVar(&opts.Profile, "cpuprofile", "", "write a CPU profile of the hub's process (server and hub, all runs) to this file")
	return cmd
}

// ClusterRun is one run of one layout of "alphamat bench cluster".
type ClusterRun struct {
	Round   int `json:"round"`
	Procs   int `json:"procs"`
	Walkers int `json:"walkers"` // per process
	// SpanS is the run's time from the first job's submission to the last
	// job's report.
	SpanS float64 `json:"span_s"`
	Jobs  int     `json:"jobs"`
	Flips int64   `json:"flips"`
	// FlipsPerSec is Flips over SpanS.
	FlipsPerSec float64 `json:"flips_per_s"`
	// WorkerCPUS is the CPU time of the worker processes over the span,
	// HubCPUS that of the hub's process (server and hub); 0 where /proc
	// is missing.
	WorkerCPUS float64 `json:"worker_cpu_s"`
	HubCPUS    float64 `json:"hub_cpu_s"`
	// HubCPUPerS is HubCPUS over SpanS: the cores the hub's process
	// kept busy.
	HubCPUPerS float64 `json:"hub_cpu_per_s"`
	// FlipsPerCPUS is Flips over WorkerCPUS.
	FlipsPerCPUS float64 `json:"flips_per_cpu_s"`
	// HubShare is HubCPUS over the CPU of all processes.
	HubShare float64 `json:"hub_share"`
	Best     int     `json:"best"` // the best rank accepted
	// ReachedS is the time to the target (-1: not reached; 0: no target).
	ReachedS float64 `json:"reached_s"`
}

// ClusterRow summarises the runs of one layout: medians and spreads, and
// ratios against the first layout.
type ClusterRow struct {
	Procs   int `json:"procs"`
	Walkers int `json:"walkers"`
	// Medians over the rounds, with the minimum and maximum.
	FlipsPerSec  Spread `json:"flips_per_s"`
	FlipsPerCPUS Spread `json:"flips_per_cpu_s"`
	HubShare     Spread `json:"hub_share"`
	HubCPUPerS   Spread `json:"hub_cpu_per_s"`
	// ReachedS: median time to the target; a run that missed it counts
	// as slower than all others (-1 in JSON when the median missed it).
	ReachedS Spread `json:"reached_s"`
	Reached  int    `json:"reached"`
	// Ratios against the first layout: of the medians, then min and max
	// of the ratios of the runs of the same round. Time is the first
	// layout's time to target over this one's (a speedup); 0 when either
	// missed it.
	FlipsRatio Spread `json:"flips_ratio"`
	CPURatio   Spread `json:"flips_per_cpu_ratio"`
	TimeRatio  Spread `json:"time_ratio"`
}

// Spread is a median with the minimum and maximum.
type Spread struct {
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

// ClusterReport is the outcome of "alphamat bench cluster".
type ClusterReport struct {
	Command    string       `json:"command"`
	Started    time.Time    `json:"started"`
	Format     string       `json:"format"`
	Field      string       `json:"field"`
	Target     int          `json:"target,omitempty"`
	TimeS      float64      `json:"time_s"`
	SliceS     float64      `json:"slice_s"`
	Rounds     int          `json:"rounds"`
	CPUs       int          `json:"cpus"`
	LoadBefore string       `json:"load_before"` // /proc/loadavg
	LoadAfter  string       `json:"load_after"`
	Rows       []ClusterRow `json:"rows"`
	Runs       []ClusterRun `json:"runs"`
}

func benchClusterRun(ctx context.Context, o *benchClusterOptions) error {
	dir := o.Run
	if dir == "" {
		d, err := os.MkdirTemp("", "alphamat-bench-cluster-")
		if err != nil {
			return fmt.Errorf("bench cluster: %w", err)
		}
		defer os.RemoveAll(d)
		dir = d
	}
	if o.worker == nil {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("bench cluster: %w", err)
		}
		o.worker = func(args []string) *exec.Cmd { return exec.Command(exe, args...) }
	}
	if o.Profile != "" {
		pf, err := os.Create(o.Profile)
		if err != nil {
			return fmt.Errorf("bench cluster: %w", err)
		}
		if err := pprof.StartCPUProfile(pf); err != nil {
			pf.Close()
			return fmt.Errorf("bench cluster: %w", err)
		}
		defer func() {
			pprof.StopCPUProfile()
			pf.Close()
		}()
	}
	rep := &ClusterReport{Command: o.Command, Started: time.Now().UTC(), Format: o.Format.String(), Field: o.Field.String(),
		Target: o.Target, TimeS: o.Time.Seconds(), SliceS: o.Slice.Seconds(), Rounds: o.Rounds, CPUs: runtime.NumCPU(),
		LoadBefore: loadAvg()}
	var err error
runs:
	for r := 1; r <= o.Rounds; r++ {
		for i, p := range o.Procs {
			var run ClusterRun
			run, err = benchClusterOnce(ctx, o, filepath.Join(dir, fmt.Sprintf("r%d-%dx%d", r, p, o.Walkers[i])), r, p, o.Walkers[i])
			if err != nil {
				break runs
			}
			fmt.Fprintf(o.IO.ErrOut, "bench cluster: round %d, %s × %d walkers: %.3g flips/s, %.3g flips/CPU-s, hub %.2f%% of CPU (%.2g ms/s), best %d%s\n",
				r, procsText(p), o.Walkers[i], run.FlipsPerSec, run.FlipsPerCPUS, 100*run.HubShare, 1000*run.HubCPUPerS, run.Best, reachedText(run))
			rep.Runs = append(rep.Runs, run)
		}
	}
	rep.LoadAfter = loadAvg()
	rep.Rows = clusterRows(rep.Runs, o.Procs, o.Walkers)
	if len(rep.Runs) == 0 {
		return err
	}
	var werr error
	if o.JSON {
		werr = bench.WriteJSON(o.IO.Out, rep)
	} else {
		werr = writeClusterTable(o.IO.Out, rep)
	}
	if werr != nil {
		return fmt.Errorf("write results: %w", werr)
	}
	return err
}

// procsText names a layout's processes.
func procsText(p int) string {
	if p == 0 {
		return "no cluster (this process)"
	}
	return fmt.Sprintf("%d processes", p)
}

func reachedText(r ClusterRun) string {
	switch {
	case r.ReachedS > 0:
		return fmt.Sprintf(", target after %.1fs", r.ReachedS)
	case r.ReachedS < 0:
		return ", target missed"
	}
	return ""
}

// benchClusterOnce runs one layout: a hub on a loopback port, procs worker
// processes of walkers walkers, one job per process in the queue.
func benchClusterOnce(ctx context.Context, o *benchClusterOptions, dir string, round, procs, walkers int) (ClusterRun, error) {
	if procs == 0 {
		return benchLocalOnce(ctx, o, dir, round, walkers)
	}
	run := ClusterRun{Round: round, Procs: procs, Walkers: walkers, ReachedS: 0}
	if o.Target > 0 {
		run.ReachedS = -1
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return run, fmt.Errorf("bench cluster: %w", err)
	}
	var b [16]byte
	rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	tokenFile := filepath.Join(dir, "token")
	if err := cluster.WriteTokenFile(tokenFile, cluster.RoleToken(token, cluster.RoleWorker)); err != nil {
		return run, fmt.Errorf("bench cluster: %w", err)
	}
	log := clusterLog(o.IO.ErrOut)
	srv, err := cluster.StartServer(cluster.ServerOptions{StoreDir: filepath.Join(dir, "nats"), Listen: "127.0.0.1:0", Token: token, Log: log})
	if err != nil {
		return run, fmt.Errorf("bench cluster: %w", err)
	}
	defer srv.Shutdown()
	done := make(chan cluster.JobDone, 4*procs)
	accepted := make(chan cluster.Improvement, 64)
	hctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	// The hub's callbacks never block once the run is over.
	over := make(chan struct{})
	hub, err := cluster.NewHub(hctx, cluster.HubOptions{Endpoint: srv.Endpoint(), Log: log,
		Done: func(d cluster.JobDone) {
			select {
			case done <- d:
			case <-over:
			}
		},
		Accepted: func(imp cluster.Improvement) {
			select {
			case accepted <- imp:
			case <-over:
			}
		}})
	if err != nil {
		close(over)
		return run, fmt.Errorf("bench cluster: %w", err)
	}
	defer hub.Close()
	defer close(over) // before hub.Close

	children, err := startWorkers(o, dir, srv.ClientURL(), tokenFile, procs, walkers)
	defer func() {
		for _, c := range children {
			c.Process.Signal(os.Interrupt)
		}
		for _, c := range children {
			waitOrKill(c, 10*time.Second)
		}
	}()
	if err != nil {
		return run, err
	}
	// Wait for every worker's first heartbeat.
	for deadline := time.Now().Add(time.Minute); ; {
		st, err := hub.Status(hctx)
		if err == nil && len(st.Workers) >= procs {
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return run, fmt.Errorf("bench cluster: %d of %d workers heard after a minute; the first worker's log ends:\n%s", len(st.Workers), procs, logTail(dir))
		}
		time.Sleep(20 * time.Millisecond)
	}

	cpu0, hub0 := childrenCPU(children), selfCPU()
	t0 := time.Now()
	end := t0.Add(o.Time)
	var (
		best     *tensorgame.Scheme
		seq      int
		inFlight int
		stop     bool
	)
	submit := func() error {
		budget := min(o.Slice, time.Until(end))
		if stop || budget < min(o.Slice/4, time.Second) {
			return nil
		}
		seq++
		if err := hub.Submit(ctx, benchJob(o, round, procs, seq, best, budget)); err != nil {
			return fmt.Errorf("bench cluster: %w", err)
		}
		inFlight++
		return nil
	}
	for range procs {
		if err := submit(); err != nil {
			return run, err
		}
	}
	take := func(imp cluster.Improvement) {
		if imp.Scheme.Format != o.Format || imp.Scheme.Field != o.Field {
			return
		}
		if best == nil || imp.Scheme.Rank() < best.Rank() {
			best = imp.Scheme
			run.Best = best.Rank()
		}
		if o.Target > 0 && best.Rank() <= o.Target && !stop {
			run.ReachedS = time.Since(t0).Seconds()
			stop = true
		}
	}
	var last time.Time
	// A job's report may be lost (a worker died): give up a while after
	// the end.
	guard := time.After(o.Time + o.Slice + time.Minute)
	for inFlight > 0 {
		select {
		case d := <-done:
			// The hub passed on the job's schemes before its report: take
			// them first, so that the next job starts from them.
			for drained := false; !drained; {
				select {
				case imp := <-accepted:
					take(imp)
				default:
					drained = true
				}
			}
			inFlight--
			last = time.Now()
			if d.Err != "" {
				return run, fmt.Errorf("bench cluster: job %s on %s: %s", d.ID, d.Worker, d.Err)
			}
			run.Jobs++
			run.Flips += d.Work
			if err := submit(); err != nil {
				return run, err
			}
		case imp := <-accepted:
			take(imp)
		case <-guard:
			return run, fmt.Errorf("bench cluster: %d jobs unreported %v after the end; the first worker's log ends:\n%s", inFlight, o.Slice+time.Minute, logTail(dir))
		case <-ctx.Done():
			return run, ctx.Err()
		}
	}
	run.SpanS = last.Sub(t0).Seconds()
	run.WorkerCPUS = (childrenCPU(children) - cpu0).Seconds()
	run.HubCPUS = (selfCPU() - hub0).Seconds()
	run.rates()
	return run, nil
}

// startWorkers starts procs worker processes of walkers walkers joined to
// the hub at url, each with its run directory and log in dir. It returns
// those it started, also with an error.
func startWorkers(o *benchClusterOptions, dir, url, tokenFile string, procs, walkers int) ([]*exec.Cmd, error) {
	var children []*exec.Cmd
	for i := range procs {
		wdir := filepath.Join(dir, fmt.Sprintf("worker%d", i+1))
		if err := os.MkdirAll(wdir, 0o755); err != nil {
			return children, fmt.Errorf("bench cluster: %w", err)
		}
		logf, err := os.Create(wdir + ".log")
		if err != nil {
			return children, fmt.Errorf("bench cluster: %w", err)
		}
		c := o.worker([]string{"frontier", "--join", url, "--token-file", tokenFile,
			"--workers", strconv.Itoa(walkers), "--run", wdir, "--cyclic=" + strconv.FormatBool(o.Cyclic)})
		c.Stdout, c.Stderr = logf, logf
		err = c.Start()
		logf.Close()
		if err != nil {
			return children, fmt.Errorf("bench cluster: start worker: %w", err)
		}
		children = append(children, c)
	}
	return children, nil
}

// rates sets the run's rates from its counts.
func (run *ClusterRun) rates() {
	if run.SpanS > 0 {
		run.FlipsPerSec = float64(run.Flips) / run.SpanS
		run.HubCPUPerS = run.HubCPUS / run.SpanS
	}
	if run.WorkerCPUS > 0 {
		run.FlipsPerCPUS = float64(run.Flips) / run.WorkerCPUS
		run.HubShare = run.HubCPUS / (run.HubCPUS + run.WorkerCPUS)
	}
}

// benchLocalOnce runs the jobs of a layout one after another in this
// process with frontier's job function, without the cluster: its CPU is
// this process's.
func benchLocalOnce(ctx context.Context, o *benchClusterOptions, dir string, round, walkers int) (ClusterRun, error) {
	run := ClusterRun{Round: round, Walkers: walkers}
	if o.Target > 0 {
		run.ReachedS = -1
	}
	targets, err := frontierTargets()
	if err != nil {
		return run, err
	}
	job := frontier.WorkerConfig{Dir: dir, Workers: walkers, Cyclic: o.Cyclic, Targets: targets}.Job()
	cpu0, t0 := selfCPU(), time.Now()
	end := t0.Add(o.Time)
	var best *tensorgame.Scheme
	for seq := 1; ; seq++ {
		budget := min(o.Slice, time.Until(end))
		if run.ReachedS > 0 || budget < min(o.Slice/4, time.Second) {
			break
		}
		d := cluster.RunJob(ctx, benchJob(o, round, 0, seq, best, budget), job, func(s *tensorgame.Scheme) error {
			if err := tensorgame.Verify(s); err != nil {
				return err
			}
			if best == nil || s.Rank() < best.Rank() {
				best = s
				run.Best = s.Rank()
			}
			if o.Target > 0 && s.Rank() <= o.Target && run.ReachedS < 0 {
				run.ReachedS = time.Since(t0).Seconds()
			}
			return nil
		})
		if d.Err != "" {
			return run, fmt.Errorf("bench cluster: job %s: %s", d.ID, d.Err)
		}
		if err := ctx.Err(); err != nil {
			return run, err
		}
		run.Jobs++
		run.Flips += d.Work
	}
	run.SpanS = time.Since(t0).Seconds()
	run.WorkerCPUS = (selfCPU() - cpu0).Seconds()
	run.rates()
	return run, nil
}

// benchJob returns job seq of a round with procs worker processes (0: in
// one process): a search of o's format and field for budget from best, the
// best scheme so far, when there is one.
func benchJob(o *benchClusterOptions, round, procs, seq int, best *tensorgame.Scheme, budget time.Duration) cluster.Job {
	j := cluster.Job{ID: fmt.Sprintf("bench-%d-%d-%d", round, procs, seq), Format: o.Format, Field: o.Field,
		Budget: budget, Seed: uint64(round)<<32 | uint64(seq), Target: o.Target}
	if best != nil {
		j.Starts = []*tensorgame.Scheme{best}
	}
	return j
}

// logTail returns the last lines of the first worker's log in dir (the run
// directory may be a temporary one, gone after the error).
func logTail(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "worker1.log"))
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-10):], "\n")
}

// waitOrKill waits for c to exit, and kills it after d.
func waitOrKill(c *exec.Cmd, d time.Duration) {
	ch := make(chan struct{})
	go func() { c.Wait(); close(ch) }()
	select {
	case <-ch:
	case <-time.After(d):
		c.Process.Kill()
		<-ch
	}
}

// clockTick is the unit of the CPU times in /proc/<pid>/stat (USER_HZ,
// 100 on Linux).
const clockTick = 10 * time.Millisecond

// childrenCPU returns the CPU time (user and system) the running processes
// cs have used so far, from /proc; 0 for a process it cannot read.
func childrenCPU(cs []*exec.Cmd) time.Duration {
	var sum time.Duration
	for _, c := range cs {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", c.Process.Pid))
		if err != nil {
			continue
		}
		// The command name, in parentheses, may hold spaces: fields
		// count from the last ')'. utime and stime are fields 14 and 15.
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 13 {
			continue
		}
		u, err1 := strconv.ParseInt(f[11], 10, 64)
		k, err2 := strconv.ParseInt(f[12], 10, 64)
		if err1 == nil && err2 == nil {
			sum += time.Duration(u+k) * clockTick
		}
	}
	return sum
}

// selfCPU returns the CPU time (user and system) of this process so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAvg returns the first three fields of /proc/loadavg, or "".
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

// clusterRows summarises runs per layout (procs[i] processes of walkers[i]
// walkers), with ratios against the first layout.
func clusterRows(runs []ClusterRun, procs, walkers []int) []ClusterRow {
	of := func(i int) []ClusterRun {
		var out []ClusterRun
		for _, r := range runs {
			if r.Procs == procs[i] && r.Walkers == walkers[i] {
				out = append(out, r)
			}
		}
		return out
	}
	pick := func(rs []ClusterRun, f func(ClusterRun) float64) []float64 {
		out := make([]float64, len(rs))
		for i, r := range rs {
			out[i] = f(r)
		}
		return out
	}
	flips := func(r ClusterRun) float64 { return r.FlipsPerSec }
	perCPU := func(r ClusterRun) float64 { return r.FlipsPerCPUS }
	reach := func(r ClusterRun) float64 {
		if r.ReachedS < 0 {
			return math.Inf(1)
		}
		return r.ReachedS
	}
	base := of(0)
	var rows []ClusterRow
	for i := range procs {
		rs := of(i)
		if len(rs) == 0 {
			continue
		}
		row := ClusterRow{Procs: procs[i], Walkers: walkers[i],
			FlipsPerSec: spread(pick(rs, flips)), FlipsPerCPUS: spread(pick(rs, perCPU)),
			HubShare:   spread(pick(rs, func(r ClusterRun) float64 { return r.HubShare })),
			HubCPUPerS: spread(pick(rs, func(r ClusterRun) float64 { return r.HubCPUPerS }))}
		row.FlipsRatio = ratios(base, rs, flips, false)
		row.CPURatio = ratios(base, rs, perCPU, false)
		if rs[0].ReachedS != 0 {
			row.ReachedS = spread(pick(rs, reach))
			row.TimeRatio = ratios(base, rs, reach, true)
			for _, r := range rs {
				if r.ReachedS > 0 {
					row.Reached++
				}
			}
			row.ReachedS = Spread{jsonSeconds(row.ReachedS.Median), jsonSeconds(row.ReachedS.Min), jsonSeconds(row.ReachedS.Max)}
		}
		rows = append(rows, row)
	}
	return rows
}

// ratios compares the runs rs with the base runs: the ratio of the medians
// of f, then min and max of the ratios of runs of the same round; inverse
// takes base over rs (a speedup of times). A ratio with a zero or an
// infinity is 0.
func ratios(base, rs []ClusterRun, f func(ClusterRun) float64, inverse bool) Spread {
	ratio := func(b, x float64) float64 {
		if inverse {
			b, x = x, b
		}
		r := x / b
		if b == 0 || math.IsInf(r, 0) || math.IsNaN(r) || r == 0 {
			return 0
		}
		return r
	}
	var bs, xs, per []float64
	for _, b := range base {
		bs = append(bs, f(b))
	}
	for _, x := range rs {
		xs = append(xs, f(x))
		for _, b := range base {
			if b.Round == x.Round {
				per = append(per, ratio(f(b), f(x)))
			}
		}
	}
	s := spread(per)
	s.Median = ratio(spread(bs).Median, spread(xs).Median)
	return s
}

// spread returns the median, minimum and maximum of xs (zeros for none).
func spread(xs []float64) Spread {
	if len(xs) == 0 {
		return Spread{}
	}
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	m := s[n/2]
	if n%2 == 0 {
		m = (s[n/2-1] + s[n/2]) / 2
	}
	return Spread{Median: m, Min: s[0], Max: s[n-1]}
}

// jsonSeconds maps +Inf (a target missed) to -1, which JSON can hold.
func jsonSeconds(s float64) float64 {
	if math.IsInf(s, 0) || math.IsNaN(s) {
		return -1
	}
	return s
}

// writeClusterTable writes one line per layout.
func writeClusterTable(w io.Writer, r *ClusterReport) error {
	fmt.Fprintf(w, "%s over %s, %v runs of %gs (jobs of %gs), %d rounds alternated, %d CPUs, load %s -> %s\n",
		r.Format, r.Field, len(r.Runs), r.TimeS, r.SliceS, r.Rounds, r.CPUs, r.LoadBefore, r.LoadAfter)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "procs\twalkers\tflips/s\tratio\tflips/CPU-s\tratio\thub CPU\thub CPU ms/s"
	if r.Target > 0 {
		head += fmt.Sprintf("\treached %d\ttime to %d\tspeedup", r.Target, r.Target)
	}
	fmt.Fprintln(tw, head+"\t")
	for _, row := range r.Rows {
		line := fmt.Sprintf("%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s", row.Procs, row.Walkers, spreadCell(row.FlipsPerSec, "%.3g"),
			spreadCell(row.FlipsRatio, "%.2f"), spreadCell(row.FlipsPerCPUS, "%.3g"), spreadCell(row.CPURatio, "%.2f"),
			spreadCell(Spread{100 * row.HubShare.Median, 100 * row.HubShare.Min, 100 * row.HubShare.Max}, "%.2f%%"),
			spreadCell(Spread{1000 * row.HubCPUPerS.Median, 1000 * row.HubCPUPerS.Min, 1000 * row.HubCPUPerS.Max}, "%.2g"))
		if r.Target > 0 {
			n := 0
			for _, run := range r.Runs {
				if run.Procs == row.Procs && run.Walkers == row.Walkers {
					n++
				}
			}
			line += fmt.Sprintf("\t%d/%d\t%s\t%s", row.Reached, n, secondsCell(row.ReachedS), spreadCell(row.TimeRatio, "%.2f"))
		}
		fmt.Fprintln(tw, line+"\t")
	}
	return tw.Flush()
}

// spreadCell writes "median (min-max)", or the median alone when all are
// equal, "-" for zero.
func spreadCell(s Spread, f string) string {
	if s.Median == 0 && s.Min == 0 && s.Max == 0 {
		return "-"
	}
	if s.Min == s.Max {
		return fmt.Sprintf(f, s.Median)
	}
	return fmt.Sprintf(f+" ("+f+"-"+f+")", s.Median, s.Min, s.Max)
}

func secondsCell(s Spread) string {
	cell := func(x float64) string {
		if x < 0 {
			return "-"
		}
		return fmt.Sprintf("%.1fs", x)
	}
	if s.Min == s.Max {
		return cell(s.Median)
	}
	return cell(s.Median) + " (" + cell(s.Min) + "-" + cell(s.Max) + ")"
}
