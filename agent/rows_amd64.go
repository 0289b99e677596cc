//go:build !purego

package agent

import "golang.org/x/sys/cpu"

// haveRows16 reports whether axpyRows16 is the assembly kernel, faster
// than computing only the legal values in Go.
const haveRows16 = true

// axpyRows16 sets z[0:16] += Σ_j x[j]·o[16j : 16j+16] for j < n, in order
// of j, rounding each product: the sums logits computes, sixteen values at
// once. z, o and x must hold 16, 16·n and n values.
//
//go:noescape
func axpyRows16(z *float32, o *float32, x *float32, n int)

// axpy8 sets y[i] += a·x[i] for i < n, n a positive multiple of 8, with
// AVX; only when haveAVX.
//
//go:noescape
func axpy8(a float32, x *float32, y *float32, n int)

// haveAVX is whether axpy may use axpy8: whether the CPU and the OS
// support AVX (golang.org/x/sys/cpu, read once at start-up).
var haveAVX = cpu.X86.HasAVX
