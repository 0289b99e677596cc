package bench

import (
	"flag"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/alphamat/alphamat/kernels"
)

var (
	partsN    = flag.Int("bench.parts.n", 512, "BenchmarkLevelParts: the size n of the product")
	partsBLAS = flag.String("bench.parts.blas", BLASGonum, "BenchmarkLevelParts: the BLAS under gemm and the leaves (gonum, packed, openblas)")
)

// timedBLAS adds up the time spent in Dgemm, so that a benchmark can tell
// the leaves' share of a fast scheme's time from the rest (the additions).
type timedBLAS struct {
	blas.Float64
	ns *atomic.Int64
}

func (t timedBLAS) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	start := time.Now()
	t.Float64.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	t.ns.Add(int64(time.Since(start)))
}

// BenchmarkLevelParts takes one level of a 2x2x2 scheme over the leaf
// apart, float64, at n = -bench.parts.n on -bench.parts.blas: the leaf's
// n³ product (dgemm), seven (n/2)³ products on contiguous matrices (7half)
// and on blocks of the n×n ones (7strided), one level of Winograd and
// Strassen with the sub-products one after the other (w1) or on two
// goroutines (w2), and one block sum of (n/2)² blocks on one or two
// goroutines (add, add2). gemm-s/op is the time spent inside Dgemm,
// summed over the calls (above the wall time when calls overlap). For
// OpenBLAS, build with the netlib tag:
//
//	go test -tags netlib -run - -bench LevelParts -benchtime 5x ./bench -args -bench.parts.n 4096 -bench.parts.blas openblas
func BenchmarkLevelParts(b *testing.B) {
	restore, err := UseBLAS(*partsBLAS, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer restore()
	var ns atomic.Int64
	blas64.Use(timedBLAS{blas64.Implementation(), &ns})
	n, h := *partsN, *partsN/2
	rng := rand.New(rand.NewPCG(1, 1))
	a, bm := randGeneral(rng, n, n, 0), randGeneral(rng, n, n, 0)
	c := blas64.General{Rows: n, Cols: n, Stride: n, Data: make([]float64, n*n)}
	ah, bh := randGeneral(rng, h, h, 0), randGeneral(rng, h, h, 0)
	ch := blas64.General{Rows: h, Cols: h, Stride: h, Data: make([]float64, h*h)}
	sub := func(g blas64.General, i, j int) blas64.General {
		o := i*h*g.Stride + j*h
		return blas64.General{Rows: h, Cols: h, Stride: g.Stride, Data: g.Data[o : o+(h-1)*g.Stride+h]}
	}
	level := func(name string, workers int) func() {
		p, ok := kernels.LookupPlan(name)
		if !ok {
			b.Fatalf("no plan %s", name)
		}
		k := kernels.Kernel{Plans: []*kernels.Plan{p}, Levels: 1, Cutoff: 1, Workers: workers}
		return func() { k.MulGeneral(c, a, bm) }
	}
	add := func(workers int) func() {
		x, y, d := ah.Data, bh.Data, ch.Data
		return func() {
			var wg sync.WaitGroup
			for w := range workers {
				lo, hi := w*len(d)/workers, (w+1)*len(d)/workers
				wg.Go(func() {
					dd, xx, yy := d[lo:hi], x[lo:hi], y[lo:hi]
					for i := range dd {
						dd[i] = xx[i] + yy[i]
					}
				})
			}
			wg.Wait()
		}
	}
	for _, part := range []struct {
		name string
		call func()
	}{
		{"dgemm", func() { blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, a, bm, 0, c) }},
		{"7half", func() {
			for range 7 {
				blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, ah, bh, 0, ch)
			}
		}},
		{"7strided", func() {
			for i := range 7 {
				x, y := i%2, i/2%2
				blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, sub(a, x, y), sub(bm, y, x), 0, sub(c, x, 1-y))
			}
		}},
		{"winograd-w1", level("winograd", 1)},
		{"winograd-w2", level("winograd", 2)},
		{"strassen-w1", level("strassen", 1)},
		{"add", add(1)},
		{"add2", add(2)},
	} {
		b.Run(part.name, func(b *testing.B) {
			part.call() // warm-up: workspace and page faults
			ns.Store(0)
			b.ResetTimer()
			for b.Loop() {
				part.call()
			}
			b.ReportMetric(float64(ns.Load())/1e9/float64(b.N), "gemm-s/op")
		})
	}
}
