package ternary

import "math/bits"

// tern is a factor with coefficients in {-1, 0, 1}: bit i of p is set when
// coefficient i is +1, bit i of n when it is -1 (never both).
type tern struct{ p, n uint64 }

func (x tern) isZero() bool { return x.p|x.n == 0 }

func (x tern) neg() tern { return tern{x.n, x.p} }

// add returns x + y and whether every coefficient stays in {-1, 0, 1}.
func add(x, y tern) (tern, bool) {
	if x.p&y.p|x.n&y.n != 0 {
		return tern{}, false
	}
	pos, neg := x.p|y.p, x.n|y.n
	return tern{pos &^ neg, neg &^ pos}, true
}

// signed returns x or -x.
func signed(x tern, negate bool) tern {
	if negate {
		return tern{x.n, x.p}
	}
	return x
}

// canon returns the one of x and -x whose lowest non-zero coefficient is +1,
// and whether that is -x. It is the key of x up to sign.
func canon(x tern) (tern, bool) {
	all := x.p | x.n
	if x.p&(all&-all) != 0 {
		return x, false
	}
	return tern{x.n, x.p}, true
}

// sameUpToSign reports whether x = ±y, and whether the sign is -1.
func sameUpToSign(x, y tern) (same, negated bool) {
	if x == y {
		return true, false
	}
	return x == tern{y.n, y.p}, true
}

func trailing(x uint64) int { return bits.TrailingZeros64(x) }
