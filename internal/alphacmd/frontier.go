package alphacmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/alphamat/alphamat/frontier"
	"github.com/alphamat/alphamat/tensorgame"
)

// frontierOptions holds the flags of alphamat frontier.
type frontierOptions struct {
	Formats []tensorgame.Format
	Fields  []tensorgame.Field
	Time    time.Duration
	Slice   time.Duration
	// MaxSlice bounds an arm's slice (frontier.Config.MaxSlice).
	MaxSlice time.Duration
	Workers  int
	Seed     uint64
	Cyclic   bool
	Run      string
	JSON     bool

	// The cluster (see frontierCluster).
	Listen        string
	Join          string
	TokenFile     string
	Cluster       string
	ClusterListen string
	Routes        []string
	Serve         bool
	Status        bool
	AckWait       time.Duration
	HeardFor      time.Duration
	workersSet    bool
}

func newFrontierCmd(io *IO) *cobra.Command {
	return newFrontierCmdRun(io, nil)
}

// newFrontierCmdRun builds the frontier command; runF, when non-nil,
// replaces the run function (tests capture the options with it).
func newFrontierCmdRun(io *IO, runF func(context.Context, *frontierOptions) error) *cobra.Command {
	o := &frontierOptions{}
	var (
		maxSize int
		formats string
		fields  string
		routes  string
	)
	cmd := &cobra.Command{
		Use:   "frontier",
		Short: "Work on many formats at once and report where they stand against the best known ranks",
		Long: `Frontier works on every format of --max N (all n <= m <= p in 2..N) or
--formats, over Z2 and Z, and says where each stands against the best known
rank (the FastMatrixMultiplication catalogue, all 680 formats up to 16).

It keeps a catalogue of the best schemes of every format and field in the
run directory (--run, default runs/frontier), one orientation per format
(sizes ascending), verified, deduplicated and written atomically, as
<n>x<m>x<p>-<field>/<n>x<m>x<p>_r<R>_<FIELD>.txt; each scheme records in
its "# origin:" header how it was found and from what. Every improvement is
carried by meta moves to the formats it reaches (mod 2, restriction,
extension with the standard algorithm, direct sums, tensor products like
2x2x2 ⊗ 3x3x3 = 6x6x6), and the catalogue's schemes start flip-graph
searches of one format at a time, with restrictions of the schemes of
the formats one size larger; every second search of a format walks from
the standard algorithm instead, in a pool of its own (its fresh lineage),
while that lineage stays within 2 of the catalogue's rank. A scheduler
picks the format: each format once, small ones first, then the one of
least effort (the time spent since its rank last went down, times its
size), so that a format whose rank went down is searched again at once.
A format's search time (--slice at first) doubles after every search of
it that gains nothing, up to --max-slice; over Z, a format held lower
over Z2 lifts those schemes first, and one held at its Z2 rank waits
while the Z2 search goes on. Formats at the best known rank wait. A
format the search does not support gets the catalogue and meta moves
only.

A table goes to stderr as it runs; report.md, report.json and gap.png
(our rank minus the best known, per format) go to the run directory. A
scheme below the best known rank is flagged as a record, after a second,
independent check (evaluation on random integer matrices). The same command
resumes where it stopped; Ctrl-C stops cleanly.

Every search is a job of the cluster transport (NATS JetStream): alone, an
embedded server with nothing listening (store in <run>/nats), the hub and
one local worker with --workers walkers. With --listen HOST:PORT and
--token-file the hub is reachable by workers on other hosts, started with
--join nats://HOST:PORT --token-file F (one worker, --workers walkers, its
outbox in <run>/outbox; cut off, it keeps walking its job's format); the
hub keeps a job in flight per worker. --status
with --join prints what the cluster is doing. Three hosts hold the streams
together with --cluster NAME --cluster-listen HOST:PORT --routes A,B,C: the
hub on one, --serve (a server node only) on the others.

Exit status: 0 when the time is up, 130 on Ctrl-C, 1 on errors, 2 on bad flags.`,
		Example: `  alphamat frontier --max 4 --time 3m
  alphamat frontier --formats 6x6x6 --time 2m
  alphamat frontier --max 16 --fields z2 --time 24h --run runs/big
  alphamat frontier --max 8 --listen 10.0.0.1:4222 --token-file token --run runs/hub
  alphamat frontier --join nats://10.0.0.1:4222 --token-file token --run runs/worker
  alphamat frontier --status --join nats://10.0.0.1:4222 --token-file token`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("frontier: takes no arguments, got %q (formats go in --formats)", args)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			fl := cmd.Flags()
			o.workersSet = fl.Changed("workers")
			if err := checkClusterFlags(o, routes); err != nil {
				return err
			}
			if o.Join != "" || o.Serve {
				if fl.Changed("workers") && o.Workers < 1 {
					return usageErrorf("frontier: --workers %d: want at least 1", o.Workers)
				}
				if runF != nil {
					return runF(cmd.Context(), o)
				}
				return frontierCluster(cmd.Context(), io, o)
			}
			if !fl.Changed("max") && formats == "" {
				return usageErrorf("frontier: want --max N or --formats LIST")
			}
			if fl.Changed("max") {
				fs, err := frontier.UpTo(maxSize)
				if err != nil {
					return usageErrorf("frontier: %v", err)
				}
				o.Formats = fs
			}
			if formats != "" {
				for _, s := range splitList(formats) {
					f, err := tensorgame.ParseFormat(s)
					if err != nil {
						return usageErrorf("frontier: --formats: %v", err)
					}
					if err := frontier.CheckFormat(f); err != nil {
						return usageErrorf("frontier: --formats: %v", err)
					}
					o.Formats = append(o.Formats, f)
				}
			}
			for _, s := range strings.Split(fields, ",") {
				field, err := tensorgame.ParseField(s)
				if err != nil {
					return usageErrorf("frontier: --fields: %v", err)
				}
				if field != tensorgame.Z2 && field != tensorgame.Z {
					return usageErrorf("frontier: --fields %v: want z2 and/or z", field)
				}
				if !containsField(o.Fields, field) {
					o.Fields = append(o.Fields, field)
				}
			}
			if o.Time < 0 || o.Slice < 0 || o.MaxSlice < 0 {
				return usageErrorf("frontier: --time, --slice and --max-slice must not be negative")
			}
			if fl.Changed("workers") && (o.Workers < 1 && o.Listen == "" || o.Workers < 0) {
				return usageErrorf("frontier: --workers %d: want at least 1 (0 only on a hub with --listen)", o.Workers)
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return frontierRun(cmd.Context(), io, o)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&maxSize, "max", 0, "work on every format n <= m <= p with sizes in 2..`N` (N <= 16)")
	fl.StringVar(&formats, "formats", "", "work on these formats, like 6x6x6 or 3x4x6,4x4x6 (sizes 2..16)")
	fl.StringVar(&fields, "fields", "z2,z", "fields: z2, z or both")
	fl.DurationVar(&o.Time, "time", 0, "stop after this long, like 3m or 24h (default: until Ctrl-C)")
	fl.DurationVar(&o.Slice, "slice", 0, "time of a format's first search (default: --time over twice the formats × fields, 3s..1m)")
	fl.DurationVar(&o.MaxSlice, "max-slice", 0, "most time of one search: a format's slice doubles after each search without gain up to this (default: 16 slices, at most --time/4)")
	fl.IntVar(&o.Workers, "workers", 0, "walkers of each search of this process's worker (default GOMAXPROCS; 0 on a hub: no local worker)")
	fl.Uint64Var(&o.Seed, "seed", 1, "random seed of the searches")
	fl.BoolVar(&o.Cyclic, "cyclic", true, "add cyclic-symmetric walkers to the searches of square formats from 5x5x5 on and of the formats one size below them (4x5x5)")
	fl.StringVar(&o.Run, "run", filepath.Join("runs", "frontier"), "run directory: the catalogue, the state and the report")
	fl.BoolVar(&o.JSON, "json", false, "print the report (or the --status) as JSON on stdout")
	fl.StringVar(&o.Listen, "listen", "", "run the hub reachable by workers on other hosts at `HOST:PORT` (a token is required beyond loopback)")
	fl.StringVar(&o.Join, "join", "", "run a worker of the hub at `URL` (nats://HOST:PORT, several comma-separated)")
	fl.StringVar(&o.TokenFile, "token-file", "", "`file` whose first line is the cluster's token (mode 600)")
	fl.StringVar(&o.Cluster, "cluster", "", "with --listen: the `name` of a JetStream cluster of three nodes (needs --cluster-listen and --routes)")
	fl.StringVar(&o.ClusterListen, "cluster-listen", "", "this node's route address `HOST:PORT`")
	fl.StringVar(&routes, "routes", "", "route addresses of the cluster's nodes, `HOST:PORT,...` (nats-route:// optional)")
	fl.BoolVar(&o.Serve, "serve", false, "with --listen and --cluster: run only a server node of the cluster, no hub")
	fl.BoolVar(&o.Status, "status", false, "with --join: print what the cluster is doing (workers, jobs, best ranks) and exit")
	fl.DurationVar(&o.AckWait, "ack-wait", 30*time.Second, "how long a job may go unheard before another worker gets it")
	fl.MarkHidden("ack-wait")
	fl.DurationVar(&o.HeardFor, "heard-for", 6*time.Second, "--status: how long to listen for workers' heartbeats")
	fl.MarkHidden("heard-for")
	return cmd
}

// splitList splits a list of formats written "3x4x6,4x4x6" (or with
// spaces or ';'); a format written "3,4,6" alone is one format.
func splitList(s string) []string {
	if !strings.ContainsAny(s, "xX×") {
		return []string{s}
	}
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' })
}

func containsField(fs []tensorgame.Field, f tensorgame.Field) bool {
	for _, g := range fs {
		if g == f {
			return true
		}
	}
	return false
}

func frontierRun(ctx context.Context, io *IO, o *frontierOptions) error {
	live := &frontierTable{w: io.ErrOut}
	if f, ok := io.ErrOut.(*os.File); ok {
		live.tty = term.IsTerminal(int(f.Fd()))
	}
	cfg := frontier.Config{
		Formats: o.Formats, Fields: o.Fields, Dir: o.Run, Time: o.Time, Slice: o.Slice, MaxSlice: o.MaxSlice,
		Workers: o.Workers, Seed: o.Seed, Cyclic: o.Cyclic, Log: live, Progress: live.draw,
	}
	hub, err := startFrontierHub(ctx, io, o, live, &cfg)
	if err != nil {
		return err
	}
	rep, err := frontier.Run(ctx, cfg)
	hub.stop()
	live.done()
	if rep == nil {
		return err
	}
	frontier.WriteTable(io.ErrOut, rep.Rows, 40)
	fmt.Fprintf(io.ErrOut, "%d of %d formats × fields at the best known rank or below; report: %s\n",
		rep.AtKnown, len(rep.Rows), filepath.Join(o.Run, frontier.ReportMarkdown))
	for _, r := range rep.Records {
		if r.Checked {
			fmt.Fprintf(io.ErrOut, "NEW RECORD: %v over %v at rank %d (best known %d): %s\n", r.Format, r.Field, r.Rank, r.Known, r.Path)
		}
	}
	if o.JSON {
		if err := rep.WriteJSON(io.Out); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(io.Out, filepath.Join(o.Run, frontier.ReportMarkdown))
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintf(io.ErrOut, "stopped; run the same command to resume from %s\n", o.Run)
		return &SilentError{Code: exitCancel}
	}
	return err
}

// frontierTable writes the log lines and, on a terminal, keeps the table of
// the largest gaps drawn below them, redrawn after every search.
type frontierTable struct {
	w     interface{ Write([]byte) (int, error) }
	tty   bool
	mu    sync.Mutex
	lines int // lines of the table drawn last
}

// Write writes a log line above the table.
func (l *frontierTable) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.erase()
	return l.w.Write(p)
}

func (l *frontierTable) erase() {
	if l.tty && l.lines > 0 {
		fmt.Fprintf(l.w, "\033[%dA\033[J", l.lines)
		l.lines = 0
	}
}

// draw redraws the table on a terminal (elsewhere the log lines say it all).
func (l *frontierTable) draw(rows []frontier.Row) {
	if !l.tty {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.erase()
	var b bytes.Buffer
	frontier.WriteTable(&b, rows, 20)
	l.lines = bytes.Count(b.Bytes(), []byte("\n"))
	l.w.Write(b.Bytes())
}

// done erases the live table (the final one follows).
func (l *frontierTable) done() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.erase()
}
