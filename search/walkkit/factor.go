package walkkit

import (
	"math/bits"

	"github.com/alphamat/alphamat/tensorgame"
)

// Factor is a bit-packed factor of one, two or four 64-bit words: bit i%64
// of word i/64 is coefficient i (tensorgame.Wide's packing). A walker
// generic over Factor compiles once per width, and the width of a format
// is tensorgame.Words of its largest factor, so that formats whose factors
// fit one word run the one-word code.
type Factor interface {
	~[1]uint64 | ~[2]uint64 | ~[4]uint64
}

// Xor returns a + b, coefficient by coefficient over Z2.
func Xor[F Factor](a, b F) F {
	if len(a) == 1 {
		// No loop: a loop's variable index keeps a one-word array out
		// of registers.
		a[0] ^= b[0]
		return a
	}
	for i := range len(a) {
		a[i] ^= b[i]
	}
	return a
}

// IsZero reports whether x has no coefficient set.
func IsZero[F Factor](x F) bool {
	var z F
	return x == z
}

// Bit returns the factor with coefficient i set and no other.
func Bit[F Factor](i int) F {
	var x F
	x[i>>6] = 1 << (i & 63)
	return x
}

// Bits returns the coefficients of x from off on that mask selects:
// coefficient off+j as bit j when bit j of mask is set (mask is 2^k - 1 for
// the k coefficients from off on).
func Bits[F Factor](x F, off int, mask uint64) uint64 {
	if len(x) == 1 {
		return x[0] >> off & mask
	}
	w, b := off>>6, off&63
	v := x[w] >> b
	if b != 0 && mask>>(64-b) != 0 && w+1 < len(x) {
		v |= x[w+1] << (64 - b)
	}
	return v & mask
}

// Ones calls fn with the index of every coefficient set in x, lowest
// first.
func Ones[F Factor](x F, fn func(i int)) {
	for w := range len(x) {
		for v := x[w]; v != 0; v &= v - 1 {
			fn(64*w + bits.TrailingZeros64(v))
		}
	}
}

// Transpose returns the transpose of the rows×cols bit matrix x (bit
// r·cols+c is entry (r, c)), a cols×rows bit matrix.
func Transpose[F Factor](rows, cols int, x F) F {
	var y F
	Ones(x, func(b int) {
		r, c := b/cols, b%cols
		i := c*rows + r
		y[i>>6] |= 1 << (i & 63)
	})
	return y
}

// FromWide returns the first words of x as a factor of width F, and
// ToWide the inverse.
func FromWide[F Factor](x tensorgame.Wide) F {
	var y F
	for i := range len(y) {
		y[i] = x[i]
	}
	return y
}

// ToWide returns x as a tensorgame.Wide.
func ToWide[F Factor](x F) tensorgame.Wide {
	var y tensorgame.Wide
	for i := range len(x) {
		y[i] = x[i]
	}
	return y
}

// TermFactors returns the three factors of the Z2 term t (its odd
// coefficients) at width F, and FactorsTerm the term of format f with
// the factors x.
func TermFactors[F Factor](t tensorgame.Term) [3]F {
	w := tensorgame.TermWords(t)
	return [3]F{FromWide[F](w[0]), FromWide[F](w[1]), FromWide[F](w[2])}
}

// FactorsTerm returns the Z2 term of format f whose factors have the
// coefficients set in x.
func FactorsTerm[F Factor](f tensorgame.Format, x [3]F) tensorgame.Term {
	return tensorgame.WordsTerm(f, [3]tensorgame.Wide{ToWide(x[0]), ToWide(x[1]), ToWide(x[2])})
}

// OddTerms returns the terms of s over Z2 at width F, each as conv makes it
// of the term's factors, grouped into the orbits of a symmetry: images(x)
// lists the other terms of the orbit of x (x itself where x is fixed). A
// term that appears an even number of times cancels, one with a zero
// factor is left out, and each orbit gives one representative, the first
// of its terms in s. bad is the index of the first term of s whose orbit is
// not among the terms (-1: none).
func OddTerms[F Factor](s *tensorgame.Scheme, conv func([3]F) [3]F, images func([3]F) [][3]F) (reps [][3]F, bad int) {
	count := make(map[[3]F]int, len(s.Terms))
	var order [][3]F
	var at []int
	for i, t := range s.Terms {
		x := conv(TermFactors[F](t))
		if IsZero(x[0]) || IsZero(x[1]) || IsZero(x[2]) {
			continue
		}
		if count[x] == 0 {
			order = append(order, x)
			at = append(at, i)
		}
		count[x]++
	}
	for i, x := range order {
		if count[x]%2 == 0 {
			continue
		}
		ys := images(x)
		for _, y := range ys {
			if count[y]%2 == 0 {
				return nil, at[i]
			}
		}
		count[x] = 0
		for _, y := range ys {
			count[y] = 0
		}
		reps = append(reps, x)
	}
	return reps, -1
}
