package agent

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"

	"github.com/alphamat/alphamat/mcts"
	"github.com/alphamat/alphamat/tensorgame"
)

// policy samples the actions of one state. A draw first picks an anchor,
// a non-zero entry (a, b, c) of the residual, uniformly; then the term,
// token by token, among the terms whose factors are non-zero at the anchor
// (u[a], v[b], w[c] ≠ 0). Every decomposition of the residual has a term
// covering any given non-zero entry, so anchoring loses no decomposition,
// and it turns "which of the R terms?" into "which term through this
// entry?", usually one.
//
// Token i's logits are act(h·P + c_i + Σ_{j<i} Q_i[token j] + F·R) · O_i +
// d_i over the legal values, where F are features of the anchor and of the
// factors already drawn: for u's tokens the fibre of the residual through
// (·, b, c) and the anchor's a; for v's the residual contracted with u and
// the anchor's b; for w's the residual contracted with u and v (for a
// single term, w itself) and the anchor's c. They hand the heads the
// product structure that additive conditioning on the prefix cannot
// express cheaply.
type policy struct {
	net   *Net
	base  []float32 // tokens × Head: h·P + c_i
	m     *masks
	dims  [3]int
	resid *tensorgame.Tensor // a copy: the state's tensor is the caller's
	nz    []int32            // the non-zero entries (anchors)

	anchor     [3]int
	toks       []int
	g          []float32
	pu, pv, pw []float32 // projected features of the current anchor and prefix
	f          []float32
	bufs       [][]float64 // per token: its distribution while the recursion is below it
	z          []float32
	coef       []int8
	counts     []int
}

func (n *Net) newPolicy(base []float32, r *tensorgame.Tensor) *policy {
	p := &policy{net: n, base: base, m: n.masksFor(r.A, r.B, r.C), dims: [3]int{r.A, r.B, r.C}, resid: r.Clone()}
	for i, x := range r.Data {
		if x != 0 {
			p.nz = append(p.nz, int32(i))
		}
	}
	return p
}

func (p *policy) init() {
	lay, cfg := &p.net.lay, p.net.cfg
	p.toks = make([]int, len(lay.tokens))
	p.g = make([]float32, cfg.Head)
	p.bufs = make([][]float64, len(lay.tokens))
	maxV := 0
	for i, tok := range lay.tokens {
		p.bufs[i] = make([]float64, tok.vocab)
		maxV = max(maxV, tok.vocab)
	}
	p.z = make([]float32, maxV)
	p.pu, p.pv, p.pw = make([]float32, cfg.Head), make([]float32, cfg.Head), make([]float32, cfg.Head)
	p.f = make([]float32, max(featUSize(cfg), featVSize(cfg), featWSize(cfg)))
	p.coef = make([]int8, p.dims[0]+p.dims[1]+p.dims[2])
	p.counts = make([]int, len(p.nz))
}

// Sample draws k actions. The anchors are drawn first; draws that share an
// anchor and a prefix share its computation: each distinct prefix's
// distribution is computed once and the draws are split among its values
// by multinomial sampling.
func (p *policy) Sample(rng *rand.Rand, k int, s *mcts.Samples) {
	if len(p.nz) == 0 || k <= 0 {
		return // a zero residual has no move
	}
	if p.toks == nil {
		p.init()
	}
	clear(p.counts)
	for range k {
		p.counts[rng.IntN(len(p.nz))]++
	}
	B, C := p.dims[1], p.dims[2]
	for j, c := range p.counts {
		if c == 0 {
			continue
		}
		e := int(p.nz[j])
		p.anchor = [3]int{e / (B * C), e / C % B, e % C}
		p.project(0)
		p.draw(rng, 0, c, s)
	}
}

// draw splits count draws among the values of token i, given the tokens
// before it in p.toks.
func (p *policy) draw(rng *rand.Rand, i, count int, s *mcts.Samples) {
	lay := &p.net.lay
	if i == len(lay.tokens) {
		p.decode(2)
		s.Add(p.coef, count)
		return
	}
	tok := lay.tokens[i]
	if tok.start == 0 && tok.mode > 0 {
		p.project(tok.mode)
	}
	probs := p.probs(i)
	// Multinomial split of count draws over the values, one binomial at a
	// time (sequential conditional sampling).
	rest, mass := count, 1.0
	for v, pr := range probs {
		if rest == 0 {
			break
		}
		if pr == 0 {
			continue
		}
		c := rest
		if mass-pr > 1e-12 {
			c = binomial(rng, rest, min(pr/mass, 1))
		}
		mass -= pr
		if c == 0 {
			continue
		}
		rest -= c
		p.toks[i] = v
		p.draw(rng, i+1, c, s)
	}
}

// decode writes the factors of modes 0..upto from p.toks into p.coef.
func (p *policy) decode(upto int) {
	lay := &p.net.lay
	off := 0
	for mode := 0; mode <= upto; mode++ {
		f := p.coef[off : off+p.dims[mode]]
		for t, tok := range lay.tokens {
			if tok.mode == mode {
				lay.decode(tok, p.toks[t], f)
			}
		}
		off += p.dims[mode]
	}
}

// probs returns the distribution of token i given the anchor and
// p.toks[:i], in the token's own buffer (held while the recursion is below
// token i).
func (p *policy) probs(i int) []float64 {
	lay, w, D := &p.net.lay, p.net.w, p.net.cfg.Head
	tok := lay.tokens[i]
	copy(p.g, p.base[i*D:(i+1)*D])
	if q := w.q[i]; q != nil {
		for j := range i {
			addTo(p.g, q.data[(lay.tokens[j].off+p.toks[j])*D:][:D])
		}
	}
	addTo(p.g, [3][]float32{p.pu, p.pv, p.pw}[tok.mode])
	relu(p.g)
	o, d := w.o[i], w.d[i]
	V := o.cols
	out := p.bufs[i]
	z := p.z[:V]
	copy(z, d.data)
	// z += Oᵀ·g (O is Head × V, row-major).
	blas32.Gemv(blas.Trans, 1, blas32.General{Rows: D, Cols: V, Stride: V, Data: o.data},
		blas32.Vector{N: D, Inc: 1, Data: p.g}, 1, blas32.Vector{N: V, Inc: 1, Data: z})
	ad := lay.anchorDigit(i, p.anchor[tok.mode])
	maxL := math.Inf(-1)
	for v := range V {
		if !lay.legal(p.m, i, v, ad) {
			out[v] = math.Inf(-1)
			continue
		}
		out[v] = float64(z[v])
		maxL = max(maxL, out[v])
	}
	sum := 0.0
	for v, x := range out {
		if math.IsInf(x, -1) {
			out[v] = 0
			continue
		}
		out[v] = math.Exp(x - maxL)
		sum += out[v]
	}
	for v := range out {
		out[v] /= sum
	}
	return out
}

// project computes the features of mode's tokens (the anchor, and the
// factors already drawn) and their projection pu, pv or pw.
func (p *policy) project(mode int) {
	n, D := p.net, p.net.cfg.Head
	a, b := p.dims[0], p.dims[1]
	switch mode {
	case 0:
		f := p.f[:featUSize(n.cfg)]
		n.featU(f, p.resid, p.anchor)
		vecMat(p.pu, f, n.w.ru, D)
	case 1:
		p.decode(0)
		f := p.f[:featVSize(n.cfg)]
		n.featV(f, p.resid, p.coef[:a], p.anchor)
		vecMat(p.pv, f, n.w.rv, D)
	default:
		p.decode(1)
		f := p.f[:featWSize(n.cfg)]
		n.featW(f, p.resid, p.coef[:a], p.coef[a:a+b], p.anchor)
		vecMat(p.pw, f, n.w.rw, D)
	}
}

// vecMat sets dst (D) = x · m (m is len(x) × D), skipping zeros of x.
func vecMat(dst, x []float32, m *param, D int) {
	clear(dst)
	for k, xk := range x {
		if xk == 0 {
			continue
		}
		row := m.data[k*D : (k+1)*D]
		for i, v := range row {
			dst[i] += xk * v
		}
	}
}

func addTo(dst, x []float32) {
	for i, v := range x {
		dst[i] += v
	}
}

// binomial draws from Binomial(n, p) by n Bernoulli trials (n is small:
// at most the K samples of a node).
func binomial(rng *rand.Rand, n int, p float64) int {
	c := 0
	for range n {
		if rng.Float64() < p {
			c++
		}
	}
	return c
}
