package alphacmd

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/alphamat/alphamat/reproduce"
	"github.com/alphamat/alphamat/tensorgame"
)

type reproduceOptions struct {
	all      bool
	formats  string
	fields   string
	budget   time.Duration
	workers  int
	parallel int
	beyond   bool
	seed     uint64
	runDir   string
	json     bool
	// agent plays each row over Z2 that a shipped model plays with the
	// agent alone (alphamat play's defaults) for agentTime, after the
	// reproduction, and reports its best rank beside the flip walks'.
	agent     bool
	agentTime time.Duration
}

func newReproduceCmd(io *IO) *cobra.Command {
	var o reproduceOptions
	cmd := &cobra.Command{
		Use:   "reproduce",
		Short: "Reproduce AlphaTensor's ranks from scratch, over Z2 and Z",
		Long: `Reproduce searches, from scratch, each format of AlphaTensor's table
(Nature 2022, Fig. 3) over Z2 and over Z down to the published rank, and
writes report.md, report.json, plots and every scheme (verified) into the run
directory. Without flags it runs the small formats (a first run of seconds
to minutes); --all runs all 20 formats with n,m,p <= 5. A run is resumable: rows
already reproduced in the run directory are not searched again.

Rows run smallest format first, starting also from direct sums of the
smaller formats' schemes, except that 4x5x5 waits for 5x5x5, and 3x5x5 and
4x4x5 for 4x5x5, to start also from restrictions of its schemes. Rows still
missed then run once more (--budget again), largest first, from
restrictions of the schemes of the formats one size larger: 4x5x5 from
5x5x5, then 3x5x5 from 4x5x5. With --beyond, rows whose best known rank is
below AlphaTensor's (4x4x5, 4x5x5, 5x5x5) are then searched once more
(--budget again) toward the best known rank.

With --agent, each row over Z2 that the shipped models play (those up to
3x3x3, and through their parts those with axes up to twice 3x3x3's: all
the default rows) is then played by the agent alone, as alphamat play FORMAT with its
defaults, for --agent-time: its best rank goes beside the flip walks' rank
and time (agent.json in the run directory, and the report without --json).

Exit status: 0 when every requested row is reproduced, 1 otherwise.`,
		Example: `  alphamat reproduce
  alphamat reproduce --formats 4x4x4,3x4x5 --budget 10m
  alphamat reproduce --all --workers 16 --parallel 4
  alphamat reproduce --formats 5x5x5 --budget 6m --beyond
  alphamat reproduce --fields z2 --agent --agent-time 2m`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := o.config()
			if err != nil {
				return err
			}
			live := newLiveTable(io.ErrOut)
			cfg.Progress = live.draw
			rep, err := reproduce.Run(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			var agentRows []agentRow
			if o.agent {
				if agentRows, err = agentColumn(cmd.Context(), io, rep, o.agentTime, o.seed, cfg.RunDir); err != nil {
					return err
				}
			}
			if o.json {
				if err := rep.WriteJSON(io.Out); err != nil {
					return err
				}
			} else {
				if err := rep.WriteMarkdown(io.Out); err != nil {
					return err
				}
				if o.agent {
					writeAgentRows(io.Out, agentRows, o.agentTime)
				}
				fmt.Fprintf(io.Out, "\nReport, plots and schemes: %s\n", cfg.RunDir)
			}
			if len(rep.Missed()) > 0 {
				return &SilentError{Code: exitFail}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.all, "all", false, "all 20 formats of Fig. 3 (n,m,p <= 5)")
	f.StringVar(&o.formats, "formats", "", "comma-separated formats, e.g. 4x4x4,3x4x5 (default: the small formats)")
	f.StringVar(&o.fields, "fields", "z2,z", "comma-separated fields to reproduce: z2, z")
	f.DurationVar(&o.budget, "budget", 2*time.Minute, "search time per row")
	f.IntVar(&o.workers, "workers", 0, "cores to use in all (default GOMAXPROCS, at most 64 per CPU)")
	f.IntVar(&o.parallel, "parallel", 1, "rows searched at once, sharing the workers")
	f.BoolVar(&o.beyond, "beyond", false, "then search rows whose best known rank is lower toward it (--budget again)")
	f.Uint64Var(&o.seed, "seed", 1, "random seed")
	f.StringVar(&o.runDir, "run", "runs/reproduce", "run directory (resumable)")
	f.BoolVar(&o.json, "json", false, "print the report as JSON")
	f.BoolVar(&o.agent, "agent", false, "then play each row over z2 that the shipped models play with the agent alone (alphamat play, no flip walks) for --agent-time; its best ranks go to agent.json in the run directory and, without --json, beside the flip walks' in the report")
	f.DurationVar(&o.agentTime, "agent-time", time.Minute, "time of each --agent row")
	return cmd
}

func (o *reproduceOptions) config() (reproduce.Config, error) {
	cfg := reproduce.Config{Budget: o.budget, Workers: o.workers, Parallel: o.parallel, Beyond: o.beyond, Seed: o.seed, RunDir: o.runDir}
	if o.all && o.formats != "" {
		return cfg, usageErrorf("--all and --formats exclude each other")
	}
	if o.budget <= 0 {
		return cfg, usageErrorf("--budget %v: want a positive duration", o.budget)
	}
	if o.agentTime <= 0 {
		return cfg, usageErrorf("--agent-time %v: want a positive duration", o.agentTime)
	}
	if o.workers < 0 || o.parallel < 1 {
		return cfg, usageErrorf("--workers and --parallel must be positive")
	}
	if err := checkWorkers("reproduce", "--workers", o.workers); err != nil {
		return cfg, err
	}
	if err := checkWorkers("reproduce", "--parallel", o.parallel); err != nil {
		return cfg, err
	}
	switch {
	case o.all:
		fs, err := reproduce.AllFormats()
		if err != nil {
			return cfg, err
		}
		cfg.Formats = fs
	case o.formats != "":
		for _, s := range strings.Split(o.formats, ",") {
			f, err := tensorgame.ParseFormat(s)
			if err != nil {
				return cfg, usageErrorf("--formats: %v", err)
			}
			cfg.Formats = append(cfg.Formats, f)
		}
	}
	for _, s := range strings.Split(o.fields, ",") {
		f, err := tensorgame.ParseField(s)
		if err != nil {
			return cfg, usageErrorf("--fields: %v", err)
		}
		cfg.Fields = append(cfg.Fields, f)
	}
	return cfg, nil
}

// liveTable draws the reproduction's rows on stderr: redrawn in place on a
// terminal, otherwise (a log file, CI) one line per change of a row's
// status or best rank, so that a row searching for minutes still shows
// its progress.
type liveTable struct {
	mu     sync.Mutex
	w      io.Writer
	tty    bool
	lines  int
	status map[string]string
}

func newLiveTable(w io.Writer) *liveTable {
	tty := false
	if f, ok := w.(*os.File); ok {
		tty = term.IsTerminal(int(f.Fd()))
	}
	return &liveTable{w: w, tty: tty, status: map[string]string{}}
}

func (l *liveTable) draw(rows []reproduce.Row) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.tty {
		for _, r := range rows {
			k := r.Format + " " + r.Field
			st := fmt.Sprintf("%s %d", r.Status, r.Found)
			if l.status[k] == st {
				continue
			}
			l.status[k] = st
			if r.Status == reproduce.StatusPending {
				continue
			}
			fmt.Fprintln(l.w, rowLine(r))
		}
		return
	}
	if l.lines > 0 {
		fmt.Fprintf(l.w, "\x1b[%dA", l.lines)
	}
	fmt.Fprintf(l.w, "\x1b[2K%-8s %-5s %9s %6s %10s  %s\n", "format", "field", "published", "best", "time", "status")
	for _, r := range rows {
		fmt.Fprintf(l.w, "\x1b[2K%s\n", rowLine(r))
	}
	l.lines = len(rows) + 1
}

func rowLine(r reproduce.Row) string {
	best := "-"
	if r.Found > 0 {
		best = fmt.Sprint(r.Found)
	}
	st := string(r.Status)
	if r.Status == reproduce.StatusBeyond {
		st = fmt.Sprintf("reproduced, searching on toward %d", r.BestKnown)
	} else if r.Method != "" && r.Reached {
		st += " by " + r.Method
	}
	if r.Resumed {
		st += " (earlier run)"
	}
	return fmt.Sprintf("%-8s %-5s %9d %6s %9.2fs  %s", r.Format, r.Field, r.Published, best, r.Seconds, st)
}
