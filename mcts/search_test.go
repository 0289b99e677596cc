package mcts

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

// termsPolicy draws uniformly from a fixed list of actions: an oracle that
// knows a decomposition, for tests.
type termsPolicy struct{ terms [][]int8 }

func (p termsPolicy) Sample(rng *rand.Rand, k int, s *Samples) {
	for range k {
		s.Add(p.terms[rng.IntN(len(p.terms))], 1)
	}
}

type termsEval struct {
	terms [][]int8
	value float64
}

func (e termsEval) Evaluate(ctx context.Context, states []tensorgame.State) ([]Policy, []float64, error) {
	ps := make([]Policy, len(states))
	vs := make([]float64, len(states))
	for i := range states {
		ps[i] = termsPolicy{e.terms}
		vs[i] = e.value
	}
	return ps, vs, nil
}

func flat(a tensorgame.Action) []int8 {
	return append(append(append([]int8(nil), a.U...), a.V...), a.W...)
}

func standardActions(t *testing.T, f tensorgame.Format, field tensorgame.Field) []tensorgame.Action {
	t.Helper()
	var out []tensorgame.Action
	for _, term := range tensorgame.Standard(f, field).Terms {
		a, err := tensorgame.ActionOf(term)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

func TestUniformSamplesLegal(t *testing.T) {
	for _, tc := range []struct {
		format tensorgame.Format
		field  tensorgame.Field
	}{
		{tensorgame.Format{N: 2, M: 2, P: 2}, tensorgame.Z2},
		{tensorgame.Format{N: 1, M: 1, P: 1}, tensorgame.Z2},
		{tensorgame.Format{N: 2, M: 3, P: 2}, tensorgame.Z},
	} {
		g := tensorgame.NewGame(tc.format, tc.field, 10)
		st := g.Start()
		pol, _, err := Uniform{}.EvaluateState(context.Background(), st)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		var s Samples
		a, b, c := tc.format.Dims()
		s.Reset(a, b, c)
		pol.Sample(rng, 500, &s)
		if s.Total() != 500 {
			t.Errorf("%v: %d draws recorded, want 500", tc.format, s.Total())
		}
		for i := range s.N() {
			if err := g.LegalAction(s.Action(i)); err != nil {
				t.Fatalf("%v %v: sample %d: %v", tc.format, tc.field, i, err)
			}
			for j := range i {
				if string(int8s(s.Coefs(i))) == string(int8s(s.Coefs(j))) {
					t.Fatalf("samples %d and %d are equal but not merged", i, j)
				}
			}
		}
	}
}

func int8s(c []int8) []byte {
	b := make([]byte, len(c))
	for i, x := range c {
		b[i] = byte(x)
	}
	return b
}

func TestTreeInvariants(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		ev    StateEvaluator
		field tensorgame.Field
	}{
		{"uniform-z2", Uniform{}, tensorgame.Z2},
		{"uniform-z", Uniform{}, tensorgame.Z},
		{"oracle-z2", Direct{termsEval{value: 3}}, tensorgame.Z2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tensorgame.Format{N: 2, M: 2, P: 2}
			g := tensorgame.NewGame(f, tc.field, 8)
			ev := tc.ev
			if te, ok := ev.(Direct); ok {
				e := te.Evaluator.(termsEval)
				for _, a := range standardActions(t, f, tc.field) {
					e.terms = append(e.terms, flat(a))
				}
				ev = Direct{e}
			}
			s := NewSearch(g, ev, Config{Simulations: 60, Samples: 16}, rand.New(rand.NewPCG(3, 4)))
			for i := range 300 {
				if err := s.Simulate(ctx); err != nil {
					t.Fatal(err)
				}
				if i%50 == 0 || i == 299 {
					if err := s.Check(); err != nil {
						t.Fatalf("after %d simulations: %v", i+1, err)
					}
				}
			}
			for !s.Done() {
				if _, err := s.Step(ctx); err != nil {
					t.Fatal(err)
				}
				if err := s.Check(); err != nil {
					t.Fatalf("after move %d: %v", len(s.played), err)
				}
			}
		})
	}
}

// A game that reaches zero must give a scheme that verifies, also when it
// is played in a changed basis and mapped back.
func TestSolvedGameVerifies(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		format tensorgame.Format
		field  tensorgame.Field
		moves  int
	}{
		{tensorgame.Format{N: 2, M: 2, P: 2}, tensorgame.Z2, 0},
		{tensorgame.Format{N: 2, M: 2, P: 2}, tensorgame.Z2, -1},
		{tensorgame.Format{N: 2, M: 1, P: 2}, tensorgame.Z, 3},
	} {
		rng := rand.New(rand.NewPCG(5, 6))
		a, b, c := tc.format.Dims()
		basis := tensorgame.RandomTensorBasis(rng, a, b, c, tc.field, tc.moves)
		target := basis.Tensor(tensorgame.MatMul(tc.format))
		game := &tensorgame.Game{Target: target, Field: tc.field, MaxSteps: tc.format.Naive()}
		var ev termsEval
		for _, act := range standardActions(t, tc.format, tc.field) {
			ev.terms = append(ev.terms, flat(basis.Map(act)))
		}
		s := NewSearch(game, Direct{ev}, Config{Simulations: 200, Samples: 32}, rng)
		res, err := s.Play(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.Best == nil {
			t.Fatalf("%v %v: no solution found", tc.format, tc.field)
		}
		if res.Solved && len(res.Played) > tc.format.Naive() {
			t.Errorf("solved in %d steps, more than the limit", len(res.Played))
		}
		back := make([]tensorgame.Action, len(res.Best))
		for i, act := range res.Best {
			back[i] = basis.Unmap(act)
		}
		sch, err := tensorgame.NewGame(tc.format, tc.field, 100).Scheme(back)
		if err != nil {
			t.Fatal(err)
		}
		if err := tensorgame.Verify(sch); err != nil {
			t.Errorf("%v %v: found scheme does not verify: %v", tc.format, tc.field, err)
		}
	}
}

func TestRankOneFinish(t *testing.T) {
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	g := tensorgame.NewGame(f, tensorgame.Z2, 5)
	st := g.Start()
	st.Residual = tensorgame.NewTensor(4, 4, 4)
	act := tensorgame.Action{U: []int8{1, 0, 1, 1}, V: []int8{0, 1, 1, 0}, W: []int8{1, 1, 1, 1}}
	st.Residual.SubTerm([]int32{1, 0, 1, 1}, []int32{0, 1, 1, 0}, []int32{1, 1, 1, 1}, true)
	game := &tensorgame.Game{Target: st.Residual, Field: tensorgame.Z2, MaxSteps: 3}
	s := NewSearch(game, Uniform{}, Config{Simulations: 5}, rand.New(rand.NewPCG(1, 1)))
	res, err := s.Play(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !res.Solved || len(res.Played) != 1 || !res.Played[0].Equal(act) {
		t.Fatalf("rank-one target: solved %v in %d moves %v, want the one term %v", res.Solved, len(res.Played), res.Played, act)
	}
	if s.Stats().Evaluations != 0 {
		t.Errorf("%d evaluations for a rank-one finish, want 0", s.Stats().Evaluations)
	}
}

// countEval counts the batch sizes it sees.
type countEval struct {
	mu    sync.Mutex
	sizes []int
}

func (c *countEval) Evaluate(ctx context.Context, states []tensorgame.State) ([]Policy, []float64, error) {
	c.mu.Lock()
	c.sizes = append(c.sizes, len(states))
	c.mu.Unlock()
	vs := make([]float64, len(states))
	for i, st := range states {
		vs[i] = float64(st.Steps) // echo, so callers can check they got their own answer
	}
	ps, _, err := Uniform{}.Evaluate(ctx, states)
	return ps, vs, err
}

func TestBatcher(t *testing.T) {
	ev := &countEval{}
	b := NewBatcher(ev, 8, 2)
	g := tensorgame.NewGame(tensorgame.Format{N: 2, M: 2, P: 2}, tensorgame.Z2, 100)
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for w := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := g.Start()
			for i := range 20 {
				st.Steps = w*100 + i
				_, v, err := b.EvaluateState(context.Background(), st)
				if err != nil {
					errs <- err
					return
				}
				if int(v) != st.Steps {
					errs <- fmt.Errorf("worker %d got value %v for its state %d", w, v, st.Steps)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	st := b.Stats()
	if st.States != 32*20 {
		t.Errorf("%d states evaluated, want %d", st.States, 32*20)
	}
	for _, n := range ev.sizes {
		if n < 1 || n > 8 {
			t.Fatalf("batch of %d, want 1..8", n)
		}
	}
	b.Close()
	if _, _, err := b.EvaluateState(context.Background(), g.Start()); err != ErrClosed {
		t.Errorf("after Close: err %v, want ErrClosed", err)
	}
}

func TestRunParallel(t *testing.T) {
	b := NewBatcher(Uniform{}, 4, 1)
	defer b.Close()
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	var mu sync.Mutex
	jobs := 6
	games := 0
	err := Run(context.Background(), 3, b, func(int) (Job, bool) {
		mu.Lock()
		defer mu.Unlock()
		if jobs == 0 {
			return Job{}, false
		}
		jobs--
		return Job{Game: tensorgame.NewGame(f, tensorgame.Z2, 3), Config: Config{Simulations: 10, Samples: 8}, Seed: uint64(jobs)}, true
	}, func(j Job, r *Result) error {
		games++
		if len(r.Played) > 3 {
			t.Errorf("game played %d moves past its limit 3", len(r.Played))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if games != 6 {
		t.Errorf("%d games reported, want 6", games)
	}
}

func TestBounderMatchesRankBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	for _, f := range []tensorgame.Format{{N: 2, M: 2, P: 2}, {N: 2, M: 3, P: 2}, {N: 3, M: 3, P: 3}} {
		a, b, c := f.Dims()
		bd := newBounder(a, b, c, tensorgame.Z2)
		for range 50 {
			tt := tensorgame.NewTensor(a, b, c)
			density := rng.Float64()
			for i := range tt.Data {
				if rng.Float64() < density {
					tt.Data[i] = 1
				}
			}
			if got, want := bd.bound(tt.Data), tensorgame.RankBound(tt, tensorgame.Z2); got != want {
				t.Fatalf("%v: bound %d, tensorgame.RankBound %d", f, got, want)
			}
		}
	}
}

// TestBoundAfterMatchesBound checks the incremental bound of a residual
// minus a term (re-ranking only the slices it changes) against the bound
// of the subtracted tensor, on random residuals, with terms drawn at
// random and terms that zero or split the residual's own entries.
func TestBoundAfterMatchesBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 14))
	for _, f := range []tensorgame.Format{{N: 2, M: 2, P: 2}, {N: 2, M: 3, P: 4}, {N: 3, M: 3, P: 3}, {N: 4, M: 4, P: 4}} {
		a, b, c := f.Dims()
		bd := newBounder(a, b, c, tensorgame.Z2)
		if !bd.mod2 {
			t.Fatalf("%v: bounder not bit-packed", f)
		}
		for range 40 {
			tt := tensorgame.NewTensor(a, b, c)
			density := rng.Float64()
			for i := range tt.Data {
				if rng.Float64() < density {
					tt.Data[i] = 1
				}
			}
			if got, want := bd.prepare(tt.Data), bd.bound(tt.Data); got != want {
				t.Fatalf("%v: prepare %d, bound %d", f, got, want)
			}
			for range 20 {
				act := tensorgame.Action{U: randFactor(rng, a), V: randFactor(rng, b), W: randFactor(rng, c)}
				sub := tt.Clone()
				sub.SubAction(act, true)
				if got, want := bd.boundAfter(act.U, act.V, act.W), bd.bound(sub.Data); got != want {
					t.Fatalf("%v: boundAfter %d, bound of the difference %d", f, got, want)
				}
			}
			// prepare must leave the recorded residual untouched by boundAfter.
			if got, want := bd.boundAfter(make([]int8, a), make([]int8, b), make([]int8, c)), bd.bound(tt.Data); got != want {
				t.Fatalf("%v: boundAfter of a zero term %d, bound %d", f, got, want)
			}
		}
	}
}

func randFactor(rng *rand.Rand, n int) []int8 {
	f := make([]int8, n)
	for i := range f {
		f[i] = int8(rng.IntN(2))
	}
	return f
}

func TestLookaheadSamples(t *testing.T) {
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	g := tensorgame.NewGame(f, tensorgame.Z2, 8)
	s := NewSearch(g, Uniform{}, Config{Samples: 16, Lookahead: 2, LookaheadPool: 8}, rand.New(rand.NewPCG(13, 13)))
	if err := s.Simulate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s.samples.Total() != 16 {
		t.Errorf("%d draws after the lookahead, want K = 16", s.samples.Total())
	}
	// The reweighting favours moves that lower the rank bound: their share
	// must exceed their share among uniform draws (about 6% of the moves
	// lower the bound of T(2,2,2); measured by enumeration).
	bd := newBounder(4, 4, 4, tensorgame.Z2)
	b0 := bd.bound(g.Target.Data)
	lower := 0
	for i := range s.samples.N() {
		r := g.Target.Clone()
		r.SubAction(s.samples.Action(i), true)
		if err := g.LegalAction(s.samples.Action(i)); err != nil {
			t.Fatal(err)
		}
		if bd.bound(r.Data) < b0 {
			lower += s.samples.Count[i]
		}
	}
	if lower < 4 {
		t.Errorf("only %d of 16 lookahead draws lower the rank bound", lower)
	}
}

// Simulations through an existing tree allocate nothing: selection,
// terminal values and backup work in the node slices.
func TestSimulateAllocatesNothing(t *testing.T) {
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	g := tensorgame.NewGame(f, tensorgame.Z2, 1) // every child of the root is terminal
	s := NewSearch(g, Uniform{}, Config{Samples: 8}, rand.New(rand.NewPCG(14, 14)))
	ctx := context.Background()
	for range 200 {
		if err := s.Simulate(ctx); err != nil {
			t.Fatal(err)
		}
	}
	allocs := testing.AllocsPerRun(100, func() {
		if err := s.Simulate(ctx); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per simulation through an expanded tree, want 0", allocs)
	}
	if err := s.Check(); err != nil {
		t.Error(err)
	}
}
