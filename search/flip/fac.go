package flip

import "github.com/alphamat/alphamat/tensorgame"

// fac is a factor of this walker, packed in one word: bit i is coefficient
// i. The walker's code (walker.go, moves.go, index.go) touches factors only
// through the functions below, so that go generate derives the walkers of
// two and four words (internal/wide2, internal/wide4) from it with a fac of
// their width from fac.go.tmpl (search/walkkit/widen); each function
// inlines for each width.
type fac = uint64

// words is the width of a factor in 64-bit words.
const words = 1

func isZero(x fac) bool { return x == 0 }

func xor(x, y fac) fac { return x ^ y }

func hash(x fac) uint64 { return x }

// eitherZero reports whether x or y is zero. With one word it tests the
// product, one branch: it never misses a zero, and seldom (on overflow)
// reports one that is not there, which costs the caller a needless check.
func eitherZero(x, y fac) bool { return x*y == 0 }

func facOf(x tensorgame.Wide) fac { return x[0] }

func wide(x fac) tensorgame.Wide { return tensorgame.Wide{x} }
