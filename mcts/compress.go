package mcts

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"github.com/alphamat/alphamat/internal/gf2"
	"github.com/alphamat/alphamat/tensorgame"
)

// Sized is an Evaluator with the largest axes it evaluates (a network's
// padded axes).
type Sized struct {
	Evaluator Evaluator
	Axes      [3]int
}

// Compress is an Evaluator that hands each state to the smallest of
// several evaluators that can take it, compressing the residual when that
// makes it fit. Over Z2 the residual R of a state lies in U ⊗ V ⊗ W, the
// column spaces of its three unfoldings, whose dimensions (a, b, c) are its
// effective size: R is an a×b×c tensor in a basis of those spaces, with
// the same rank (any decomposition projects onto them without gaining
// terms). A 2×2×3 residual (axes 4×6×6) from which the four products of
// one column have been taken is T(2,2,2) in some basis, a 4×4×4 tensor.
//
// For each state, Compress tries its evaluators in order (smallest first)
// and takes the first one whose Axes hold the residual's axes (the state
// is evaluated as it is) or its effective size (the state is compressed).
// A compressed state is the residual in a basis of U, V and W, each
// completed by unit vectors to min(Axes, residual axis) dimensions and
// then changed by a uniformly random invertible matrix, drawn from the
// seed and the residual, so that the same residual always gets the same
// basis (the shipped networks are trained and played under random bases).
// Its policy's actions are mapped back through the basis: the maps are
// injective, so every action is non-zero in each factor, with coefficients
// 0 or 1, a legal action of the original game, and a decomposition of the
// compressed residual maps to one of the residual. The value is the
// smaller evaluator's, on its own scale: for T(2,2,2) inside the 2×2×3
// axes with 7 steps left 2x2x2_Z2.model predicts 4.1 remaining (its lower
// bound, 4; the rank is 7), 3x3x3_Z2.model 8.3, so the tree is drawn to
// compressed states. Over Z, and for axes above 64, states are only
// evaluated as they are.
//
// Compress is safe for concurrent use when its evaluators are.
type Compress struct {
	models  []Sized
	seed    uint64
	echelon bool

	states     atomic.Int64
	compressed []atomic.Int64 // per model
	direct     []atomic.Int64
}

// CompressConfig sets a Compress.
type CompressConfig struct {
	// Seed seeds the random bases (with each residual).
	Seed uint64
	// EchelonBasis gives a compressed residual in the spans' reduced
	// echelon bases instead of a random basis, for measurements
	// (docs/experiments.md, "Options without a measured gain").
	EchelonBasis bool
}

// NewCompress returns a Compress over models, smallest first. It fails
// when models is empty, an evaluator is nil or axes are outside 1..64.
func NewCompress(models []Sized, cfg CompressConfig) (*Compress, error) {
	if len(models) == 0 {
		return nil, errors.New("mcts: compress: no evaluators")
	}
	for i, m := range models {
		if m.Evaluator == nil {
			return nil, fmt.Errorf("mcts: compress: evaluator %d is nil", i)
		}
		for _, n := range m.Axes {
			if n < 1 || n > 64 {
				return nil, fmt.Errorf("mcts: compress: evaluator %d has axes %v, want 1..64 each", i, m.Axes)
			}
		}
	}
	return &Compress{
		models:     append([]Sized(nil), models...),
		seed:       cfg.Seed,
		echelon:    cfg.EchelonBasis,
		compressed: make([]atomic.Int64, len(models)),
		direct:     make([]atomic.Int64, len(models)),
	}, nil
}

// CompressStats counts the states a Compress has evaluated.
type CompressStats struct {
	States int64
	// Direct[i] and Compressed[i] count the states evaluator i evaluated
	// as they were and compressed.
	Direct, Compressed []int64
}

// Stats returns the counts so far.
func (c *Compress) Stats() CompressStats {
	st := CompressStats{States: c.states.Load(), Direct: make([]int64, len(c.models)), Compressed: make([]int64, len(c.models))}
	for i := range c.models {
		st.Direct[i] = c.direct[i].Load()
		st.Compressed[i] = c.compressed[i].Load()
	}
	return st
}

// fits reports whether axes n fit within axes m.
func fits(n, m [3]int) bool { return n[0] <= m[0] && n[1] <= m[1] && n[2] <= m[2] }

// Evaluate evaluates each state with the first evaluator that takes it
// (one batched call per evaluator).
func (c *Compress) Evaluate(ctx context.Context, states []tensorgame.State) ([]Policy, []float64, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	c.states.Add(int64(len(states)))
	ps := make([]Policy, len(states))
	vs := make([]float64, len(states))
	// For each model, the states it evaluates and where their results go.
	sub := make([][]tensorgame.State, len(c.models))
	idx := make([][]int, len(c.models))
	maps := make([]*compressed, len(states))
	for i, st := range states {
		m, cp, err := c.route(st)
		if err != nil {
			return nil, nil, err
		}
		if cp == nil {
			c.direct[m].Add(1)
			sub[m] = append(sub[m], st)
		} else {
			c.compressed[m].Add(1)
			maps[i] = cp
			sub[m] = append(sub[m], tensorgame.State{
				Game:     &tensorgame.Game{Target: cp.tensor, Field: tensorgame.Z2, MaxSteps: st.Game.MaxSteps},
				Residual: cp.tensor,
				Steps:    st.Steps,
			})
		}
		idx[m] = append(idx[m], i)
	}
	for m, mod := range c.models {
		if len(sub[m]) == 0 {
			continue
		}
		mps, mvs, err := mod.Evaluator.Evaluate(ctx, sub[m])
		if err != nil {
			return nil, nil, err
		}
		if len(mps) != len(sub[m]) || len(mvs) != len(sub[m]) {
			return nil, nil, fmt.Errorf("mcts: compress: evaluator %d returned %d policies and %d values for %d states", m, len(mps), len(mvs), len(sub[m]))
		}
		for j, i := range idx[m] {
			vs[i] = mvs[j]
			if cp := maps[i]; cp != nil {
				r := states[i].Residual
				ps[i] = &mappedPolicy{inner: mps[j], cp: cp, full: [3]int{r.A, r.B, r.C}}
			} else {
				ps[i] = mps[j]
			}
		}
	}
	return ps, vs, nil
}

// Takes reports whether one of c's evaluators takes a residual t over
// field, as it is or compressed.
func (c *Compress) Takes(t *tensorgame.Tensor, field tensorgame.Field) bool {
	_, _, err := c.route(tensorgame.State{Game: &tensorgame.Game{Target: t, Field: field, MaxSteps: 1}, Residual: t})
	return err == nil
}

// route returns the index of the first model that takes st, and the
// compressed residual if it takes it compressed (nil if as it is).
func (c *Compress) route(st tensorgame.State) (int, *compressed, error) {
	r := st.Residual
	n := [3]int{r.A, r.B, r.C}
	canCompress := st.Game.Field == tensorgame.Z2 && max(r.A, r.B, r.C) <= 64
	var eff [3]int
	var rows []uint64
	var sp [3]gf2.Span
	for m, mod := range c.models {
		if fits(n, mod.Axes) {
			return m, nil, nil
		}
		if !canCompress {
			continue
		}
		if rows == nil {
			rows = tensorRows(r)
			sp = unfoldingSpans(rows, n)
			eff = [3]int{sp[0].Dim(), sp[1].Dim(), sp[2].Dim()}
		}
		if fits(eff, mod.Axes) {
			return m, c.compress(r, rows, sp, mod.Axes), nil
		}
	}
	return 0, nil, fmt.Errorf("mcts: compress: no evaluator takes a %d×%d×%d residual of effective size %d×%d×%d", r.A, r.B, r.C, eff[0], eff[1], eff[2])
}

// compressed is a residual in the bases of (completions of) its
// unfoldings' column spaces.
type compressed struct {
	eff    [3]int // the spans' dimensions
	axes   [3]int
	tensor *tensorgame.Tensor
	// vecs[m][t] is the vector of the residual's axis m (bit i = entry i)
	// that coordinate t of the compressed axis m stands for.
	vecs [3][]uint64
}

// compress returns r, with fibre rows and unfolding spans sp, in a basis
// of the spans completed to min(axes, r's axes) dimensions.
func (c *Compress) compress(r *tensorgame.Tensor, rows []uint64, sp [3]gf2.Span, axes [3]int) *compressed {
	n := [3]int{r.A, r.B, r.C}
	cp := &compressed{eff: [3]int{sp[0].Dim(), sp[1].Dim(), sp[2].Dim()}}
	for m := range 3 {
		cp.axes[m] = min(axes[m], n[m])
		// Complete the span by unit vectors: Add keeps the reduced echelon
		// form, so spanCoords gives the residual's coordinates in the
		// completed basis.
		for j := 0; sp[m].Dim() < cp.axes[m]; j++ {
			sp[m].Add(1 << j)
		}
	}
	t := tensorgame.NewTensor(cp.axes[0], cp.axes[1], cp.axes[2])
	spanCoords(t, rows, n[1], sp)
	if c.echelon {
		for m := range 3 {
			cp.vecs[m] = append([]uint64(nil), sp[m].Vec...)
		}
		cp.tensor = t
		return cp
	}
	rng := rand.New(rand.NewPCG(c.seed, residualHash(r)))
	bs := tensorgame.RandomTensorBasis(rng, cp.axes[0], cp.axes[1], cp.axes[2], tensorgame.Z2, -1)
	cp.tensor = bs.Tensor(t)
	// An action a' in the random basis is P⁻¹a' in the echelon basis, the
	// vector Σ_s (P⁻¹a')[s]·e_s = Σ_t a'[t]·(Σ_s P⁻¹[s][t]·e_s).
	for m := range 3 {
		d := cp.axes[m]
		inv := bs.Inv[m]
		cp.vecs[m] = make([]uint64, d)
		for tt := range d {
			var x uint64
			for s := range d {
				if inv[s*d+tt]&1 != 0 {
					x ^= sp[m].Vec[s]
				}
			}
			cp.vecs[m][tt] = x
		}
	}
	return cp
}

// residualHash hashes the entries of r: 64-bit FNV-1a of their bytes,
// little-endian.
func residualHash(r *tensorgame.Tensor) uint64 {
	h := fnv.New64a()
	var b [4]byte
	for _, x := range r.Data {
		binary.LittleEndian.PutUint32(b[:], uint32(x))
		h.Write(b[:])
	}
	return h.Sum64()
}

// tensorRows returns the fibres of the Z2 tensor r along its last axis as
// bit words: rows[i*B+j] has bit k set when r[i][j][k] is odd.
func tensorRows(r *tensorgame.Tensor) []uint64 {
	rows := make([]uint64, r.A*r.B)
	for i, x := range r.Data {
		if x&1 != 0 {
			rows[i/r.C] |= 1 << (i % r.C)
		}
	}
	return rows
}

// unfoldingSpans returns the column spaces of the three unfoldings of the
// Z2 tensor with axes dims whose fibres along the last axis are rows
// (rows[i*B+j] holds R[i][j][·] as bits), in reduced echelon form.
func unfoldingSpans(rows []uint64, dims [3]int) [3]gf2.Span {
	var sp [3]gf2.Span
	A, B := dims[0], dims[1]
	// Mode 2 (C): the rows themselves. Modes 0 and 1: the fibres along A
	// (for each j, k) and along B (for each i, k).
	for _, x := range rows {
		sp[2].Add(x)
	}
	for k := range dims[2] {
		for j := range B {
			var f uint64
			for i := range A {
				f |= (rows[i*B+j] >> k & 1) << i
			}
			sp[0].Add(f)
		}
		for i := range A {
			var f uint64
			for j := range B {
				f |= (rows[i*B+j] >> k & 1) << j
			}
			sp[1].Add(f)
		}
	}
	return sp
}

// spanCoords writes into t the coordinates of the tensor with fibre rows
// rows (second axis B) in the echelon bases sp of spaces containing its
// unfoldings' column spaces: t[t1][t2][t3] = R[p1][p2][p3] at the pivots
// pm of basis vector tm, as the coordinates of a vector of an echelon span
// are its bits at the pivots. Axes of t beyond a span's dimension are left
// zero.
func spanCoords(t *tensorgame.Tensor, rows []uint64, B int, sp [3]gf2.Span) {
	for t1, p1 := range sp[0].Piv {
		for t2, p2 := range sp[1].Piv {
			x := rows[p1*B+p2]
			for t3, p3 := range sp[2].Piv {
				t.Data[(t1*t.B+t2)*t.C+t3] = int32(x >> p3 & 1)
			}
		}
	}
}

// mapAction writes into dst (full[0]+full[1]+full[2] coefficients) the
// image of the compressed action c (u, v, w end to end) and reports
// whether every factor is non-zero (it is when c's are: the maps are
// injective).
func (cp *compressed) mapAction(c []int8, full [3]int, dst []int8) bool {
	in, out := 0, 0
	ok := true
	for m := range 3 {
		var x uint64
		for t := range cp.axes[m] {
			if c[in+t]&1 != 0 {
				x ^= cp.vecs[m][t]
			}
		}
		ok = ok && x != 0
		f := dst[out : out+full[m]]
		for j := range f {
			f[j] = int8(x >> j & 1)
		}
		in += cp.axes[m]
		out += full[m]
	}
	return ok
}

// mappedPolicy is the policy of a compressed residual, with its actions
// mapped back to the residual's axes.
type mappedPolicy struct {
	inner Policy
	cp    *compressed
	full  [3]int
	buf   Samples
	coef  []int8
}

// Sample draws k actions from the compressed residual's policy and maps
// them to the residual's axes.
func (p *mappedPolicy) Sample(rng *rand.Rand, k int, s *Samples) {
	p.buf.Reset(p.cp.axes[0], p.cp.axes[1], p.cp.axes[2])
	p.inner.Sample(rng, k, &p.buf)
	if p.coef == nil {
		p.coef = make([]int8, p.full[0]+p.full[1]+p.full[2])
	}
	for i := range p.buf.N() {
		if p.cp.mapAction(p.buf.Coefs(i), p.full, p.coef) {
			s.Add(p.coef, p.buf.Count[i])
		}
	}
}

// SubGameConfig sets SubGames. Zero fields take their defaults.
type SubGameConfig struct {
	// Games is the number of games played on each residual, the first in
	// the compressed residual's basis, the others under further uniformly
	// random changes of basis (default 4).
	Games int
	// Slack: a residual is played only when the steps left exceed its
	// largest unfolding rank (a lower bound of its rank) by at least Slack
	// (default 3; docs/experiments.md, "2x2x3 at rank 11", has what the
	// default selects there).
	// Negative: no requirement.
	Slack int
	// Search sets the games' tree search; StopOnSolve is always set.
	Search Config
	// Seed seeds the changes of basis and the games (with the residual).
	Seed uint64
}

func (c SubGameConfig) withDefaults() SubGameConfig {
	if c.Games <= 0 {
		c.Games = 4
	}
	switch {
	case c.Slack == 0:
		c.Slack = 3
	case c.Slack < 0:
		c.Slack = math.MinInt
	}
	c.Search.StopOnSolve = true
	return c
}

// SubGameStats counts the work of SubGames.
type SubGameStats struct {
	// Residuals counts the residuals played, Games the games on them and
	// Solved the residuals finished.
	Residuals, Games, Solved int64
	// Search counts the games' tree search.
	Search Stats
}

// SubGames is a Finisher that plays the residuals a Compress compresses
// to a smaller evaluator as games of their own: the compressed residual
// is the target, the step limit the steps left, and a decomposition found
// is mapped back to the residual's axes. A tree search meets such a
// residual (T(2,2,2) inside the 2×2×3 axes, for one) in a handful of its
// simulations, too few to solve it; a game of its own spends a whole
// search on it. Each residual (with its steps left) is played once,
// Games games. The games run on the calling goroutine, with ev (normally
// the Batcher the searches share, over the same Compress).
//
// SubGames is safe for concurrent use.
type SubGames struct {
	c   *Compress
	ev  StateEvaluator
	cfg SubGameConfig

	mu    sync.Mutex
	tried map[uint64]struct{}
	stats SubGameStats
}

// maxTried bounds the memory of residuals already played; it is cleared
// when full.
const maxTried = 1 << 20

// NewSubGames returns a SubGames for the residuals c compresses, played
// with ev.
func NewSubGames(c *Compress, ev StateEvaluator, cfg SubGameConfig) *SubGames {
	return &SubGames{c: c, ev: ev, cfg: cfg.withDefaults(), tried: make(map[uint64]struct{})}
}

// Stats returns the counts so far.
func (g *SubGames) Stats() SubGameStats {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.stats
}

// Finish plays state's residual as a game of its own if it compresses to
// a smaller evaluator, has the slack and was not played before, and
// returns the decomposition found, mapped to the residual's axes (nil if
// none).
func (g *SubGames) Finish(ctx context.Context, st tensorgame.State) ([]tensorgame.Action, error) {
	if st.Game.Field != tensorgame.Z2 {
		return nil, nil
	}
	_, cp, err := g.c.route(st)
	if err != nil || cp == nil {
		return nil, nil // not compressed (an error is the evaluation's to report)
	}
	left := st.Game.MaxSteps - st.Steps
	if left-max(cp.eff[0], cp.eff[1], cp.eff[2]) < g.cfg.Slack {
		return nil, nil
	}
	key := residualHash(st.Residual) ^ uint64(left)*0x9e3779b97f4a7c15
	g.mu.Lock()
	if _, ok := g.tried[key]; ok {
		g.mu.Unlock()
		return nil, nil
	}
	if len(g.tried) >= maxTried {
		clear(g.tried)
	}
	g.tried[key] = struct{}{}
	g.stats.Residuals++
	g.mu.Unlock()

	r := st.Residual
	full := [3]int{r.A, r.B, r.C}
	t := cp.tensor
	rng := rand.New(rand.NewPCG(g.cfg.Seed, key))
	for k := range g.cfg.Games {
		bs := tensorgame.IdentityTensorBasis(t.A, t.B, t.C, tensorgame.Z2)
		if k > 0 {
			bs = tensorgame.RandomTensorBasis(rng, t.A, t.B, t.C, tensorgame.Z2, -1)
		}
		game := &tensorgame.Game{Target: bs.Tensor(t), Field: tensorgame.Z2, MaxSteps: left}
		out, err := NewSearch(game, g.ev, g.cfg.Search, rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))).Play(ctx)
		g.mu.Lock()
		g.stats.Games++
		if out != nil {
			g.stats.Search.Add(out.Stats)
		}
		g.mu.Unlock()
		if err != nil {
			return nil, err
		}
		if out.Best == nil {
			continue
		}
		acts := make([]tensorgame.Action, 0, len(out.Best))
		for _, a := range out.Best {
			a = bs.Unmap(a)
			small := make([]int8, 0, t.A+t.B+t.C)
			small = append(append(append(small, a.U...), a.V...), a.W...)
			coef := make([]int8, full[0]+full[1]+full[2])
			if !cp.mapAction(small, full, coef) {
				return nil, errors.New("mcts: sub-game action maps to a zero factor")
			}
			acts = append(acts, tensorgame.Action{U: coef[:full[0]], V: coef[full[0] : full[0]+full[1]], W: coef[full[0]+full[1]:]})
		}
		g.mu.Lock()
		g.stats.Solved++
		g.mu.Unlock()
		return acts, nil
	}
	return nil, nil
}

var (
	_ Evaluator = (*Compress)(nil)
	_ Policy    = (*mappedPolicy)(nil)
	_ Finisher  = (*SubGames)(nil)
)
