package cyclic

import (
	"testing"

	"github.com/alphamat/alphamat/search/walkkit/walktest"
	"github.com/alphamat/alphamat/tensorgame"
)

// BenchmarkFlip measures flips per second of one walker on a plateau (see
// walktest.BenchFlip). A flip moves three terms of the scheme at once.
func BenchmarkFlip(b *testing.B) {
	walktest.BenchFlip(b, contract, []tensorgame.Format{{N: 3, M: 3, P: 3}, {N: 4, M: 4, P: 4}, {N: 5, M: 5, P: 5}})
}

// BenchmarkTries measures the CPU time of a try on a plateau without plus
// transitions (see walktest.BenchTries).
func BenchmarkTries(b *testing.B) {
	walktest.BenchTries(b, contract, []tensorgame.Format{{N: 3, M: 3, P: 3}, {N: 4, M: 4, P: 4}, {N: 5, M: 5, P: 5}})
}
