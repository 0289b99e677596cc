package wide

import (
	"math/bits"

	"github.com/alphamat/alphamat/tensorgame"
)

// Word is the type of one sign mask of a factor: one, two or four 64-bit
// words, bit i%64 of word i/64 being coefficient i. Each width compiles to
// its own code (a Go generic instantiates each array length separately);
// the functions below are the only ones that touch the words.
type Word interface {
	[1]uint64 | [2]uint64 | [4]uint64
}

// tern is a factor with coefficients in {-1, 0, 1}: coefficient i is +1
// when bit i of p is set, -1 when bit i of n is (never both).
type tern[W Word] struct{ p, n W }

// set sets coefficient i to -1 when negative, else to 1.
func (x *tern[W]) set(i int, negative bool) {
	if negative {
		x.n[i/64] |= 1 << (i % 64)
	} else {
		x.p[i/64] |= 1 << (i % 64)
	}
}

// fill sets the non-zero coefficients of x in fac, which is zero.
func (x tern[W]) fill(fac []tensorgame.Rat) {
	for w := range len(x.p) {
		for b := x.p[w]; b != 0; b &= b - 1 {
			fac[64*w+bits.TrailingZeros64(b)] = tensorgame.Int(1)
		}
		for b := x.n[w]; b != 0; b &= b - 1 {
			fac[64*w+bits.TrailingZeros64(b)] = tensorgame.Int(-1)
		}
	}
}

// hash mixes the words of x; with one word its value is the one-word
// walker's, p ^ n·c.
func hash[W Word](x tern[W]) uint64 {
	var h uint64
	for w := range len(x.p) {
		h = h*0x9e3779b97f4a7c15 ^ x.p[w] ^ x.n[w]*0xc2b2ae3d27d4eb4f
	}
	return h
}

func (x tern[W]) isZero() bool {
	var z W
	return x.p == z && x.n == z
}

func (x tern[W]) neg() tern[W] { return tern[W]{x.n, x.p} }

// add returns x + y and whether every coefficient stays in {-1, 0, 1}.
func add[W Word](x, y tern[W]) (z tern[W], ok bool) {
	var clash uint64
	for w := range len(x.p) {
		clash |= x.p[w]&y.p[w] | x.n[w]&y.n[w]
		pos, neg := x.p[w]|y.p[w], x.n[w]|y.n[w]
		z.p[w], z.n[w] = pos&^neg, neg&^pos
	}
	return z, clash == 0
}

// signed returns x or -x.
func signed[W Word](x tern[W], negate bool) tern[W] {
	if negate {
		return tern[W]{x.n, x.p}
	}
	return x
}

// canon returns the one of x (not zero) and -x whose lowest non-zero
// coefficient is +1, and whether that is -x. It is the key of x up to sign.
func canon[W Word](x tern[W]) (tern[W], bool) {
	for w := range len(x.p) {
		if all := x.p[w] | x.n[w]; all != 0 {
			if x.p[w]&(all&-all) != 0 {
				return x, false
			}
			return tern[W]{x.n, x.p}, true
		}
	}
	return x, false
}

// sameUpToSign reports whether x = ±y, and whether the sign is -1.
func sameUpToSign[W Word](x, y tern[W]) (same, negated bool) {
	if x == y {
		return true, false
	}
	return x == tern[W]{y.n, y.p}, true
}
