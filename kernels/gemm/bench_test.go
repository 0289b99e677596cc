package gemm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// BenchmarkGemm compares Dgemm and Sgemm with gonum's on square products;
// the rate is reported as GFLOPS (2n³ per call).
func BenchmarkGemm(b *testing.B) {
	rnd := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{64, 256, 1024, 2048} {
		x := make([]float64, n*n)
		for i := range x {
			x[i] = rnd.Float64()
		}
		x32 := narrow(x)
		c, c32 := make([]float64, n*n), make([]float32, n*n)
		for _, im := range []struct {
			name string
			f64  func(blas.Transpose, blas.Transpose, int, int, int, float64, []float64, int, []float64, int, float64, []float64, int)
			f32  func(blas.Transpose, blas.Transpose, int, int, int, float32, []float32, int, []float32, int, float32, []float32, int)
		}{
			{"packed", Implementation{}.Dgemm, Implementation{}.Sgemm},
			{"gonum", gonum.Implementation{}.Dgemm, gonum.Implementation{}.Sgemm},
		} {
			b.Run(fmt.Sprintf("f64/%s/n=%d", im.name, n), func(b *testing.B) {
				for b.Loop() {
					im.f64(blas.NoTrans, blas.NoTrans, n, n, n, 1, x, n, x, n, 0, c, n)
				}
				b.ReportMetric(2*float64(n*n*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
			})
			b.Run(fmt.Sprintf("f32/%s/n=%d", im.name, n), func(b *testing.B) {
				for b.Loop() {
					im.f32(blas.NoTrans, blas.NoTrans, n, n, n, 1, x32, n, x32, n, 0, c32, n)
				}
				b.ReportMetric(2*float64(n*n*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
			})
		}
	}
}
