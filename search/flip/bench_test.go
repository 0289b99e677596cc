package flip

import (
	"fmt"
	"testing"

	"github.com/alphamat/alphamat/search/walkkit/walktest"
	"github.com/alphamat/alphamat/tensorgame"
)

// BenchmarkFlip measures flips per second of one walker on a plateau (see
// walktest.BenchFlip).
func BenchmarkFlip(b *testing.B) {
	walktest.BenchFlip(b, contract, walktest.Cubes)
}

func BenchmarkTries(b *testing.B) { walktest.BenchTries(b, contract, walktest.Cubes) }

// BenchmarkFlipWide is BenchmarkFlip on formats whose factors need two
// words (9x9x9, 8x8x16) or four (16x16x16).
func BenchmarkFlipWide(b *testing.B) {
	walktest.BenchFlip(b, contract, []tensorgame.Format{{N: 9, M: 9, P: 9}, {N: 8, M: 8, P: 16}, {N: 16, M: 16, P: 16}})
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
