package agent

import (
	"context"
	"io"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/alphamat/alphamat/mcts"
	"github.com/alphamat/alphamat/tensorgame"
)

func TestPolicySamplesLegal(t *testing.T) {
	for _, tc := range []struct {
		field  tensorgame.Field
		format tensorgame.Format
	}{
		{tensorgame.Z2, tensorgame.Format{N: 2, M: 2, P: 2}},
		{tensorgame.Z2, tensorgame.Format{N: 1, M: 2, P: 2}}, // axes 2,4,2 padded to 4,4,4
		{tensorgame.Z2, tensorgame.Format{N: 1, M: 1, P: 1}}, // one coefficient per factor
		{tensorgame.Z, tensorgame.Format{N: 2, M: 2, P: 2}},
		{tensorgame.Z, tensorgame.Format{N: 2, M: 1, P: 2}},
	} {
		n := tinyNet(t, tc.field, 5)
		g := tensorgame.NewGame(tc.format, tc.field, 8)
		ps, vs, err := n.Evaluate(context.Background(), []tensorgame.State{g.Start()})
		if err != nil {
			t.Fatal(err)
		}
		if vs[0] < 0 {
			t.Errorf("%v: negative value %v", tc.format, vs[0])
		}
		var s mcts.Samples
		a, b, c := tc.format.Dims()
		s.Reset(a, b, c)
		rng := rand.New(rand.NewPCG(6, 6))
		for range 20 {
			ps[0].Sample(rng, 64, &s)
		}
		if s.Total() != 20*64 {
			t.Errorf("%v %v: %d draws recorded, want %d", tc.format, tc.field, s.Total(), 20*64)
		}
		for i := range s.N() {
			if err := g.LegalAction(s.Action(i)); err != nil {
				t.Fatalf("%v %v: sampled %v: %v", tc.format, tc.field, s.Action(i), err)
			}
		}
	}
}

func TestEvaluateRejectsMisfits(t *testing.T) {
	n := tinyNet(t, tensorgame.Z2, 1)
	for _, g := range []*tensorgame.Game{
		tensorgame.NewGame(tensorgame.Format{N: 3, M: 3, P: 3}, tensorgame.Z2, 5), // axes too long
		tensorgame.NewGame(tensorgame.Format{N: 2, M: 2, P: 2}, tensorgame.Z, 5),  // wrong field
	} {
		if _, _, err := n.Evaluate(context.Background(), []tensorgame.State{g.Start()}); err == nil {
			t.Errorf("%v over %v: no error from a %dx%dx%d net over Z2", g.Format, g.Field, 4, 4, 4)
		}
	}
}

// sampleAll draws from each policy with its own fresh seed and returns the
// samples, for comparing two networks.
func sampleAll(t *testing.T, n *Net, states []tensorgame.State) ([]float64, [][]int8) {
	t.Helper()
	ps, vs, err := n.Evaluate(context.Background(), states)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]int8
	for i, p := range ps {
		var s mcts.Samples
		r := states[i].Residual
		s.Reset(r.A, r.B, r.C)
		p.Sample(rand.New(rand.NewPCG(uint64(i), 7)), 32, &s)
		out = append(out, append([]int8(nil), s.Coef...))
	}
	return vs, out
}

func TestCheckpointRoundTrip(t *testing.T) {
	dir := t.TempDir()
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	cfg := TrainConfig{Format: f, Field: tensorgame.Z2, BatchSize: 8, Seed: 3, DemoMaxRank: 4}
	tr, err := NewTrainer(cfg, tinyNet(t, tensorgame.Z2, 2))
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := tr.TrainStep(true); err != nil {
			t.Fatal(err)
		}
	}
	ckpt := filepath.Join(dir, "agent.ckpt")
	if err := tr.Save(ckpt); err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "model.bin")
	if err := tr.Net().Save(model); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(8, 8))
	var states []tensorgame.State
	for i := range 4 {
		d := RandomDemo(rng, f, tensorgame.Z2, 1+i)
		states = append(states, (&tensorgame.Game{Target: d.Tensor, Field: tensorgame.Z2, MaxSteps: 6}).Start())
	}
	wantV, wantS := sampleAll(t, tr.Net(), states)

	net, err := LoadNet(model)
	if err != nil {
		t.Fatal(err)
	}
	tr2, err := LoadTrainer(ckpt, TrainConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for name, n := range map[string]*Net{"model": net, "checkpoint": tr2.Net()} {
		gotV, gotS := sampleAll(t, n, states)
		for i := range states {
			if gotV[i] != wantV[i] {
				t.Errorf("%s: state %d value %v, want %v", name, i, gotV[i], wantV[i])
			}
			if string(int8Bytes(gotS[i])) != string(int8Bytes(wantS[i])) {
				t.Errorf("%s: state %d samples differ", name, i)
			}
		}
	}
	// Resuming continues exactly: the next step of both trainers agrees.
	if tr2.State() != tr.State() {
		t.Errorf("resumed state %+v, want %+v", tr2.State(), tr.State())
	}
	a, err := tr.TrainStep(true)
	if err != nil {
		t.Fatal(err)
	}
	b, err := tr2.TrainStep(true)
	if err != nil {
		t.Fatal(err)
	}
	if a.Loss != b.Loss {
		t.Errorf("step after resume: loss %v, want %v", b.Loss, a.Loss)
	}
	// A model file has no training state to resume from.
	if _, err := LoadTrainer(model, TrainConfig{}); err == nil {
		t.Error("LoadTrainer accepted a weights-only model")
	}
}

func int8Bytes(c []int8) []byte {
	b := make([]byte, len(c))
	for i, x := range c {
		b[i] = byte(x)
	}
	return b
}

func TestReadNetRejectsGarbage(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"empty":     "",
		"text":      "u ; v ; w\n",
		"truncated": magic + "\x01\x02",
	} {
		path := filepath.Join(dir, name)
		if err := tensorgame.AtomicWrite(path, func(w io.Writer) error { _, err := io.WriteString(w, content); return err }); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadNet(path); err == nil {
			t.Errorf("%s: LoadNet accepted it", name)
		}
	}
}

func TestGuard(t *testing.T) {
	g := NewGuard(nil)
	rng := rand.New(rand.NewPCG(10, 10))
	for _, f := range []tensorgame.Format{{N: 2, M: 2, P: 2}, {N: 2, M: 2, P: 3}, {N: 2, M: 3, P: 2}, {N: 3, M: 3, P: 3}} {
		a, b, c := f.Dims()
		// The matmul tensor and its images under changes of basis and axis
		// permutations of equal lengths are refused.
		if g.Allowed(tensorgame.MatMul(f)) {
			t.Errorf("%v: matmul tensor allowed", f)
		}
		for range 5 {
			bs := tensorgame.RandomTensorBasis(rng, a, b, c, tensorgame.Z2, -1)
			if g.Allowed(bs.Tensor(tensorgame.MatMul(f))) {
				t.Errorf("%v: matmul tensor in a random basis allowed", f)
			}
		}
		// Most random demonstrations pass.
		passed := 0
		for range 50 {
			if g.Allowed(RandomDemo(rng, f, tensorgame.Z2, 1+rng.IntN(f.Naive())).Tensor) {
				passed++
			}
		}
		if passed < 40 {
			t.Errorf("%v: only %d of 50 random demonstrations allowed", f, passed)
		}
	}
	held := HeldOut(16, tensorgame.Z2)
	g = NewGuard([]*tensorgame.Tensor{held[3].Tensor})
	if g.Allowed(held[3].Tensor) {
		t.Error("held-out tensor allowed")
	}
}

func TestHeldOutIsFixed(t *testing.T) {
	a, b := HeldOut(40, tensorgame.Z2), HeldOut(40, tensorgame.Z2)
	ranks := map[int]bool{}
	formats := map[tensorgame.Format]bool{}
	for i := range a {
		if !a[i].Tensor.Equal(b[i].Tensor) {
			t.Fatalf("held-out problem %d differs between calls", i)
		}
		ranks[a[i].Rank()] = true
		formats[a[i].Format] = true
	}
	if len(ranks) < 5 || len(formats) != len(heldOutFormats) {
		t.Errorf("held-out set covers ranks %v and %d formats", ranks, len(formats))
	}
}

func TestSolveHeldOut(t *testing.T) {
	// Rank-one problems are always solved (the exact rank-one finish);
	// the counts add up by rank.
	rng := rand.New(rand.NewPCG(11, 11))
	var demos []*Demo
	for _, f := range heldOutFormats[:4] {
		demos = append(demos, RandomDemo(rng, f, tensorgame.Z2, 1))
	}
	demos = append(demos, HeldOut(2, tensorgame.Z2)...)
	res, err := SolveHeldOut(context.Background(), demos, tensorgame.Z2, mcts.Uniform{}, mcts.Config{Simulations: 20, Samples: 8}, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if res.Problems != len(demos) {
		t.Errorf("%d problems, want %d", res.Problems, len(demos))
	}
	if got := res.ByRank[1]; got != [2]int{4, 4} {
		t.Errorf("rank one: %v solved of problems, want all 4", got)
	}
	sum := 0
	for _, c := range res.ByRank {
		sum += c[1]
	}
	if sum != res.Solved {
		t.Errorf("by rank %d solved, total %d", sum, res.Solved)
	}
}

func TestRandomSubDemo(t *testing.T) {
	for _, tc := range []struct {
		field tensorgame.Field
		f     tensorgame.Format
		sub   [3]int
	}{
		{tensorgame.Z2, tensorgame.Format{N: 2, M: 2, P: 3}, [3]int{4, 4, 4}},
		{tensorgame.Z2, tensorgame.Format{N: 2, M: 2, P: 3}, [3]int{2, 3, 0}}, // 0 clamps to 1
		{tensorgame.Z, tensorgame.Format{N: 2, M: 3, P: 3}, [3]int{5, 9, 9}},  // clamps to the axes
	} {
		rng := rand.New(rand.NewPCG(5, 6))
		a, b, c := tc.f.Dims()
		want := [3]int{min(max(tc.sub[0], 1), a), min(max(tc.sub[1], 1), b), min(max(tc.sub[2], 1), c)}
		d := RandomSubDemo(rng, tc.f, tc.field, 6, tc.sub)
		if d.Rank() != 6 {
			t.Fatalf("%v %v: %d terms, want 6", tc.f, tc.sub, d.Rank())
		}
		sum := tensorgame.NewTensor(a, b, c)
		for _, term := range d.Terms {
			for mode, fac := range [3][]int8{term.U, term.V, term.W} {
				nz := false
				for i, x := range fac {
					if x != 0 {
						nz = true
						if i >= want[mode] {
							t.Errorf("%v %v: factor %d has coefficient %d at %d, outside the first %d", tc.f, tc.sub, mode, x, i, want[mode])
						}
					}
				}
				if !nz {
					t.Errorf("%v %v: zero factor", tc.f, tc.sub)
				}
			}
			neg := tensorgame.Action{U: make([]int8, a), V: term.V, W: term.W}
			for i, x := range term.U {
				neg.U[i] = -x
			}
			sum.SubAction(neg, tc.field == tensorgame.Z2)
		}
		if !slices.Equal(sum.Data, d.Tensor.Data) {
			t.Errorf("%v %v: tensor is not the sum of the terms", tc.f, tc.sub)
		}
	}
}
