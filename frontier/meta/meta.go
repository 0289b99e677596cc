// Package meta makes schemes of one matrix multiplication format from the
// schemes held of others: the meta moves (direct sums, which include
// extensions by the standard algorithm, restrictions, tensor products), each
// as a pull toward a target format. One implementation of each serves the
// frontier (whose propagator pulls every format an improvement reaches) and
// reproduce (whose rows start from what the rows before them found).
//
// Every scheme returned is verified. The tensorgame moves themselves
// (DirectSum, BestRestriction, Product) are the building blocks; this
// package chooses which schemes to combine.
package meta

import (
	"fmt"
	"slices"

	"github.com/alphamat/alphamat/search/cyclic"
	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/tensorgame"
)

// Held is what the moves draw from: the schemes held of each format.
// Formats are given with sizes ascending (tensorgame.Format.Canonical);
// the schemes returned must be of that format and field.
type Held interface {
	// Rank returns the best rank held for f over field, 0 when none.
	Rank(f tensorgame.Format, field tensorgame.Field) int
	// Schemes returns up to n schemes of f over field (n >= 1), lowest
	// rank first, none when it holds none.
	Schemes(f tensorgame.Format, field tensorgame.Field, n int) []*tensorgame.Scheme
}

// SumRank returns the least rank that direct sums of held schemes (and the
// standard algorithm, for formats not held or sizes of 1) give for f over
// field, split along any size any number of times (4x6x6 = 2x6x6 + 2x6x6,
// then 6x6x6 = 4x6x6 + 2x6x6, or 2x6x6 + 2x6x6 + 2x6x6), and f.Naive()
// when no sum beats the standard algorithm. The ranks held of f itself
// count only for its parts.
func SumRank(f tensorgame.Format, field tensorgame.Field, held Held) int {
	return NewSums(field, held).Rank(f)
}

// Sum returns the direct sum of lowest rank for f over field (see SumRank),
// or nil when none beats the standard algorithm. Of the splits of f, the
// first of least rank is taken (along n, then m, then p; the smaller part
// first), and each part is the best scheme held of its format when no sum
// beats it, carried to the part's orientation. A sum of two held schemes,
// each of its format's best (a composite), is the commonest case: 4x5x5 =
// 4x5x2 + 4x5x3 is 33 + 47 = 80 terms, 20 below the standard 100.
func Sum(f tensorgame.Format, field tensorgame.Field, held Held) (*tensorgame.Scheme, error) {
	return NewSums(field, held).Sum(f)
}

// Sums finds direct sums (SumRank, Sum) for many formats over one field,
// remembering the least rank of every format it meets: one Sums serves the
// formats an improvement reaches. What it remembers does not follow later
// changes of what is held (a rank that improved since counts at its old
// value, and its scheme, of the lower rank, is used), so a Sums is for one
// batch of moves. It is not safe for concurrent use.
type Sums struct {
	field tensorgame.Field
	held  Held
	rank  map[tensorgame.Format]int // canonical format -> least rank, held or sum
}

// NewSums returns a Sums over field drawing on held.
func NewSums(field tensorgame.Field, held Held) *Sums {
	return &Sums{field: field, held: held, rank: map[tensorgame.Format]int{}}
}

// Rank is SumRank.
func (p *Sums) Rank(f tensorgame.Format) int {
	_, r := p.bestSplit(f)
	return r
}

// Sum is the package's Sum.
func (p *Sums) Sum(f tensorgame.Format) (*tensorgame.Scheme, error) {
	if !f.Valid() {
		return nil, fmt.Errorf("meta: sum for invalid format %v", f)
	}
	sp, r := p.bestSplit(f)
	if sp == nil || r >= f.Naive() {
		return nil, nil
	}
	s, err := p.buildSplit(*sp)
	if err != nil {
		return nil, fmt.Errorf("meta: sum for %v: %w", f, err)
	}
	if err := tensorgame.Verify(s); err != nil {
		return nil, fmt.Errorf("meta: sum for %v: %w", f, err)
	}
	return s, nil
}

// bestRank returns the least rank of canonical g: held, a sum, or standard.
func (p *Sums) bestRank(g tensorgame.Format) int {
	if r, ok := p.rank[g]; ok {
		return r
	}
	r := g.Naive()
	if g.N > 1 { // a size of 1: the standard algorithm is optimal
		if h := p.held.Rank(g, p.field); h > 0 {
			r = min(r, h)
		}
		_, s := p.bestSplit(g)
		r = min(r, s)
	}
	p.rank[g] = r
	return r
}

// bestSplit returns the first split of g (any orientation) of least summed
// rank, and that rank; nil and g.Naive() when none is below g.Naive().
func (p *Sums) bestSplit(g tensorgame.Format) (*Split, int) {
	var best *Split
	bestRank := g.Naive()
	for _, sp := range Splits(g) {
		if r := p.bestRank(sp.A.Canonical()) + p.bestRank(sp.B.Canonical()); r < bestRank {
			best, bestRank = &sp, r
		}
	}
	return best, bestRank
}

// build returns a scheme of g (any orientation) of rank at most
// bestRank(g): the held best when no sum beats it, else the sum.
func (p *Sums) build(g tensorgame.Format) (*tensorgame.Scheme, error) {
	c := g.Canonical()
	r := p.bestRank(c)
	if h := p.held.Rank(c, p.field); h > 0 && h <= r && h < c.Naive() {
		ss := p.held.Schemes(c, p.field, 1)
		if len(ss) == 0 || ss[0].Format != c || ss[0].Field != p.field {
			return nil, fmt.Errorf("%v over %v: held at rank %d, but no scheme came back", c, p.field, h)
		}
		return orient(ss[0], g)
	}
	if r >= c.Naive() {
		return tensorgame.Standard(g, p.field), nil
	}
	sp, _ := p.bestSplit(g)
	return p.buildSplit(*sp)
}

func (p *Sums) buildSplit(sp Split) (*tensorgame.Scheme, error) {
	a, err := p.build(sp.A)
	if err != nil {
		return nil, err
	}
	b, err := p.build(sp.B)
	if err != nil {
		return nil, err
	}
	s, err := tensorgame.DirectSum(sp.Axis, a, b)
	if err != nil {
		return nil, err
	}
	s.Origin = tensorgame.Derive(tensorgame.MoveSum, a, b)
	return s, nil
}

// orient returns s carried to format g (a permutation of s.Format), its
// Origin kept.
func orient(s *tensorgame.Scheme, g tensorgame.Format) (*tensorgame.Scheme, error) {
	p, err := tensorgame.Permute(s, g)
	if err != nil {
		return nil, err
	}
	if s.Format != g {
		p.Origin = s.Origin.Clone()
	}
	return p, nil
}

// Split is one way to cut a format in two along one axis: A and B (A the
// smaller part) have the format's sizes but along Axis, where theirs add up
// to the format's.
type Split struct {
	Axis tensorgame.Axis
	A, B tensorgame.Format
}

// Splits returns the splits of f along n, then m, then p, in parts of
// k and size-k for k = 1 up to half the size.
func Splits(f tensorgame.Format) []Split {
	var out []Split
	sizes := [3]int{f.N, f.M, f.P}
	for ax := tensorgame.AxisN; ax <= tensorgame.AxisP; ax++ {
		for k := 1; 2*k <= sizes[ax]; k++ {
			a, b := sizes, sizes
			a[ax], b[ax] = k, sizes[ax]-k
			out = append(out, Split{ax, fmtOf(a), fmtOf(b)})
		}
	}
	return out
}

// Parts returns the formats (sizes ascending, each once, sizes of 1 left
// out) of the two parts of every split of f: the formats whose schemes a
// two-part sum for f is made of.
func Parts(f tensorgame.Format) []tensorgame.Format {
	var out []tensorgame.Format
	for _, s := range Splits(f) {
		for _, g := range [2]tensorgame.Format{s.A.Canonical(), s.B.Canonical()} {
			if g.N > 1 && !slices.Contains(out, g) {
				out = append(out, g)
			}
		}
	}
	return out
}

// Restrictions returns up to n distinct schemes of f over field, lowest
// rank first, that are restrictions (tensorgame.BestRestriction) of the
// schemes held of the formats one size larger than f, up to perFormat of
// each: each held scheme gives its best restriction along the axis that
// leads to f, so that the starts come from as many schemes as there are.
// The results are verified.
//
// A good scheme of a larger format restricts to a good start (Kauers &
// Wood, arXiv 2505.05896): docs/experiments.md ("Large rows") has what
// restrictions of 5x5x5 schemes did for 4x5x5.
func Restrictions(f tensorgame.Format, field tensorgame.Field, held Held, perFormat, n int) ([]*tensorgame.Scheme, error) {
	var out []*tensorgame.Scheme
	sizes := [3]int{f.N, f.M, f.P}
	for ax := tensorgame.AxisN; ax <= tensorgame.AxisP; ax++ {
		big := sizes
		big[ax]++
		g := fmtOf(big)
		for _, s := range held.Schemes(g.Canonical(), field, perFormat) {
			if s.Field != field || s.Format != g.Canonical() {
				continue
			}
			p, err := tensorgame.Permute(s, g)
			if err != nil {
				return nil, fmt.Errorf("meta: %w", err)
			}
			r, err := tensorgame.BestRestriction(p, ax)
			if err != nil {
				return nil, fmt.Errorf("meta: restriction for %v: %w", f, err)
			}
			r.Origin = tensorgame.Derive(tensorgame.MoveRestrict, s)
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b *tensorgame.Scheme) int { return a.Rank() - b.Rank() })
	seen := map[uint64]bool{}
	kept := out[:0]
	for _, s := range out {
		if h := pool.Hash(s); len(kept) < n && !seen[h] {
			seen[h] = true
			if err := tensorgame.Verify(s); err != nil {
				return nil, fmt.Errorf("meta: restriction for %v: %w", f, err)
			}
			kept = append(kept, s)
		}
	}
	return kept, nil
}

// ProductRank returns the least rank of a tensor product of two held
// formats (sizes at least 2) for f over field, and f.Naive() when none
// beats the standard algorithm.
func ProductRank(f tensorgame.Format, field tensorgame.Field, held Held) int {
	_, _, r := bestFactors(f, field, held)
	return r
}

// Product returns the tensor product (tensorgame.Product) of lowest rank of
// two held schemes whose formats multiply to f (6x6x6 from 2x2x2 and
// 3x3x3: 7·23 = 161), or nil when none beats the standard algorithm.
func Product(f tensorgame.Format, field tensorgame.Field, held Held) (*tensorgame.Scheme, error) {
	a, b, r := bestFactors(f, field, held)
	if r >= f.Naive() {
		return nil, nil
	}
	sa := held.Schemes(a.Canonical(), field, 1)
	sb := held.Schemes(b.Canonical(), field, 1)
	if len(sa) == 0 || len(sb) == 0 {
		return nil, fmt.Errorf("meta: product for %v: %v or %v held, but no scheme came back", f, a, b)
	}
	oa, err := orient(sa[0], a)
	if err != nil {
		return nil, fmt.Errorf("meta: product for %v: %w", f, err)
	}
	ob, err := orient(sb[0], b)
	if err != nil {
		return nil, fmt.Errorf("meta: product for %v: %w", f, err)
	}
	s, err := tensorgame.Product(oa, ob)
	if err != nil {
		return nil, fmt.Errorf("meta: product for %v: %w", f, err)
	}
	if err := tensorgame.Verify(s); err != nil {
		return nil, fmt.Errorf("meta: product for %v: %w", f, err)
	}
	return s, nil
}

// bestFactors returns the first pair of formats a ⊗ b = f (sizes >= 2) of
// least product of held ranks, and that rank (f.Naive() when none is
// lower).
func bestFactors(f tensorgame.Format, field tensorgame.Field, held Held) (a, b tensorgame.Format, r int) {
	r = f.Naive()
	for _, x := range Divisors(f) {
		y := tensorgame.Format{N: f.N / x.N, M: f.M / x.M, P: f.P / x.P}
		rx, ry := held.Rank(x.Canonical(), field), held.Rank(y.Canonical(), field)
		if rx > 0 && ry > 0 && rx*ry < r {
			a, b, r = x, y, rx*ry
		}
	}
	return a, b, r
}

// Divisors returns the formats a (sizes >= 2) such that f = a ⊗ b for a
// format b with sizes >= 2.
func Divisors(f tensorgame.Format) []tensorgame.Format {
	var out []tensorgame.Format
	for _, n := range factorsOf(f.N) {
		for _, m := range factorsOf(f.M) {
			for _, p := range factorsOf(f.P) {
				out = append(out, tensorgame.Format{N: n, M: m, P: p})
			}
		}
	}
	return out
}

// factorsOf returns the divisors d of n with 2 <= d and n/d >= 2.
func factorsOf(n int) []int {
	var out []int
	for d := 2; d*2 <= n; d++ {
		if n%d == 0 {
			out = append(out, d)
		}
	}
	return out
}

// CyclicFrom is the least size of the square formats whose searches add
// cyclic-symmetric walkers (Cyclic).
const CyclicFrom = 5

// Cyclic reports whether a search of f adds cyclic-symmetric walkers
// (search.Config.Cyclic): square formats n×n×n from CyclicFrom on that the
// cyclic walker supports (cyclic.Supports), and the formats one size below
// them (4x5x5), whose cyclic walkers walk the square format above and hand
// restrictions of what they find to the plain walkers: the cyclic walk
// above, restricted, is the meta move. Smaller square formats reach their
// best known ranks without them; docs/experiments.md ("Large rows", and
// the frontier's 5x5x5 runs) has what they do on 5x5x5 and 4x5x5.
func Cyclic(f tensorgame.Format) bool {
	n := max(f.N, f.M, f.P)
	sq := tensorgame.Format{N: n, M: n, P: n}
	return n >= CyclicFrom && (f.Canonical() == sq || OneAbove(sq, f)) && cyclic.Supports(sq) == nil
}

// OneAbove reports whether g is f with one size larger by one, in any
// order of the sizes.
func OneAbove(g, f tensorgame.Format) bool {
	a, b := g.Canonical(), f.Canonical()
	d := [3]int{a.N - b.N, a.M - b.M, a.P - b.P}
	slices.Sort(d[:])
	return d == [3]int{0, 0, 1}
}

func fmtOf(d [3]int) tensorgame.Format { return tensorgame.Format{N: d[0], M: d[1], P: d[2]} }
