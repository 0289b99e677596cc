package search

import (
	"fmt"

	"github.com/alphamat/alphamat/search/cyclic"
	"github.com/alphamat/alphamat/search/transpose"
	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/tensorgame"
)

// symmetry is a family of symmetric schemes over Z2 that the walkers of a
// lane keep (Config.Cyclic, Config.Transpose): they walk a smaller flip
// graph, whose every move is made on whole orbits of terms, and feed what
// they find to the plain Z2 lane.
type symmetry struct {
	// name goes into the comments of the schemes the lane finds, as
	// "<name> flip-graph walk over Z2".
	name string
	// step is what a plus transition adds to the rank: one orbit.
	step int
	// move is the provenance of what the lane's walks find.
	move tensorgame.Move
	// format is the format the walkers work in: a permutation of the
	// run's format (5x3x5 for a 3x5x5 run with transpose symmetry).
	format tensorgame.Format
	// symmetric tells whether a Z2 scheme of format is symmetric.
	symmetric func(*tensorgame.Scheme) bool
	// walker returns a walker for format (cyclic.New, transpose.New).
	walker func(f tensorgame.Format, seed uint64, opts walkkit.Options) (Walker, error)
	// fresh are the symmetric schemes of format, besides the standard
	// algorithm, that a descent from scratch starts from.
	fresh []*tensorgame.Scheme
	// above: format is a square format larger than the run's, which the
	// schemes the walkers find reach by restriction (cyclicAbove).
	above bool
}

// cyclicSymmetry is the cyclic symmetry of square formats (search/cyclic).
func cyclicSymmetry(f tensorgame.Format) (*symmetry, error) {
	if err := cyclic.Supports(f); err != nil {
		return nil, err
	}
	var fresh []*tensorgame.Scheme
	if f.N >= 2 {
		p, err := cyclic.PairedStart(f)
		if err != nil {
			return nil, err
		}
		fresh = append(fresh, p)
	}
	if cyclic.HasProductStart(f) {
		p, err := cyclic.ProductStart(f)
		if err != nil {
			return nil, err
		}
		fresh = append(fresh, p)
	}
	return &symmetry{
		fresh:     fresh,
		name:      "cyclic-symmetric",
		step:      3,
		move:      tensorgame.MoveCyclicFlips,
		format:    f,
		symmetric: cyclic.Symmetric,
		walker:    cyclic.New,
	}, nil
}

// cyclicAbove is the cyclic symmetry of N×N×N, N the largest size of f,
// for a format f that is not square: the lane's walkers descend in the
// cyclic flip graph of N×N×N and the best restriction to f of what they
// find (tensorgame.RestrictTo) becomes a start of the plain walkers.
func cyclicAbove(f tensorgame.Format) (*symmetry, error) {
	n := max(f.N, f.M, f.P)
	y, err := cyclicSymmetry(tensorgame.Format{N: n, M: n, P: n})
	if err != nil {
		return nil, err
	}
	y.above = true
	return y, nil
}

// transposeSymmetry is the transpose symmetry of n×m×n formats
// (search/transpose), for any format with two equal sizes: the walkers work
// in the permutation of f of the form n×m×n (5x3x5 for 3x5x5; f itself
// when it has that form).
func transposeSymmetry(f tensorgame.Format) (*symmetry, error) {
	g := f
	for range 3 {
		if g.N == g.P {
			break
		}
		g = g.Cyclic()
	}
	if g.N != g.P {
		return nil, fmt.Errorf("transpose symmetry needs two equal sizes, not %v", f)
	}
	if err := transpose.Supports(g); err != nil {
		return nil, err
	}
	return &symmetry{
		name:      "transpose-symmetric",
		step:      2,
		move:      tensorgame.MoveTransFlips,
		format:    g,
		symmetric: transpose.Symmetric,
		walker:    transpose.New,
	}, nil
}

// kind names the lane's walks in the comments of the schemes they find.
func (y *symmetry) kind() string {
	if y.above {
		return fmt.Sprintf("%s flip-graph walk over Z2 of %v", y.name, y.format)
	}
	return y.name + " flip-graph walk over Z2"
}

// isSymmetric tells whether s, a Z2 scheme of the run's format, is
// symmetric once carried to the symmetry's format.
func (y *symmetry) isSymmetric(s *tensorgame.Scheme) bool {
	p, err := tensorgame.Permute(s, y.format)
	return err == nil && y.symmetric(p)
}

// newWalker returns a walker of the symmetry that takes and gives schemes
// of the run's format f.
func (y *symmetry) newWalker(f tensorgame.Format, seed uint64, plusAfter int64, extra int) (Walker, error) {
	w, err := y.walker(y.format, seed, walkkit.Options{PlusAfter: plusAfter, Extra: extra})
	if err != nil || f == y.format {
		return w, err
	}
	return &permuted{Walker: w, run: f, walk: y.format}, nil
}

// permuted is a walker of format walk that takes and gives schemes of the
// format run, a permutation of walk (see tensorgame.Permute): the
// permutation is applied in Start and Scheme only, not in the walk.
type permuted struct {
	Walker
	run, walk tensorgame.Format
}

func (p *permuted) Start(s *tensorgame.Scheme) error {
	if s.Format != p.run {
		return fmt.Errorf("start scheme of format %v, not %v", s.Format, p.run)
	}
	t, err := tensorgame.Permute(s, p.walk)
	if err != nil {
		return err
	}
	return p.Walker.Start(t)
}

func (p *permuted) Scheme() *tensorgame.Scheme {
	w := p.Walker.Scheme()
	s, err := tensorgame.Permute(w, p.run)
	if err != nil {
		// walk is a permutation of run (newWalker's caller made it so).
		panic(fmt.Sprintf("search: permute %v to %v: %v", p.walk, p.run, err))
	}
	s.Comments = w.Comments // not the permutation's "derived:" lines
	return s
}

// keepFresh gives the sink of c, a lane of a symmetry of the run's own
// format, those of the symmetry's fresh starts that are below the run's
// best rank: the product start (cyclic.ProductStart, 6x6x6 at 161 = 7·23)
// is a local optimum that walks seldom leave, so that no walk would report
// it, and the plain lane, to which the sink offers it, starts from it too.
func (r *run) keepFresh(c *lane) error {
	for _, s := range c.sym.fresh {
		if b := r.pool.Best(); b > 0 && s.Rank() >= b {
			continue
		}
		p, err := tensorgame.Permute(s, r.cfg.Format)
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		if err := c.sink.keep(r.annotate(p, fmt.Sprintf("a fresh start of the %s walks", c.sym.name))); err != nil {
			return fmt.Errorf("search: %w", err)
		}
	}
	return nil
}
