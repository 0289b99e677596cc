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

// Accepts fails unless supports and newWalker both accept each of formats
// (the counterpart of Refuses).
func Accepts[W walkkit.Walker](t *testing.T, supports func(tensorgame.Format) error, newWalker func(tensorgame.Format, uint64, walkkit.Options) (W, error), formats []tensorgame.Format) {
	t.Helper()
	for _, f := range formats {
		if err := supports(f); err != nil {
			t.Errorf("Supports(%v): %v", f, err)
		}
		if _, err := newWalker(f, 1, walkkit.Options{}); err != nil {
			t.Errorf("New(%v): %v", f, err)
		}
	}
}
