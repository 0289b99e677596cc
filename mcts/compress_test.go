package mcts

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"

	"pgregory.net/rapid"

	"github.com/alphamat/alphamat/tensorgame"
)

// recorder is an Evaluator that records the axes of the states it gets
// and answers with uniform policies.
type recorder struct {
	mu   sync.Mutex
	axes [][3]int
}

func (r *recorder) Evaluate(ctx context.Context, states []tensorgame.State) ([]Policy, []float64, error) {
	r.mu.Lock()
	for _, st := range states {
		r.axes = append(r.axes, [3]int{st.Residual.A, st.Residual.B, st.Residual.C})
	}
	r.mu.Unlock()
	return Uniform{}.Evaluate(ctx, states)
}

// leftover222 is T(2,2,3) without the four products of its third column:
// T(2,2,2) inside the 2×2×3 axes 4×6×6.
func leftover222() *tensorgame.Tensor {
	t := tensorgame.MatMul(tensorgame.Format{N: 2, M: 2, P: 3})
	for i := range 2 {
		for k := range 2 {
			t.Set(i*2+k, k*3+2, i*3+2, 0)
		}
	}
	return t
}

// lowSpanResidual draws a Z2 tensor of axes dims as a sum of terms whose
// factors lie in random subspaces of dimension at most span.
func lowSpanResidual(rt *rapid.T, dims [3]int, span int) *tensorgame.Tensor {
	var basis [3][]uint64
	for m := range 3 {
		for range rapid.IntRange(1, min(span, dims[m])).Draw(rt, "dim") {
			basis[m] = append(basis[m], rapid.Uint64Range(1, 1<<dims[m]-1).Draw(rt, "basis"))
		}
	}
	t := tensorgame.NewTensor(dims[0], dims[1], dims[2])
	for range rapid.IntRange(1, 8).Draw(rt, "terms") {
		var x bitTerm
		for m := range 3 {
			for _, b := range basis[m] {
				if rapid.Bool().Draw(rt, "coef") {
					x[m] ^= b
				}
			}
		}
		if x[0] != 0 && x[1] != 0 && x[2] != 0 {
			addBits(t, x)
		}
	}
	return t
}

// The compressed residual, each of its non-zero entries mapped back as a
// term through the policy's map, sums to the residual; the mapped terms
// are legal actions of the original game.
func TestCompressMapsBack(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		dims := [3]int{rapid.IntRange(1, 9).Draw(rt, "a"), rapid.IntRange(1, 9).Draw(rt, "b"), rapid.IntRange(1, 9).Draw(rt, "c")}
		r := lowSpanResidual(rt, dims, 4)
		if r.IsZero() {
			return
		}
		rows := tensorRows(r)
		sp := unfoldingSpans(rows, dims)
		var axes [3]int
		for m := range 3 {
			axes[m] = sp[m].Dim() + rapid.IntRange(0, 3).Draw(rt, "pad")
		}
		c, err := NewCompress([]Sized{{Uniform{}, [3]int{9, 9, 9}}}, CompressConfig{Seed: rapid.Uint64().Draw(rt, "seed"), EchelonBasis: rapid.Bool().Draw(rt, "echelon")})
		if err != nil {
			rt.Fatal(err)
		}
		cp := c.compress(r, rows, sp, axes)
		for m, n := range [3]int{cp.tensor.A, cp.tensor.B, cp.tensor.C} {
			if want := min(axes[m], dims[m]); n != want {
				rt.Fatalf("axis %d: compressed to %d, want min(%d, %d)", m, n, axes[m], dims[m])
			}
		}
		coef := make([]int8, dims[0]+dims[1]+dims[2])
		game := &tensorgame.Game{Target: r, Field: tensorgame.Z2, MaxSteps: len(r.Data)}
		sum := tensorgame.NewTensor(dims[0], dims[1], dims[2])
		ct := cp.tensor
		small := make([]int8, ct.A+ct.B+ct.C)
		for i, x := range ct.Data {
			if x == 0 {
				continue
			}
			clear(small)
			small[i/(ct.B*ct.C)] = 1
			small[ct.A+i/ct.C%ct.B] = 1
			small[ct.A+ct.B+i%ct.C] = 1
			if !cp.mapAction(small, dims, coef) {
				rt.Fatalf("entry %d maps to a term with a zero factor", i)
			}
			act := tensorgame.Action{U: coef[:dims[0]], V: coef[dims[0] : dims[0]+dims[1]], W: coef[dims[0]+dims[1]:]}
			if err := game.LegalAction(act); err != nil {
				rt.Fatal(err)
			}
			sum.SubAction(act, true)
		}
		if !sum.Equal(r) {
			rt.Fatalf("the mapped terms of the compressed residual do not sum to the residual")
		}
	})
}

// Each state goes to the first evaluator that takes it: as it is when its
// axes fit, compressed when its unfoldings' spans fit.
func TestCompressRoutes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	bs := tensorgame.RandomTensorBasis(rng, 4, 6, 6, tensorgame.Z2, -1)
	left := bs.Tensor(leftover222())
	full := bs.Tensor(tensorgame.MatMul(tensorgame.Format{N: 2, M: 2, P: 3}))
	t222 := tensorgame.MatMul(f222)
	for _, tc := range []struct {
		name        string
		residual    *tensorgame.Tensor
		field       tensorgame.Field
		small, big  [3]int // axes the two evaluators got (zero: none)
		compressed  bool
		wantErr     bool
		bigAxesOnly bool // only the big evaluator exists
	}{
		{name: "leftover-compressed", residual: left, field: tensorgame.Z2, small: [3]int{4, 4, 4}, compressed: true},
		{name: "full-to-big", residual: full, field: tensorgame.Z2, big: [3]int{4, 6, 6}},
		{name: "fits-small-directly", residual: t222, field: tensorgame.Z2, small: [3]int{4, 4, 4}},
		{name: "over-Z-to-big", residual: left, field: tensorgame.Z, big: [3]int{4, 6, 6}},
		{name: "none-takes-it", residual: full, field: tensorgame.Z2, wantErr: true, bigAxesOnly: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			small, big := &recorder{}, &recorder{}
			models := []Sized{{small, [3]int{4, 4, 4}}, {big, [3]int{9, 9, 9}}}
			if tc.bigAxesOnly {
				models = []Sized{{small, [3]int{4, 4, 4}}, {big, [3]int{4, 5, 6}}}
			}
			c, err := NewCompress(models, CompressConfig{Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			game := &tensorgame.Game{Target: tc.residual, Field: tc.field, MaxSteps: 11}
			ps, vs, err := c.Evaluate(context.Background(), []tensorgame.State{{Game: game, Residual: tc.residual.Clone(), Steps: 4}})
			if tc.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != 1 || len(vs) != 1 {
				t.Fatalf("%d policies, %d values", len(ps), len(vs))
			}
			for _, x := range []struct {
				r    *recorder
				want [3]int
			}{{small, tc.small}, {big, tc.big}} {
				switch {
				case x.want == [3]int{} && len(x.r.axes) != 0:
					t.Errorf("evaluator got %v, want nothing", x.r.axes)
				case x.want != [3]int{} && (len(x.r.axes) != 1 || x.r.axes[0] != x.want):
					t.Errorf("evaluator got %v, want [%v]", x.r.axes, x.want)
				}
			}
			st := c.Stats()
			if got := st.Compressed[0] == 1; got != tc.compressed {
				t.Errorf("stats %+v, compressed %v", st, tc.compressed)
			}
			// Sampled actions are legal actions of the original game.
			var s Samples
			s.Reset(tc.residual.A, tc.residual.B, tc.residual.C)
			ps[0].Sample(rng, 200, &s)
			if s.N() == 0 || s.Total() != 200 {
				t.Fatalf("%d actions, %d draws, want 200 draws", s.N(), s.Total())
			}
			for i := range s.N() {
				if err := game.LegalAction(s.Action(i)); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// A game played through Compress, its residuals compressed to a smaller
// evaluator's axes, yields a scheme that verifies (Play verifies it).
func TestCompressPlay(t *testing.T) {
	f := tensorgame.Format{N: 1, M: 2, P: 2} // axes 2×4×2, rank 4
	small := &recorder{}
	c, err := NewCompress([]Sized{{small, [3]int{2, 2, 2}}, {Uniform{}, [3]int{2, 4, 2}}}, CompressConfig{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	b := NewBatcher(c, 4, 1)
	defer b.Close()
	var found *tensorgame.Scheme
	st, err := Play(context.Background(), PlayConfig{
		Format: f, Field: tensorgame.Z2, Workers: 4, Games: 16, Target: 4, Seed: 3,
		Search: Config{Simulations: 400, Samples: 16, StopOnSolve: true},
	}, b, func(s *tensorgame.Scheme) error { found = s; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if found == nil || found.Rank() > 4 {
		t.Fatalf("no scheme of rank 4 (stats %+v)", st)
	}
	mustVerify(t, found)
	if cs := c.Stats(); cs.Compressed[0] == 0 {
		t.Errorf("no residual was compressed: %+v", cs)
	}
}

func TestNewCompressErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		models []Sized
	}{
		{"empty", nil},
		{"nil-evaluator", []Sized{{nil, [3]int{4, 4, 4}}}},
		{"zero-axis", []Sized{{Uniform{}, [3]int{4, 0, 4}}}},
		{"too-large", []Sized{{Uniform{}, [3]int{4, 65, 4}}}},
	} {
		if _, err := NewCompress(tc.models, CompressConfig{Seed: 1}); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

// entryFinisher finishes a state whose residual has at most as many
// non-zero entries as steps left, with one term per entry; with bad set
// it drops the last term.
type entryFinisher struct {
	bad   bool
	calls int
	mu    sync.Mutex
}

func (f *entryFinisher) Finish(ctx context.Context, st tensorgame.State) ([]tensorgame.Action, error) {
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	r := st.Residual
	if r.NonZeros() > st.Game.MaxSteps-st.Steps {
		return nil, nil
	}
	var acts []tensorgame.Action
	for i, x := range r.Data {
		if x == 0 {
			continue
		}
		a := tensorgame.Action{U: make([]int8, r.A), V: make([]int8, r.B), W: make([]int8, r.C)}
		a.U[i/(r.B*r.C)], a.V[i/r.C%r.B], a.W[i%r.C] = 1, 1, 1
		acts = append(acts, a)
	}
	if f.bad {
		acts = acts[:len(acts)-1]
	}
	return acts, nil
}

// A solution completed by the Finisher is kept with the moves and path
// that led to it; Play maps it back and verifies it. Actions that do not
// solve the residual are an error.
func TestFinisher(t *testing.T) {
	f := tensorgame.Format{N: 1, M: 2, P: 2} // T(1,2,2): 4 entries, rank 4
	for _, tc := range []struct {
		name    string
		bad     bool
		wantErr bool
	}{{"entries", false, false}, {"wrong", true, true}} {
		t.Run(tc.name, func(t *testing.T) {
			fin := &entryFinisher{bad: tc.bad}
			var found *tensorgame.Scheme
			st, err := Play(context.Background(), PlayConfig{
				Format: f, Field: tensorgame.Z2, Workers: 1, Games: 1, Limit: 4, Seed: 1,
				Search:   Config{Simulations: 10, Samples: 4, NoRankOneFinish: true, StopOnSolve: true},
				Finisher: fin,
			}, Uniform{}, func(s *tensorgame.Scheme) error { found = s; return nil })
			if tc.wantErr {
				if err == nil {
					t.Fatal("no error for a finisher that does not solve")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if found == nil || found.Rank() != 4 || st.Search.Finished == 0 {
				t.Fatalf("found %v, stats %+v", found, st)
			}
			mustVerify(t, found)
		})
	}
}

// SubGames plays a compressible residual as a game of its own and returns
// legal actions of the original game that solve it.
func TestSubGames(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	dims := [3]int{4, 6, 6}
	// A residual of rank 2 whose spans have dimension 2: its compressed
	// form (4×4×4, completed) is easy for the uniform search.
	r := tensorgame.NewTensor(dims[0], dims[1], dims[2])
	addBits(r, bitTerm{0b0011, 0b000101, 0b110000})
	addBits(r, bitTerm{0b0110, 0b100001, 0b010010})
	r = tensorgame.RandomTensorBasis(rng, 4, 6, 6, tensorgame.Z2, -1).Tensor(r)
	c, err := NewCompress([]Sized{{Uniform{}, [3]int{4, 4, 4}}, {Uniform{}, [3]int{9, 9, 9}}}, CompressConfig{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	sub := NewSubGames(c, Uniform{}, SubGameConfig{Games: 8, Search: Config{Simulations: 200, Samples: 32, Lookahead: 2}, Seed: 1})
	game := &tensorgame.Game{Target: r, Field: tensorgame.Z2, MaxSteps: 9}
	for _, tc := range []struct {
		name  string
		steps int
		want  bool // a solution
	}{
		{"too-little-slack", 5, false}, // 4 steps left, lower bound 2: slack 2 < 3
		{"played", 4, true},            // 5 steps left: slack 3
		{"played-before", 4, false},    // the same residual and steps left
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := tensorgame.State{Game: game, Residual: r.Clone(), Steps: tc.steps}
			acts, err := sub.Finish(context.Background(), st)
			if err != nil {
				t.Fatal(err)
			}
			if (acts != nil) != tc.want {
				t.Fatalf("got %d actions, want a solution: %v (stats %+v)", len(acts), tc.want, sub.Stats())
			}
			if acts == nil {
				return
			}
			if len(acts) > game.MaxSteps-tc.steps {
				t.Errorf("%d actions, %d steps left", len(acts), game.MaxSteps-tc.steps)
			}
			x := r.Clone()
			for _, a := range acts {
				if err := game.LegalAction(a); err != nil {
					t.Fatal(err)
				}
				x.SubAction(a, true)
			}
			if !x.IsZero() {
				t.Error("the actions do not solve the residual")
			}
		})
	}
	if st := sub.Stats(); st.Residuals != 1 || st.Solved != 1 {
		t.Errorf("stats %+v, want 1 residual played and solved", st)
	}
}
