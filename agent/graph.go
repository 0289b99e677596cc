package agent

import (
	"fmt"

	_ "go4.org/unsafe/assume-no-moving-gc" // gorgonia needs it on go ≥ 1.22
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// act is the activation of every hidden layer: leaky ReLU, which keeps
// units from dying on the sparse binary inputs (plain ReLU learned several
// times slower here).
func act(x *G.Node) *G.Node { return G.Must(G.LeakyRelu(x, leak)) }

// maskedLogit is added to the logits of illegal token values in training.
// It must leave exp(logit) above float32's smallest normal: gorgonia's
// LogSoftMax takes the log of the softmax, so a zero probability gives -Inf
// and 0·(-Inf) = NaN in the loss (which -1e4 did on the 3x3x3 model's network, axes 9×9×9).
const maskedLogit = -60

// graph is the gorgonia training graph of a Net for a fixed batch size:
// the same function as Net.forward plus the token heads under teacher
// forcing, and the loss
//
//	-Σ_rows Σ_tokens tgt·log softmax(logits + mask) + Σ_rows wv·(v - vt)²
//
// (tgt one-hot times 1/rows, wv = valueWeight·valueScale²/rows, so the
// value term is valueWeight times the mean squared error in ranks)
//
// where the row weights are folded into tgt and wv. The weight nodes are
// bound to the Net's weight slices, so the optimizer updates them in
// place and Net.Evaluate sees the result.
type graph struct {
	net  *Net
	rows int
	g    *G.ExprGraph
	vm   G.VM

	x, vt, wv          *G.Node
	fu, fv, fw         *G.Node
	prefix, tgt, mask  []*G.Node
	xT, vtT, wvT       *tensor.Dense
	fuT, fvT, fwT      *tensor.Dense // token features (teacher forced)
	prefixT, tgtT, mkT []*tensor.Dense

	params               []*G.Node
	loss, polLoss, vLoss *G.Node
	// The VM computes some ops in place, overwriting their inputs, so the
	// outputs we read back are copied out by Read nodes as they are made.
	valueV G.Value
	logpV  []G.Value
}

func mat(g *G.ExprGraph, t *tensor.Dense, name string) *G.Node {
	return G.NewMatrix(g, tensor.Float32, G.WithShape(t.Shape()...), G.WithName(name), G.WithValue(t))
}

func dense(rows, cols int) *tensor.Dense {
	return tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(make([]float32, rows*cols)))
}

// newGraph builds the training graph of n for batches of rows rows.
func newGraph(n *Net, rows int) (gr *graph, err error) {
	defer func() {
		// gorgonia's constructors panic on shape errors (G.Must); they are
		// bugs here, but report them as errors rather than crash a run.
		if r := recover(); r != nil {
			err = fmt.Errorf("agent: build graph: %v", r)
		}
	}()
	cfg, lay, w := n.cfg, &n.lay, n.w
	g := G.NewGraph()
	gr = &graph{net: n, rows: rows, g: g}
	pnode := map[*param]*G.Node{}
	for _, p := range w.list {
		t := tensor.New(tensor.WithShape(p.rows, p.cols), tensor.WithBacking(p.data))
		node := mat(g, t, p.name)
		pnode[p] = node
		gr.params = append(gr.params, node)
	}
	lin := func(in *G.Node, p, b *param) *G.Node {
		return G.Must(G.BroadcastAdd(G.Must(G.Mul(in, pnode[p])), pnode[b], nil, []byte{0}))
	}
	gr.xT = dense(rows, w.inSize)
	gr.x = mat(g, gr.xT, "x")
	h := act(lin(gr.x, w.w0, w.b0))
	for l := range w.wl {
		h = G.Must(G.Add(h, act(lin(h, w.wl[l], w.bl[l]))))
	}
	hv := act(lin(h, w.wv1, w.bv1))
	value := G.Must(G.Sigmoid(lin(hv, w.wv2, w.bv2)))
	G.Read(value, &gr.valueV)
	gr.vtT, gr.wvT = dense(rows, 1), dense(rows, 1)
	gr.vt, gr.wv = mat(g, gr.vtT, "vt"), mat(g, gr.wvT, "wv")
	diff := G.Must(G.Sub(value, gr.vt))
	gr.vLoss = G.Must(G.Sum(G.Must(G.HadamardProd(gr.wv, G.Must(G.Square(diff))))))

	var terms []*G.Node
	gr.logpV = make([]G.Value, len(lay.tokens))
	hp := G.Must(G.Mul(h, pnode[w.p]))
	gr.fuT, gr.fvT, gr.fwT = dense(rows, featUSize(cfg)), dense(rows, featVSize(cfg)), dense(rows, featWSize(cfg))
	gr.fu, gr.fv, gr.fw = mat(g, gr.fuT, "fu"), mat(g, gr.fvT, "fv"), mat(g, gr.fwT, "fw")
	pf := [3]*G.Node{
		G.Must(G.Mul(gr.fu, pnode[w.ru])),
		G.Must(G.Mul(gr.fv, pnode[w.rv])),
		G.Must(G.Mul(gr.fw, pnode[w.rw])),
	}
	for i, tok := range lay.tokens {
		pre := G.Must(G.BroadcastAdd(hp, pnode[w.c[i]], nil, []byte{0}))
		pre = G.Must(G.Add(pre, pf[tok.mode]))
		if i > 0 {
			pt := dense(rows, tok.off)
			pn := mat(g, pt, fmt.Sprintf("prefix%d", i))
			gr.prefixT = append(gr.prefixT, pt)
			gr.prefix = append(gr.prefix, pn)
			pre = G.Must(G.Add(pre, G.Must(G.Mul(pn, pnode[w.q[i]]))))
		} else {
			gr.prefixT = append(gr.prefixT, nil)
			gr.prefix = append(gr.prefix, nil)
		}
		gi := act(pre)
		logits := lin(gi, w.o[i], w.d[i])
		mt, tt := dense(rows, tok.vocab), dense(rows, tok.vocab)
		mn, tn := mat(g, mt, fmt.Sprintf("mask%d", i)), mat(g, tt, fmt.Sprintf("tgt%d", i))
		gr.mkT, gr.mask = append(gr.mkT, mt), append(gr.mask, mn)
		gr.tgtT, gr.tgt = append(gr.tgtT, tt), append(gr.tgt, tn)
		logp := G.Must(G.LogSoftMax(G.Must(G.Add(logits, mn)), 1))
		G.Read(logp, &gr.logpV[i])
		terms = append(terms, G.Must(G.Sum(G.Must(G.HadamardProd(tn, logp)))))
	}
	pl := terms[0]
	for _, t := range terms[1:] {
		pl = G.Must(G.Add(pl, t))
	}
	gr.polLoss = G.Must(G.Neg(pl))
	gr.loss = G.Must(G.Add(gr.polLoss, gr.vLoss))
	if _, err := G.Grad(gr.loss, gr.params...); err != nil {
		return nil, fmt.Errorf("agent: gradient graph: %w", err)
	}
	gr.vm = G.NewTapeMachine(g, G.BindDualValues(gr.params...))
	return gr, nil
}

// run evaluates the loss and the gradients for the batch already written
// into the input tensors. It returns the total loss, the policy and value
// parts, and the gradients in the order of net.w.list.
func (gr *graph) run() (loss, pol, val float64, grads [][]float32, err error) {
	gr.vm.Reset()
	if err := gr.vm.RunAll(); err != nil {
		return 0, 0, 0, nil, fmt.Errorf("agent: training step: %w", err)
	}
	grads = make([][]float32, len(gr.params))
	for i, p := range gr.params {
		gv, err := p.Grad()
		if err != nil {
			return 0, 0, 0, nil, fmt.Errorf("agent: gradient of %s: %w", p.Name(), err)
		}
		grads[i] = gv.Data().([]float32)
	}
	return scalar(gr.loss), scalar(gr.polLoss), scalar(gr.vLoss), grads, nil
}

func scalar(n *G.Node) float64 {
	switch v := n.Value().Data().(type) {
	case float32:
		return float64(v)
	case []float32:
		return float64(v[0])
	}
	return 0
}

// logProbs returns token i's log-probabilities from the last run
// (rows × vocab), for tests and accuracy.
func (gr *graph) logProbs(i int) []float32 {
	return gr.logpV[i].Data().([]float32)
}

// values returns the value head's outputs from the last run, in units of
// remaining rank.
func (gr *graph) values() []float32 {
	return gr.valueV.Data().([]float32)
}
