package walktest

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/tensorgame"
)

// RandomWalks walks random small formats (n and p up to 3, m up to 4)
// from their standard algorithm over c.Field, with random seeds, PlusAfter
// and ceilings, in random chunks; after each chunk it fails unless the rank
// stays at or below the ceiling (or the standard rank), the scheme
// verifies with Rank terms and check, if not nil, passes.
func RandomWalks(t *testing.T, c Config, check func(TB, walkkit.Walker)) {
	rapid.Check(t, func(rt *rapid.T) {
		f := tensorgame.Format{
			N: rapid.IntRange(1, 3).Draw(rt, "n"),
			M: rapid.IntRange(1, 4).Draw(rt, "m"),
			P: rapid.IntRange(1, 3).Draw(rt, "p"),
		}
		seed := rapid.Uint64().Draw(rt, "seed")
		plus := rapid.Int64Range(1, 200).Draw(rt, "plusAfter")
		w := MustStart(rt, c.New, f, c.Field, seed, walkkit.Options{PlusAfter: plus, Extra: 4})
		for range rapid.IntRange(1, 8).Draw(rt, "chunks") {
			steps := rapid.Int64Range(1, 300).Draw(rt, "steps")
			ceil := w.Rank() + rapid.IntRange(0, 3).Draw(rt, "above")
			w.Walk(steps, 0, ceil)
			if w.Rank() > max(ceil, f.Naive()) {
				rt.Fatalf("rank %d above ceiling %d", w.Rank(), ceil)
			}
			s := w.Scheme()
			if err := tensorgame.Verify(s); err != nil {
				rt.Fatalf("after walk: %v", err)
			}
			if s.Rank() != w.Rank() {
				rt.Fatalf("Scheme has %d terms, Rank says %d", s.Rank(), w.Rank())
			}
			if check != nil {
				check(rt, w)
			}
		}
	})
}
