package ternary

import "math/bits"

// wyrand is the wyrand generator of Wang Yi: one 64-bit state, a
// multiply-fold per draw. It is not for cryptography.
type wyrand struct{ s uint64 }

func (r *wyrand) next() uint64 {
	r.s += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(r.s, r.s^0xe7037ed1a0b428db)
	return hi ^ lo
}

// below returns a number in [0, n) from the low 32 bits of x (Lemire's
// multiply-shift; n must be below 2^32).
func below(x uint64, n int) int {
	return int((x & 0xffffffff) * uint64(n) >> 32)
}
