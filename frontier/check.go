package frontier

import (
	"fmt"
	"math/big"
	"math/rand/v2"

	"github.com/alphamat/alphamat/tensorgame"
)

// CheckByProduct multiplies trials pairs of random matrices with the
// algorithm s and with the naive triple loop, in exact arithmetic (math/big),
// and returns an error naming the first entry of C where they differ. Over
// Z and Q the entries are random integers in -9..9; over Z2 random bits,
// compared mod 2. It shares no code with tensorgame.Verify's Brent
// equations, so a record is checked twice by independent paths.
func CheckByProduct(s *tensorgame.Scheme, rng *rand.Rand, trials int) error {
	f := s.Format
	if err := s.CheckShape(); err != nil {
		return err
	}
	mod2 := s.Field == tensorgame.Z2
	random := func(n int) []*big.Rat {
		x := make([]*big.Rat, n)
		for i := range x {
			if mod2 {
				x[i] = big.NewRat(int64(rng.IntN(2)), 1)
			} else {
				x[i] = big.NewRat(int64(rng.IntN(19)-9), 1)
			}
		}
		return x
	}
	coef := func(c tensorgame.Rat) *big.Rat { return big.NewRat(c.Num(), c.Den()) }
	// dot returns Σ fac[i]·x[i].
	dot := func(fac []tensorgame.Rat, x []*big.Rat) *big.Rat {
		sum, t := new(big.Rat), new(big.Rat)
		for i, c := range fac {
			if !c.IsZero() {
				sum.Add(sum, t.Mul(coef(c), x[i]))
			}
		}
		return sum
	}
	for trial := range trials {
		a, b := random(f.N*f.M), random(f.M*f.P)
		got := make([]*big.Rat, f.N*f.P)
		for i := range got {
			got[i] = new(big.Rat)
		}
		t := new(big.Rat)
		for _, term := range s.Terms {
			prod := new(big.Rat).Mul(dot(term.U, a), dot(term.V, b))
			for i, c := range term.W {
				if !c.IsZero() {
					got[i].Add(got[i], t.Mul(coef(c), prod))
				}
			}
		}
		for i := range f.N {
			for k := range f.P {
				want := new(big.Rat)
				for j := range f.M {
					want.Add(want, t.Mul(a[i*f.M+j], b[j*f.P+k]))
				}
				g := got[i*f.P+k]
				if mod2 {
					if parity(g) != parity(want) {
						return fmt.Errorf("check by product: trial %d: C[%d][%d] is %v mod 2, the naive product %v", trial+1, i, k, parity(g), parity(want))
					}
				} else if g.Cmp(want) != 0 {
					return fmt.Errorf("check by product: trial %d: C[%d][%d] is %v, the naive product %v", trial+1, i, k, g.RatString(), want.RatString())
				}
			}
		}
	}
	return nil
}

// parity returns x mod 2 for an integer x.
func parity(x *big.Rat) uint {
	return x.Num().Bit(0)
}
