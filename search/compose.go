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
