package alphacmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/alphamat/alphamat/search/pool"

	"github.com/spf13/cobra"

	"github.com/alphamat/alphamat/agent"
	"github.com/alphamat/alphamat/mcts"
	"github.com/alphamat/alphamat/models"
	"github.com/alphamat/alphamat/tensorgame"
)

type playOptions struct {
	format  tensorgame.Format
	field   tensorgame.Field
	model   string
	sims    int
	samples int
	look    float64
	time    time.Duration
	runDir  string
	json    bool
	games   int
	seed    uint64
	target  int
	limit   int
	// compress plays residuals that fit a smaller shipped model, once
	// compressed to the spans of their unfoldings, with that model, and
	// as games of their own.
	compress bool
	bases    string // auto, default or permuted
	// split also plays the sums of blocks of the target (mcts.Blocks)
	// as targets of their own and combines their schemes.
	split bool
}

func newPlayCmd(io *IO) *cobra.Command {
	var o playOptions
	var fieldFlag string
	cmd := &cobra.Command{
		Use:   "play FORMAT",
		Short: "Find schemes for one format by AlphaTensor-style tree search",
		Long: `Play searches for low-rank schemes of the matmul tensor of FORMAT by the
agent's tree search (sampled AlphaZero over TensorGame): many games in
parallel, each on the target under a random change of basis, with the
network's evaluations batched across games. Each scheme better than the
run's best is verified and written to the run directory as
<n>x<m>x<p>_r<R>_<FIELD>.txt; later games then aim one rank lower.

Without --model, play uses the shipped model whose axes fit FORMAT (2x2x2
and 3x3x3 over Z2 ship embedded in the binary); --model uniform plays the
same search with a uniform prior and zero value, the baseline.

When a smaller shipped model exists as well (2x2x3 and 3x3x3 are played
by 3x3x3_Z2.model; 2x2x2_Z2.model is smaller), play uses it for the
residuals it fits once compressed: over Z2 a residual lies in the tensor
product of the column spaces of its three unfoldings, and written in a
(random) basis of those spaces it is a smaller tensor of the same rank.
A 2x2x3 residual whose spans have dimensions 4, 4, 4 (T(2,2,2) left once
the four products of one column are taken) is 4x4x4, and then
  - its evaluations in the tree come from the 2x2x2 model, its moves
    mapped back to the full axes;
  - it is played as a game of its own (4 games, each residual once) when
    the steps left exceed its largest unfolding rank by 3 or more, and a
    decomposition found completes the game's moves to a scheme;
  - the games run under random permutations of the axes (--bases auto),
    where the 3x3x3 model takes sparse terms such as those products.
With these 2x2x3 reaches rank 11; without the sub-games or without the
permutations it stayed at 12 (docs/experiments.md, "2x2x3 at rank 11").
--compress=false plays every residual with the one model; --bases
default keeps the uniformly random bases (over Z2).

With --split (the default) play also plays the sums of blocks of the
target: wherever the support of a tensor falls into parts on disjoint
coordinates of two axes (T(2,2,4): its four columns), any two groups of
the parts are smaller targets whose decompositions together decompose
it. Each such sub-target, cropped to its support, is played as games of
its own (equal tensors once), the time shared by the games' mean
length, and the best combination is reported like a game's scheme. A
format no model fits, with axes at most twice the largest model's, is
then played through its parts alone.

Exit status: 0 when a scheme was found (of rank <= --target if given),
1 otherwise.`,
		Example: `  alphamat play 2x2x2
  alphamat play 2x2x3 --time 10m --target 11
  alphamat play 3x3x3 --sims 400 --samples 64 --json
  alphamat play 2x2x2 --model uniform`,
		Args: exactlyOneFormat,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := tensorgame.ParseFormat(args[0])
			if err != nil {
				return usageErrorf("%v", err)
			}
			o.format = f
			field, err := tensorgame.ParseField(fieldFlag)
			if err != nil || field == tensorgame.Q {
				return usageErrorf("--field %q: want z2 or z", fieldFlag)
			}
			o.field = field
			if o.sims < 1 || o.samples < 1 || o.look < 0 || o.time <= 0 || o.games < 0 || o.target < 0 || o.limit < 0 {
				return usageErrorf("--sims, --samples, --time must be positive; --games, --target, --limit not negative")
			}
			if err := checkWorkers("play", "--games", o.games); err != nil {
				return err
			}
			switch o.bases {
			case "auto", "default", "permuted":
			default:
				return usageErrorf("--bases %q: want auto, default or permuted", o.bases)
			}
			if o.runDir == "" {
				o.runDir = filepath.Join("runs", pool.RunName(f, field))
			}
			return playRun(cmd.Context(), io, &o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&fieldFlag, "field", "z2", "coefficient field: z2 or z")
	fl.StringVar(&o.model, "model", "", `model file, or "uniform" (default: the shipped model that fits)`)
	fl.IntVar(&o.sims, "sims", 200, "simulations per move")
	fl.IntVar(&o.samples, "samples", 32, "actions sampled from the policy at each new node (K)")
	fl.Float64Var(&o.look, "lookahead", 2, "reweight the policy by exp(-x * change of the rank bound) (0: off)")
	fl.DurationVar(&o.time, "time", 10*time.Minute, "time limit")
	fl.StringVar(&o.runDir, "run", "", "run directory (default runs/<format>-<field>)")
	fl.BoolVar(&o.json, "json", false, "print the result as JSON")
	fl.IntVar(&o.games, "games", 0, "games played at once (default 4 x GOMAXPROCS, at most 64 per CPU)")
	fl.Uint64Var(&o.seed, "seed", 1, "random seed")
	fl.IntVar(&o.target, "target", 0, "stop once a scheme of this rank or lower is found (0: run until --time)")
	fl.IntVar(&o.limit, "limit", 0, "step limit of the first games (default: one below the run's best, at most n*m*p)")
	fl.BoolVar(&o.compress, "compress", true, "play residuals that fit a smaller shipped model, compressed to their unfoldings' spans, with it, and as games of their own (shipped models over z2)")
	fl.BoolVar(&o.split, "split", true, "also play the sums of blocks of the target (parts of its support on disjoint coordinates of two axes) as targets of their own, and combine their schemes; formats no model fits, with axes at most twice the largest shipped model's, are then played through their parts")
	fl.StringVar(&o.bases, "bases", "auto", "changes of basis of the games: default (over z2 uniformly random, over z mixed), permuted, or auto (permuted when --compress applies, else default)")
	return cmd
}

// playResult is the JSON output of play.
type playResult struct {
	Format     string  `json:"format"`
	Field      string  `json:"field"`
	Model      string  `json:"model"`
	Best       int     `json:"best_rank"`
	File       string  `json:"file,omitempty"`
	Found      []int   `json:"found_ranks"`
	Games      int64   `json:"games"`
	Solved     int64   `json:"games_solved"`
	Sims       int64   `json:"simulations"`
	Evals      int64   `json:"evaluations"`
	SimsPerSec float64 `json:"simulations_per_second"`
	MeanBatch  float64 `json:"mean_batch"`
	Compressed int64   `json:"compressed_evaluations,omitempty"`
	// Sub-games: residuals played as games of their own, the games, and
	// the residuals they solved.
	SubResiduals int64 `json:"subgame_residuals,omitempty"`
	SubGames     int64 `json:"subgames,omitempty"`
	SubSolved    int64 `json:"subgames_solved,omitempty"`
	// Split targets: the distinct sub-targets and the games on them.
	SplitTargets int     `json:"split_targets,omitempty"`
	SplitGames   int64   `json:"split_games,omitempty"`
	Seconds      float64 `json:"seconds"`
	Seed         uint64  `json:"seed"`

	compressed bool // residuals went to smaller models (the sub-game counters apply)
}

func playRun(ctx context.Context, io *IO, o *playOptions) error {
	res, err := playSearch(ctx, io, o)
	if res == nil {
		return err
	}
	if err := res.write(io, o.json); err != nil {
		return err
	}
	if err != nil {
		return err // interrupted: the run directory holds what was found
	}
	if res.Best == 0 || (o.target > 0 && res.Best > o.target) {
		return &SilentError{Code: exitFail}
	}
	return nil
}

// playSearch plays o's games until o.time or o.target and returns the
// result; the schemes it finds are in o.runDir. With a result and an
// error, ctx was cancelled: the result holds what was found.
func playSearch(ctx context.Context, io *IO, o *playOptions) (*playResult, error) {
	ev, cmp, modelName, err := playEvaluator(o)
	if err != nil {
		return nil, err
	}
	playable := playableBy(ev, cmp, o.field)
	// The run directory is a search run directory: schemes go through its
	// pool, verified, deduplicated and written atomically.
	p, err := pool.Open(o.runDir, o.format, o.field, pool.Options{})
	if err != nil {
		return nil, err
	}
	limit := o.limit
	if limit == 0 {
		limit = o.format.Naive()
		if best := p.Best(); best > 0 {
			limit = min(limit, best-1)
		}
	}
	games := o.games
	if games == 0 {
		games = 4 * runtime.GOMAXPROCS(0)
	}
	var se mcts.StateEvaluator = mcts.Uniform{}
	var batcher *mcts.Batcher
	if ev != nil {
		batcher = mcts.NewBatcher(ev, games, 1)
		defer batcher.Close()
		se = batcher
	}
	cfg := mcts.PlayConfig{
		Format: o.format, Field: o.field, Workers: games, Limit: limit, Target: o.target, Seed: o.seed,
		Search: mcts.Config{Simulations: o.sims, Samples: o.samples, Lookahead: o.look, StopOnSolve: true},
		Split:  o.split, Playable: playable,
	}
	var sub *mcts.SubGames
	if cmp != nil {
		sub = mcts.NewSubGames(cmp, batcher, mcts.SubGameConfig{Search: cfg.Search, Seed: o.seed})
		cfg.Finisher = sub
	}
	bases := "default bases"
	if o.bases == "permuted" || o.bases == "auto" && sub != nil {
		cfg.Bases = mcts.PermutedBases
		bases = "permuted bases"
	}
	fmt.Fprintf(io.ErrOut, "play %v over %v: model %s, %d games at once, %d simulations/move, K=%d, limit %d, %s, run %s\n",
		o.format, o.field, modelName, games, o.sims, o.samples, limit, bases, o.runDir)
	res := playResult{Format: o.format.String(), Field: o.field.String(), Model: modelName, Best: p.Best(), Seed: o.seed}
	start := time.Now()
	tctx, cancel := context.WithTimeout(ctx, o.time)
	defer cancel()
	st, err := mcts.Play(tctx, cfg, se, func(s *tensorgame.Scheme) error {
		return storePlayed(io, p, s, modelName, o.seed, start, &res)
	})
	elapsed := time.Since(start)
	switch {
	case err == nil:
	case ctx.Err() == nil && (errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)):
		err = nil // --time elapsed: the normal end
	case ctx.Err() == nil:
		return nil, err
	}
	res.Best = p.Best()
	res.stats(st, elapsed, batcher, cmp, sub)
	return &res, err
}

// defaultPlay returns the options of alphamat play FORMAT over Z2 with
// its defaults (the shipped models, compressed residuals, permuted bases)
// for d, into runDir.
func defaultPlay(f tensorgame.Format, d time.Duration, seed uint64, runDir string) *playOptions {
	return &playOptions{format: f, field: tensorgame.Z2, sims: 200, samples: 32, look: 2, time: d,
		runDir: runDir, seed: seed, compress: true, bases: "auto", split: true}
}

// playableBy returns which targets the evaluator of play's games takes:
// those whose axes, or with cmp their effective size, fit a network (nil
// for the uniform prior: all).
func playableBy(ev mcts.Evaluator, cmp *mcts.Compress, field tensorgame.Field) func(*tensorgame.Tensor) bool {
	if cmp != nil {
		return func(t *tensorgame.Tensor) bool { return cmp.Takes(t, field) }
	}
	if net, ok := ev.(*agent.Net); ok {
		cfg := net.Config()
		return func(t *tensorgame.Tensor) bool { return cfg.Fits(t.A, t.B, t.C) }
	}
	return nil
}

// playEvaluator returns the evaluator of play's games (nil: uniform), the
// Compress around it when residuals go to smaller shipped models, and the
// model's name.
func playEvaluator(o *playOptions) (mcts.Evaluator, *mcts.Compress, string, error) {
	net, name, err := loadEvaluator(o.model, o.format, o.field, o.split)
	if err != nil || net == nil {
		return nil, nil, name, err
	}
	if o.model != "" || !o.compress {
		return net, nil, name, nil
	}
	cmp, name, err := compressShipped(net, name, o.field, o.seed)
	if err != nil {
		return nil, nil, "", err
	}
	if cmp == nil {
		return net, nil, name, nil
	}
	return cmp, cmp, name, nil
}

// storePlayed stores a scheme the games found in the run's pool when it
// is better than the pool's best, with its Origin (MovePlay).
func storePlayed(io *IO, p *pool.Pool, s *tensorgame.Scheme, model string, seed uint64, start time.Time, res *playResult) error {
	if best := p.Best(); best > 0 && s.Rank() >= best {
		return nil // the run directory already holds as good a scheme
	}
	s.Origin = tensorgame.Derive(tensorgame.MovePlay)
	s.Origin.Params = map[string]string{"model": model, "seed": strconv.FormatUint(seed, 10)}
	s.Comments = append(s.Comments, fmt.Sprintf("found by alphamat play (model %s, seed %d) after %s", model, seed, time.Since(start).Round(time.Second)))
	if _, err := p.Add(s); err != nil { // verifies
		return err
	}
	path := p.Path(s.Rank())
	res.File = path
	res.Found = append(res.Found, s.Rank())
	fmt.Fprintf(io.ErrOut, "%6.1fs  rank %d  -> %s\n", time.Since(start).Seconds(), s.Rank(), path)
	return nil
}

// stats fills in the counters of a finished play.
func (res *playResult) stats(st mcts.PlayStats, elapsed time.Duration, batcher *mcts.Batcher, cmp *mcts.Compress, sub *mcts.SubGames) {
	res.Games, res.Solved = st.Games, st.Solved
	res.SplitTargets, res.SplitGames = st.SplitTargets, st.SplitGames
	res.Sims, res.Evals = st.Search.Simulations, st.Search.Evaluations
	res.Seconds = elapsed.Seconds()
	res.SimsPerSec = float64(res.Sims) / max(elapsed.Seconds(), 1e-9)
	if batcher != nil {
		res.MeanBatch = batcher.Stats().MeanBatch()
	}
	if cmp != nil {
		res.compressed = true
		for _, n := range cmp.Stats().Compressed {
			res.Compressed += n
		}
		ss := sub.Stats()
		res.SubResiduals, res.SubGames, res.SubSolved = ss.Residuals, ss.Games, ss.Solved
	}
}

// write prints the result, as JSON with asJSON.
func (res *playResult) write(io *IO, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(io.Out, "%s over %s: best rank %s; %d games (%d solved), %d simulations (%.0f/s), %.0fs\n",
		res.Format, res.Field, rankString(res.Best), res.Games, res.Solved, res.Sims, res.SimsPerSec, res.Seconds)
	if res.SplitTargets > 0 {
		fmt.Fprintf(io.Out, "%d games on %d sub-targets (sums of blocks)\n", res.SplitGames, res.SplitTargets)
	}
	if res.compressed {
		fmt.Fprintf(io.Out, "%d of %d evaluations compressed to a smaller model; %d residuals played as sub-games (%d games), %d solved\n",
			res.Compressed, res.Evals, res.SubResiduals, res.SubGames, res.SubSolved)
	}
	return nil
}

// exactlyOneFormat accepts one argument, the format; anything else is a
// usage error.
func exactlyOneFormat(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return usageErrorf("%s: want one FORMAT argument such as 2x2x2, got %d arguments", cmd.Name(), len(args))
	}
	return nil
}

func rankString(r int) string {
	if r == 0 {
		return "none"
	}
	return strconv.Itoa(r)
}

// loadEvaluator returns the network named by model ("" for the shipped
// one that fits, "uniform" for none: nil evaluator) and its name. With
// parts, a format no network fits but whose axes are at most twice the
// largest shipped model's is played through its parts (mcts
// PlayConfig.Split): "" then names that model.
func loadEvaluator(model string, f tensorgame.Format, field tensorgame.Field, parts bool) (*agent.Net, string, error) {
	var net *agent.Net
	var name string
	switch strings.ToLower(model) {
	case "uniform":
		return nil, "uniform", nil
	case "":
		m, ok := models.For(f, field)
		if !ok && parts {
			m, ok = largestModel(field)
			ma, mb, mc := m.Format.Dims()
			a, b, c := f.Dims()
			// Through its parts only while a split of one axis pair can
			// bring each axis within the model's.
			ok = ok && a <= 2*ma && b <= 2*mb && c <= 2*mc
		}
		if !ok {
			return nil, "", usageErrorf("no shipped model fits %v over %v; pass --model FILE (from alphamat train) or --model uniform", f, field)
		}
		data, err := models.Open(m.Name)
		if err != nil {
			return nil, "", err
		}
		net, err = agent.ReadNet(bytes.NewReader(data), m.Name)
		if err != nil {
			return nil, "", err
		}
		name = "shipped " + m.Name
	default:
		var err error
		net, err = agent.LoadNet(model)
		if err != nil {
			return nil, "", err
		}
		name = model
	}
	cfg := net.Config()
	a, b, c := f.Dims()
	if !cfg.Fits(a, b, c) && !parts || cfg.Field != field {
		return nil, "", usageErrorf("model %s plays axes up to %dx%dx%d over %v; %v over %v does not fit", name, cfg.A, cfg.B, cfg.C, cfg.Field, f, field)
	}
	return net, name, nil
}

// largestModel returns the largest shipped model over field.
func largestModel(field tensorgame.Field) (models.Model, bool) {
	var m models.Model
	ok := false
	for _, x := range models.List() {
		if x.Field == field {
			m, ok = x, true
		}
	}
	return m, ok
}

// compressShipped returns a Compress that evaluates with the shipped
// models over field smaller than net (smallest first), then net, and its
// name; nil if no smaller shipped model exists.
func compressShipped(net *agent.Net, name string, field tensorgame.Field, seed uint64) (*mcts.Compress, string, error) {
	cfg := net.Config()
	big := [3]int{cfg.A, cfg.B, cfg.C}
	var sized []mcts.Sized
	var names []string
	for _, m := range models.List() {
		if m.Field != field {
			continue
		}
		data, err := models.Open(m.Name)
		if err != nil {
			return nil, "", err
		}
		small, err := agent.ReadNet(bytes.NewReader(data), m.Name)
		if err != nil {
			return nil, "", err
		}
		sc := small.Config()
		axes := [3]int{sc.A, sc.B, sc.C}
		if sc.Field != field || axes == big || !cfg.Fits(sc.A, sc.B, sc.C) {
			continue // not smaller than net
		}
		sized = append(sized, mcts.Sized{Evaluator: small, Axes: axes})
		names = append(names, m.Name)
	}
	if len(sized) == 0 {
		return nil, name, nil
	}
	sized = append(sized, mcts.Sized{Evaluator: net, Axes: big})
	cmp, err := mcts.NewCompress(sized, mcts.CompressConfig{Seed: seed})
	if err != nil {
		return nil, "", err
	}
	return cmp, fmt.Sprintf("%s, compressed residuals to %s", name, strings.Join(names, ", ")), nil
}
