package cyclic

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/alphamat/alphamat/internal/cputime"
)

// BenchmarkFlip measures flips per second of one walker on a plateau: it
// first walks down from the standard algorithm, then times b.N flip
// attempts. A flip moves three terms of the scheme at once.
func BenchmarkFlip(b *testing.B) {
	for _, n := range []int{3, 4, 5} {
		b.Run(fmt.Sprintf("%dx%dx%d", n, n, n), func(b *testing.B) {
			w := mustNew(b, n, 1, Options{})
			w.Walk(1_000_000, 0, n*n*n)
			ceil := w.Rank() + 6
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			f0, _, _, _ := w.Counts()
			cpu0, ok := cputime.Thread()
			b.ResetTimer()
			n := int64(0)
			for n < int64(b.N) {
				n += w.Walk(int64(b.N)-n, 0, ceil)
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
