package search

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/tensorgame"
)

// Composite returns the scheme of lowest rank for f over field that is the
// direct sum (tensorgame.DirectSum) of two schemes of smaller formats, f
// split in two along one of its sizes; nil when no split beats the standard
// algorithm. known returns the best scheme known for a format with sizes in
// ascending order (tensorgame.Format.Canonical), or nil (the standard
// algorithm is used then). The result is verified.
//
// Large formats descend slowly from the standard algorithm but fast from a
// composite (4x5x5 = 4x5x2 + 4x5x3 is 33 + 47 = 80 terms, 20 below the
// standard 100): it is the format-changing move of the search.
func Composite(f tensorgame.Format, field tensorgame.Field, known func(tensorgame.Format) *tensorgame.Scheme) (*tensorgame.Scheme, error) {
	var best *tensorgame.Scheme
	bestRank := f.Naive()
	for _, sp := range splits(f) {
		a, err := knownAs(sp.a, field, known)
		if err != nil {
			return nil, err
		}
		b, err := knownAs(sp.b, field, known)
		if err != nil {
			return nil, err
		}
		if a.Rank()+b.Rank() >= bestRank {
			continue
		}
		s, err := tensorgame.DirectSum(sp.ax, a, b)
		if err != nil {
			return nil, fmt.Errorf("search: composite start for %v: %w", f, err)
		}
		s.Origin = tensorgame.Derive(tensorgame.MoveSum, a, b)
		best, bestRank = s, s.Rank()
	}
	if best == nil {
		return nil, nil
	}
	if err := tensorgame.Verify(best); err != nil {
		return nil, fmt.Errorf("search: composite start for %v: %w", f, err)
	}
	return best, nil
}

// CompositeFromRuns is Composite with the known schemes read from the run
// directories under dir named pool.RunName (like runs/2x5x5-z2, or the rows
// of a reproduction). Formats without a directory count as unknown; a
// directory that holds a bad scheme file is an error.
func CompositeFromRuns(dir string, f tensorgame.Format, field tensorgame.Field) (*tensorgame.Scheme, error) {
	var readErr error
	known := func(g tensorgame.Format) *tensorgame.Scheme {
		s, err := pool.ReadBest(filepath.Join(dir, pool.RunName(g, field)), g, field)
		if err != nil && readErr == nil {
			readErr = err
		}
		return s
	}
	c, err := Composite(f, field, known)
	if err == nil {
		err = readErr
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Parts returns the formats, sizes ascending and each once, of the two
// halves of every split of f along one size: the formats Composite reads.
func Parts(f tensorgame.Format) []tensorgame.Format {
	var out []tensorgame.Format
	for _, s := range splits(f) {
		for _, g := range [2]tensorgame.Format{s.a.Canonical(), s.b.Canonical()} {
			if !slices.Contains(out, g) {
				out = append(out, g)
			}
		}
	}
	return out
}

// split is one way to cut a format in two along axis ax.
type split struct {
	ax   tensorgame.Axis
	a, b tensorgame.Format
}

// splits returns the splits of f along each size, the smaller half first.
func splits(f tensorgame.Format) []split {
	var out []split
	sizes := [3]int{f.N, f.M, f.P}
	for ax := tensorgame.AxisN; ax <= tensorgame.AxisP; ax++ {
		for k := 1; 2*k <= sizes[ax]; k++ {
			a, b := sizes, sizes
			a[ax], b[ax] = k, sizes[ax]-k
			out = append(out, split{ax,
				tensorgame.Format{N: a[0], M: a[1], P: a[2]},
				tensorgame.Format{N: b[0], M: b[1], P: b[2]}})
		}
	}
	return out
}

// knownAs returns the known scheme of f's canonical format carried to f, or
// the standard algorithm.
func knownAs(f tensorgame.Format, field tensorgame.Field, known func(tensorgame.Format) *tensorgame.Scheme) (*tensorgame.Scheme, error) {
	s := known(f.Canonical())
	if s == nil || s.Field != field || s.Format != f.Canonical() {
		return tensorgame.Standard(f, field), nil
	}
	p, err := tensorgame.Permute(s, f)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return p, nil
}

// Restrictions returns up to n distinct schemes of f over field, lowest rank
// first, that are restrictions (tensorgame.Restrict) of schemes of the
// formats one size larger than f: known returns schemes of such a format
// (sizes ascending, tensorgame.Format.Canonical), lowest rank first, or
// none. Each known scheme gives its best restriction along each axis that
// leads to f, over every hyperplane of that index (every single index only,
// for sizes above 10), so that the starts come from as many schemes as
// there are. The results are verified.
//
// A good scheme of a larger format restricts to a good start (Kauers &
// Wood, arXiv 2505.05896): from 5x5x5 schemes of rank 96-97 found by this
// search, 4x5x5 restrictions of rank 85-87 descend to 76 in 2-110 s on one
// core, where walks from composites stay at 77; and restrictions of those
// 4x5x5 schemes of rank 76-77 give 3x5x5 58, where composites stay at 59.
// It depends on the larger scheme's lineage: the 98-99 schemes of runs that
// never reached 96 gave 77 in 2.5 minutes.
func Restrictions(f tensorgame.Format, field tensorgame.Field, known func(tensorgame.Format) []*tensorgame.Scheme, n int) ([]*tensorgame.Scheme, error) {
	var out []*tensorgame.Scheme
	sizes := [3]int{f.N, f.M, f.P}
	for ax := tensorgame.AxisN; ax <= tensorgame.AxisP; ax++ {
		big := sizes
		big[ax]++
		g := tensorgame.Format{N: big[0], M: big[1], P: big[2]}
		for _, s := range known(g.Canonical()) {
			if s.Field != field || s.Format != g.Canonical() {
				continue
			}
			p, err := tensorgame.Permute(s, g)
			if err != nil {
				return nil, fmt.Errorf("search: %w", err)
			}
			best, err := bestRestriction(p, ax)
			if err != nil {
				return nil, fmt.Errorf("search: restriction start for %v: %w", f, err)
			}
			best.Origin = tensorgame.Derive(tensorgame.MoveRestrict, s)
			out = append(out, best)
		}
	}
	slices.SortStableFunc(out, func(a, b *tensorgame.Scheme) int { return a.Rank() - b.Rank() })
	seen := map[uint64]bool{}
	kept := out[:0]
	for _, s := range out {
		if h := pool.Hash(s); len(kept) < n && !seen[h] {
			seen[h] = true
			if err := tensorgame.Verify(s); err != nil {
				return nil, fmt.Errorf("search: restriction start for %v: %w", f, err)
			}
			kept = append(kept, s)
		}
	}
	return kept, nil
}

// bestRestriction returns the restriction of s with one index fewer
// along ax, over every hyperplane of that index (single indices only for
// sizes above maxHyperplaneSize), that has the fewest terms; the first
// such hyperplane on a tie.
func bestRestriction(s *tensorgame.Scheme, ax tensorgame.Axis) (*tensorgame.Scheme, error) {
	size := [3]int{s.Format.N, s.Format.M, s.Format.P}[ax]
	var best *tensorgame.Scheme
	for mask := uint64(1); mask < 1<<size; mask++ {
		if size > maxHyperplaneSize && mask&(mask-1) != 0 {
			continue // only single indices: 2^size hyperplanes are too many
		}
		r, err := tensorgame.Restrict(s, ax, mask)
		if err != nil {
			return nil, err
		}
		if best == nil || r.Rank() < best.Rank() {
			best = r
		}
	}
	return best, nil
}

// restrictTo returns a restriction of s, a scheme of a format at least f's
// size along every axis, to f: greedily, one index at a time, the best
// restriction (bestRestriction) along each axis in turn. It is not
// verified.
func restrictTo(s *tensorgame.Scheme, f tensorgame.Format) (*tensorgame.Scheme, error) {
	from := s
	defer func() {
		if s != from {
			s.Origin = tensorgame.Derive(tensorgame.MoveRestrict, from)
		}
	}()
	want := [3]int{f.N, f.M, f.P}
	for ax := tensorgame.AxisN; ax <= tensorgame.AxisP; ax++ {
		for {
			have := [3]int{s.Format.N, s.Format.M, s.Format.P}
			if have[ax] < want[ax] {
				return nil, fmt.Errorf("search: restrict %v to %v: smaller along %v", s.Format, f, ax)
			}
			if have[ax] == want[ax] {
				break
			}
			r, err := bestRestriction(s, ax)
			if err != nil {
				return nil, fmt.Errorf("search: restrict %v to %v: %w", s.Format, f, err)
			}
			s = r
		}
	}
	return s, nil
}

// maxHyperplaneSize is the largest size along which Restrictions tries
// every hyperplane; along larger ones it drops single indices only.
const maxHyperplaneSize = 10

// RestrictionsFromRuns is Restrictions with the known schemes read from the
// run directories under dir named pool.RunName: up to perFormat of the
// lowest rank from each (pool.ReadLowest; 0: 32), and up to n results (0:
// 64). How many sources matters: 4x5x5 from restrictions of 12 5x5x5
// schemes of rank 96 reached 76 in 8 s on one core, from 2 in 106 s.
func RestrictionsFromRuns(dir string, f tensorgame.Format, field tensorgame.Field, perFormat, n int) ([]*tensorgame.Scheme, error) {
	if perFormat <= 0 {
		perFormat = 32
	}
	if n <= 0 {
		n = 64
	}
	var readErr error
	known := func(g tensorgame.Format) []*tensorgame.Scheme {
		ss, err := pool.ReadLowest(filepath.Join(dir, pool.RunName(g, field)), g, field, perFormat)
		if err != nil && readErr == nil {
			readErr = err
		}
		return ss
	}
	rs, err := Restrictions(f, field, known, n)
	if err == nil {
		err = readErr
	}
	if err != nil {
		return nil, err
	}
	return rs, nil
}
