package agent

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

// tinyConfig is a network small enough for gorgonia under -race.
func tinyConfig(field tensorgame.Field) Config {
	return Config{Field: field, A: 4, B: 4, C: 4, Hidden: 8, Layers: 2, Head: 6}
}

func tinyNet(t *testing.T, field tensorgame.Field, seed uint64) *Net {
	t.Helper()
	n, err := NewNet(tinyConfig(field), rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// demoExamples draws rows examples from random demos of 2×2×2 (axes 4,4,4)
// and 1×2×2 (axes 2,4,2: padded).
func demoExamples(rng *rand.Rand, field tensorgame.Field, rows int) []*example {
	var out []*example
	formats := []tensorgame.Format{{N: 2, M: 2, P: 2}, {N: 1, M: 2, P: 2}}
	for i := range rows {
		d := RandomDemo(rng, formats[i%2], field, 1+rng.IntN(5))
		out = append(out, demoExample(d, 2))
	}
	return out
}

func TestGraphMatchesInference(t *testing.T) {
	for _, field := range []tensorgame.Field{tensorgame.Z2, tensorgame.Z} {
		n := tinyNet(t, field, 1)
		rng := rand.New(rand.NewPCG(2, 2))
		ex := demoExamples(rng, field, 5)
		gr, err := newGraph(n, len(ex))
		if err != nil {
			t.Fatal(err)
		}
		fb := gr.fill(rng, ex)
		toks := fb.toks
		ex = fb.used // rows whose actions cover no non-zero entry are replaced
		if _, _, _, _, err := gr.run(); err != nil {
			t.Fatal(err)
		}
		gv := gr.values()
		states := make([]tensorgame.State, len(ex))
		for i, e := range ex {
			g := &tensorgame.Game{Target: e.resid, Field: field, MaxSteps: e.stepsLeft}
			states[i] = g.Start()
		}
		ps, vs, err := n.Evaluate(context.Background(), states)
		if err != nil {
			t.Fatal(err)
		}
		for r := range ex {
			lo, up := n.encodeInput(make([]float32, n.w.inSize), ex[r].resid, ex[r].stepsLeft)
			hi := float64(up)
			if ex[r].stepsLeft < up {
				hi = math.Inf(1)
			}
			if want := float64(gv[r]) * valueScale; math.Abs(min(max(want, float64(lo)), hi)-vs[r]) > 1e-4 {
				t.Errorf("%v row %d: value %v, graph %v", field, r, vs[r], want)
			}
			// Token distributions under the graph's teacher forcing.
			p := ps[r].(*policy)
			p.init()
			p.anchor = fb.anchors[r]
			p.project(0)
			for i, tok := range n.lay.tokens {
				copy(p.toks, toks[r])
				if tok.start == 0 && tok.mode > 0 {
					p.project(tok.mode)
				}
				probs := p.probs(i)
				lp := gr.logProbs(i)[r*tok.vocab : (r+1)*tok.vocab]
				for v := range tok.vocab {
					if probs[v] == 0 {
						continue
					}
					if d := math.Abs(math.Log(probs[v]) - float64(lp[v])); d > 1e-3 {
						t.Fatalf("%v row %d token %d value %d: log p %v, graph %v", field, r, i, v, math.Log(probs[v]), lp[v])
					}
				}
			}
		}
	}
}

func TestGradientsMatchFiniteDifferences(t *testing.T) {
	n := tinyNet(t, tensorgame.Z2, 3)
	rng := rand.New(rand.NewPCG(4, 4))
	ex := demoExamples(rng, tensorgame.Z2, 4)
	gr, err := newGraph(n, len(ex))
	if err != nil {
		t.Fatal(err)
	}
	gr.fill(rand.New(rand.NewPCG(9, 9)), ex)
	loss := func() float64 {
		l, _, _, _, err := gr.run()
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	_, _, _, grads, err := gr.run()
	if err != nil {
		t.Fatal(err)
	}
	ana := make([][]float32, len(grads))
	for i, g := range grads {
		ana[i] = append([]float32(nil), g...)
	}
	// Central differences at shrinking step sizes: a ReLU kink within a
	// step spoils that estimate (biases move every row, so they meet kinks
	// often); float32 limits how small the step can be.
	fd := func(p *param, j int, eps float32) float64 {
		old := p.data[j]
		p.data[j] = old + eps
		up := loss()
		p.data[j] = old - eps
		down := loss()
		p.data[j] = old
		return (up - down) / (2 * float64(eps))
	}
	checked := 0
	for pi, p := range n.w.list {
		for range 3 {
			j := rng.IntN(len(p.data))
			a := float64(ana[pi][j])
			tol := 2e-3 + 5e-2*math.Abs(a)
			var nums []float64
			ok := false
			for _, eps := range []float32{1e-2, 3e-3, 1e-3} {
				num := fd(p, j, eps)
				nums = append(nums, num)
				if math.Abs(num-a) <= tol {
					ok = true
					break
				}
			}
			if !ok {
				t.Errorf("%s[%d]: gradient %v, finite differences %v", p.name, j, a, nums)
			}
			checked++
		}
	}
	if checked < 20 {
		t.Fatalf("checked only %d entries", checked)
	}
}
