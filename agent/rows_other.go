//go:build !amd64 || purego

package agent

import "unsafe"

// haveRows16 reports whether axpyRows16 is an assembly kernel: here it is
// the Go loop, and logits computes only the legal values instead.
const haveRows16 = false

// axpyRows16 sets z[0:16] += Σ_j x[j]·o[16j : 16j+16] for j < n, in order
// of j, rounding each product. z, o and x must hold 16, 16·n and n values.
func axpyRows16(z *float32, o *float32, x *float32, n int) {
	zs, os, gs := unsafe.Slice(z, 16), unsafe.Slice(o, 16*n), unsafe.Slice(x, n)
	for j, gj := range gs {
		row := os[16*j : 16*j+16]
		for v := range zs {
			zs[v] += float32(gj * row[v])
		}
	}
}

func axpy8(a float32, x *float32, y *float32, n int) { panic("agent: axpy8 without AVX") }

const haveAVX = false
