package flip

import "github.com/alphamat/alphamat/search/walkkit"

// Factor is the type of a factor of a Walker: one, two or four 64-bit
// words (walkkit.Factor). Each width compiles to its own code, and the
// functions that touch the words (these and walkkit's) test the width with
// len, a constant there, so that one word costs no loop.
type Factor = walkkit.Factor

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
	return walkkit.IsZero(x) || walkkit.IsZero(y)
}
