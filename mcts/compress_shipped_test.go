package mcts_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"testing"

	"github.com/alphamat/alphamat/agent"
	"github.com/alphamat/alphamat/mcts"
	"github.com/alphamat/alphamat/models"
	"github.com/alphamat/alphamat/tensorgame"
)

func loadShipped(tb testing.TB, name string) *agent.Net {
	tb.Helper()
	data, err := models.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	net, err := agent.ReadNet(bytes.NewReader(data), name)
	if err != nil {
		tb.Fatal(err)
	}
	return net
}

// With the shipped networks behind a Compress, the policies of 2×2×3
// residuals, compressed to the 2x2x2 model or not, sample only legal
// actions of the 2×2×3 game.
func TestCompressShippedLegal(t *testing.T) {
	c, err := mcts.NewCompress([]mcts.Sized{
		{Evaluator: loadShipped(t, "2x2x2_Z2.model"), Axes: [3]int{4, 4, 4}},
		{Evaluator: loadShipped(t, "3x3x3_Z2.model"), Axes: [3]int{9, 9, 9}},
	}, mcts.CompressConfig{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	f := tensorgame.Format{N: 2, M: 2, P: 3}
	full := tensorgame.MatMul(f)
	left := full.Clone()
	for i := range 2 {
		for k := range 2 {
			left.Set(i*2+k, k*3+2, i*3+2, 0) // the products of the third column
		}
	}
	rng := rand.New(rand.NewPCG(1, 1))
	var states []tensorgame.State
	for range 4 {
		bs := tensorgame.RandomTensorBasis(rng, 4, 6, 6, tensorgame.Z2, -1)
		for _, x := range []*tensorgame.Tensor{full, left} {
			g := &tensorgame.Game{Target: bs.Tensor(full), Field: tensorgame.Z2, MaxSteps: 11}
			states = append(states, tensorgame.State{Game: g, Residual: bs.Tensor(x), Steps: 4})
		}
	}
	ps, vs, err := c.Evaluate(context.Background(), states)
	if err != nil {
		t.Fatal(err)
	}
	if st := c.Stats(); st.Compressed[0] != 4 || st.Direct[1] != 4 {
		t.Errorf("stats %+v, want 4 compressed to the 2x2x2 model and 4 to the 3x3x3 one", st)
	}
	for i, p := range ps {
		if vs[i] < 0 {
			t.Errorf("state %d: value %v", i, vs[i])
		}
		var s mcts.Samples
		s.Reset(4, 6, 6)
		p.Sample(rng, 500, &s)
		if s.Total() != 500 {
			t.Errorf("state %d: %d draws, want 500", i, s.Total())
		}
		for j := range s.N() {
			if err := states[i].Game.LegalAction(s.Action(j)); err != nil {
				t.Fatalf("state %d: %v", i, err)
			}
		}
	}
}
