package agent

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/alphamat/alphamat/mcts"
	"github.com/alphamat/alphamat/tensorgame"
)

// param is one weight matrix (or bias row, rows = 1), row-major.
type param struct {
	name       string
	rows, cols int
	data       []float32
}

// weights are the parameters of a network, in a fixed order (the order of
// checkpoints and of the training graph).
type weights struct {
	list []*param
	dry  bool // shapes only: add allocates no data

	w0, b0         *param
	wl, bl         []*param // residual blocks
	wv1, bv1       *param
	wv2, bv2       *param
	p              *param   // shared context projection of the token heads
	ru, rv, rw     *param   // projections of the anchor and contraction features of u's, v's and w's tokens
	c, q, o, d     []*param // per token; q[0] is nil (no prefix)
	inSize, prefix int
}

func (w *weights) add(name string, rows, cols int) *param {
	p := &param{name: name, rows: rows, cols: cols}
	if !w.dry {
		p.data = make([]float32, rows*cols)
	}
	w.list = append(w.list, p)
	return p
}

func newWeights(cfg Config, l *layout) *weights { return buildWeights(cfg, l, false) }

// weightShapes returns the tensors of the network of cfg, in checkpoint
// order, with their names and shapes but no data: what a checkpoint must
// hold, known before anything the size of the network is allocated.
func weightShapes(cfg Config) []*param {
	l := newLayout(cfg)
	return buildWeights(cfg, &l, true).list
}

// buildWeights lays out the tensors of the network of cfg; with dry it
// allocates none of them.
func buildWeights(cfg Config, l *layout, dry bool) *weights {
	w := &weights{inSize: cfg.inputSize(), prefix: l.prefix, dry: dry}
	H, D := cfg.Hidden, cfg.Head
	w.w0 = w.add("torso.w0", w.inSize, H)
	w.b0 = w.add("torso.b0", 1, H)
	for i := 1; i < cfg.Layers; i++ {
		w.wl = append(w.wl, w.add(fmt.Sprintf("torso.w%d", i), H, H))
		w.bl = append(w.bl, w.add(fmt.Sprintf("torso.b%d", i), 1, H))
	}
	w.wv1 = w.add("value.w1", H, D)
	w.bv1 = w.add("value.b1", 1, D)
	w.wv2 = w.add("value.w2", D, 1)
	w.bv2 = w.add("value.b2", 1, 1)
	w.p = w.add("tokens.p", H, D)
	w.ru = w.add("tokens.ru", featUSize(cfg), D)
	w.rv = w.add("tokens.rv", featVSize(cfg), D)
	w.rw = w.add("tokens.rw", featWSize(cfg), D)
	for i, t := range l.tokens {
		w.c = append(w.c, w.add(fmt.Sprintf("token%d.c", i), 1, D))
		if i == 0 {
			w.q = append(w.q, nil)
		} else {
			w.q = append(w.q, w.add(fmt.Sprintf("token%d.q", i), t.off, D))
		}
		w.o = append(w.o, w.add(fmt.Sprintf("token%d.o", i), D, t.vocab))
		w.d = append(w.d, w.add(fmt.Sprintf("token%d.d", i), 1, t.vocab))
	}
	return w
}

// init fills the weights: He-uniform for layers followed by ReLU, smaller
// for the residual blocks and the output layers, zero biases.
func (w *weights) init(rng *rand.Rand) {
	uniform := func(p *param, scale float64) {
		lim := scale * math.Sqrt(6/float64(p.rows))
		for i := range p.data {
			p.data[i] = float32((2*rng.Float64() - 1) * lim)
		}
	}
	uniform(w.w0, 1)
	for _, p := range w.wl {
		uniform(p, 0.5)
	}
	uniform(w.wv1, 1)
	uniform(w.wv2, 0.3)
	uniform(w.p, 1)
	uniform(w.ru, 1)
	uniform(w.rv, 1)
	uniform(w.rw, 1)
	for i := range w.c {
		if w.q[i] != nil {
			uniform(w.q[i], 1)
		}
		uniform(w.o[i], 0.3)
	}
	w.bv2.data[0] = -2.4 // remaining rank ≈ 4 (48·sigmoid(-2.4)) before training
}

// nParams returns the number of scalar parameters.
func (w *weights) nParams() int {
	n := 0
	for _, p := range w.list {
		n += len(p.data)
	}
	return n
}

// Net is a policy/value network for TensorGame. Its Evaluate is the
// inference path of the search: plain Go on the weights (gonum's float32
// BLAS), computing what the gorgonia training graph computes, without the
// graph machine's per-call overhead. A Net is safe for concurrent
// Evaluate calls as long as its weights are not being trained.
type Net struct {
	cfg Config
	lay layout
	w   *weights

	maskMu sync.Mutex
	masks  map[[3]int]*masks

	scratch sync.Pool // of *scratch: the policies' working memory
}

// NewNet returns a network of shape cfg with random weights drawn from rng.
func NewNet(cfg Config, rng *rand.Rand) (*Net, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	n := newNet(cfg)
	n.w.init(rng)
	return n, nil
}

func newNet(cfg Config) *Net {
	n := &Net{cfg: cfg, lay: newLayout(cfg), masks: make(map[[3]int]*masks)}
	n.w = newWeights(cfg, &n.lay)
	n.scratch.New = func() any { return newScratch(n.cfg, &n.lay) }
	return n
}

// Config returns the network's shape.
func (n *Net) Config() Config { return n.cfg }

// NumParams returns the number of scalar parameters.
func (n *Net) NumParams() int { return n.w.nParams() }

// Clone returns a copy of n with its own weights.
func (n *Net) Clone() *Net {
	c := newNet(n.cfg)
	for i, p := range n.w.list {
		copy(c.w.list[i].data, p.data)
	}
	return c
}

// CopyFrom copies the weights of src, which must have the same Config.
func (n *Net) CopyFrom(src *Net) {
	if n.cfg != src.cfg {
		panic("agent: CopyFrom between networks of different shapes")
	}
	for i, p := range src.w.list {
		copy(n.w.list[i].data, p.data)
	}
}

func (n *Net) masksFor(a, b, c int) *masks {
	n.maskMu.Lock()
	defer n.maskMu.Unlock()
	k := [3]int{a, b, c}
	m, ok := n.masks[k]
	if !ok {
		m = n.lay.masks(a, b, c)
		n.masks[k] = m
	}
	return m
}

// encodeInput writes the input vector of a residual with axes a, b, c,
// stepsLeft steps to go, into x (length inputSize). It returns the rank
// bounds it computed: the largest flattening rank (a lower bound of the
// tensor rank) and the smallest slice-rank sum (an upper bound).
func (n *Net) encodeInput(x []float32, r *tensorgame.Tensor, stepsLeft int) (lower, upper int) {
	cfg := n.cfg
	clear(x)
	for i := range r.A {
		for j := range r.B {
			src := r.Data[(i*r.B+j)*r.C : (i*r.B+j+1)*r.C]
			dst := x[(i*cfg.B+j)*cfg.C:]
			for k, v := range src {
				if cfg.Field == tensorgame.Z2 {
					dst[k] = float32(v & 1)
				} else {
					dst[k] = float32(min(max(v, -2), 2)) / 2
				}
			}
		}
	}
	off := cfg.A * cfg.B * cfg.C
	x[off+min(max(stepsLeft, 0), maxStepsLeft)] = 1
	off += maxStepsLeft + 1
	x[off] = float32(r.A) / float32(cfg.A)
	x[off+1] = float32(r.B) / float32(cfg.B)
	x[off+2] = float32(r.C) / float32(cfg.C)
	off += 3
	upper = math.MaxInt
	for mode := range 3 {
		fr, sr := flatteningRank(r, mode, cfg.Field), tensorgame.SliceRanks(r, mode, cfg.Field)
		x[off+mode] = float32(fr) / featScale
		x[off+3+mode] = float32(sr) / featScale
		lower, upper = max(lower, fr), min(upper, sr)
	}
	return lower, upper
}

// flatteningRank returns the rank of the mode-k unfolding of r (its
// slices along that axis as rows), a lower bound of the tensor rank.
func flatteningRank(r *tensorgame.Tensor, mode int, field tensorgame.Field) int {
	switch mode {
	case 0:
		return tensorgame.MatrixRank(r.A, r.B*r.C, r.Data, field)
	case 1:
		m := make([]int32, 0, len(r.Data))
		for j := range r.B {
			for i := range r.A {
				m = append(m, r.Data[(i*r.B+j)*r.C:(i*r.B+j+1)*r.C]...)
			}
		}
		return tensorgame.MatrixRank(r.B, r.A*r.C, m, field)
	default:
		m := make([]int32, 0, len(r.Data))
		for k := range r.C {
			for i := range r.A * r.B {
				m = append(m, r.Data[i*r.C+k])
			}
		}
		return tensorgame.MatrixRank(r.C, r.A*r.B, m, field)
	}
}

// forward computes, for a batch of rows inputs x (rows × inputSize), the
// values (remaining rank) and the per-token bases h·P + c_i
// (rows × tokens × Head).
func (n *Net) forward(rows int, x []float32) (values []float64, base []float32) {
	cfg, w := n.cfg, n.w
	H, D, T := cfg.Hidden, cfg.Head, len(n.lay.tokens)
	h := make([]float32, rows*H)
	linear(rows, x, w.w0, w.b0, h)
	relu(h)
	tmp := make([]float32, rows*H)
	for l := range w.wl {
		linear(rows, h, w.wl[l], w.bl[l], tmp)
		relu(tmp)
		for i := range h {
			h[i] += tmp[i]
		}
	}
	hv := make([]float32, rows*D)
	linear(rows, h, w.wv1, w.bv1, hv)
	relu(hv)
	v := make([]float32, rows)
	linear(rows, hv, w.wv2, w.bv2, v)
	values = make([]float64, rows)
	for i := range v {
		values[i] = valueScale / (1 + math.Exp(-float64(v[i])))
	}
	base = make([]float32, rows*T*D)
	hp := make([]float32, rows*D)
	linear(rows, h, w.p, w.c[0], hp)
	for r := range rows {
		for t := range T {
			dst := base[(r*T+t)*D : (r*T+t+1)*D]
			copy(dst, hp[r*D:(r+1)*D])
			if t > 0 {
				// hp holds c_0; swap it for c_t.
				for k := range dst {
					dst[k] += w.c[t].data[k] - w.c[0].data[k]
				}
			}
		}
	}
	return values, base
}

// linear sets out (rows × p.cols) = in (rows × p.rows) · p + bias, row by
// row on the calling goroutine: each output is the bias plus the
// products of the non-zero inputs, added in order, as gonum's Sgemm adds
// them (bitwise the same, TestLinearMatchesGemm), without the goroutines
// Sgemm starts for wide outputs, which at the search's batches of a few
// states cost more than they save.
func linear(rows int, in []float32, p, bias *param, out []float32) {
	for r := range rows {
		dst := out[r*p.cols : (r+1)*p.cols]
		copy(dst, bias.data)
		for k, x := range in[r*p.rows : (r+1)*p.rows] {
			if x != 0 {
				axpy(x, p.data[k*p.cols:(k+1)*p.cols], dst)
			}
		}
	}
}

// leak is the negative slope of the hidden layers' leaky ReLU.
const leak = 0.01

// relu applies the hidden activation, leaky ReLU, in place: v·1 or
// v·leak chosen by v's sign bit, without a branch (the signs are random,
// a branch would be mispredicted half the time). -0 maps to -0 either way.
func relu(x []float32) {
	scale := [2]float32{1, leak}
	for i, v := range x {
		x[i] = v * scale[math.Float32bits(v)>>31]
	}
}

// Evaluate implements mcts.Evaluator: one batched forward pass of the
// torso and heads; each policy samples its actions token by token when the
// search asks. The value is clamped to the exact rank bounds the input
// encodes (at least the largest flattening rank; at most the smallest
// slice-rank sum when that many steps remain). States whose axes do not
// fit the network are an error.
func (n *Net) Evaluate(ctx context.Context, states []tensorgame.State) ([]mcts.Policy, []float64, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	in := n.w.inSize
	x := make([]float32, len(states)*in)
	lower, upper := make([]int, len(states)), make([]int, len(states))
	for i, st := range states {
		r := st.Residual
		if !n.cfg.Fits(r.A, r.B, r.C) {
			return nil, nil, fmt.Errorf("agent: residual %d×%d×%d does not fit the %d×%d×%d network", r.A, r.B, r.C, n.cfg.A, n.cfg.B, n.cfg.C)
		}
		if st.Game.Field != n.cfg.Field {
			return nil, nil, fmt.Errorf("agent: game over %v, network over %v", st.Game.Field, n.cfg.Field)
		}
		lower[i], upper[i] = n.encodeInput(x[i*in:(i+1)*in], r, st.Game.MaxSteps-st.Steps)
	}
	values, base := n.forward(len(states), x)
	T, D := len(n.lay.tokens), n.cfg.Head
	ps := make([]mcts.Policy, len(states))
	for i, st := range states {
		r := st.Residual
		// The remaining cost is at least the rank, and at most the rank
		// bound when enough steps remain to play it out.
		hi := float64(upper[i])
		if left := st.Game.MaxSteps - st.Steps; left < upper[i] {
			hi = math.Inf(1) // the penalty may add to the steps
		}
		values[i] = min(max(values[i], float64(lower[i])), hi)
		ps[i] = n.newPolicy(base[i*T*D:(i+1)*T*D], r)
	}
	return ps, values, nil
}
