// Package wyrand is the wyrand generator of Wang Yi, the random source of the
// flip-graph walkers: one 64-bit state, a multiply-fold per draw, small
// enough to inline into their hot loops. It is not for cryptography.
package wyrand

import "math/bits"

// Rand is a wyrand generator; its state is the seed.
type Rand struct{ S uint64 }

// Next returns the next 64 random bits.
func (r *Rand) Next() uint64 {
	r.S += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(r.S, r.S^0xe7037ed1a0b428db)
	return hi ^ lo
}

// Below returns a number in [0, n) from the low 32 bits of x (Lemire's
// multiply-shift; n must be below 2^32).
func Below(x uint64, n int) int {
	return int((x & 0xffffffff) * uint64(n) >> 32)
}
