package bench

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// benchmarkMul times c on shape s in element type dt, one b.N loop,
// reporting effective GFLOPS (2·n·m·p per call) for benchstat.
func benchmarkMul(b *testing.B, c Contender, s Shape, dt DType) {
	rng := rand.New(rand.NewPCG(1, 1))
	a64, b64 := randGeneral(rng, s.N, s.M, 0), randGeneral(rng, s.M, s.P, 0)
	c64 := blas64.General{Rows: s.N, Cols: s.P, Stride: s.P, Data: make([]float64, s.N*s.P)}
	call := func() { c.Mul64(c64, a64, b64) }
	if dt == F32 {
		a32, b32 := to32General(a64), to32General(b64)
		c32 := blas32.General{Rows: s.N, Cols: s.P, Stride: s.P, Data: make([]float32, s.N*s.P)}
		call = func() { c.Mul32(c32, a32, b32) }
	}
	call() // warm-up: work spaces, page faults
	b.ResetTimer()
	for b.Loop() {
		call()
	}
	b.ReportMetric(s.Flops()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
}

// benchmarkShape runs every contender that applies to s as a sub-benchmark.
func benchmarkShape(b *testing.B, s Shape, cs []Contender) {
	for _, dt := range []DType{F64, F32} {
		for _, c := range cs {
			if !c.Applies(s) || !c.has(dt) {
				continue
			}
			b.Run(fmt.Sprintf("%s/%s", dt, c.Name), func(b *testing.B) { benchmarkMul(b, c, s, dt) })
		}
	}
}

func benchContenders() []Contender {
	return append(Baselines(0, 512), KernelContenders(KernelOptions{Levels: []int{1, 2}})...)
}

func BenchmarkMul256(b *testing.B)  { benchmarkShape(b, Square(256), benchContenders()) }
func BenchmarkMul512(b *testing.B)  { benchmarkShape(b, Square(512), benchContenders()) }
func BenchmarkMul1024(b *testing.B) { benchmarkShape(b, Square(1024), benchContenders()) }
func BenchmarkMul2048(b *testing.B) { benchmarkShape(b, Square(2048), benchContenders()) }
