package cyclic

import (
	"testing"

	"github.com/alphamat/alphamat/search/walkkit/walktest"
)

// BenchmarkFlip measures flips per second of one walker on a plateau (see
// walktest.BenchFlip). A flip moves three terms of the scheme at once.
func BenchmarkFlip(b *testing.B) {
	walktest.BenchFlip(b, contract, walktest.Cubes)
}

func BenchmarkTries(b *testing.B) { walktest.BenchTries(b, contract, walktest.Cubes) }
