package alphacmd

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/alphamat/alphamat/frontier/catalogue"
	"github.com/alphamat/alphamat/frontier/meta"
	"github.com/alphamat/alphamat/search"
	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/tensorgame"
)

// searchOptions holds the arguments and flags of alphamat search.
type searchOptions struct {
	Format    tensorgame.Format
	Field     tensorgame.Field
	Target    int
	Time      time.Duration
	Workers   int
	Seed      uint64
	From      string
	Compose   string
	Restrict  string
	Catalogue string
	Cyclic    bool
	Transpose bool
	Run       string
	JSON      bool
}

func newSearchCmd(io *IO) *cobra.Command {
	return newSearchCmdRun(io, nil)
}

// newSearchCmdRun builds the search command; runF, when non-nil, replaces
// the run function (tests capture the options with it).
func newSearchCmdRun(io *IO, runF func(context.Context, *searchOptions) error) *cobra.Command {
	o := &searchOptions{}
	var field string
	cmd := &cobra.Command{
		Use:   "search FORMAT",
		Short: "Search for matrix-multiplication schemes by flip-graph random walks",
		Long: `Search walks the flip graph of schemes of FORMAT (like 4x4x4) over Z2: random
flips of pairs of terms that share a factor, reductions whenever two terms
share two factors (the rank drops by one), and plus transitions (the rank
goes up by one) to leave long plateaus. One walker runs per worker; they
share a pool of the best schemes, from which they restart.

Each walk starts from a scheme of the pool at the lowest rank that holds a
few distinct schemes and goes on past every reduction while it keeps
improving. Plus transitions are switched on only once a walk's descent
stalls (formats with a size 5 gain a rank every few million flips, and
early plus transitions undo that). When the search stalls it starts a new
epoch from the start scheme (the schemes found stay).

With --compose DIR the search also starts from the best direct sum of two
smaller formats (4x5x5 = 4x5x2 + 4x5x3) whose best schemes earlier searches
left in DIR/<format>-<field>/ (sizes ascending, like runs/2x4x5-z2); epochs
take turns between that start and the usual one.

With --restrict DIR it also starts from restrictions of the best schemes of
the formats one size larger in DIR/<format>-<field>/ (4x5x5 from
runs/5x5x5-z2): such a scheme applied to matrices with one row or column
fewer (or, over a hyperplane, some summing to zero) is a scheme of FORMAT
with the terms that vanish left out. Good large schemes restrict to good
starts (docs/experiments.md, "Large rows", has 4x5x5 from 5x5x5).

With --catalogue DIR it also starts from the best schemes of FORMAT in the
catalogue of alphamat frontier (runs/frontier), in any orientation.

With --cyclic the Z2 walks keep the scheme
cyclic-symmetric (Moosbauer & Poole): its terms come in orbits of three,
a⊗b⊗c', b⊗c'⊗a, c'⊗a⊗b (c' = Cᵀ), plus fixed terms x⊗x⊗x, and every move is
made on whole orbits. The space is about a third of the plain one. The
first worker and every second one walk that way, and what they find
becomes a start of the plain walkers, which break the symmetry and often
reduce further at once (docs/experiments.md, "Large rows", has what this
does on 5x5x5). Starts that are not symmetric
(composites, a pool of plain walks) are left to the plain walkers.
On a format that is not square (like 4x5x5) the cyclic walkers walk the
square format above it (5x5x5), and whenever one of their descents ends,
restrictions of its best schemes to FORMAT become starts of the plain
walkers; the larger schemes are kept in the run directory's 5x5x5-z2/.

With --transpose (formats with two equal sizes, like 3x5x5) the same is
done with the transpose symmetry of n×m×n (3x5x5 is walked as 5x3x5):
terms come in pairs u⊗v⊗w, vᵀ⊗uᵀ⊗wᵀ, plus fixed terms u⊗uᵀ⊗w with w
symmetric. It is there to experiment with (docs/experiments.md, "Large
rows"). With both flags the
workers take turns: cyclic, plain, transpose.

Over Z (--field z) half the workers walk the ternary flip graph (coefficients
in {-1,0,1}, no lifting needed) and the others walk over Z2, and every new
Z2 scheme below the best rank over Z is lifted to Z (Hensel lifting).

Every new best scheme is verified and written at once, atomically, into the
run directory (--run, default runs/<format>-<field>) as
<n>x<m>x<p>_r<R>_<FIELD>.txt, with the pool of schemes in pool/ and the
run's state in state.json. Running the same command again resumes from that
pool. Ctrl-C stops cleanly; a killed run loses nothing it had reported.

A status line goes to stderr about once a second (a progress bar when a
target is set). The search stops when it holds a scheme of rank <= --target,
when --time is up, or on Ctrl-C, and prints where its best scheme is.

Formats need n*m, m*p and n*p <= 256 (up to 16x16x16; the symmetric
walkers of --cyclic and --transpose: 64). With --workers 1 a run
is reproducible from its --seed.

Exit status: 0 when the target is reached or the time is up, 130 on Ctrl-C,
1 on errors, 2 on bad flags.`,
		Example: `  alphamat search 3x3x3 --target 23
  alphamat search 4x4x4 --target 49 --time 10m --workers 2
  alphamat search 4x4x5 --from schemes/4x4x5_r61_Z.txt --time 1h
  alphamat search 5x5x5 --cyclic --time 10m
  alphamat search 2x2x2 --field z --target 7 --json`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("search: want one FORMAT like 4x4x4, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := tensorgame.ParseFormat(args[0])
			if err != nil {
				return usageErrorf("search: %v", err)
			}
			o.Format = f
			if o.Field, err = tensorgame.ParseField(field); err != nil {
				return usageErrorf("search: --field: %v", err)
			}
			if o.Field != tensorgame.Z2 && o.Field != tensorgame.Z {
				return usageErrorf("search: --field %v: want z2 or z", o.Field)
			}
			if cmd.Flags().Changed("target") && o.Target < 1 {
				return usageErrorf("search: --target %d is below 1", o.Target)
			}
			if cmd.Flags().Changed("workers") && o.Workers < 1 {
				return usageErrorf("search: --workers %d: want at least 1", o.Workers)
			}
			if err := checkWorkers("search", "--workers", o.Workers); err != nil {
				return err
			}
			if o.Time < 0 {
				return usageErrorf("search: --time %v is negative", o.Time)
			}
			if o.Transpose && f.N != f.M && f.M != f.P && f.N != f.P {
				return usageErrorf("search: --transpose needs two equal sizes, like 3x5x5, not %v", f)
			}
			if o.Run == "" {
				o.Run = filepath.Join("runs", pool.RunName(f, o.Field))
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return searchRun(cmd.Context(), io, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&field, "field", "z2", "coefficient field: z2 (flip walks) or z (flip walks over Z2, lifted to Z)")
	fl.IntVar(&o.Target, "target", 0, "stop at a scheme of this rank or below (default: no target)")
	fl.DurationVar(&o.Time, "time", 0, "stop after this long, like 90s or 1h (default: no limit)")
	fl.IntVar(&o.Workers, "workers", 0, "number of walkers (default GOMAXPROCS, at most 64 per CPU)")
	fl.Uint64Var(&o.Seed, "seed", 1, "random seed of the walkers")
	fl.StringVar(&o.From, "from", "", "start from this scheme file instead of the standard algorithm or the run's pool")
	fl.StringVar(&o.Compose, "compose", "", "also start from a direct sum of smaller formats' best schemes found in `DIR`/<format>-<field>/ (like runs)")
	fl.StringVar(&o.Restrict, "restrict", "", "also start from restrictions of the best schemes of formats one size larger found in `DIR`/<format>-<field>/")
	fl.StringVar(&o.Catalogue, "catalogue", "", "also start from the best schemes of FORMAT in the frontier catalogue `DIR` (like runs/frontier)")
	fl.BoolVar(&o.Cyclic, "cyclic", false, "add walkers that keep schemes cyclic-symmetric (of the square format above FORMAT when it is not square)")
	fl.BoolVar(&o.Transpose, "transpose", false, "add walkers that keep schemes transpose-symmetric (two equal sizes)")
	fl.StringVar(&o.Run, "run", "", "run directory (default runs/<format>-<field>)")
	fl.BoolVar(&o.JSON, "json", false, "print the result as JSON on stdout")
	return cmd
}

// composite returns the best direct sum for f over field of the best
// schemes in the run directories dir/<format>-<field> of smaller formats,
// or nil.
func composite(dir string, f tensorgame.Format, field tensorgame.Field) (*tensorgame.Scheme, error) {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("search: --compose %s: not a directory", dir)
	}
	runs := &meta.Runs{Dir: dir}
	c, err := meta.Sum(f, field, runs)
	if err == nil {
		err = runs.Err
	}
	if err != nil {
		return nil, fmt.Errorf("search: --compose: %w", err)
	}
	return c, nil
}

// restrictions returns restrictions of the best schemes of the formats one
// size larger than f over field in the run directories dir/<format>-<field>
// (meta.Restrictions: up to 64, of up to 32 schemes of each), lowest rank
// first.
func restrictions(dir string, f tensorgame.Format, field tensorgame.Field) ([]*tensorgame.Scheme, error) {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("search: --restrict %s: not a directory", dir)
	}
	runs := &meta.Runs{Dir: dir}
	rs, err := meta.Restrictions(f, field, runs, 32, 64)
	if err == nil {
		err = runs.Err
	}
	if err != nil {
		return nil, fmt.Errorf("search: --restrict: %w", err)
	}
	return rs, nil
}

// catalogueStarts returns the best schemes of f over field (and, for Z,
// over Z2) in the frontier catalogue dir, verified, read without changing
// the catalogue.
func catalogueStarts(io *IO, dir string, f tensorgame.Format, field tensorgame.Field) ([]*tensorgame.Scheme, error) {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("search: --catalogue %s: not a directory", dir)
	}
	cat, err := catalogue.Open(dir, catalogue.Options{ReadOnly: true,
		Only: []catalogue.Key{catalogue.KeyOf(f, field), catalogue.KeyOf(f, tensorgame.Z2)},
		Warn: func(err error) { fmt.Fprintf(io.ErrOut, "warning: %v\n", err) }})
	if err != nil {
		return nil, fmt.Errorf("search: --catalogue: %w", err)
	}
	ss := cat.Schemes(f, field, 8)
	if field == tensorgame.Z {
		ss = append(ss, cat.Schemes(f, tensorgame.Z2, 4)...)
	}
	if len(ss) == 0 {
		fmt.Fprintf(io.ErrOut, "no catalogue start: %s holds no scheme of %v over %v\n", dir, f, field)
		return nil, nil
	}
	fmt.Fprintf(io.ErrOut, "%d catalogue starts of rank %d from %s\n", len(ss), ss[0].Rank(), dir)
	return ss, nil
}

// searchResult is the --json output of alphamat search.
type searchResult struct {
	Format       string  `json:"format"`
	Field        string  `json:"field"`
	Rank         int     `json:"rank"`
	Target       int     `json:"target,omitempty"`
	Reached      bool    `json:"reached"`
	Stopped      string  `json:"stopped"`
	Path         string  `json:"path"`
	RunDir       string  `json:"run_dir"`
	Seed         uint64  `json:"seed"`
	Workers      int     `json:"workers"`
	Flips        int64   `json:"flips"`
	Reductions   int64   `json:"reductions"`
	Plus         int64   `json:"plus_transitions"`
	Restarts     int64   `json:"restarts"`
	Epochs       int64   `json:"epochs"`
	Lifts        int64   `json:"lifts,omitempty"`
	Lifted       int64   `json:"lifted,omitempty"`
	Seconds      float64 `json:"seconds"`
	ReachedAfter float64 `json:"reached_after_s,omitempty"`
	FlipsPerSec  float64 `json:"flips_per_s"`
}

func searchRun(ctx context.Context, io *IO, o *searchOptions) error {
	cfg := search.Config{
		Format: o.Format, Field: o.Field, Target: o.Target, Time: o.Time,
		Workers: o.Workers, Seed: o.Seed, RunDir: o.Run, Cyclic: o.Cyclic,
		Transpose: o.Transpose,
	}
	if o.From != "" {
		s, err := tensorgame.ReadFile(o.From)
		if err != nil {
			return fmt.Errorf("search: --from: %w", err)
		}
		if err := tensorgame.Verify(s); err != nil {
			return fmt.Errorf("search: --from %s: %w", o.From, err)
		}
		cfg.From = s
	}
	if o.Compose != "" {
		c, err := composite(o.Compose, o.Format, o.Field)
		if err != nil {
			return err
		}
		if c != nil {
			fmt.Fprintf(io.ErrOut, "composite start of rank %d: %s\n", c.Rank(), c.Comments[0])
			cfg.Starts = []*tensorgame.Scheme{c}
		} else {
			fmt.Fprintf(io.ErrOut, "no composite start below rank %d from %s\n", o.Format.Naive(), o.Compose)
		}
	}
	if o.Restrict != "" {
		rs, err := restrictions(o.Restrict, o.Format, o.Field)
		if err != nil {
			return err
		}
		if len(rs) > 0 {
			fmt.Fprintf(io.ErrOut, "%d restriction starts of rank %d to %d from %s\n", len(rs), rs[0].Rank(), rs[len(rs)-1].Rank(), o.Restrict)
			cfg.Starts = append(cfg.Starts, rs...)
		} else {
			fmt.Fprintf(io.ErrOut, "no restriction start: %s holds no scheme of a format one size larger than %v over %v\n", o.Restrict, o.Format, o.Field)
		}
	}
	if o.Catalogue != "" {
		ss, err := catalogueStarts(io, o.Catalogue, o.Format, o.Field)
		if err != nil {
			return err
		}
		cfg.Starts = append(cfg.Starts, ss...)
	}
	st := newStatusLine(io, o)
	cfg.Status = st.update
	res, err := search.Run(ctx, cfg)
	st.finish()
	for _, w := range res.Warnings {
		fmt.Fprintf(io.ErrOut, "warning: %s\n", w)
	}
	if err != nil {
		return err
	}
	if res.Best == nil {
		return fmt.Errorf("search: no scheme found")
	}
	out := searchResult{
		Format: o.Format.String(), Field: o.Field.String(), Rank: res.Best.Rank(), Target: o.Target,
		Reached: res.Reached, Stopped: string(res.Stopped), Path: res.Path, RunDir: o.Run, Seed: o.Seed,
		Workers: res.Workers, Flips: res.Stats.Flips, Reductions: res.Stats.Reductions, Plus: res.Stats.Plus,
		Restarts: res.Stats.Restarts, Epochs: res.Stats.Epochs + 1, Lifts: res.Stats.Lifts, Lifted: res.Stats.Lifted,
		Seconds: res.Stats.Elapsed.Seconds(), ReachedAfter: res.ReachedAfter.Seconds(),
		FlipsPerSec: res.Stats.FlipsPerSec,
	}
	if o.JSON {
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(io.Out, "%v rank %d over %v: %s\n", o.Format, out.Rank, o.Field, res.Path)
	}
	switch {
	case res.Stopped == search.StopCanceled:
		fmt.Fprintf(io.ErrOut, "stopped; run the same command to resume from %s\n", o.Run)
		return &SilentError{Code: exitCancel}
	case o.Target > 0 && !res.Reached:
		fmt.Fprintf(io.ErrOut, "time is up at rank %d (target %d); run the same command to resume\n", out.Rank, o.Target)
	}
	return nil
}

// statusLine writes the search status to stderr about once a second: a
// progress bar from the start rank to the target when a target is set,
// else a line (rewritten in place on a terminal).
type statusLine struct {
	io    *IO
	o     *searchOptions
	tty   bool
	mu    sync.Mutex
	bar   *progressbar.ProgressBar
	start int // rank at the first status
	wrote bool
}

func newStatusLine(io *IO, o *searchOptions) *statusLine {
	s := &statusLine{io: io, o: o}
	if f, ok := io.ErrOut.(*os.File); ok {
		s.tty = term.IsTerminal(int(f.Fd()))
	}
	return s
}

func (s *statusLine) update(st search.Stats) {
	s.mu.Lock()
	defer s.mu.Unlock()
	desc := fmt.Sprintf("best %d", st.Best)
	if s.o.Field == tensorgame.Z {
		desc += fmt.Sprintf(" (Z2 %d, lifted %d/%d)", st.BestZ2, st.Lifted, st.Lifts)
	}
	desc += fmt.Sprintf(" | %.1f M flips/s | plateau %s | plus %s | epoch %d | %v",
		st.FlipsPerSec/1e6, count(st.Plateau), count(st.Plus), st.Epochs+1, st.Elapsed.Round(time.Second))
	if s.o.Target > 0 && s.tty {
		if s.bar == nil {
			s.start = max(st.Start, st.Best, s.o.Target+1)
			s.bar = progressbar.NewOptions(s.start-s.o.Target,
				progressbar.OptionSetWriter(s.io.ErrOut),
				progressbar.OptionSetWidth(20),
				progressbar.OptionShowCount(),
				progressbar.OptionSetPredictTime(false),
				progressbar.OptionShowDescriptionAtLineEnd(),
			)
		}
		s.bar.Describe(desc)
		s.bar.Set(min(max(s.start-st.Best, 0), s.start-s.o.Target))
		s.wrote = true
		return
	}
	if s.o.Target > 0 {
		desc = fmt.Sprintf("target %d | ", s.o.Target) + desc
	}
	if s.tty {
		fmt.Fprintf(s.io.ErrOut, "\r\033[K%s", desc)
		s.wrote = true
		return
	}
	fmt.Fprintln(s.io.ErrOut, desc)
}

// finish ends the status line.
func (s *statusLine) finish() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.wrote {
		fmt.Fprintln(s.io.ErrOut)
	}
}

// count writes n with a k or M suffix.
func count(n int64) string {
	switch {
	case n >= 10_000_000:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 10_000:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}
