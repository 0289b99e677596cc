package mcts

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"math/rand/v2"

	"github.com/alphamat/alphamat/tensorgame"
)

// Config sets the search. The zero value of a field selects its default.
type Config struct {
	// Simulations per committed move (default 200).
	Simulations int
	// Samples is K, the actions drawn from the policy at each new node
	// (default 32).
	Samples int
	// RootSamples is K at the game's initial state (default Samples): more
	// candidate first moves, where the search spends the most simulations
	// and the policy is least sure.
	RootSamples int
	// CPuct weighs the prior against Q in PUCT (default 1.5).
	CPuct float64
	// DirichletAlpha and NoiseFraction set the Dirichlet noise mixed into
	// the root prior (defaults 0.3 and 0.25; NoiseFraction < 0 disables it).
	DirichletAlpha, NoiseFraction float64
	// SampleMoves is the number of opening moves chosen in proportion to the
	// visit counts (self-play exploration); later moves, and all when it is
	// 0, take the most visited edge.
	SampleMoves int
	// NoRankOneFinish disables the exact endgame: by default a residual of
	// rank one (whose term is legal) gets that term as its only edge without
	// an evaluation, as the rank-one term is the only one-step finish.
	NoRankOneFinish bool
	// StopOnSolve ends the game as soon as any simulation has reached a zero
	// residual (the scheme is then in Result.Best).
	StopOnSolve bool
	// Lookahead, when positive, reweights the policy by a one-step
	// lookahead on TensorGame's own rank bound: the K actions of a new node
	// are drawn from π(a)·exp(-Lookahead·Δ(a)), where Δ(a) is the change of
	// tensorgame.RankBound when a is played (negative when a simplifies the
	// residual), by resampling LookaheadPool·K draws of π. 0 disables it.
	Lookahead float64
	// LookaheadPool is the oversampling factor of the lookahead (default 4).
	LookaheadPool int
	// BestWeight mixes, in an edge's Q, the best return any simulation
	// through the child has seen into the child's mean return:
	// Q = -1 + mean + BestWeight·(best - mean). TensorGame is a
	// deterministic one-player game, where a state is worth its best
	// continuation, not the average of the tried ones (default 0: plain
	// AlphaZero means; negative values count as 0).
	BestWeight float64
}

func (c Config) withDefaults() Config {
	if c.Simulations <= 0 {
		c.Simulations = 200
	}
	if c.Samples <= 0 {
		c.Samples = 32
	}
	if c.RootSamples <= 0 {
		c.RootSamples = c.Samples
	}
	if c.CPuct <= 0 {
		c.CPuct = 1.5
	}
	if c.DirichletAlpha <= 0 {
		c.DirichletAlpha = 0.3
	}
	if c.NoiseFraction == 0 {
		c.NoiseFraction = 0.25
	}
	if c.NoiseFraction < 0 {
		c.NoiseFraction = 0
	}
	c.BestWeight = min(max(c.BestWeight, 0), 1)
	if c.LookaheadPool <= 0 {
		c.LookaheadPool = 4
	}
	return c
}

type nodeKind uint8

const (
	unexpanded nodeKind = iota
	expanded
	terminal
)

type node struct {
	hash    uint64
	w       float64 // sum of the returns of the visits
	best    float32 // best return of a visit
	n       int32   // visits
	steps   int32
	first   int32 // first edge in Search.edges
	nEdges  int32
	kind    nodeKind
	solved  bool
	noised  bool
	termVal float32 // return of a terminal node
}

type edge struct {
	act   int32 // offset of the action in Search.acts
	child int32 // node index, or nilNode before the first visit
	n     int32
	draws int32 // times the policy drew the action
	prior float32
}

const nilNode = -1

type tableKey struct {
	hash  uint64
	steps int32
}

// arena holds the nodes of a tree: nodes, their edges, the edges'
// actions and the nodes' residuals, all addressed by int32 index.
type arena struct {
	nodes []node
	edges []edge
	acts  []int8
	resid []int32
	table map[tableKey]int32
}

func (a *arena) reset() {
	a.nodes = a.nodes[:0]
	a.edges = a.edges[:0]
	a.acts = a.acts[:0]
	a.resid = a.resid[:0]
	clear(a.table)
}

// Move is the record of one committed move, the training target of
// self-play: the state, the root's edges and their visit counts.
type Move struct {
	Residual *tensorgame.Tensor
	Steps    int
	// Actions holds the root's edges (Count is the number of policy draws).
	Actions Samples
	// Visits[i] is the visit count of Actions' edge i.
	Visits []int
	// Chosen is the index in Actions of the move played.
	Chosen int
	// Value is the root's mean return (minus the predicted remaining rank).
	Value float64
}

// Result is the outcome of one game.
type Result struct {
	// Played are the committed actions, in order.
	Played []tensorgame.Action
	// Solved reports whether the committed actions reached a zero residual.
	Solved bool
	// Return is the game's total reward: -steps, minus the terminal penalty
	// when unsolved.
	Return float64
	// Best is the shortest action list that reached a zero residual in any
	// simulation (nil if none): a decomposition of the target.
	Best []tensorgame.Action
	// Moves records the committed moves (for training).
	Moves []Move
	// Stats counts the work of the game.
	Stats Stats
}

// Stats counts the work of a search.
type Stats struct {
	Simulations int64
	Evaluations int64
	Nodes       int64 // nodes created
	TableHits   int64 // edges that found their child in the transposition table
	Finishes    int64 // rank-one endgames resolved without an evaluation
	Finished    int64 // solutions completed by the Finisher
}

// Add adds o to s.
func (s *Stats) Add(o Stats) {
	s.Simulations += o.Simulations
	s.Evaluations += o.Evaluations
	s.Nodes += o.Nodes
	s.TableHits += o.TableHits
	s.Finishes += o.Finishes
	s.Finished += o.Finished
}

// Finisher tries to finish a game outright from a state, for example by
// playing the residual as a smaller game of its own (see SubGames). The
// search offers it every state it expands (except rank-one endgames).
type Finisher interface {
	// Finish returns actions, legal in state's game, that reduce the
	// residual to zero in at most the steps left (state.Game.MaxSteps -
	// state.Steps), or nil. It must not modify or keep state, and is
	// called concurrently by the searches that share it.
	Finish(ctx context.Context, state tensorgame.State) ([]tensorgame.Action, error)
}

// Search plays one game of TensorGame by tree search. It is used by one
// goroutine.
type Search struct {
	cfg  Config
	ev   StateEvaluator
	rng  *rand.Rand
	game *tensorgame.Game
	seed maphash.Seed

	a, b, c, size, alen int
	mod2                bool

	cur, spare arena
	remap      []int32
	root       int32
	minQ, maxQ float64

	played   []tensorgame.Action
	best     []tensorgame.Action
	stats    Stats
	finisher Finisher

	// scratch
	st        tensorgame.State
	stTensor  tensorgame.Tensor
	samples   Samples
	path      []int32
	pathEdges []int32
	gamma     []float64
	finish    []int8
	pool      Samples
	weights   []float64
	bd        *bounder
	scratch   []int32
}

// NewSearch returns a search at the start of game.
func NewSearch(game *tensorgame.Game, ev StateEvaluator, cfg Config, rng *rand.Rand) *Search {
	t := game.Target
	s := &Search{
		cfg:  cfg.withDefaults(),
		ev:   ev,
		rng:  rng,
		game: game,
		seed: maphash.MakeSeed(),
		a:    t.A, b: t.B, c: t.C,
		size: len(t.Data),
		alen: t.A + t.B + t.C,
		mod2: game.Field == tensorgame.Z2,
	}
	s.cur.table = make(map[tableKey]int32)
	s.spare.table = make(map[tableKey]int32)
	s.st = tensorgame.State{Game: game, Residual: tensorgame.NewTensor(t.A, t.B, t.C)}
	s.stTensor = tensorgame.Tensor{A: t.A, B: t.B, C: t.C}
	s.finish = make([]int8, s.alen)
	start := game.Start()
	s.root = s.newNode(start.Residual.Data, 0, -1)
	s.minQ, s.maxQ = math.Inf(1), math.Inf(-1)
	return s
}

// SetFinisher makes the search offer every state it expands to f (nil:
// none); a solution f returns is kept like one the search reached.
func (s *Search) SetFinisher(f Finisher) { s.finisher = f }

// Stats returns the work done so far.
func (s *Search) Stats() Stats { return s.stats }

// Best returns the shortest solution met so far (nil if none).
func (s *Search) Best() []tensorgame.Action { return s.best }

// Done reports whether the game is over.
func (s *Search) Done() bool { return s.cur.nodes[s.root].kind == terminal }

// newNode adds a node for residual at steps and classifies it: solved when
// the residual is zero, terminal with the return -penalty when steps reach
// the limit (penalty < 0 means: compute tensorgame.RankBound).
func (s *Search) newNode(resid []int32, steps int, penalty float64) int32 {
	ar := &s.cur
	id := int32(len(ar.nodes))
	h := s.hashResid(resid)
	ar.nodes = append(ar.nodes, node{hash: h, steps: int32(steps), first: -1})
	ar.resid = append(ar.resid, resid...)
	ar.table[tableKey{h, int32(steps)}] = id
	nd := &ar.nodes[id]
	zero := true
	for _, x := range resid {
		if x != 0 {
			zero = false
			break
		}
	}
	switch {
	case zero:
		nd.kind, nd.solved, nd.termVal = terminal, true, 0
	case steps >= s.game.MaxSteps:
		if penalty < 0 {
			s.stTensor.Data = resid
			penalty = float64(tensorgame.RankBound(&s.stTensor, s.game.Field))
		}
		nd.kind, nd.termVal = terminal, -float32(penalty)
	}
	s.stats.Nodes++
	return id
}

func (s *Search) hashResid(r []int32) uint64 {
	s.stTensor.Data = r
	return s.stTensor.Hash(s.seed)
}

func (s *Search) residual(id int32) []int32 {
	return s.cur.resid[int(id)*s.size : (int(id)+1)*s.size]
}

func (s *Search) action(e *edge) []int8 {
	return s.cur.acts[e.act : int(e.act)+s.alen]
}

func (s *Search) toAction(coef []int8) tensorgame.Action {
	return tensorgame.Action{U: coef[:s.a:s.a], V: coef[s.a : s.a+s.b : s.a+s.b], W: coef[s.a+s.b:]}
}

// expand evaluates node id (unless the rank-one finish applies), creates
// its edges and returns its value estimate as a return (≤ 0).
func (s *Search) expand(ctx context.Context, id int32) (float64, error) {
	ar := &s.cur
	steps := int(ar.nodes[id].steps)
	resid := s.residual(id)
	s.samples.Reset(s.a, s.b, s.c)
	var value float64
	if !s.cfg.NoRankOneFinish && s.rankOne(resid) {
		s.samples.Add(s.finish, 1)
		value = -1
		s.stats.Finishes++
	} else {
		copy(s.st.Residual.Data, resid)
		s.st.Steps = steps
		if s.finisher != nil {
			if err := s.tryFinish(ctx); err != nil {
				return 0, err
			}
		}
		pol, v, err := s.ev.EvaluateState(ctx, s.st)
		if err != nil {
			return 0, err
		}
		s.stats.Evaluations++
		k := s.cfg.Samples
		if id == s.root {
			k = s.cfg.RootSamples
		}
		if s.cfg.Lookahead > 0 {
			s.lookahead(pol, resid, k)
		} else {
			pol.Sample(s.rng, k, &s.samples)
		}
		if s.samples.N() == 0 {
			return 0, errors.New("mcts: policy sampled no action")
		}
		value = -max(v, 0)
	}
	total := float32(s.samples.Total())
	first := int32(len(ar.edges))
	for i := range s.samples.N() {
		off := int32(len(ar.acts))
		ar.acts = append(ar.acts, s.samples.Coefs(i)...)
		ar.edges = append(ar.edges, edge{act: off, child: nilNode, draws: int32(s.samples.Count[i]), prior: float32(s.samples.Count[i]) / total})
	}
	nd := &ar.nodes[id]
	nd.first, nd.nEdges, nd.kind = first, int32(s.samples.N()), expanded
	return value, nil
}

// lookahead fills s.samples with k draws from the policy reweighted by
// exp(-Lookahead·Δbound): sampling-importance-resampling from a pool of
// LookaheadPool·k draws.
func (s *Search) lookahead(pol Policy, resid []int32, k int) {
	s.pool.Reset(s.a, s.b, s.c)
	pol.Sample(s.rng, k*s.cfg.LookaheadPool, &s.pool)
	if s.bd == nil {
		s.bd = newBounder(s.a, s.b, s.c, s.game.Field)
		s.scratch = make([]int32, s.size)
	}
	var b0 int
	if s.bd.mod2 {
		b0 = s.bd.prepare(resid)
	} else {
		b0 = s.bd.bound(resid)
	}
	s.weights = s.weights[:0]
	total := 0.0
	for i := range s.pool.N() {
		act := s.pool.Action(i)
		var b1 int
		if s.bd.mod2 {
			b1 = s.bd.boundAfter(act.U, act.V, act.W)
		} else {
			copy(s.scratch, resid)
			s.stTensor.Data = s.scratch
			s.stTensor.SubAction(act, s.mod2)
			b1 = s.bd.bound(s.scratch)
		}
		d := float64(b1 - b0)
		w := float64(s.pool.Count[i]) * math.Exp(-s.cfg.Lookahead*d)
		s.weights = append(s.weights, w)
		total += w
	}
	for range k {
		r := s.rng.Float64() * total
		i := 0
		for ; i < len(s.weights)-1; i++ {
			if r < s.weights[i] {
				break
			}
			r -= s.weights[i]
		}
		s.samples.Add(s.pool.Coefs(i), 1)
	}
}

// rankOne reports whether resid is a non-zero rank-one tensor u ⊗ v ⊗ w
// with coefficients in the game's set, and if so leaves the term in
// s.finish.
func (s *Search) rankOne(resid []int32) bool {
	first := -1
	for i, x := range resid {
		if x != 0 {
			first = i
			break
		}
	}
	if first < 0 {
		return false
	}
	a0, b0, c0 := first/(s.b*s.c), first/s.c%s.b, first%s.c
	at := func(i, j, k int) int32 { return resid[(i*s.b+j)*s.c+k] }
	x := at(a0, b0, c0)
	u, v, w := s.finish[:s.a], s.finish[s.a:s.a+s.b], s.finish[s.a+s.b:]
	lo, hi := int32(-2), int32(2)
	if s.mod2 {
		lo, hi = 0, 1
	}
	// u = the fibre along A, v and w the fibres divided by x, so that
	// u[a0]·v[b0]·w[c0] = x.
	for i := range s.a {
		y := at(i, b0, c0)
		if y < lo || y > hi {
			return false
		}
		u[i] = int8(y)
	}
	for j := range s.b {
		y := at(a0, j, c0)
		if y%x != 0 || y/x < lo || y/x > hi {
			return false
		}
		v[j] = int8(y / x)
	}
	for k := range s.c {
		y := at(a0, b0, k)
		if y%x != 0 || y/x < lo || y/x > hi {
			return false
		}
		w[k] = int8(y / x)
	}
	for i := range s.a {
		for j := range s.b {
			uv := int32(u[i]) * int32(v[j])
			row := resid[(i*s.b+j)*s.c : (i*s.b+j+1)*s.c]
			for k, y := range row {
				if uv*int32(w[k]) != y {
					return false
				}
			}
		}
	}
	return true
}

// Simulate runs one simulation from the root: select down the tree by
// PUCT, expand and evaluate a new node (or reach a terminal one), and back
// the return up the path.
func (s *Search) Simulate(ctx context.Context) error {
	if s.Done() {
		return nil
	}
	s.path = append(s.path[:0], s.root)
	s.pathEdges = s.pathEdges[:0]
	id := s.root
	var g float64
	for {
		nd := &s.cur.nodes[id]
		if nd.kind == terminal {
			g = float64(nd.termVal)
			break
		}
		if nd.kind == unexpanded {
			v, err := s.expand(ctx, id)
			if err != nil {
				return err
			}
			if id == s.root {
				s.noiseRoot()
			}
			g = v
			break
		}
		if id == s.root && !nd.noised {
			s.noiseRoot()
		}
		ei := s.selectEdge(id)
		child := s.childOf(id, ei)
		s.pathEdges = append(s.pathEdges, ei)
		s.path = append(s.path, child)
		id = child
	}
	leaf := &s.cur.nodes[id]
	if leaf.solved {
		s.recordSolution(nil)
	}
	// Back up: the return from path[i] is -1 plus the return from path[i+1].
	for i := len(s.path) - 1; i >= 0; i-- {
		nd := &s.cur.nodes[s.path[i]]
		if nd.n == 0 || float32(g) > nd.best {
			nd.best = float32(g)
		}
		nd.n++
		nd.w += g
		if i > 0 {
			s.cur.edges[s.pathEdges[i-1]].n++
			q := g - 1
			s.minQ = min(s.minQ, q)
			s.maxQ = max(s.maxQ, q)
			g = q
		}
	}
	s.stats.Simulations++
	return nil
}

// selectEdge returns the PUCT choice among the edges of node id.
func (s *Search) selectEdge(id int32) int32 {
	nd := &s.cur.nodes[id]
	sqrtN := math.Sqrt(float64(nd.n))
	fpu := s.normalize(nd.w / float64(nd.n))
	best, bestScore := int32(-1), math.Inf(-1)
	for ei := nd.first; ei < nd.first+nd.nEdges; ei++ {
		e := &s.cur.edges[ei]
		q := fpu
		if e.child != nilNode {
			if ch := &s.cur.nodes[e.child]; ch.n > 0 {
				mean := ch.w / float64(ch.n)
				q = s.normalize(mean + s.cfg.BestWeight*(float64(ch.best)-mean) - 1)
			}
		}
		score := q + s.cfg.CPuct*float64(e.prior)*sqrtN/float64(1+e.n)
		if score > bestScore {
			best, bestScore = ei, score
		}
	}
	return best
}

// normalize maps a return to [0, 1] by the extremes seen in the tree.
func (s *Search) normalize(q float64) float64 {
	if s.maxQ <= s.minQ {
		return 0.5
	}
	return min(max((q-s.minQ)/(s.maxQ-s.minQ), 0), 1)
}

// childOf returns the child of edge ei of node id, creating it (or finding
// it in the transposition table) on the first visit.
func (s *Search) childOf(id, ei int32) int32 {
	e := &s.cur.edges[ei]
	if e.child != nilNode {
		return e.child
	}
	steps := int(s.cur.nodes[id].steps) + 1
	r := s.st.Residual
	copy(r.Data, s.residual(id))
	s.st.Steps = steps - 1
	reward, _ := s.st.Apply(s.toAction(s.action(e)))
	h := s.hashResid(r.Data)
	if c, ok := s.cur.table[tableKey{h, int32(steps)}]; ok && equalInt32(s.residual(c), r.Data) {
		s.cur.edges[ei].child = c
		s.stats.TableHits++
		return c
	}
	c := s.newNode(r.Data, steps, -reward-1)
	s.cur.edges[ei].child = c
	return c
}

func equalInt32(a, b []int32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// recordSolution keeps the actions of the current path (after the moves
// already played), then extra, if they are the shortest solution so far.
func (s *Search) recordSolution(extra []tensorgame.Action) {
	n := len(s.played) + len(s.pathEdges) + len(extra)
	if s.best != nil && len(s.best) <= n {
		return
	}
	sol := make([]tensorgame.Action, 0, n)
	for _, a := range s.played {
		sol = append(sol, a.Clone())
	}
	for _, ei := range s.pathEdges {
		sol = append(sol, s.toAction(s.action(&s.cur.edges[ei])).Clone())
	}
	for _, a := range extra {
		sol = append(sol, a.Clone())
	}
	s.best = sol
}

// tryFinish offers the state in s.st (reached by the played moves and the
// current path) to the finisher, and keeps the solution it returns if it
// is the shortest so far. Actions that do not solve the residual within
// the steps left are an error.
func (s *Search) tryFinish(ctx context.Context) error {
	acts, err := s.finisher.Finish(ctx, s.st)
	if err != nil || acts == nil {
		return err
	}
	if left := s.game.MaxSteps - s.st.Steps; len(acts) > left {
		return fmt.Errorf("mcts: finisher returned %d actions with %d steps left", len(acts), left)
	}
	r := s.st.Residual.Clone()
	for _, a := range acts {
		if err := s.game.LegalAction(a); err != nil {
			return fmt.Errorf("mcts: finisher: %w", err)
		}
		r.SubAction(a, s.mod2)
	}
	if !r.IsZero() {
		return errors.New("mcts: finisher returned actions that do not solve the residual")
	}
	s.stats.Finished++
	s.recordSolution(acts)
	return nil
}

// noiseRoot mixes Dirichlet noise into the root's prior, once per root.
func (s *Search) noiseRoot() {
	nd := &s.cur.nodes[s.root]
	if nd.noised || nd.kind != expanded {
		return
	}
	nd.noised = true
	eps := s.cfg.NoiseFraction
	if eps <= 0 || nd.nEdges < 2 {
		return
	}
	s.gamma = s.gamma[:0]
	sum := 0.0
	for range nd.nEdges {
		x := gammaSample(s.rng, s.cfg.DirichletAlpha)
		s.gamma = append(s.gamma, x)
		sum += x
	}
	if sum <= 0 {
		return
	}
	for i := range nd.nEdges {
		e := &s.cur.edges[nd.first+i]
		e.prior = float32((1-eps)*float64(e.prior) + eps*s.gamma[i]/sum)
	}
}

// gammaSample draws from Gamma(alpha, 1) (Marsaglia and Tsang; alpha < 1
// by the boost Gamma(alpha) = Gamma(alpha+1)·U^(1/alpha)).
func gammaSample(rng *rand.Rand, alpha float64) float64 {
	if alpha < 1 {
		return gammaSample(rng, alpha+1) * math.Pow(rng.Float64(), 1/alpha)
	}
	d := alpha - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

// Step runs the configured simulations from the root (fewer if the game
// ends or, with StopOnSolve, a solution turns up), then commits a move and
// returns its record. It returns the context's error if ctx ends first.
func (s *Search) Step(ctx context.Context) (Move, error) {
	if s.Done() {
		return Move{}, errors.New("mcts: game is over")
	}
	for range s.cfg.Simulations {
		if err := ctx.Err(); err != nil {
			return Move{}, err
		}
		if err := s.Simulate(ctx); err != nil {
			return Move{}, err
		}
		if s.cfg.StopOnSolve && s.best != nil {
			break
		}
	}
	nd := &s.cur.nodes[s.root]
	if nd.kind != expanded {
		return Move{}, fmt.Errorf("mcts: root not expanded after %d simulations", s.cfg.Simulations)
	}
	m := Move{
		Residual: &tensorgame.Tensor{A: s.a, B: s.b, C: s.c, Data: append([]int32(nil), s.residual(s.root)...)},
		Steps:    int(nd.steps),
		Value:    nd.w / float64(nd.n),
		Visits:   make([]int, nd.nEdges),
	}
	m.Actions.Reset(s.a, s.b, s.c)
	total := 0
	for i := range nd.nEdges {
		e := &s.cur.edges[nd.first+i]
		m.Actions.Coef = append(m.Actions.Coef, s.action(e)...)
		m.Actions.Count = append(m.Actions.Count, int(e.draws))
		m.Actions.hash = append(m.Actions.hash, hashCoefs(s.action(e)))
		m.Visits[i] = int(e.n)
		total += int(e.n)
	}
	m.Chosen = s.chooseMove(m.Visits, total, len(s.played) < s.cfg.SampleMoves)
	s.commit(nd.first + int32(m.Chosen))
	return m, nil
}

// chooseMove picks the most visited edge (ties to the first), or with
// sample an edge in proportion to its visits.
func (s *Search) chooseMove(visits []int, total int, sample bool) int {
	if sample && total > 0 {
		r := s.rng.IntN(total)
		for i, v := range visits {
			if r < v {
				return i
			}
			r -= v
		}
	}
	best := 0
	for i, v := range visits {
		if v > visits[best] {
			best = i
		}
	}
	return best
}

// commit plays edge ei of the root: its child becomes the root, and the
// nodes no longer reachable are dropped (the tree is copied into the spare
// arena, which then becomes the current one).
func (s *Search) commit(ei int32) {
	e := s.cur.edges[ei]
	s.played = append(s.played, s.toAction(s.action(&e)).Clone())
	child := e.child
	if child == nilNode {
		child = s.childOf(s.root, ei)
	}
	s.compact(child)
}

// compact copies the subtree (sub-DAG) under newRoot into the spare arena
// and swaps the arenas.
func (s *Search) compact(newRoot int32) {
	old, nw := &s.cur, &s.spare
	nw.reset()
	if cap(s.remap) < len(old.nodes) {
		s.remap = make([]int32, len(old.nodes))
	}
	s.remap = s.remap[:len(old.nodes)]
	for i := range s.remap {
		s.remap[i] = nilNode
	}
	// Breadth-first copy; the queue is the new node list itself.
	s.remap[newRoot] = 0
	order := s.path[:0]
	order = append(order, newRoot)
	for q := 0; q < len(order); q++ {
		nd := old.nodes[order[q]]
		for ei := nd.first; ei < nd.first+nd.nEdges; ei++ {
			c := old.edges[ei].child
			if c != nilNode && s.remap[c] == nilNode {
				s.remap[c] = int32(len(order))
				order = append(order, c)
			}
		}
	}
	for _, oid := range order {
		nd := old.nodes[oid]
		first := int32(len(nw.edges))
		for ei := nd.first; ei < nd.first+nd.nEdges; ei++ {
			e := old.edges[ei]
			off := int32(len(nw.acts))
			nw.acts = append(nw.acts, old.acts[e.act:int(e.act)+s.alen]...)
			e.act = off
			if e.child != nilNode {
				e.child = s.remap[e.child]
			}
			nw.edges = append(nw.edges, e)
		}
		if nd.nEdges > 0 {
			nd.first = first
		}
		nw.table[tableKey{nd.hash, nd.steps}] = int32(len(nw.nodes))
		nw.nodes = append(nw.nodes, nd)
		nw.resid = append(nw.resid, old.resid[int(oid)*s.size:(int(oid)+1)*s.size]...)
	}
	s.path = order[:0]
	s.cur, s.spare = s.spare, s.cur
	s.root = 0
	// The new root has not had its own noise yet.
	s.cur.nodes[0].noised = false
}

// Play plays the game to its end: Step until the root is terminal (or,
// with StopOnSolve, a solution is found).
func (s *Search) Play(ctx context.Context) (*Result, error) {
	res := &Result{}
	for !s.Done() {
		if s.cfg.StopOnSolve && s.best != nil {
			break
		}
		m, err := s.Step(ctx)
		if err != nil {
			res.Stats = s.stats
			res.Played = s.played
			res.Best = s.best
			return res, err
		}
		res.Moves = append(res.Moves, m)
	}
	root := &s.cur.nodes[s.root]
	res.Played = s.played
	res.Solved = root.kind == terminal && root.solved
	res.Return = -float64(len(s.played))
	if root.kind == terminal && !root.solved {
		res.Return += float64(root.termVal)
	}
	res.Best = s.best
	res.Stats = s.stats
	return res, nil
}

// Check verifies the tree's invariants: every expanded non-terminal node
// has 1 + (its edges' visits) visits, a visited edge has a child, the
// transposition table points at nodes with that residual, and, while no
// move has been committed (so every parent is still in the tree), every
// non-root node's visits equal the visits of its incoming edges and the
// root's equal the simulations run. It returns the first violation.
func (s *Search) Check() error {
	ar := &s.cur
	in := make([]int64, len(ar.nodes))
	for id := range ar.nodes {
		nd := &ar.nodes[id]
		var sum int64
		for ei := nd.first; ei < nd.first+nd.nEdges; ei++ {
			e := &ar.edges[ei]
			sum += int64(e.n)
			if e.n > 0 && e.child == nilNode {
				return fmt.Errorf("node %d edge %d: %d visits but no child", id, ei, e.n)
			}
			if e.child != nilNode {
				if int(e.child) >= len(ar.nodes) {
					return fmt.Errorf("node %d edge %d: child %d out of range", id, ei, e.child)
				}
				if ar.nodes[e.child].steps != nd.steps+1 {
					return fmt.Errorf("node %d edge %d: child at step %d, want %d", id, ei, ar.nodes[e.child].steps, nd.steps+1)
				}
				in[e.child] += int64(e.n)
			}
		}
		switch nd.kind {
		case expanded:
			if int64(nd.n) != 1+sum {
				return fmt.Errorf("node %d: %d visits, want 1 + %d edge visits", id, nd.n, sum)
			}
		case terminal:
			if nd.nEdges != 0 {
				return fmt.Errorf("terminal node %d has %d edges", id, nd.nEdges)
			}
		case unexpanded:
			if nd.n != 0 && id != int(s.root) {
				return fmt.Errorf("unexpanded node %d has %d visits", id, nd.n)
			}
		}
		if h := s.hashResid(s.residual(int32(id))); h != nd.hash {
			return fmt.Errorf("node %d: stale residual hash", id)
		}
		if got, ok := ar.table[tableKey{nd.hash, nd.steps}]; !ok || got != int32(id) {
			return fmt.Errorf("node %d: transposition table holds %d (present %v)", id, got, ok)
		}
	}
	if len(ar.table) != len(ar.nodes) {
		return fmt.Errorf("transposition table has %d entries for %d nodes", len(ar.table), len(ar.nodes))
	}
	if len(s.played) == 0 {
		for id := range ar.nodes {
			if int32(id) == s.root {
				if int64(ar.nodes[id].n) != s.stats.Simulations {
					return fmt.Errorf("root: %d visits after %d simulations", ar.nodes[id].n, s.stats.Simulations)
				}
				continue
			}
			if int64(ar.nodes[id].n) != in[id] {
				return fmt.Errorf("node %d: %d visits, incoming edges %d", id, ar.nodes[id].n, in[id])
			}
		}
	}
	return nil
}
