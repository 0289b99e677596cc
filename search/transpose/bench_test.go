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
