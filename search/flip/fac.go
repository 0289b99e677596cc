package flip

import "github.com/alphamat/alphamat/tensorgame"

// Factor is the type of a factor of a Walker: one, two or four 64-bit
// words, bit i%64 of word i/64 being coefficient i. Each width compiles to
// its own code (a Go generic instantiates each array length separately),
// and the functions below, the only ones that touch the words, test the
// width with len, a constant there, so that one word costs no loop.
type Factor interface {
	[1]uint64 | [2]uint64 | [4]uint64
}

func isZero[F Factor](x F) bool {
	var z F
	return x == z
}

func xor[F Factor](x, y F) F {
	if len(x) == 1 {
		x[0] ^= y[0]
		return x
	}
	for i := range len(x) {
		x[i] ^= y[i]
	}
	return x
}

func hash[F Factor](x F) uint64 {
	if len(x) == 1 {
		return x[0]
	}
	var h uint64
	for i := range len(x) {
		h = (h ^ x[i]) * 0xc2b2ae3d27d4eb4f
	}
	return h
}

// eitherZero reports whether x or y is zero. With one word it tests the
// product, one branch: it never misses a zero, and seldom (on overflow)
// reports one that is not there, which costs the caller a needless check.
func eitherZero[F Factor](x, y F) bool {
	if len(x) == 1 {
		return x[0]*y[0] == 0
	}
	return isZero(x) || isZero(y)
}

func facOf[F Factor](x tensorgame.Wide) F {
	var f F
	for i := range len(f) {
		f[i] = x[i]
	}
	return f
}

func wide[F Factor](x F) tensorgame.Wide {
	var y tensorgame.Wide
	for i := range len(x) {
		y[i] = x[i]
	}
	return y
}
