package tensorgame

import "math/bits"

// MaxWideFactor is the most coefficients a factor may have in the wide
// packed form of TermWords and WordsTerm: four 64-bit words, enough for
// every format up to 16x16x16.
const MaxWideFactor = 256

// Wide is a factor of up to MaxWideFactor coefficients, packed: bit i%64 of
// word i/64 is coefficient i.
type Wide [4]uint64

// Words returns how many 64-bit words a factor of n coefficients takes: 1,
// 2 or 4 (a power of two, so that the walkers need one implementation per
// width), or 0 when n > MaxWideFactor.
func Words(n int) int {
	switch {
	case n <= 64:
		return 1
	case n <= 128:
		return 2
	case n <= MaxWideFactor:
		return 4
	}
	return 0
}

// WordsTerm returns the Z2 term of format f whose factor m has coefficient 1
// at each bit set in x[m], the wide form of BitTerm. Bits beyond a
// factor's length are ignored.
func WordsTerm(f Format, x [3]Wide) Term {
	a, b, c := f.Dims()
	var fac [3][]Rat
	for m, n := range [3]int{a, b, c} {
		fac[m] = make([]Rat, n)
		for w, word := range x[m] {
			for v := word; v != 0; v &= v - 1 {
				if i := 64*w + bits.TrailingZeros64(v); i < n {
					fac[m][i] = Int(1)
				}
			}
		}
	}
	return Term{U: fac[0], V: fac[1], W: fac[2]}
}

// TermWords is the inverse of WordsTerm: coefficient i of factor m sets
// its bit when its numerator is odd (a Z2 scheme's 1). Factors of more than
// MaxWideFactor coefficients keep only their first MaxWideFactor.
func TermWords(t Term) [3]Wide {
	var x [3]Wide
	for m, fac := range [3][]Rat{t.U, t.V, t.W} {
		for i, c := range fac[:min(len(fac), MaxWideFactor)] {
			if c.Num()&1 != 0 {
				x[m][i/64] |= 1 << (i % 64)
			}
		}
	}
	return x
}
