package search

import (
	"fmt"

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
	sizes := [3]int{f.N, f.M, f.P}
	for ax := tensorgame.AxisN; ax <= tensorgame.AxisP; ax++ {
		for k := 1; 2*k <= sizes[ax]; k++ {
			fa, fb := f, f
			switch ax {
			case tensorgame.AxisN:
				fa.N, fb.N = k, f.N-k
			case tensorgame.AxisM:
				fa.M, fb.M = k, f.M-k
			case tensorgame.AxisP:
				fa.P, fb.P = k, f.P-k
			}
			a, err := knownAs(fa, field, known)
			if err != nil {
				return nil, err
			}
			b, err := knownAs(fb, field, known)
			if err != nil {
				return nil, err
			}
			if a.Rank()+b.Rank() >= bestRank {
				continue
			}
			s, err := tensorgame.DirectSum(ax, a, b)
			if err != nil {
				return nil, fmt.Errorf("search: composite start for %v: %w", f, err)
			}
			best, bestRank = s, s.Rank()
		}
	}
	if best == nil {
		return nil, nil
	}
	if err := tensorgame.Verify(best); err != nil {
		return nil, fmt.Errorf("search: composite start for %v: %w", f, err)
	}
	return best, nil
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
