package transpose

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/alphamat/alphamat/internal/cputime"
)

// BenchmarkFlip measures flips per second of one walker on a plateau: it
// first walks down from the standard algorithm, then times b.N flip
// attempts with plus transitions every 10000 flips (the default) and 4
// terms of room above the plateau. A flip moves two terms of the scheme at
// once.
func BenchmarkFlip(b *testing.B) {
	for _, nm := range [][2]int{{3, 3}, {4, 4}, {5, 3}, {5, 4}, {5, 5}} {
		n, m := nm[0], nm[1]
		b.Run(fmt.Sprintf("%dx%dx%d", n, m, n), func(b *testing.B) {
			w := mustNew(b, n, m, 1, Options{})
			w.SetPlusAfter(-1)
			w.Walk(1_000_000, 0, n*m*n)
			w.SetPlusAfter(0)
			ceil := w.Rank() + 4
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			f0, _, _, _ := w.Counts()
			cpu0, ok := cputime.Thread()
			b.ResetTimer()
			k := int64(0)
			for k < int64(b.N) {
				k += w.Walk(int64(b.N)-k, 0, ceil)
			}
			b.StopTimer()
			f1, _, _, _ := w.Counts()
			b.ReportMetric(float64(f1-f0)/b.Elapsed().Seconds(), "flips/s")
			if cpu1, _ := cputime.Thread(); ok && cpu1 > cpu0 {
				b.ReportMetric(float64(f1-f0)/(cpu1-cpu0).Seconds(), "flips/cpu-s")
			}
			b.ReportMetric(float64(f1-f0)/float64(b.N), "flips/attempt")
			b.ReportMetric(float64(w.Rank()), "rank")
		})
	}
}
