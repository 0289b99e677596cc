package frontier

import (
	"github.com/alphamat/alphamat/frontier/meta"
	"github.com/alphamat/alphamat/ranks"
	"github.com/alphamat/alphamat/tensorgame"
)

// Targets gives the best known rank of each format and field: from a table
// of published ranks (ranks.Frontier) or, for a format the table lacks, the
// best bound that direct sums and tensor products of known ranks give.
type Targets struct {
	table map[key]int
	memo  map[key]int
}

type key struct {
	f     tensorgame.Format // sizes ascending
	field tensorgame.Field
}

// NewTargets returns the targets of the table rows.
func NewTargets(rows []ranks.Known) *Targets {
	t := &Targets{table: map[key]int{}, memo: map[key]int{}}
	for _, r := range rows {
		for _, field := range []tensorgame.Field{tensorgame.Z2, tensorgame.Z, tensorgame.Q} {
			if v := r.Rank(field); v > 0 {
				t.table[key{r.Format.Canonical(), field}] = v
			}
		}
	}
	return t
}

// Listed reports whether the table lists f over field.
func (t *Targets) Listed(f tensorgame.Format, field tensorgame.Field) bool {
	_, ok := t.table[key{f.Canonical(), field}]
	return ok
}

// Known returns the best known rank of f over field: the table's, or, for
// a format the table lacks, the least of n·m·p, the sums of the known ranks of two parts of f split
// along one size, and the products of the known ranks of two formats whose
// tensor product is f. Over Z2 the rank over Z bounds it too. Sizes of 1
// count: 1×m×p has rank m·p. Not safe for concurrent use.
func (t *Targets) Known(f tensorgame.Format, field tensorgame.Field) int {
	k := key{f.Canonical(), field}
	if v, ok := t.memo[k]; ok {
		return v
	}
	f = k.f
	best := f.Naive()
	if v, ok := t.table[k]; ok {
		t.memo[k] = v
		return v
	}
	if f.N > 1 {
		if field == tensorgame.Z2 {
			best = min(best, t.Known(f, tensorgame.Z))
		}
		sizes := [3]int{f.N, f.M, f.P}
		for ax := range 3 {
			for c := 1; 2*c <= sizes[ax]; c++ {
				a, b := sizes, sizes
				a[ax], b[ax] = c, sizes[ax]-c
				best = min(best, t.Known(fmtOf(a), field)+t.Known(fmtOf(b), field))
			}
		}
		for _, a := range meta.Divisors(f) {
			b := tensorgame.Format{N: f.N / a.N, M: f.M / a.M, P: f.P / a.P}
			best = min(best, t.Known(a, field)*t.Known(b, field))
		}
	}
	t.memo[k] = best
	return best
}

func fmtOf(d [3]int) tensorgame.Format { return tensorgame.Format{N: d[0], M: d[1], P: d[2]} }
