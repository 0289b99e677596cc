package flip

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/alphamat/alphamat/internal/cputime"
	"github.com/alphamat/alphamat/tensorgame"
)

// BenchmarkFlip measures flips per second of one walker on a plateau: it
// first walks down from the standard algorithm, then times b.N flips.
func BenchmarkFlip(b *testing.B) {
	for _, f := range []tensorgame.Format{{N: 3, M: 3, P: 3}, {N: 4, M: 4, P: 4}, {N: 5, M: 5, P: 5}} {
		b.Run(f.String(), func(b *testing.B) {
			w := mustNew(b, f, 1, Options{})
			w.Walk(1_000_000, 0, f.Naive())
			ceil := w.Rank() + 2
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			cpu0, ok := cputime.Thread()
			b.ResetTimer()
			n := int64(0)
			for n < int64(b.N) {
				n += w.Walk(int64(b.N)-n, 0, ceil)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "flips/s")
			if cpu1, _ := cputime.Thread(); ok && cpu1 > cpu0 {
				b.ReportMetric(float64(b.N)/(cpu1-cpu0).Seconds(), "flips/cpu-s")
			}
			b.ReportMetric(float64(w.Rank()), "rank")
		})
	}
}

// BenchmarkDescent measures flips until a given rank from the standard
// algorithm with one walker, averaged over seeds.
func BenchmarkDescent(b *testing.B) {
	for _, c := range []struct {
		f      tensorgame.Format
		target int
	}{{tensorgame.Format{N: 3, M: 3, P: 3}, 23}, {tensorgame.Format{N: 4, M: 4, P: 4}, 49}} {
		b.Run(fmt.Sprintf("%v-%d", c.f, c.target), func(b *testing.B) {
			var flips int64
			for i := range b.N {
				w := mustNew(b, c.f, uint64(i+1), Options{})
				for w.Rank() > c.target {
					flips += w.Walk(1<<30, c.target, w.Rank()+2)
				}
			}
			b.ReportMetric(float64(flips)/float64(b.N), "flips/op")
		})
	}
}
