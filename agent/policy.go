package agent

import (
	"math"
	"math/rand/v2"

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

	anchor [3]int
	*scratch
}

// scratch is the working memory of a policy's Sample, sized for the
// network's axes and kept in Net.scratch between calls so that sampling
// allocates nothing.
type scratch struct {
	toks       []int
	g          []float32
	pu, pv, pw []float32 // projected features of the current anchor and prefix
	f          []float32
	bufs       [][]float64 // per token: its distribution while the recursion is below it
	z          []float32
	coef       []int8
	counts     []int
}

func newScratch(cfg Config, lay *layout) *scratch {
	p := &scratch{
		toks:   make([]int, len(lay.tokens)),
		g:      make([]float32, cfg.Head),
		bufs:   make([][]float64, len(lay.tokens)),
		pu:     make([]float32, cfg.Head),
		pv:     make([]float32, cfg.Head),
		pw:     make([]float32, cfg.Head),
		f:      make([]float32, max(featUSize(cfg), featVSize(cfg), featWSize(cfg))),
		coef:   make([]int8, cfg.A+cfg.B+cfg.C),
		counts: make([]int, cfg.A*cfg.B*cfg.C),
	}
	maxV := 0
	for i, tok := range lay.tokens {
		p.bufs[i] = make([]float64, tok.vocab)
		maxV = max(maxV, tok.vocab)
	}
	p.z = make([]float32, maxV)
	return p
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

// init takes a scratch from the network's pool; release gives it back.
func (p *policy) init() {
	p.scratch = p.net.scratch.Get().(*scratch)
	p.coef = p.coef[:p.dims[0]+p.dims[1]+p.dims[2]]
	p.counts = p.counts[:len(p.nz)]
}

func (p *policy) release() {
	p.net.scratch.Put(p.scratch)
	p.scratch = nil
}

// Sample draws k actions. The anchors are drawn first; draws that share an
// anchor and a prefix share its computation: each distinct prefix's
// distribution is computed once and the draws are split among its values
// by multinomial sampling.
func (p *policy) Sample(rng *rand.Rand, k int, s *mcts.Samples) {
	if len(p.nz) == 0 || k <= 0 {
		return // a zero residual has no move
	}
	p.init()
	defer p.release()
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
				v := p.toks[t]
				// As lay.decode(tok, v, f), from the table.
				copy(f[min(tok.start, len(f)):], lay.digits[t][v*tok.n:(v+1)*tok.n])
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
	legal := p.m.legal[i][lay.anchorDigit(i, p.anchor[tok.mode])+1]
	logits(z, o.data, d.data, p.g, legal)
	maxL := math.Inf(-1)
	for _, v := range legal {
		maxL = max(maxL, float64(z[v]))
	}
	clear(out)
	sum := 0.0
	for _, v := range legal {
		out[v] = math.Exp(float64(z[v]) - maxL)
		sum += out[v]
	}
	for _, v := range legal {
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

// logits sets z[v] = d[v] + Σ_k g[k]·o[k][v] (o is len(g) × len(d),
// row-major) for the values v in cols, leaving the others. Each sum is
// accumulated in the order of k, a rounded product at a time, as
// gonum's Sgemv (Oᵀ·g, one Axpy per row of o) does, so the logits are
// bitwise those of the full product. With sixteen values (Z2 tokens of
// four coefficients) on amd64 an assembly kernel computes all of them at
// once; otherwise only the legal values are computed, eight or four at a
// time.
func logits(z, o, d, g []float32, cols []int) {
	V := len(d)
	if haveRows16 && V == 16 && len(g) > 0 && len(o) >= 16*len(g) {
		var acc [16]float32
		copy(acc[:], d)
		axpyRows16(&acc[0], &o[0], &g[0], len(g))
		for _, c := range cols {
			z[c] = acc[c]
		}
		return
	}
	k := 0
	for ; k+8 <= len(cols); k += 8 {
		c := cols[k : k+8 : k+8]
		c0, c1, c2, c3, c4, c5, c6, c7 := c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]
		s0, s1, s2, s3 := d[c0], d[c1], d[c2], d[c3]
		s4, s5, s6, s7 := d[c4], d[c5], d[c6], d[c7]
		for j, gj := range g {
			row := o[j*V : j*V+V]
			s0 += float32(gj * row[c0])
			s1 += float32(gj * row[c1])
			s2 += float32(gj * row[c2])
			s3 += float32(gj * row[c3])
			s4 += float32(gj * row[c4])
			s5 += float32(gj * row[c5])
			s6 += float32(gj * row[c6])
			s7 += float32(gj * row[c7])
		}
		z[c0], z[c1], z[c2], z[c3] = s0, s1, s2, s3
		z[c4], z[c5], z[c6], z[c7] = s4, s5, s6, s7
	}
	for ; k+4 <= len(cols); k += 4 {
		c0, c1, c2, c3 := cols[k], cols[k+1], cols[k+2], cols[k+3]
		s0, s1, s2, s3 := d[c0], d[c1], d[c2], d[c3]
		for j, gj := range g {
			row := o[j*V : j*V+V]
			s0 += float32(gj * row[c0])
			s1 += float32(gj * row[c1])
			s2 += float32(gj * row[c2])
			s3 += float32(gj * row[c3])
		}
		z[c0], z[c1], z[c2], z[c3] = s0, s1, s2, s3
	}
	for ; k < len(cols); k++ {
		c := cols[k]
		s := d[c]
		for j, gj := range g {
			s += float32(gj * o[j*V+c])
		}
		z[c] = s
	}
}

// vecMat sets dst (D) = x · m (m is len(x) × D), skipping zeros of x.
// Each element is summed over k in order, a rounded product at a time
// (axpy multiplies, then adds, lane by lane).
func vecMat(dst, x []float32, m *param, D int) {
	clear(dst)
	for k, xk := range x {
		if xk == 0 {
			continue
		}
		axpy(xk, m.data[k*D:(k+1)*D], dst)
	}
}

// addTo adds x to dst element by element.
func addTo(dst, x []float32) {
	axpy(1, x, dst)
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
