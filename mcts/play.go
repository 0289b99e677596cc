package mcts

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"github.com/alphamat/alphamat/tensorgame"
)

// PlayConfig sets Play. Zero fields take their defaults.
type PlayConfig struct {
	// Format and Field give the target, the matmul tensor T(Format).
	Format tensorgame.Format
	Field  tensorgame.Field
	// Search sets each game's tree search.
	Search Config
	// Workers is the number of games played at once (default 4·GOMAXPROCS,
	// so that a Batcher sees batches while some games are between calls).
	Workers int
	// Games stops Play after that many games (0: until ctx ends).
	Games int
	// Limit is the step limit of the games (default n·m·p). Once a scheme
	// of rank R is found, later games get the limit R-1 unless FixedLimit.
	Limit      int
	FixedLimit bool
	// Target stops Play once a scheme of rank ≤ Target is found (0: never).
	Target int
	// Seed seeds the games and the changes of basis.
	Seed uint64
	// Bases selects the changes of basis of the games (default
	// DefaultBases).
	Bases Bases
	// Finisher, if set, is offered the states the games' searches expand
	// (in the game's changed basis; Search.SetFinisher).
	Finisher Finisher
	// OnGame, if set, sees every finished game on the target itself (in
	// its changed basis, with the *tensorgame.TensorBasis as Job.Tag);
	// calls are never concurrent.
	OnGame func(Job, *Result) error
	// Split, when set, also plays the sums of blocks of the target (see
	// Blocks): wherever the support of a tensor (the target, or such a
	// sum) falls into parts on disjoint coordinates of two axes, each
	// grouping of the parts into two is a pair of smaller targets whose
	// decompositions together decompose it. Play plays every such
	// sub-target, cropped to its support (equal crops once), as games of
	// its own, next the one (the target among them) whose games have had
	// the least time by their mean length, combines the best
	// decompositions of the parts, and reports a combination that beats
	// the best so far as it would a game's scheme. A sub-target is played
	// until its step limit (one below its best, or the best of its parts'
	// combinations) falls below the largest rank of its unfoldings, as is
	// the target itself, with or without Split.
	Split bool
	// Playable, if set, reports whether games may be played on a
	// (cropped) target (for example whether an evaluator's axes hold
	// it); the others, the target included, get only the combinations
	// of their parts. Nil: all are.
	Playable func(*tensorgame.Tensor) bool
}

// Bases is a schedule of the changes of basis Play plays the target
// under.
type Bases int

const (
	// DefaultBases: over Z2 the first game in the standard basis, then
	// uniformly random bases; over Z the first game of each worker in the
	// standard basis, then signed permutations and a few elementary moves.
	DefaultBases Bases = iota
	// PermutedBases: the first game in the standard basis, then random
	// (over Z signed) permutations of each axis. Under them the 3x3x3
	// model takes sparse terms, such as the products of one column of
	// 2×2×3, that leave sub-problems SubGames can play.
	PermutedBases
)

// PlayStats counts the work of Play.
type PlayStats struct {
	Games, Solved int64
	Best          int // smallest rank found (0: none)
	Search        Stats
	// SplitTargets counts the distinct cropped sub-targets of a split
	// Play (PlayConfig.Split), SplitGames the games played on them.
	SplitTargets int
	SplitGames   int64
}

// Play searches for schemes of T(Format): games in parallel, each on the
// target under a random change of basis (cfg.Bases; by default over Z2 the
// first game in the standard basis, then uniform bases, over Z the first
// game of each worker in the standard basis, then signed permutations and
// a few elementary moves), all sharing ev. Each scheme a game finds is
// mapped back to the standard basis and verified; found is called (never
// concurrently) with each that is better than all before. Play ends when
// ctx ends (it then returns ctx's error), after Games games, or when Target
// is reached.
func Play(ctx context.Context, cfg PlayConfig, ev StateEvaluator, found func(*tensorgame.Scheme) error) (PlayStats, error) {
	f, field := cfg.Format, cfg.Field
	if !f.Valid() {
		return PlayStats{}, fmt.Errorf("mcts: invalid format %v", f)
	}
	if field != tensorgame.Z2 && field != tensorgame.Z {
		return PlayStats{}, fmt.Errorf("mcts: field %v: want Z2 or Z", field)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 4 * runtime.GOMAXPROCS(0)
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	p := &player{cfg: cfg, found: found, stop: cancel, target: tensorgame.MatMul(f),
		rng: rand.New(rand.NewPCG(cfg.Seed, 0x91a7))}
	sp, err := newSplitter(p.target, field, cfg.Split, cfg.Playable)
	if err != nil {
		return PlayStats{}, err
	}
	p.split = sp
	p.st.SplitTargets = len(sp.classes) - 1
	root := sp.classes[0]
	root.limit = cfg.Limit
	if root.limit <= 0 {
		root.limit = f.Naive()
	}
	if !cfg.Split && !root.playable {
		return PlayStats{}, fmt.Errorf("mcts: %v is not playable", f)
	}
	err = Run(ctx, cfg.Workers, ev, p.next, p.done)
	if reached := p.st.Best != 0 && p.st.Best <= cfg.Target; reached && parent.Err() == nil && errors.Is(err, context.Canceled) {
		err = nil // our own stop at the target
	}
	return p.st, err
}

// player hands Run the games of Play and takes their results.
type player struct {
	cfg    PlayConfig
	found  func(*tensorgame.Scheme) error
	stop   context.CancelFunc // called at the target
	target *tensorgame.Tensor // T(cfg.Format)

	mu     sync.Mutex // guards the fields below
	rng    *rand.Rand
	split  *splitter // the target (split.targets[0]) and its sub-targets
	issued int       // games handed out
	st     PlayStats
}

// gameTag is the Job.Tag of a game of a split Play: its class (see
// splitter) and basis.
type gameTag struct {
	class int
	basis *tensorgame.TensorBasis
	start time.Time
}

// next returns the next game: the open class of targets that has had the
// least time (splitter.pick), under its next basis.
func (p *player) next(worker int) (Job, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cfg.Games > 0 && p.issued >= p.cfg.Games {
		return Job{}, false
	}
	id := p.split.pick()
	if id < 0 {
		return Job{}, false // nothing left to play
	}
	cl := p.split.classes[id]
	bs := p.basis(cl)
	p.issued++
	cl.games++
	g := &tensorgame.Game{Target: bs.Tensor(cl.crop), Field: p.cfg.Field, MaxSteps: cl.limit}
	var tag any = bs
	if p.cfg.Split {
		tag = &gameTag{class: id, basis: bs, start: time.Now()}
	}
	return Job{Game: g, Config: p.cfg.Search, Seed: p.rng.Uint64(), Tag: tag, Finisher: p.cfg.Finisher}, true
}

// basis returns the change of basis of the next game (see Play).
func (p *player) basis(cl *class) *tensorgame.TensorBasis {
	a, b, c := cl.crop.A, cl.crop.B, cl.crop.C
	field, rng, issued := p.cfg.Field, p.rng, cl.games
	switch {
	case issued == 0:
		return tensorgame.IdentityTensorBasis(a, b, c, field)
	case !cl.root && field == tensorgame.Z2 && issued%2 == 0:
		// Sub-targets of a split Play take turns between the schedule's
		// bases and uniformly random ones, under which the 2x2x2 model
		// solved more T(2,2,2) games (docs/experiments.md, "Bases of the
		// games over Z2").
		return tensorgame.RandomTensorBasis(rng, a, b, c, field, -1)
	case p.cfg.Bases == PermutedBases:
		return tensorgame.RandomTensorBasis(rng, a, b, c, field, 0)
	case field == tensorgame.Z2:
		// Over Z2 every game but the first is played in a uniformly
		// random basis, which solved more games than the mixed
		// schedule below (docs/experiments.md, "Bases of the games
		// over Z2").
		return tensorgame.RandomTensorBasis(rng, a, b, c, field, -1)
	case issued < p.cfg.Workers:
		return tensorgame.IdentityTensorBasis(a, b, c, field)
	case issued%3 == 0:
		return tensorgame.RandomTensorBasis(rng, a, b, c, field, 0)
	case issued%3 == 1 || field != tensorgame.Z2:
		return tensorgame.RandomTensorBasis(rng, a, b, c, field, 1+rng.IntN(max(a, b, c)))
	default:
		return tensorgame.RandomTensorBasis(rng, a, b, c, field, -1)
	}
}

// done counts a finished game, records its scheme for its target and
// hands a scheme of the target better than all before, mapped back to the
// standard basis and verified, to found.
func (p *player) done(job Job, res *Result) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.st.Games++
	p.st.Search.Add(res.Stats)
	id, bs := 0, (*tensorgame.TensorBasis)(nil)
	switch tag := job.Tag.(type) {
	case *gameTag:
		id, bs = tag.class, tag.basis
		cl := p.split.classes[id]
		cl.done++
		cl.spent += time.Since(tag.start)
		if !cl.root {
			p.st.SplitGames++
		}
	case *tensorgame.TensorBasis:
		bs = tag
	}
	if id == 0 && p.cfg.OnGame != nil {
		if err := p.cfg.OnGame(Job{Game: job.Game, Config: job.Config, Seed: job.Seed, Tag: bs, Finisher: job.Finisher}, res); err != nil {
			return err
		}
	}
	if res.Best == nil {
		return nil
	}
	p.st.Solved++
	back := make([]tensorgame.Action, len(res.Best))
	for i, act := range res.Best {
		back[i] = bs.Unmap(act)
	}
	better, err := p.split.solved(id, back)
	if err != nil || !better {
		return err
	}
	p.split.recombine()
	r := p.split.comb[0]
	if r == 0 || p.st.Best != 0 && r >= p.st.Best {
		return nil
	}
	sch, err := tensorgame.NewGame(p.cfg.Format, p.cfg.Field, r).Scheme(p.split.actions(0))
	if err != nil {
		return err
	}
	if err := tensorgame.Verify(sch); err != nil {
		return fmt.Errorf("mcts: found scheme does not verify: %w", err)
	}
	p.st.Best = r
	if !p.cfg.FixedLimit {
		root := p.split.classes[0]
		root.limit = min(root.limit, r-1)
	}
	if p.found != nil {
		if err := p.found(sch); err != nil {
			return err
		}
	}
	if p.cfg.Target > 0 && r <= p.cfg.Target {
		p.stop()
	}
	return nil
}
