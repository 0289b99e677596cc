package tensorgame

import (
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

func actionsOf(tb testing.TB, s *Scheme) []Action {
	tb.Helper()
	var out []Action
	for _, t := range s.Terms {
		a, err := ActionOf(t)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

// TestGameStrassen plays Strassen's 7 terms on T(2,2,2), over Z and (with
// the coefficients reduced mod 2) over Z2: the residual reaches zero at the
// 7th step and the return is -7.
func TestGameStrassen(t *testing.T) {
	for _, field := range []Field{Z, Z2} {
		s := strassen(t)
		if field == Z2 {
			for _, term := range s.Terms {
				for mode := range 3 {
					f := term.Factor(mode)
					for i := range f {
						f[i] = mod2(f[i])
					}
				}
			}
			s.Field = Z2
		}
		g := NewGame(Format{2, 2, 2}, field, 10)
		st := g.Start()
		actions := actionsOf(t, s)
		ret := 0.0
		for i, a := range actions {
			if err := g.LegalAction(a); err != nil {
				t.Fatalf("%v: action %d: %v", field, i, err)
			}
			r, done := st.Apply(a)
			ret += r
			if done != (i == len(actions)-1) {
				t.Errorf("%v: after step %d done = %v", field, i+1, done)
			}
		}
		if ret != -7 || !st.Solved() || st.Steps != 7 {
			t.Errorf("%v: return %v, solved %v, steps %d; want -7, true, 7", field, ret, st.Solved(), st.Steps)
		}
		back, err := g.Scheme(actions)
		if err != nil {
			t.Fatal(err)
		}
		if !back.Equal(s) || Verify(back) != nil {
			t.Errorf("%v: Scheme(actions) is not Strassen's scheme", field)
		}
		if !g.Target.Equal(MatMul(Format{2, 2, 2})) {
			t.Errorf("%v: playing modified the game's target", field)
		}
	}
}

// ratRank is an independent rank over Q: Gaussian elimination in big.Rat.
func ratRank(rows, cols int, data []int32) int {
	m := make([][]*big.Rat, rows)
	for r := range m {
		m[r] = make([]*big.Rat, cols)
		for c := range m[r] {
			m[r][c] = big.NewRat(int64(data[r*cols+c]), 1)
		}
	}
	rank := 0
	for c := 0; c < cols && rank < rows; c++ {
		piv := -1
		for r := rank; r < rows; r++ {
			if m[r][c].Sign() != 0 {
				piv = r
				break
			}
		}
		if piv < 0 {
			continue
		}
		m[rank], m[piv] = m[piv], m[rank]
		for r := rank + 1; r < rows; r++ {
			f := new(big.Rat).Quo(m[r][c], m[rank][c])
			for j := c; j < cols; j++ {
				m[r][j].Sub(m[r][j], new(big.Rat).Mul(f, m[rank][j]))
			}
		}
		rank++
	}
	return rank
}

// spanRank is an independent rank over Z2 for at most 16 rows: the log2 of
// the number of distinct sums of subsets of rows.
func spanRank(rows, cols int, data []int32) int {
	seen := map[string]bool{}
	for mask := 0; mask < 1<<rows; mask++ {
		v := make([]byte, cols)
		for r := 0; r < rows; r++ {
			if mask>>r&1 == 1 {
				for c := 0; c < cols; c++ {
					v[c] ^= byte(data[r*cols+c] & 1)
				}
			}
		}
		seen[string(v)] = true
	}
	rank := 0
	for 1<<rank < len(seen) {
		rank++
	}
	return rank
}

func TestMatrixRank(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	overflowed := 0
	for trial := range 300 {
		rows, cols := 1+rng.IntN(9), 1+rng.IntN(9)
		data := make([]int32, rows*cols)
		// Low-rank products L·R make rank deficiency common; big entries
		// push Bareiss into math/big.
		k := 1 + rng.IntN(min(rows, cols))
		scale := int32(3)
		if trial%3 == 0 {
			scale = 1 << 20
		}
		l, r := make([]int32, rows*k), make([]int32, k*cols)
		for i := range l {
			l[i] = rng.Int32N(2*scale+1) - scale
		}
		for i := range r {
			r[i] = rng.Int32N(7) - 3
		}
		for i := 0; i < rows; i++ {
			for j := 0; j < cols; j++ {
				for q := 0; q < k; q++ {
					data[i*cols+j] += l[i*k+q] * r[q*cols+j]
				}
			}
		}
		want := ratRank(rows, cols, data)
		if got := MatrixRank(rows, cols, data, Q); got != want {
			t.Errorf("rank over Q of %dx%d %v = %d, want %d", rows, cols, data, got, want)
		}
		if got := rankBig(rows, cols, data); got != want {
			t.Errorf("math/big rank of %dx%d %v = %d, want %d", rows, cols, data, got, want)
		}
		if _, ok := rankInt64(rows, cols, data); !ok {
			overflowed++
		}
		if got, want := MatrixRank(rows, cols, data, Z2), spanRank(rows, cols, data); got != want {
			t.Errorf("rank over Z2 of %dx%d %v = %d, want %d", rows, cols, data, got, want)
		}
	}
	if overflowed == 0 {
		t.Error("no matrix overflowed int64: the math/big fallback is untested")
	}
	// A matrix with full rank over Q and rank 1 over Z2.
	d := []int32{1, 1, 1, 3}
	if MatrixRank(2, 2, d, Z) != 2 || MatrixRank(2, 2, d, Z2) != 1 {
		t.Errorf("ranks of %v: %d over Z, %d over Z2; want 2 and 1", d, MatrixRank(2, 2, d, Z), MatrixRank(2, 2, d, Z2))
	}
	if MatrixRank(0, 5, nil, Z) != 0 {
		t.Error("rank of an empty matrix is not 0")
	}
}

// sliceOf returns slice s of t along mode as a rows×cols matrix.
func sliceOf(t *Tensor, mode, s int) (rows, cols int, data []int32) {
	dims := [3]int{t.A, t.B, t.C}
	other := [3][2]int{{1, 2}, {0, 2}, {0, 1}}[mode]
	rows, cols = dims[other[0]], dims[other[1]]
	data = make([]int32, rows*cols)
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			var idx [3]int
			idx[mode], idx[other[0]], idx[other[1]] = s, r, c
			data[r*cols+c] = t.At(idx[0], idx[1], idx[2])
		}
	}
	return rows, cols, data
}

// rankBoundRef computes the penalty independently: the smallest over the
// modes of the sum of the slice ranks (ratRank, spanRank).
func rankBoundRef(t *Tensor, field Field) int {
	best := -1
	dims := [3]int{t.A, t.B, t.C}
	for mode := range 3 {
		sum := 0
		for s := 0; s < dims[mode]; s++ {
			rows, cols, data := sliceOf(t, mode, s)
			if field == Z2 {
				sum += spanRank(rows, cols, data)
			} else {
				sum += ratRank(rows, cols, data)
			}
		}
		if best < 0 || sum < best {
			best = sum
		}
	}
	return best
}

func TestRankBound(t *testing.T) {
	// T(2,2,2): every slice in every mode has rank 2, so the bound is 8.
	if got := RankBound(MatMul(Format{2, 2, 2}), Z); got != 8 {
		t.Errorf("RankBound(T(2,2,2)) = %d, want 8", got)
	}
	// T(1,1,3) = e0 ⊗ Σ_k e_k ⊗ e_k: one A slice, the 3×3 identity, so 3.
	if got := RankBound(MatMul(Format{1, 1, 3}), Z2); got != 3 {
		t.Errorf("RankBound(T(1,1,3)) = %d, want 3", got)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 50 {
		tt := NewTensor(1+rng.IntN(4), 1+rng.IntN(4), 1+rng.IntN(4))
		for i := range tt.Data {
			if rng.IntN(2) == 0 {
				tt.Data[i] = rng.Int32N(5) - 2
			}
		}
		if got, want := RankBound(tt, Z), rankBoundRef(tt, Z); got != want {
			t.Errorf("RankBound over Z = %d, want %d", got, want)
		}
		for i := range tt.Data {
			tt.Data[i] &= 1
		}
		if got, want := RankBound(tt, Z2), rankBoundRef(tt, Z2); got != want {
			t.Errorf("RankBound over Z2 = %d, want %d", got, want)
		}
	}
}

// TestGameStepLimit checks the terminal penalty at the step limit.
func TestGameStepLimit(t *testing.T) {
	// A target of known rank 3: e_i ⊗ e_i ⊗ e_i for i < 3. One step removes
	// one of them; the rest has rank 2 and every mode's slice ranks sum to
	// 2, so the only step earns -1 - 2.
	diag := NewTensor(3, 3, 3)
	for i := range 3 {
		diag.Set(i, i, i, 1)
	}
	g := &Game{Target: diag, Field: Z, MaxSteps: 1}
	st := g.Start()
	e0 := []int8{1, 0, 0}
	r, done := st.Apply(Action{U: e0, V: e0, W: e0})
	if r != -3 || !done || st.Solved() {
		t.Errorf("diagonal: reward %v done %v solved %v, want -3 true false", r, done, st.Solved())
	}
	if _, err := g.Scheme(nil); err == nil {
		t.Error("Scheme of a game without a matmul format succeeded")
	}

	// Strassen's first two terms on T(2,2,2) with a limit of 2: the
	// penalty is recomputed independently from the residual.
	for _, field := range []Field{Z, Z2} {
		g := NewGame(Format{2, 2, 2}, field, 2)
		st := g.Start()
		acts := actionsOf(t, strassen(t))
		if field == Z2 {
			for i := range acts {
				for _, f := range [][]int8{acts[i].U, acts[i].V, acts[i].W} {
					for j := range f {
						f[j] &= 1
					}
				}
			}
		}
		r1, done1 := st.Apply(acts[0])
		r2, done2 := st.Apply(acts[1])
		want := -1 - float64(rankBoundRef(st.Residual, field))
		if r1 != -1 || done1 || r2 != want || !done2 {
			t.Errorf("%v: rewards %v, %v (done %v, %v), want -1, %v (false, true)", field, r1, r2, done1, done2, want)
		}
		if want > -2 {
			t.Errorf("%v: penalty %v is not positive", field, -1-want)
		}
		func() {
			defer func() {
				if e := recover(); e != ErrGameOver {
					t.Errorf("%v: Apply after the end panicked with %v, want ErrGameOver", field, e)
				}
			}()
			st.Apply(acts[2])
		}()
	}
}

func TestLegalAction(t *testing.T) {
	one := []int8{1, 0, 0, 0}
	tests := []struct {
		field Field
		a     Action
		msg   string // "" for legal
	}{
		{Z, Action{U: one, V: one, W: one}, ""},
		{Z, Action{U: []int8{-2, 2, 0, 1}, V: one, W: one}, ""},
		{Z, Action{U: one[:3], V: one, W: one}, "factor u has 3 coefficients, want 4"},
		{Z, Action{U: one, V: []int8{0, 3, 0, 0}, W: one}, "factor v entry 1 is 3, outside -2..2"},
		{Z, Action{U: one, V: one, W: []int8{0, 0, 0, 0}}, "factor w is zero"},
		{Z2, Action{U: one, V: one, W: one}, ""},
		{Z2, Action{U: one, V: one, W: []int8{0, 0, -1, 0}}, "factor w entry 2 is -1, outside 0..1"},
		{Z2, Action{U: []int8{2, 0, 0, 0}, V: one, W: one}, "outside 0..1 (field Z2)"},
	}
	for _, tc := range tests {
		g := NewGame(Format{2, 2, 2}, tc.field, 5)
		err := g.LegalAction(tc.a)
		if tc.msg == "" && err != nil {
			t.Errorf("%v %v: %v, want legal", tc.field, tc.a, err)
		}
		if tc.msg != "" && (err == nil || !strings.Contains(err.Error(), tc.msg)) {
			t.Errorf("%v %v: %v, want an error containing %q", tc.field, tc.a, err, tc.msg)
		}
	}
}

func TestStateClone(t *testing.T) {
	g := NewGame(Format{2, 2, 2}, Z, 10)
	st := g.Start()
	acts := actionsOf(t, strassen(t))
	st.Apply(acts[0])
	c := st.Clone()
	c.Apply(acts[1])
	if st.Steps != 1 || c.Steps != 2 || st.Residual.Equal(c.Residual) {
		t.Error("a clone shares state with its original")
	}
	var d State
	d.CopyFrom(st)
	if !d.Residual.Equal(st.Residual) || d.Steps != 1 || d.Game != g {
		t.Error("CopyFrom into an empty state differs from the source")
	}
	d.CopyFrom(c)
	if !d.Residual.Equal(c.Residual) || d.Steps != 2 {
		t.Error("CopyFrom differs from the source")
	}
}

func TestGameAllocs(t *testing.T) {
	g := NewGame(Format{3, 3, 3}, Z, 1<<30)
	st, dst := g.Start(), g.Start()
	a := Action{U: make([]int8, 9), V: make([]int8, 9), W: make([]int8, 9)}
	a.U[0], a.V[0], a.W[4] = 1, -1, 2 // never solves T(3,3,3)
	allocs := testing.AllocsPerRun(100, func() {
		st.Apply(a)
		dst.CopyFrom(st)
	})
	if allocs != 0 {
		t.Errorf("Apply + CopyFrom allocate %v times per step, want 0", allocs)
	}
}

func TestActionOf(t *testing.T) {
	s := strassen(t)
	for _, term := range s.Terms {
		a, err := ActionOf(term)
		if err != nil || !a.Term().Equal(term) || !a.Clone().Equal(a) {
			t.Errorf("ActionOf(%v) = %v, %v: no round trip", term, a, err)
		}
	}
	bad := s.Terms[0].Clone()
	bad.W[1] = NewRat(1, 2)
	if _, err := ActionOf(bad); err == nil || !strings.Contains(err.Error(), "factor w entry 1") {
		t.Errorf("ActionOf with 1/2: %v, want an error naming factor w entry 1", err)
	}
	bad.W[1] = Int(200)
	if _, err := ActionOf(bad); err == nil {
		t.Error("ActionOf with 200 succeeded")
	}
	if got := Coefficients(Z2); len(got) != 2 {
		t.Errorf("Coefficients(Z2) = %v", got)
	}
	if got := Coefficients(Z); len(got) != 5 {
		t.Errorf("Coefficients(Z) = %v", got)
	}
}

// BenchmarkApply plays random legal actions on T(4,4,4) over Z2 and Z,
// restarting from a copy of the start state at the step limit.
func BenchmarkApply(b *testing.B) {
	for _, field := range []Field{Z2, Z} {
		b.Run(field.String(), func(b *testing.B) {
			g := NewGame(Format{4, 4, 4}, field, 1<<30)
			start := g.Start()
			var st State
			st.CopyFrom(start)
			rng := rand.New(rand.NewPCG(1, 1))
			coef := Coefficients(field)
			acts := make([]Action, 64)
			for i := range acts {
				a := Action{U: make([]int8, 16), V: make([]int8, 16), W: make([]int8, 16)}
				for _, f := range [][]int8{a.U, a.V, a.W} {
					for j := range f {
						if rng.IntN(3) == 0 {
							f[j] = coef[rng.IntN(len(coef))]
						}
					}
					f[rng.IntN(len(f))] = 1
				}
				acts[i] = a
			}
			i := 0
			for b.Loop() {
				if i%32 == 0 {
					st.CopyFrom(start)
				}
				st.Apply(acts[i%len(acts)])
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
		})
	}
}
