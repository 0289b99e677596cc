package meta

import (
	"path/filepath"

	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/tensorgame"
)

// Runs is a Held over the search run directories under Dir named
// pool.RunName (runs/2x5x5-z2, or the rows of a reproduction). A format
// without a directory holds nothing. The first error of reading a
// directory is kept in Err: a move that read such a directory should not
// be used.
type Runs struct {
	Dir string
	Err error
}

func (h *Runs) path(f tensorgame.Format, field tensorgame.Field) string {
	return filepath.Join(h.Dir, pool.RunName(f, field))
}

func (h *Runs) note(err error) {
	if err != nil && h.Err == nil {
		h.Err = err
	}
}

// Rank returns the rank of the best scheme in f's run directory.
func (h *Runs) Rank(f tensorgame.Format, field tensorgame.Field) int {
	s, err := pool.ReadBest(h.path(f, field), f, field)
	h.note(err)
	if s == nil {
		return 0
	}
	return s.Rank()
}

// Schemes returns up to n schemes of the lowest ranks in f's run directory
// (pool.ReadLowest; the best, pool.ReadBest, for n = 1).
func (h *Runs) Schemes(f tensorgame.Format, field tensorgame.Field, n int) []*tensorgame.Scheme {
	if n == 1 {
		s, err := pool.ReadBest(h.path(f, field), f, field)
		h.note(err)
		if s == nil {
			return nil
		}
		return []*tensorgame.Scheme{s}
	}
	ss, err := pool.ReadLowest(h.path(f, field), f, field, n)
	h.note(err)
	return ss
}
