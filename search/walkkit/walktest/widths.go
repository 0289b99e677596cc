package walktest

import (
	"testing"

	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/tensorgame"
)

// Widths runs Contract on c with each walker constructor of news in place
// of c.New, as a subtest named by its key: a walker generic over its
// factor width (search/flip, search/ternary) forced to each width on
// formats that would fit a narrower one.
func Widths(t *testing.T, c Config, news map[string]func(tensorgame.Format, uint64, walkkit.Options) (walkkit.Walker, error)) {
	for name, newWalker := range news {
		t.Run(name, func(t *testing.T) {
			c := c
			c.New = newWalker
			Contract(t, c)
		})
	}
}
