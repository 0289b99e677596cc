package mcts

import "github.com/alphamat/alphamat/tensorgame"

var f222 = tensorgame.Format{N: 2, M: 2, P: 2}

// bitTerm is a Z2 term with bit i of word m coefficient i of factor m.
type bitTerm [3]uint64

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
