//go:build !noasm

package gemm

import "golang.org/x/sys/cpu"

// accelerated is true where the assembly micro-kernels run.
var accelerated = cpu.X86.HasAVX2 && cpu.X86.HasFMA

var (
	kernel64 = pick(kernelAsm64, kernelGo[float64](6, 8))
	kernel32 = pick(kernelAsm32, kernelGo[float32](6, 16))
)

func pick[T float](asm, fallback func(k int, a, b, c []T, ldc int)) func(k int, a, b, c []T, ldc int) {
	if accelerated {
		return asm
	}
	return fallback
}

// dkernel6x8 computes, for a 6×8 tile of C at c with row stride ldc,
// c[r*ldc+j] += Σ_p a[p*6+r]·b[p*8+j] for p < k. It needs AVX2 and FMA.
//
//go:noescape
func dkernel6x8(k int, a, b, c *float64, ldc int)

// skernel6x16 is the float32 version of dkernel6x8 for a 6×16 tile.
//
//go:noescape
func skernel6x16(k int, a, b, c *float32, ldc int)

func kernelAsm64(k int, a, b, c []float64, ldc int) {
	_ = a[6*k-1]
	_ = b[8*k-1]
	_ = c[5*ldc+7]
	dkernel6x8(k, &a[0], &b[0], &c[0], ldc)
}

func kernelAsm32(k int, a, b, c []float32, ldc int) {
	_ = a[6*k-1]
	_ = b[16*k-1]
	_ = c[5*ldc+15]
	skernel6x16(k, &a[0], &b[0], &c[0], ldc)
}
