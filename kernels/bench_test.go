package kernels_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/alphamat/alphamat/kernels"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

var benchLarge = flag.Bool("kernels.large", false, "also benchmark n = 2048 and 4096 (minutes per kernel)")

func benchSizes() []int {
	if *benchLarge {
		return []int{256, 512, 1024, 2048, 4096}
	}
	return []int{256, 512, 1024}
}

// benchKernel is a contender of BenchmarkMul.
type benchKernel struct {
	name string
	mul  func(c, a, b blas64.General)
}

// benchKernels returns the contenders of BenchmarkMul: gemm, the default
// table (kernels.MulGeneral) and every shipped plan with default settings.
func benchKernels() []benchKernel {
	out := []benchKernel{
		{"gemm", func(c, a, b blas64.General) { blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, 0, c) }},
		{"table", kernels.MulGeneral},
	}
	for _, k := range kernels.Kernels() {
		out = append(out, benchKernel{k.Name(), k.MulGeneral})
	}
	return out
}

// BenchmarkMul times C = A·B for square n×n float64 matrices, with
// GFLOPS counting 2n³ operations (the equivalent rate of the definition).
// Run it with -cpu 1 for single-threaded numbers, and
// -args -kernels.large for n = 2048 and 4096.
func BenchmarkMul(b *testing.B) {
	rnd := rand.New(rand.NewPCG(1, 1))
	for _, n := range benchSizes() {
		a, bm := randGeneral(rnd, n, n), randGeneral(rnd, n, n)
		c := general(n, n, n, make([]float64, n*n))
		for _, kk := range benchKernels() {
			mul := kk.mul
			b.Run(fmt.Sprintf("%s/%d", kk.name, n), func(b *testing.B) {
				mul(c, a, bm) // allocate the workspace outside the timing
				b.ResetTimer()
				for b.Loop() {
					mul(c, a, bm)
				}
				b.ReportMetric(2*float64(n)*float64(n)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
			})
		}
	}
}

// BenchmarkMul32 is BenchmarkMul for float32, on gemm, the default table
// and Winograd.
func BenchmarkMul32(b *testing.B) {
	rnd := rand.New(rand.NewPCG(2, 2))
	for _, n := range benchSizes() {
		mk := func() blas32.General {
			g := blas32.General{Rows: n, Cols: n, Stride: n, Data: make([]float32, n*n)}
			for i := range g.Data {
				g.Data[i] = float32(2*rnd.Float64() - 1)
			}
			return g
		}
		a, bm, c := mk(), mk(), mk()
		for _, kk := range []struct {
			name string
			mul  func(c, a, b blas32.General)
		}{
			{"gemm", func(c, a, b blas32.General) { blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, 0, c) }},
			{"table", kernels.MulGeneral32},
			{"winograd", kernels.WinogradF32},
		} {
			b.Run(fmt.Sprintf("%s/%d", kk.name, n), func(b *testing.B) {
				kk.mul(c, a, bm)
				b.ResetTimer()
				for b.Loop() {
					kk.mul(c, a, bm)
				}
				b.ReportMetric(2*float64(n)*float64(n)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
			})
		}
	}
}

// BenchmarkWorkspaceTouch measures what the first call of a shape pays for
// its workspace (see the package documentation): writing 64 MiB of fresh
// memory, one element per 4 KiB page, against rewriting every element of
// memory already touched. Where page faults are slow the first is the
// larger, whatever the size of the rewrite.
func BenchmarkWorkspaceTouch(b *testing.B) {
	const n = 64 << 20 / 8 // elements of 64 MiB
	b.Run("fresh", func(b *testing.B) {
		b.SetBytes(n * 8)
		for b.Loop() {
			x := make([]float64, n)
			for i := 0; i < n; i += 512 {
				x[i] = 1
			}
		}
	})
	b.Run("rewrite", func(b *testing.B) {
		x := make([]float64, n)
		clear(x)
		b.SetBytes(n * 8)
		for b.Loop() {
			for i := range x {
				x[i] = 1
			}
		}
	})
}

var benchGCN = flag.Int("kernels.gc.n", 1024, "size n of BenchmarkWorkspaceGC")

// BenchmarkWorkspaceGC measures what a garbage collection between two calls
// costs the second: Winograd down to blocks of n/8 (three levels), called
// back to back (warm) and with two collections before each call (gc),
// which empty the sync.Pool that keeps the workspace between calls, so
// that the call allocates it again and, where the runtime has returned
// the pages to the system meanwhile, faults them in.
func BenchmarkWorkspaceGC(b *testing.B) {
	n := *benchGCN
	rnd := rand.New(rand.NewPCG(3, 3))
	a, bm := randGeneral(rnd, n, n), randGeneral(rnd, n, n)
	c := general(n, n, n, make([]float64, n*n))
	k := kernels.Kernel{Plans: []*kernels.Plan{mustPlan(b, "winograd")}, Cutoff: n / 8, Workers: 1}
	b.Logf("workspace %d MiB", k.Workspace(n, n, n)*8>>20)
	for _, gc := range []bool{false, true} {
		name := "warm"
		if gc {
			name = "gc"
		}
		b.Run(fmt.Sprintf("%s/%d", name, n), func(b *testing.B) {
			k.MulGeneral(c, a, bm)
			for b.Loop() {
				if gc {
					b.StopTimer()
					runtime.GC()
					runtime.GC()
					b.StartTimer()
				}
				k.MulGeneral(c, a, bm)
			}
		})
	}
}
