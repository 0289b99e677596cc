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

// WidthsAgree checks that a walker generic over its factor width walks the
// same way at every width: from the standard algorithm of each of formats,
// seeds 1 to 3, the walkers of c.Wide must have the same scheme (terms in
// the same order) and counts as c.New's after every chunk of a walk with
// plus transitions. A width's own code (a fast path at one word, the
// index's hash of wider keys) must not change the walk.
func WidthsAgree(t *testing.T, c Config, formats []tensorgame.Format) {
	if len(c.Wide) == 0 {
		t.Fatal("Config.Wide lists no wider walkers")
	}
	opts := walkkit.Options{PlusAfter: 200, Extra: 6}
	for _, f := range formats {
		for seed := uint64(1); seed <= 3; seed++ {
			one := c.start(t, f, seed, opts)
			wide := make([]walkkit.Walker, len(c.Wide))
			for i, nw := range c.Wide {
				w := c
				w.New = nw
				wide[i] = w.start(t, f, seed, opts)
			}
			for chunk := range 4 {
				one.Walk(5000, 0, f.Naive()+c.Room)
				fl, red, plus, pl := one.Counts()
				for i, w := range wide {
					w.Walk(5000, 0, f.Naive()+c.Room)
					fl2, red2, plus2, pl2 := w.Counts()
					if !w.Scheme().Equal(one.Scheme()) || fl2 != fl || red2 != red || plus2 != plus || pl2 != pl {
						t.Fatalf("%v seed %d chunk %d: wide%d walked otherwise (rank %d/%d, flips %d/%d, reductions %d/%d, plus %d/%d, plateau %d/%d)",
							f, seed, chunk, i+1, w.Rank(), one.Rank(), fl2, fl, red2, red, plus2, plus, pl2, pl)
					}
				}
			}
		}
	}
}
