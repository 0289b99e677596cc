package tensorgame

import (
	"math/rand/v2"
	"testing"
)

func TestWords(t *testing.T) {
	for _, tc := range []struct{ n, want int }{{1, 1}, {64, 1}, {65, 2}, {128, 2}, {129, 4}, {256, 4}, {257, 0}} {
		if got := Words(tc.n); got != tc.want {
			t.Errorf("Words(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}

// TestTermWords round-trips random Z2 terms of wide formats through
// WordsTerm and TermWords, and checks that narrow terms agree with
// TermBits.
func TestTermWords(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, f := range []Format{{N: 2, M: 3, P: 4}, {N: 9, M: 9, P: 9}, {N: 8, M: 8, P: 16}, {N: 16, M: 16, P: 16}} {
		dims := [3]int{f.N * f.M, f.M * f.P, f.N * f.P}
		for range 20 {
			var x [3]Wide
			for m, n := range dims {
				for i := range n {
					if r.IntN(3) == 0 {
						x[m][i/64] |= 1 << (i % 64)
					}
				}
			}
			term := WordsTerm(f, x)
			if len(term.U) != dims[0] || len(term.V) != dims[1] || len(term.W) != dims[2] {
				t.Fatalf("%v: factors of %d, %d, %d coefficients", f, len(term.U), len(term.V), len(term.W))
			}
			if got := TermWords(term); got != x {
				t.Fatalf("%v: TermWords(WordsTerm(x)) = %x, want %x", f, got, x)
			}
			if Words(max(dims[0], dims[1], dims[2])) == 1 {
				if b := TermBits(term); b != [3]uint64{x[0][0], x[1][0], x[2][0]} {
					t.Fatalf("%v: TermBits = %x, want %x", f, b, x)
				}
			}
		}
	}
}
