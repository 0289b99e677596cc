package alphacmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/alphamat/alphamat/search/pool"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/alphamat/alphamat/agent"
	"github.com/alphamat/alphamat/mcts"
	"github.com/alphamat/alphamat/tensorgame"
)

type trainOptions struct {
	format      tensorgame.Format
	field       tensorgame.Field
	runDir      string
	out         string
	demoFormats string
	demoSteps   int
	demoMaxRank int
	demoSub     float64
	rounds      int
	games       int
	roundSteps  int
	sims        int
	samples     int
	lookahead   float64
	batch       int
	lr          float64
	hidden      int
	layers      int
	head        int
	seed        uint64
	time        time.Duration
	fresh       bool
	workers     int
	// evalEvery, evalProblems and evalSims set the training curve's
	// held-out evaluations.
	evalEvery, evalProblems, evalSims int
}

func newTrainCmd(io *IO) *cobra.Command {
	var o trainOptions
	var fieldFlag string
	cmd := &cobra.Command{
		Use:   "train FORMAT",
		Short: "Train the agent's network for the tree search of one format",
		Long: `Train trains a policy/value network for TensorGame on FORMAT: first on
synthetic demonstrations (sums of random sparse terms, under random changes
of basis; the network learns to predict one of the terms and the number of
terms), then in rounds of self-play on the matmul tensor of FORMAT under
random changes of basis, learning from the tree search's visit counts, the
games' outcomes and the schemes its own search finds.

No known scheme of FORMAT is used: demonstrations whose tensor could be a
matmul tensor in any basis are refused (a change-of-basis invariant is
compared), and no scheme file is read.

The run directory holds the checkpoint agent.ckpt (written after the
demonstration phase, after every round, and on interrupt; training resumes
from it unless --fresh) and every scheme self-play finds, verified, as
<n>x<m>x<p>_r<R>_<FIELD>.txt. The final network (weights only) goes to --out.

The run directory also keeps the training curve: curve.json (every
invocation's command line, and a point every --eval-every SGD steps and
at the end of each phase: the running loss, action accuracy and value
error, and how many held-out synthetic problems, agent.HeldOut's that fit
the network, a game of --eval-sims simulations per move solves within
their demonstration's rank), command.txt (the command lines) and
curve.png (loss and held-out solve rate against SGD steps).`,
		Example: `  alphamat train 2x2x2 --demo-steps 3000 --rounds 20
  alphamat train 3x3x3 --demo-formats 2x2x2,2x2x3,2x3x3,3x3x3 --time 30m
  alphamat train 2x2x2 --rounds 10   # resumes runs/2x2x2-z2/agent.ckpt`,
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
			if o.demoSteps < 0 || o.rounds < 0 || o.games < 1 || o.roundSteps < 0 || o.sims < 1 || o.samples < 1 || o.lookahead < 0 ||
				o.batch < 1 || o.lr <= 0 || o.time <= 0 || o.workers < 0 || o.demoMaxRank < 0 || o.demoSub < 0 || o.demoSub > 1 ||
				o.evalEvery < 0 || o.evalProblems < 0 || o.evalSims < 1 {
				return usageErrorf("sizes, steps and --time must be positive (--demo-steps, --rounds, --round-steps may be 0), --demo-sub in 0..1")
			}
			if err := checkWorkers("train", "--workers", o.workers); err != nil {
				return err
			}
			if o.runDir == "" {
				o.runDir = filepath.Join("runs", pool.RunName(f, field))
			}
			if o.out == "" {
				o.out = filepath.Join(o.runDir, "model.bin")
			}
			return trainRun(cmd.Context(), io, &o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&fieldFlag, "field", "z2", "coefficient field: z2 or z")
	fl.StringVar(&o.runDir, "run", "", "run directory (default runs/<format>-<field>)")
	fl.StringVar(&o.out, "out", "", "final model file (default <run>/model.bin)")
	fl.StringVar(&o.demoFormats, "demo-formats", "", "comma-separated formats of the demonstrations (default FORMAT)")
	fl.IntVar(&o.demoSteps, "demo-steps", 3000, "SGD steps on demonstrations only, before self-play")
	fl.IntVar(&o.demoMaxRank, "demo-max-rank", 0, "cap on the rank of a demonstration (default n*m*p of its format)")
	fl.Float64Var(&o.demoSub, "demo-sub", 0, "share of demonstrations drawn on random sub-axes before their change of basis (0..1)")
	fl.IntVar(&o.rounds, "rounds", 10, "self-play rounds")
	fl.IntVar(&o.games, "games", 32, "self-play games per round")
	fl.IntVar(&o.roundSteps, "round-steps", 300, "SGD steps after each self-play round")
	fl.IntVar(&o.sims, "sims", 200, "simulations per move in self-play")
	fl.IntVar(&o.samples, "samples", 32, "actions sampled per new node (K)")
	fl.Float64Var(&o.lookahead, "lookahead", 2, "reweight the policy by exp(-x * change of the rank bound) (0: off)")
	fl.IntVar(&o.batch, "batch", 128, "rows per SGD step")
	fl.Float64Var(&o.lr, "lr", 2e-4, "Adam learning rate")
	fl.IntVar(&o.hidden, "hidden", 0, "torso width of a new network (default by format)")
	fl.IntVar(&o.layers, "layers", 0, "torso layers of a new network (default 3)")
	fl.IntVar(&o.head, "head", 0, "head width of a new network (default 128)")
	fl.Uint64Var(&o.seed, "seed", 1, "random seed")
	fl.DurationVar(&o.time, "time", 24*time.Hour, "stop (with a checkpoint) after this long")
	fl.BoolVar(&o.fresh, "fresh", false, "start a new network even if the run has a checkpoint")
	fl.IntVar(&o.evalEvery, "eval-every", 500, "SGD steps between the training curve's held-out evaluations (0: none)")
	fl.IntVar(&o.evalProblems, "eval-problems", 32, "held-out synthetic problems of each evaluation")
	fl.IntVar(&o.evalSims, "eval-sims", 50, "simulations per move of the held-out games")
	fl.IntVar(&o.workers, "workers", 0, "self-play games at once (default 4 x GOMAXPROCS, at most 64 per CPU)")
	return cmd
}

func trainRun(ctx context.Context, io *IO, o *trainOptions) error {
	if err := os.MkdirAll(o.runDir, 0o755); err != nil {
		return fmt.Errorf("run directory: %w", err)
	}
	cfg := agent.TrainConfig{
		Format: o.format, Field: o.field, DemoMaxRank: o.demoMaxRank, DemoSubAxes: o.demoSub, BatchSize: o.batch, LR: o.lr,
		Search:  mcts.Config{Simulations: o.sims, Samples: o.samples, Lookahead: o.lookahead},
		Workers: o.workers, Seed: o.seed,
	}
	if o.demoFormats != "" {
		for _, s := range strings.Split(o.demoFormats, ",") {
			f, err := tensorgame.ParseFormat(s)
			if err != nil {
				return usageErrorf("--demo-formats: %v", err)
			}
			cfg.DemoFormats = append(cfg.DemoFormats, f)
		}
	}
	ckpt := filepath.Join(o.runDir, "agent.ckpt")
	var tr *agent.Trainer
	if _, err := os.Stat(ckpt); err == nil && !o.fresh {
		tr, err = agent.LoadTrainer(ckpt, cfg)
		if err != nil {
			return err
		}
		if got := tr.Config().Format; got != o.format || tr.Config().Field != o.field {
			return fmt.Errorf("%s: a run for %v over %v, not %v over %v (use another --run or --fresh)", ckpt, got, tr.Config().Field, o.format, o.field)
		}
		st := tr.State()
		fmt.Fprintf(io.ErrOut, "resuming %s: %d SGD steps, %d rounds, %d games, best rank %s\n", ckpt, st.Steps, st.Rounds, st.Games, rankString(st.BestRank))
	} else {
		a, b, c := networkAxes(o.format, cfg.DemoFormats)
		nc := agent.DefaultConfig(a, b, c, o.field)
		if o.hidden > 0 {
			nc.Hidden = o.hidden
		}
		if o.layers > 0 {
			nc.Layers = o.layers
		}
		if o.head > 0 {
			nc.Head = o.head
		}
		net, err := agent.NewNet(nc, rand.New(rand.NewPCG(o.seed, 0x1e7)))
		if err != nil {
			return err
		}
		tr, err = agent.NewTrainer(cfg, net)
		if err != nil {
			return err
		}
		fmt.Fprintf(io.ErrOut, "new network: axes %dx%dx%d, hidden %d x %d, head %d, %d parameters\n",
			nc.A, nc.B, nc.C, nc.Hidden, nc.Layers, nc.Head, net.NumParams())
	}
	if o.fresh {
		if err := os.Remove(filepath.Join(o.runDir, "curve.json")); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	evalSearch := mcts.Config{Simulations: o.evalSims, Samples: o.samples, Lookahead: o.lookahead}
	crv, err := openCurve(o.runDir, os.Args, tr.Net(), o.field, evalSearch, o.seed, o.evalEvery, o.evalProblems)
	if err != nil {
		return err
	}
	tctx, cancel := context.WithTimeout(ctx, o.time)
	defer cancel()
	if len(crv.Points) == 0 {
		err = crv.add(tctx, tr.Net(), tr.State().Steps, "start", 0, 0, 0)
	}
	if err == nil {
		err = trainLoop(tctx, io, o, tr, crv)
	}
	// Whatever happened, keep the progress: checkpoint and model.
	if serr := tr.Save(ckpt); serr != nil && err == nil {
		err = serr
	}
	if serr := tr.Net().Save(o.out); serr != nil && err == nil {
		err = serr
	}
	st := tr.State()
	fmt.Fprintf(io.Out, "%v over %v: %d SGD steps, %d self-play rounds, %d games (%d solved), best rank %s; model %s, checkpoint %s\n",
		o.format, o.field, st.Steps, st.Rounds, st.Games, st.Solved, rankString(st.BestRank), o.out, ckpt)
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		err = nil // --time elapsed: a normal end
	}
	return err
}

// networkAxes returns the axis lengths that fit f and every format of fs.
func networkAxes(f tensorgame.Format, fs []tensorgame.Format) (a, b, c int) {
	a, b, c = f.Dims()
	for _, g := range fs {
		x, y, z := g.Dims()
		a, b, c = max(a, x), max(b, y), max(c, z)
	}
	return a, b, c
}

func trainLoop(ctx context.Context, io *IO, o *trainOptions, tr *agent.Trainer, crv *trainCurve) error {
	ckpt := filepath.Join(o.runDir, "agent.ckpt")
	// Demonstration phase (the part not yet done by a resumed run).
	if left := int64(o.demoSteps) - tr.State().DemoSteps; left > 0 && tr.State().Rounds == 0 {
		if err := sgdSteps(ctx, io, tr, int(left), true, "demos", crv); err != nil {
			return err
		}
		if err := tr.Save(ckpt); err != nil {
			return err
		}
	}
	for r := tr.State().Rounds; r < int64(o.rounds); r = tr.State().Rounds {
		start := time.Now()
		rs, err := tr.SelfPlay(ctx, o.games, func(fd agent.Found) error {
			path := filepath.Join(o.runDir, pool.FileName(fd.Scheme.Format, fd.Scheme.Field, fd.Scheme.Rank()))
			fd.Scheme.Origin = tensorgame.Derive(tensorgame.MoveTrain)
			fd.Scheme.Origin.Params = map[string]string{"round": strconv.FormatInt(fd.Round+1, 10), "seed": strconv.FormatUint(o.seed, 10)}
			fd.Scheme.Comments = append(fd.Scheme.Comments, fmt.Sprintf("found by alphamat train self-play, round %d, seed %d", fd.Round+1, o.seed))
			if err := tensorgame.WriteFile(path, fd.Scheme); err != nil {
				return err
			}
			fmt.Fprintf(io.ErrOut, "self-play found rank %d -> %s\n", fd.Scheme.Rank(), path)
			return nil
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(io.ErrOut, "round %d/%d: %d games at limit %d, %d solved (best %s), mean return %.2f, %d sims (%.0f/s), batch %.1f\n",
			r+1, o.rounds, rs.Games, rs.Limit, rs.Solved, rankString(rs.BestRank), rs.MeanReturn,
			rs.Search.Simulations, float64(rs.Search.Simulations)/time.Since(start).Seconds(), rs.MeanBatch)
		if err := sgdSteps(ctx, io, tr, o.roundSteps, false, fmt.Sprintf("round %d", r+1), crv); err != nil {
			return err
		}
		if err := tr.Save(ckpt); err != nil {
			return err
		}
	}
	return nil
}

// sgdSteps runs n SGD steps under a progress bar showing the running loss
// and accuracy, and adds the points of the training curve that fall in
// them and one at their end.
func sgdSteps(ctx context.Context, io *IO, tr *agent.Trainer, n int, demosOnly bool, what string, crv *trainCurve) error {
	if n == 0 {
		return nil
	}
	bar := progressbar.NewOptions(n,
		progressbar.OptionSetWriter(io.ErrOut),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("steps"),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(io.ErrOut) }),
	)
	const ema = 0.02
	var loss, acc, verr float64
	for i := range n {
		if err := ctx.Err(); err != nil {
			return err
		}
		st, err := tr.TrainStep(demosOnly)
		if err != nil {
			return err
		}
		if i == 0 {
			loss, acc, verr = st.Loss, st.ActionAcc, st.ValueErr
		} else {
			loss += ema * (st.Loss - loss)
			acc += ema * (st.ActionAcc - acc)
			verr += ema * (st.ValueErr - verr)
		}
		bar.Describe(fmt.Sprintf("%s  loss %.3f  acc %4.1f%%  value err %.2f", what, loss, 100*acc, verr))
		_ = bar.Add(1)
		if step := tr.State().Steps; i == n-1 || crv.due(step) {
			if err := crv.add(ctx, tr.Net(), step, what, loss, acc, verr); err != nil {
				return err
			}
		}
	}
	return nil
}
