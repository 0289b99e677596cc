package agent

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"

	"github.com/alphamat/alphamat/mcts"
	"github.com/alphamat/alphamat/tensorgame"
)

// TrainConfig sets a training run. Zero fields take their defaults.
type TrainConfig struct {
	// Format is the self-play target: the matmul tensor T(Format), played
	// under random changes of basis.
	Format tensorgame.Format
	// Field is Z2 or Z.
	Field tensorgame.Field
	// DemoFormats are the formats whose axes the synthetic demonstrations
	// take (default: Format alone). Their axes must fit the network.
	DemoFormats []tensorgame.Format
	// DemoMaxRank caps the rank of a demonstration; ranks are uniform in
	// 1..min(DemoMaxRank, n·m·p) (default: up to n·m·p).
	DemoMaxRank int
	// DemoSubAxes is the share of demonstrations drawn on random sub-axes
	// (RandomSubDemo: each axis of length n cut to n-k, k uniform in
	// 0..n/2) before their change of basis, so that the network also sees
	// tensors whose slices span less than the whole axes, like the
	// residuals left once a sub-problem is split off (default 0: none).
	// No gain measured yet (docs/experiments.md, "Options without a
	// measured gain").
	DemoSubAxes float64
	// BatchSize is the number of rows per SGD step (default 128).
	BatchSize int
	// LR is Adam's learning rate (default 2e-4; 5e-4 and more diverged with
	// the 256-wide network).
	LR float64
	// SelfPlayFraction is the share of batch rows drawn from self-play data
	// once there is some (default 0.5); the rest are fresh demonstrations.
	SelfPlayFraction float64
	// BufferSize bounds the self-play replay buffer (default 20000 positions).
	BufferSize int
	// Search sets the self-play tree search. SampleMoves defaults to 2.
	Search mcts.Config
	// Workers is the number of games played at once (default 4·GOMAXPROCS).
	Workers int
	// Seed seeds the run (weights, demonstrations, self-play).
	Seed uint64
}

func (c TrainConfig) withDefaults() TrainConfig {
	if len(c.DemoFormats) == 0 {
		c.DemoFormats = []tensorgame.Format{c.Format}
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 128
	}
	if c.LR <= 0 {
		c.LR = 2e-4
	}
	if c.SelfPlayFraction <= 0 {
		c.SelfPlayFraction = 0.5
	}
	if c.BufferSize <= 0 {
		c.BufferSize = 20000
	}
	if c.Search.SampleMoves == 0 {
		c.Search.SampleMoves = 2
	}
	if c.Workers <= 0 {
		c.Workers = 4 * runtime.GOMAXPROCS(0)
	}
	return c
}

// TrainState is the progress of a run, saved in its checkpoints.
type TrainState struct {
	Steps      int64 // SGD steps done
	DemoSteps  int64 // of which in the demonstration phase
	Rounds     int64 // self-play rounds done
	Games      int64 // self-play games played
	Solved     int64 // games in which the search reached a zero residual
	BestRank   int   // smallest rank found by self-play (0: none)
	Rejected   int64 // demonstrations refused by the Guard
	Solutions  int64 // solutions kept as training data
	LastLoss   float64
	LastAcc    float64
	LastValErr float64
}

// StepStats describes one SGD step.
type StepStats struct {
	Loss, PolicyLoss, ValueLoss float64
	// TokenAcc is the share of target tokens that are the network's most
	// likely value under teacher forcing; ActionAcc the share of rows with
	// all tokens right.
	TokenAcc, ActionAcc float64
	// ValueErr is the mean absolute error of the value, in ranks.
	ValueErr float64
	GradNorm float64
}

// Trainer trains a Net: SGD steps on synthetic demonstrations and self-play
// positions, and self-play rounds that produce those positions.
//
// No known scheme of the target enters the training data: the
// demonstrations are sums of random terms, and the Guard refuses any whose
// tensor could be a matmul tensor in some basis (see Guard); the trainer
// reads no scheme files. The only decompositions of the target it learns
// from are those its own tree search finds during self-play.
type Trainer struct {
	cfg   TrainConfig
	net   *Net
	opt   *adam
	gr    *graph
	guard *Guard
	pcg   *rand.PCG
	rng   *rand.Rand

	buf     []*example
	bufNext int
	sols    []*Demo // self-play solutions, in their game's basis
	state   TrainState
}

// NewTrainer returns a trainer for net (new or loaded from a checkpoint).
func NewTrainer(cfg TrainConfig, net *Net) (*Trainer, error) {
	cfg = cfg.withDefaults()
	if cfg.Field != net.cfg.Field {
		return nil, fmt.Errorf("agent: training over %v a network over %v", cfg.Field, net.cfg.Field)
	}
	for _, f := range append([]tensorgame.Format{cfg.Format}, cfg.DemoFormats...) {
		if a, b, c := f.Dims(); !net.cfg.Fits(a, b, c) {
			return nil, fmt.Errorf("agent: format %v does not fit the %d×%d×%d network", f, net.cfg.A, net.cfg.B, net.cfg.C)
		}
	}
	gr, err := newGraph(net, cfg.BatchSize)
	if err != nil {
		return nil, err
	}
	var held []*tensorgame.Tensor
	for _, d := range HeldOut(heldOutSize, cfg.Field) {
		held = append(held, d.Tensor)
	}
	t := &Trainer{
		cfg:   cfg,
		net:   net,
		opt:   newAdam(net.w, cfg.LR),
		gr:    gr,
		guard: NewGuard(held),
		pcg:   rand.NewPCG(cfg.Seed, 0x5eed),
	}
	t.rng = rand.New(t.pcg)
	return t, nil
}

// heldOutSize is the size of the held-out set that training excludes.
const heldOutSize = 400

// Net returns the network being trained.
func (t *Trainer) Net() *Net { return t.net }

// State returns the progress so far.
func (t *Trainer) State() TrainState { return t.state }

// Config returns the trainer's configuration (with defaults filled in).
func (t *Trainer) Config() TrainConfig { return t.cfg }

// demo draws a fresh demonstration: a random format of DemoFormats, rank
// uniform in 1..DemoMaxRank, a random change of basis (none, a permutation, a few
// elementary moves or, over Z2, a uniform one), redrawn until the Guard
// allows it.
func (t *Trainer) demo() *Demo {
	for {
		f := t.cfg.DemoFormats[t.rng.IntN(len(t.cfg.DemoFormats))]
		maxRank := f.Naive()
		if t.cfg.DemoMaxRank > 0 {
			maxRank = min(maxRank, t.cfg.DemoMaxRank)
		}
		rank := 1 + t.rng.IntN(maxRank)
		var d *Demo
		if t.cfg.DemoSubAxes > 0 && t.rng.Float64() < t.cfg.DemoSubAxes {
			var sub [3]int
			a, b, c := f.Dims()
			for i, n := range [3]int{a, b, c} {
				sub[i] = n - t.rng.IntN(n/2+1)
			}
			d = RandomSubDemo(t.rng, f, t.cfg.Field, rank, sub)
		} else {
			d = RandomDemo(t.rng, f, t.cfg.Field, rank)
		}
		d = t.augment(d)
		if d == nil || d.Tensor.IsZero() {
			continue
		}
		if !t.guard.Allowed(d.Tensor) {
			t.state.Rejected++
			continue
		}
		return d
	}
}

// augment applies a random change of basis to d (nil if the result leaves
// the coefficient set).
func (t *Trainer) augment(d *Demo) *Demo {
	a, b, c := d.Format.Dims()
	var moves int
	switch r := t.rng.IntN(4); {
	case r == 0:
		return d
	case r == 1:
		moves = 0 // (signed) permutation
	case r == 2 || t.cfg.Field != tensorgame.Z2:
		moves = 1 + t.rng.IntN(max(a, b, c))
	default:
		moves = -1 // uniform over GL, Z2 only
	}
	out, ok := d.transform(tensorgame.RandomTensorBasis(t.rng, a, b, c, t.cfg.Field, moves))
	if !ok {
		return nil
	}
	return out
}

// solutionExample draws a training position from a scheme found in
// self-play: a random subset of its terms (their sum is a residual the
// game passes through, in some order) with a random term as target.
func (t *Trainer) solutionExample() *example {
	s := t.sols[t.rng.IntN(len(t.sols))]
	k := 1 + t.rng.IntN(s.Rank())
	perm := t.rng.Perm(s.Rank())[:k]
	a, b, c := s.Tensor.A, s.Tensor.B, s.Tensor.C
	d := &Demo{Format: s.Format, Tensor: tensorgame.NewTensor(a, b, c)}
	for _, i := range perm {
		term := s.Terms[i]
		d.Terms = append(d.Terms, term)
		neg := int8To32(term.U)
		for j := range neg {
			neg[j] = -neg[j]
		}
		d.Tensor.SubTerm(neg, int8To32(term.V), int8To32(term.W), t.cfg.Field == tensorgame.Z2)
	}
	if d.Tensor.IsZero() {
		return demoExample(t.demo(), t.rng.IntN(3))
	}
	return demoExample(d, t.rng.IntN(3))
}

// TrainStep runs one SGD step. With demosOnly every row is a fresh
// demonstration; otherwise SelfPlayFraction of the rows come from the
// self-play buffer and the schemes self-play found (when there are any).
func (t *Trainer) TrainStep(demosOnly bool) (StepStats, error) {
	rows := make([]*example, t.cfg.BatchSize)
	for i := range rows {
		switch {
		case !demosOnly && len(t.buf) > 0 && t.rng.Float64() < t.cfg.SelfPlayFraction:
			if len(t.sols) > 0 && t.rng.IntN(2) == 0 {
				rows[i] = t.solutionExample()
			} else {
				rows[i] = t.buf[t.rng.IntN(len(t.buf))]
			}
		default:
			rows[i] = demoExample(t.demo(), t.rng.IntN(3))
		}
	}
	fb := t.gr.fill(t.rng, rows)
	toks := fb.toks
	loss, pol, val, grads, err := t.gr.run()
	if err != nil {
		return StepStats{}, err
	}
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return StepStats{}, errors.New("agent: training diverged (loss is not finite)")
	}
	st := StepStats{Loss: loss, PolicyLoss: pol, ValueLoss: val}
	// Accuracy from the graph's outputs, before the weights move.
	nt := len(t.net.lay.tokens)
	right, full := 0, 0
	for r := range rows {
		all := true
		for i, tok := range t.net.lay.tokens {
			lp := t.gr.logProbs(i)[r*tok.vocab : (r+1)*tok.vocab]
			best := 0
			for v := range lp {
				if lp[v] > lp[best] {
					best = v
				}
			}
			if best == toks[r][i] {
				right++
			} else {
				all = false
			}
		}
		if all {
			full++
		}
	}
	vals := t.gr.values()
	for r, e := range fb.used {
		st.ValueErr += math.Abs(float64(vals[r])*valueScale - e.value)
	}
	st.TokenAcc = float64(right) / float64(len(rows)*nt)
	st.ActionAcc = float64(full) / float64(len(rows))
	st.ValueErr /= float64(len(rows))
	st.GradNorm = t.opt.step(t.net.w, grads, 1)
	t.state.Steps++
	if demosOnly {
		t.state.DemoSteps++
	}
	t.state.LastLoss, t.state.LastAcc, t.state.LastValErr = loss, st.ActionAcc, st.ValueErr
	return st, nil
}

// Found is a scheme found by self-play, mapped back to the standard basis
// and verified.
type Found struct {
	Scheme *tensorgame.Scheme
	Round  int64
}

// RoundStats summarises a self-play round.
type RoundStats struct {
	Games, Solved int
	BestRank      int // best rank found in the round (0: none)
	Limit         int // step limit of the round's games
	MeanReturn    float64
	Search        mcts.Stats
	MeanBatch     float64
}

// limit returns the step limit of a self-play round: the format's naive
// rank until a scheme is found, then the best rank found (three rounds in
// four: the games that reach it teach the network the way there) or one
// less (reaching for a better scheme).
func (t *Trainer) limit() int {
	naive := t.cfg.Format.Naive()
	if t.state.BestRank == 0 {
		return naive
	}
	if t.rng.IntN(4) != 0 {
		return t.state.BestRank
	}
	return max(t.state.BestRank-1, 1)
}

// SelfPlay plays games on T(Format) under random changes of basis with the
// current network (mcts.Play), adds their positions (visit distributions
// as policy targets, realised remaining cost as value targets) to the
// replay buffer, and keeps every scheme found as training data. found, if
// not nil, is called with each verified scheme that improves on the best
// rank of the run.
func (t *Trainer) SelfPlay(ctx context.Context, games int, found func(Found) error) (RoundStats, error) {
	limit := t.limit()
	batcher := mcts.NewBatcher(t.net, t.cfg.Workers, 1)
	defer batcher.Close()
	stats := RoundStats{Limit: limit}
	onGame := func(job mcts.Job, res *mcts.Result) error {
		stats.MeanReturn += res.Return
		t.state.Games++
		cost := -res.Return
		for _, m := range res.Moves {
			e := &example{resid: m.Residual, stepsLeft: limit - m.Steps, value: cost - float64(m.Steps)}
			for i := range m.Actions.N() {
				if m.Visits[i] > 0 {
					e.actions = append(e.actions, append([]int8(nil), m.Actions.Coefs(i)...))
					e.weights = append(e.weights, float64(m.Visits[i]))
				}
			}
			if len(e.actions) > 0 {
				t.push(e)
			}
		}
		if res.Best != nil {
			t.state.Solved++
			t.keepSolution(job.Game, res.Best)
			if r := len(res.Best); stats.BestRank == 0 || r < stats.BestRank {
				stats.BestRank = r
			}
		}
		return nil
	}
	cfg := mcts.PlayConfig{
		Format: t.cfg.Format, Field: t.cfg.Field, Search: t.cfg.Search, Workers: t.cfg.Workers,
		Games: games, Limit: limit, FixedLimit: true, Seed: t.rng.Uint64(), OnGame: onGame,
	}
	st, err := mcts.Play(ctx, cfg, batcher, func(s *tensorgame.Scheme) error {
		if t.state.BestRank != 0 && s.Rank() >= t.state.BestRank {
			return nil
		}
		t.state.BestRank = s.Rank()
		if found != nil {
			return found(Found{Scheme: s, Round: t.state.Rounds})
		}
		return nil
	})
	stats.Games, stats.Solved = int(st.Games), int(st.Solved)
	stats.Search = st.Search
	stats.MeanBatch = batcher.Stats().MeanBatch()
	if stats.Games > 0 {
		stats.MeanReturn /= float64(stats.Games)
	}
	if err == nil {
		t.state.Rounds++
	}
	return stats, err
}

// keepSolution stores a scheme found on game (in its basis) and adds the
// positions along it to the buffer.
func (t *Trainer) keepSolution(g *tensorgame.Game, acts []tensorgame.Action) {
	d := &Demo{Format: t.cfg.Format, Tensor: g.Target.Clone(), Terms: acts}
	const maxSols = 256
	if len(t.sols) < maxSols {
		t.sols = append(t.sols, d)
	} else {
		t.sols[t.rng.IntN(maxSols)] = d
	}
	t.state.Solutions++
	st := g.Start()
	for i, act := range acts {
		e := &example{resid: st.Residual.Clone(), stepsLeft: g.MaxSteps - i, value: float64(len(acts) - i),
			actions: [][]int8{flatAction(act)}, weights: []float64{1}}
		t.push(e)
		st.Apply(act)
	}
}

func (t *Trainer) push(e *example) {
	if len(t.buf) < t.cfg.BufferSize {
		t.buf = append(t.buf, e)
		return
	}
	t.buf[t.bufNext] = e
	t.bufNext = (t.bufNext + 1) % t.cfg.BufferSize
}
