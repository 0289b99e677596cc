package reproduce

import (
	"path/filepath"

	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/tensorgame"
)

// runsHeld is a meta.Held over the rows' run directories under dir (named
// pool.RunName): what the rows of a reproduction found. A format without a
// directory holds nothing; the first directory that cannot be read is kept
// in err, and the meta move that read it is not used (that row's own
// search reports it).
type runsHeld struct {
	dir string
	err error
}

func (h *runsHeld) path(f tensorgame.Format, field tensorgame.Field) string {
	return filepath.Join(h.dir, pool.RunName(f, field))
}

func (h *runsHeld) note(err error) {
	if err != nil && h.err == nil {
		h.err = err
	}
}

// Rank returns the rank of the best scheme in f's run directory.
func (h *runsHeld) Rank(f tensorgame.Format, field tensorgame.Field) int {
	s, err := pool.ReadBest(h.path(f, field), f, field)
	h.note(err)
	if s == nil {
		return 0
	}
	return s.Rank()
}

// Schemes returns up to n schemes of the lowest ranks in f's run directory.
func (h *runsHeld) Schemes(f tensorgame.Format, field tensorgame.Field, n int) []*tensorgame.Scheme {
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
