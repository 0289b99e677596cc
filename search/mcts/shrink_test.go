package mcts

import (
	"context"
	"math/rand/v2"
	"testing"

	"pgregory.net/rapid"

	"github.com/alphamat/alphamat/tensorgame"
)

var f222 = tensorgame.Format{N: 2, M: 2, P: 2}

// strassenZ2 is Strassen's algorithm reduced mod 2, as bit terms (A, B
// and C row-major: bit 0 is entry 11, 1 is 12, 2 is 21, 3 is 22).
var strassenZ2 = []bitTerm{
	{0b1001, 0b1001, 0b1001}, // (A11+A22)(B11+B22) -> C11, C22
	{0b1100, 0b0001, 0b1100}, // (A21+A22)B11 -> C21, C22
	{0b0001, 0b1010, 0b1010}, // A11(B12+B22) -> C12, C22
	{0b1000, 0b0101, 0b0101}, // A22(B21+B11) -> C11, C21
	{0b0011, 0b1000, 0b0011}, // (A11+A12)B22 -> C11, C12
	{0b0101, 0b0011, 0b1000}, // (A21+A11)(B11+B12) -> C22
	{0b1010, 0b1100, 0b0001}, // (A12+A22)(B21+B22) -> C11
}

// schemeOf returns the Z2 scheme of format f with the given bit terms.
func schemeOf(f tensorgame.Format, terms []bitTerm) *tensorgame.Scheme {
	s := &tensorgame.Scheme{Format: f, Field: tensorgame.Z2}
	for _, x := range terms {
		s.Terms = append(s.Terms, tensorgame.BitTerm(f, x))
	}
	return s
}

// plus replaces terms i and j (a⊗b⊗c + a'⊗b'⊗c') by the three terms of a
// plus transition, (a+a')⊗b⊗c + a'⊗(b+b')⊗c + a'⊗b'⊗(c+c'), appended at
// the end; it reports false when a factor would be zero.
func plus(terms []bitTerm, i, j int) ([]bitTerm, bool) {
	x, y := terms[i], terms[j]
	if x[0] == y[0] || x[1] == y[1] || x[2] == y[2] {
		return terms, false
	}
	var out []bitTerm
	for r, t := range terms {
		if r != i && r != j {
			out = append(out, t)
		}
	}
	out = append(out,
		bitTerm{x[0] ^ y[0], x[1], x[2]},
		bitTerm{y[0], x[1] ^ y[1], x[2]},
		bitTerm{y[0], y[1], x[2] ^ y[2]})
	return out, true
}

// fataler is what the helpers need of *testing.T and *rapid.T.
type fataler interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

func mustVerify(t fataler, s *tensorgame.Scheme) {
	t.Helper()
	if err := tensorgame.Verify(s); err != nil {
		t.Fatalf("scheme does not verify: %v", err)
	}
}

func TestStrassenZ2Verifies(t *testing.T) {
	mustVerify(t, schemeOf(f222, strassenZ2))
}

// shrinkSearch is a small tree search that is enough for residuals of
// rank 2 or 3 with the uniform prior.
var shrinkSearch = Config{Simulations: 100, Samples: 32, Lookahead: 2}

func TestShrink(t *testing.T) {
	plus8, ok := plus(strassenZ2, 0, 6)
	if !ok {
		t.Fatal("plus transition failed")
	}
	twice := append(append([]bitTerm(nil), strassenZ2...), strassenZ2[2], strassenZ2[2])
	for _, tc := range []struct {
		name   string
		terms  []bitTerm
		k      int
		idx    []int // ShrinkTerms on these; nil: Shrink
		shrink bool  // a smaller scheme must be found
	}{
		{"plus-transition", plus8, 3, nil, true},
		{"plus-transition-terms", plus8, 0, []int{5, 6, 7}, true},
		{"duplicate-pair", twice, 2, nil, true},
		// Every 3 terms of the standard algorithm have an unfolding of rank 3:
		// the bound rules them all out without a game.
		{"standard-k3", bitTermsOf(t, tensorgame.Standard(f222, tensorgame.Z2)), 3, nil, false},
		// Strassen is optimal: no 7 terms of it are worth 6.
		{"strassen-all", strassenZ2, 0, []int{0, 1, 2, 3, 4, 5, 6}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := schemeOf(f222, tc.terms)
			mustVerify(t, s)
			cfg := ShrinkConfig{K: tc.k, Search: shrinkSearch, Seed: 1}
			var res ShrinkResult
			var err error
			if tc.idx != nil {
				res, err = ShrinkTerms(context.Background(), s, tc.idx, Uniform{}, cfg)
			} else {
				res, err = Shrink(context.Background(), s, Uniform{}, cfg)
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tc.shrink {
				if res.Scheme != nil {
					t.Fatalf("shrunk to rank %d, which is impossible here", res.Scheme.Rank())
				}
				if tc.k != 0 && res.Searched != 0 {
					t.Errorf("%d subsets searched, want 0 (the bound rules them out)", res.Searched)
				}
				return
			}
			if res.Scheme == nil {
				t.Fatalf("no smaller scheme (%d candidates, %d searched, %d games)", res.Candidates, res.Searched, res.Games)
			}
			mustVerify(t, res.Scheme)
			if got, want := res.Scheme.Rank(), s.Rank()-len(res.Removed)+res.Added; got != want {
				t.Errorf("rank %d, want %d - %d + %d", got, s.Rank(), len(res.Removed), res.Added)
			}
			if res.Scheme.Rank() >= s.Rank() {
				t.Errorf("rank %d, not below %d", res.Scheme.Rank(), s.Rank())
			}
		})
	}
}

func bitTermsOf(t fataler, s *tensorgame.Scheme) []bitTerm {
	t.Helper()
	out, _, err := bitTerms(s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestShrinkErrors(t *testing.T) {
	ctx := context.Background()
	bad := schemeOf(f222, strassenZ2[:6])
	z := tensorgame.Standard(f222, tensorgame.Z)
	good := schemeOf(f222, strassenZ2)
	for _, tc := range []struct {
		name string
		run  func() error
	}{
		{"unverified", func() error { _, err := Shrink(ctx, bad, Uniform{}, ShrinkConfig{}); return err }},
		{"over-Z", func() error { _, err := Shrink(ctx, z, Uniform{}, ShrinkConfig{}); return err }},
		{"one-term", func() error { _, err := ShrinkTerms(ctx, good, []int{1}, Uniform{}, ShrinkConfig{}); return err }},
		{"repeated", func() error { _, err := ShrinkTerms(ctx, good, []int{1, 1}, Uniform{}, ShrinkConfig{}); return err }},
		{"out-of-range", func() error { _, err := ShrinkTerms(ctx, good, []int{1, 7}, Uniform{}, ShrinkConfig{}); return err }},
	} {
		if err := tc.run(); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

// The compressed tensor expanded back through the bases is the sum of the
// terms, and its axes are the ranks of the sum's unfoldings.
func TestCompress(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		dims := [3]int{rapid.IntRange(1, 9).Draw(rt, "a"), rapid.IntRange(1, 9).Draw(rt, "b"), rapid.IntRange(1, 9).Draw(rt, "c")}
		n := rapid.IntRange(1, 8).Draw(rt, "terms")
		terms := make([]bitTerm, n)
		idx := make([]int, n)
		for r := range terms {
			for m := range 3 {
				terms[r][m] = rapid.Uint64Range(1, 1<<dims[m]-1).Draw(rt, "factor")
			}
			idx[r] = r
		}
		want := tensorgame.NewTensor(dims[0], dims[1], dims[2])
		for _, x := range terms {
			addBits(want, x)
		}
		cp := compressTerms(terms, dims, idx, [3]int{})
		got := tensorgame.NewTensor(dims[0], dims[1], dims[2])
		tt := cp.tensor
		for t1 := range tt.A {
			for t2 := range tt.B {
				for t3 := range tt.C {
					if tt.Data[(t1*tt.B+t2)*tt.C+t3] != 0 {
						addBits(got, bitTerm{cp.sp[0].vec[t1], cp.sp[1].vec[t2], cp.sp[2].vec[t3]})
					}
				}
			}
		}
		if !got.Equal(want) {
			rt.Fatalf("compressed tensor does not expand to the sum of the terms")
		}
		for m := range 3 {
			if r := unfoldingRank(want, m); r != cp.sp[m].dim() {
				rt.Fatalf("mode %d: span of dimension %d, unfolding rank %d", m, cp.sp[m].dim(), r)
			}
		}
	})
}

// addBits adds the term x to t mod 2.
func addBits(t *tensorgame.Tensor, x bitTerm) {
	for i := range t.A {
		for j := range t.B {
			for k := range t.C {
				if (x[0]>>i)&(x[1]>>j)&(x[2]>>k)&1 != 0 {
					t.Data[(i*t.B+j)*t.C+k] ^= 1
				}
			}
		}
	}
}

// unfoldingRank returns the rank mod 2 of the mode-m unfolding of t.
func unfoldingRank(t *tensorgame.Tensor, mode int) int {
	dims := [3]int{t.A, t.B, t.C}
	var m []int32
	for x := range dims[mode] {
		for y := range dims[(mode+1)%3] {
			for z := range dims[(mode+2)%3] {
				var ijk [3]int
				ijk[mode], ijk[(mode+1)%3], ijk[(mode+2)%3] = x, y, z
				m = append(m, t.At(ijk[0], ijk[1], ijk[2]))
			}
		}
	}
	return tensorgame.MatrixRank(dims[mode], len(m)/dims[mode], m, tensorgame.Z2)
}

// Any scheme Shrink returns verifies and has a lower rank: schemes made
// redundant by random plus transitions and flips from the standard
// algorithm and Strassen's.
func TestShrinkProperty(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var terms []bitTerm
		f := f222
		switch rapid.IntRange(0, 2).Draw(rt, "start") {
		case 0:
			terms = append(terms, strassenZ2...)
		case 1:
			terms = bitTermsOf(rt, tensorgame.Standard(f, tensorgame.Z2))
		default:
			f = tensorgame.Format{N: 2, M: 2, P: 3}
			terms = bitTermsOf(rt, tensorgame.Standard(f, tensorgame.Z2))
		}
		rng := rand.New(rand.NewPCG(rapid.Uint64().Draw(rt, "seed"), 1))
		for range rapid.IntRange(0, 3).Draw(rt, "plus") {
			terms, _ = plus(terms, rng.IntN(len(terms)), rng.IntN(len(terms)))
		}
		for range rapid.IntRange(0, 20).Draw(rt, "flips") {
			terms = randomFlip(rng, terms)
		}
		s := schemeOf(f, terms)
		mustVerify(rt, s)
		cfg := ShrinkConfig{K: rapid.IntRange(2, 5).Draw(rt, "k"), Candidates: 4, Games: 1, Seed: rng.Uint64(),
			Search: Config{Simulations: 30, Samples: 16, Lookahead: 2}}
		res, err := Shrink(context.Background(), s, Uniform{}, cfg)
		if err != nil {
			rt.Fatal(err)
		}
		if res.Scheme == nil {
			return
		}
		mustVerify(rt, res.Scheme)
		if res.Scheme.Rank() >= s.Rank() {
			rt.Fatalf("rank %d from %d: not lower", res.Scheme.Rank(), s.Rank())
		}
		if res.Scheme.Format != s.Format || res.Scheme.Field != tensorgame.Z2 {
			rt.Fatalf("shrunk scheme is %v over %v", res.Scheme.Format, res.Scheme.Field)
		}
	})
}

// randomFlip makes one flip between two terms sharing a factor, if the
// result has no zero factor: a⊗b⊗c + a⊗b'⊗c' = a⊗(b+b')⊗c + a⊗b'⊗(c+c').
func randomFlip(rng *rand.Rand, terms []bitTerm) []bitTerm {
	i, j := rng.IntN(len(terms)), rng.IntN(len(terms))
	m := rng.IntN(3)
	if i == j || terms[i][m] != terms[j][m] {
		return terms
	}
	p, q := (m+1)%3, (m+2)%3
	if rng.IntN(2) == 0 {
		p, q = q, p
	}
	x, y := terms[i], terms[j]
	if x[p] == y[p] || x[q] == y[q] {
		return terms
	}
	x[p] ^= y[p]
	y[q] ^= x[q]
	out := append([]bitTerm(nil), terms...)
	out[i], out[j] = x, y
	return out
}
