package agent

import (
	"math/rand/v2"

	"github.com/alphamat/alphamat/tensorgame"
)

// example is one training position: a residual, the steps left, a
// distribution over target actions (u, v, w end to end, each of the
// residual's axes) and the remaining rank to predict.
type example struct {
	resid     *tensorgame.Tensor
	stepsLeft int
	actions   [][]int8
	weights   []float64 // unnormalised; one action is drawn per use
	value     float64
}

// pick draws one of e's actions by weight.
func (e *example) pick(rng *rand.Rand) []int8 {
	if len(e.actions) == 1 {
		return e.actions[0]
	}
	total := 0.0
	for _, w := range e.weights {
		total += w
	}
	r := rng.Float64() * total
	for i, w := range e.weights {
		if r < w {
			return e.actions[i]
		}
		r -= w
	}
	return e.actions[len(e.actions)-1]
}

// fill writes a batch of examples (len = gr.rows) into the graph's
// inputs, drawing one target action per example and an anchor for it. It
// returns what it used: for each row the example, its target tokens and
// its anchor (for accuracy and tests). Examples none of
// whose actions covers a non-zero entry of the residual (so the anchored
// policy cannot play them) are replaced by the next example in the batch.
func (gr *graph) fill(rng *rand.Rand, batch []*example) filled {
	n, lay := gr.net, &gr.net.lay
	in := n.w.inSize
	x := gr.xT.Data().([]float32)
	vt := gr.vtT.Data().([]float32)
	wv := gr.wvT.Data().([]float32)
	fu, fv, fw := gr.fuT.Data().([]float32), gr.fvT.Data().([]float32), gr.fwT.Data().([]float32)
	nu, nv, nw := featUSize(n.cfg), featVSize(n.cfg), featWSize(n.cfg)
	clear(x)
	w := float32(1) / float32(gr.rows)
	out := filled{toks: make([][]int, len(batch)), anchors: make([][3]int, len(batch)), used: make([]*example, len(batch))}
	toks := out.toks
	for r := range batch {
		var e *example
		var act []int8
		var anchor [3]int
		for k := range batch {
			e = batch[(r+k)%len(batch)]
			act = e.pick(rng)
			var ok bool
			if anchor, ok = anchorFor(rng, e.resid, act); ok {
				break
			}
		}
		out.used[r], out.anchors[r] = e, anchor
		_, _ = n.encodeInput(x[r*in:(r+1)*in], e.resid, e.stepsLeft)
		vt[r] = float32(e.value / valueScale)
		wv[r] = w * valueWeight * valueScale * valueScale
		dims := [3]int{e.resid.A, e.resid.B, e.resid.C}
		factors := [3][]int8{act[:dims[0]], act[dims[0] : dims[0]+dims[1]], act[dims[0]+dims[1]:]}
		m := n.masksFor(dims[0], dims[1], dims[2])
		n.featU(fu[r*nu:(r+1)*nu], e.resid, anchor)
		n.featV(fv[r*nv:(r+1)*nv], e.resid, factors[0], anchor)
		n.featW(fw[r*nw:(r+1)*nw], e.resid, factors[0], factors[1], anchor)
		toks[r] = make([]int, len(lay.tokens))
		for i, tok := range lay.tokens {
			v := lay.encode(tok, factors[tok.mode])
			toks[r][i] = v
			if i > 0 {
				pre := gr.prefixT[i].Data().([]float32)[r*tok.off : (r+1)*tok.off]
				clear(pre)
				for j := range i {
					pre[lay.tokens[j].off+toks[r][j]] = 1
				}
			}
			tgt := gr.tgtT[i].Data().([]float32)[r*tok.vocab : (r+1)*tok.vocab]
			mask := gr.mkT[i].Data().([]float32)[r*tok.vocab : (r+1)*tok.vocab]
			clear(tgt)
			tgt[v] = w
			ad := lay.anchorDigit(i, anchor[tok.mode])
			for u := range tok.vocab {
				if lay.legal(m, i, u, ad) {
					mask[u] = 0
				} else {
					mask[u] = maskedLogit
				}
			}
		}
	}
	return out
}

// filled describes a batch written by fill.
type filled struct {
	used    []*example
	toks    [][]int
	anchors [][3]int
}
