//go:build noasm || !amd64

package gemm

// accelerated is false: the micro-kernels are the pure-Go ones.
const accelerated = false

var (
	kernel64 = kernelGo[float64](6, 8)
	kernel32 = kernelGo[float32](6, 16)
)
