package transpose

import (
	"testing"

	"github.com/alphamat/alphamat/search/walkkit/walktest"
	"github.com/alphamat/alphamat/tensorgame"
)

// BenchmarkFlip measures flips per second of one walker on a plateau (see
// walktest.BenchFlip). A flip moves two terms of the scheme at once.
func BenchmarkFlip(b *testing.B) {
	walktest.BenchFlip(b, contract, []tensorgame.Format{
		{N: 3, M: 3, P: 3}, {N: 4, M: 4, P: 4}, {N: 5, M: 3, P: 5}, {N: 5, M: 4, P: 5}, {N: 5, M: 5, P: 5},
	})
}

func BenchmarkTries(b *testing.B) { walktest.BenchTries(b, contract, walktest.Cubes) }

// BenchmarkFlipWide measures the walkers of two and four words on 4x4x4,
// against BenchmarkFlip's one, and formats that need them (walktest.BenchWide).
func BenchmarkFlipWide(b *testing.B) {
	walktest.BenchWide(b, contract, []tensorgame.Format{{N: 4, M: 4, P: 4}}, []tensorgame.Format{{N: 9, M: 9, P: 9}, {N: 12, M: 5, P: 12}})
}
