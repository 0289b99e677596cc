package frontier

import (
	"context"
	"fmt"
	"slices"

	"github.com/alphamat/alphamat/frontier/catalogue"
	"github.com/alphamat/alphamat/tensorgame"
)

// Propagator carries improvements of a catalogue to the formats they reach
// by one meta move, and from those on, until nothing improves.
type Propagator struct {
	Cat *catalogue.Catalogue
	// Scope holds the formats (sizes ascending) the moves may produce.
	Scope []tensorgame.Format
	// Improved, when non-nil, is called with each scheme a move stored as
	// a new best.
	Improved func(s *tensorgame.Scheme)
	// Warn, when non-nil, is told of moves that failed (a bug: every move
	// verifies when its inputs do).
	Warn func(error)
}

// Propagate offers to the catalogue, for each key in from and then for each
// key that improves, the schemes that the meta moves make from its best
// scheme and the best schemes of the other formats held:
//
//   - mod 2: a Z scheme is a Z2 scheme;
//   - restriction (tensorgame.BestRestriction): one index fewer along a size;
//   - extension (tensorgame.Extend): one index more, with the standard
//     algorithm's terms;
//   - direct sum (tensorgame.DirectSum) with every format held that agrees
//     in two sizes, in each orientation;
//   - tensor product (tensorgame.Product) with every format held, in each
//     orientation.
//
// Only results in Scope and below the rank held are built (a sum's or a
// product's rank is known before it is built; a restriction is tried when
// it could lose 2/size of the terms and still beat the rank held). Every
// result is verified by the catalogue before it is stored. Propagate
// returns the keys that improved, in order, when nothing more improves or
// ctx is done.
func (p *Propagator) Propagate(ctx context.Context, from []catalogue.Key) []catalogue.Key {
	scope := map[tensorgame.Format]bool{}
	for _, f := range p.Scope {
		scope[f.Canonical()] = true
	}
	queue := slices.Clone(from)
	queued := map[catalogue.Key]bool{}
	for _, k := range queue {
		queued[k] = true
	}
	var improved []catalogue.Key
	offer := func(s *tensorgame.Scheme, err error) {
		if err != nil {
			p.warn(err)
			return
		}
		ok, err := p.Cat.Offer(s)
		if err != nil {
			p.warn(err)
			return
		}
		if !ok {
			return
		}
		k := catalogue.KeyOf(s.Format, s.Field)
		improved = append(improved, k)
		if p.Improved != nil {
			p.Improved(s)
		}
		if !queued[k] {
			queued[k] = true
			queue = append(queue, k)
		}
	}
	for len(queue) > 0 && ctx.Err() == nil {
		k := queue[0]
		queue = queue[1:]
		queued[k] = false
		if p.Cat.Rank(k.Format, k.Field) >= k.Format.Naive() {
			continue // the standard algorithm's moves give standard ranks only
		}
		s := p.Cat.Best(k.Format, k.Field)
		if s == nil {
			continue
		}
		p.moves(s, scope, offer)
	}
	return improved
}

func (p *Propagator) warn(err error) {
	if p.Warn != nil {
		p.Warn(err)
	}
}

// beats reports whether rank r beats the catalogue's entry of g (in scope).
func (p *Propagator) beats(scope map[tensorgame.Format]bool, g tensorgame.Format, field tensorgame.Field, r int) bool {
	if !scope[g.Canonical()] {
		return false
	}
	held := p.Cat.Rank(g, field)
	return held == 0 || r < held
}

// moves makes the meta moves from s (its format's best) and offers them.
func (p *Propagator) moves(s *tensorgame.Scheme, scope map[tensorgame.Format]bool, offer func(*tensorgame.Scheme, error)) {
	f, field := s.Format, s.Field
	if field == tensorgame.Z && p.beats(scope, f, tensorgame.Z2, s.Rank()) {
		z2, err := tensorgame.ReduceMod2(s)
		if err == nil {
			z2.Origin = tensorgame.Derive(tensorgame.MoveMod2, s)
		}
		offer(z2, err)
	}
	sizes := [3]int{f.N, f.M, f.P}
	for ax := tensorgame.AxisN; ax <= tensorgame.AxisP; ax++ {
		d := sizes[ax]
		// Restriction: one index fewer.
		if d > 2 {
			g := withSize(f, ax, d-1)
			if p.beats(scope, g, field, s.Rank()*(d-2)/d) {
				offer(tensorgame.BestRestriction(s, ax))
			}
		}
		// Extension: one index more with the standard algorithm.
		g := withSize(f, ax, d+1)
		if r := s.Rank() + g.Naive() - f.Naive(); p.beats(scope, g, field, r) {
			offer(tensorgame.Extend(s, ax, 1))
		}
	}
	for _, k := range p.Cat.Keys() {
		if k.Field != field {
			continue
		}
		r2 := p.Cat.Rank(k.Format, field)
		for _, o := range orientations(k.Format) {
			// Direct sums along each size where the others agree.
			for ax := tensorgame.AxisN; ax <= tensorgame.AxisP; ax++ {
				if !agree(f, o, ax) {
					continue
				}
				g := withSize(f, ax, sizes[ax]+size(o, ax))
				if p.beats(scope, g, field, s.Rank()+r2) {
					b := p.Cat.Best(o, field)
					if b == nil {
						continue
					}
					sum, err := tensorgame.DirectSum(ax, s, b)
					if err == nil {
						sum.Comments = sum.Comments[len(sum.Comments)-1:]
						sum.Origin = tensorgame.Derive(tensorgame.MoveSum, s, b)
					}
					offer(sum, err)
				}
			}
			// Tensor products.
			g := tensorgame.Format{N: f.N * o.N, M: f.M * o.M, P: f.P * o.P}
			if p.beats(scope, g, field, s.Rank()*r2) {
				b := p.Cat.Best(o, field)
				if b == nil {
					continue
				}
				prod, err := tensorgame.Product(s, b)
				if err != nil {
					err = fmt.Errorf("product of %v and %v: %w", f, o, err)
				}
				offer(prod, err)
			}
		}
	}
}

// orientations returns the distinct formats with the sizes of f.
func orientations(f tensorgame.Format) []tensorgame.Format {
	var out []tensorgame.Format
	for _, g := range [...]tensorgame.Format{
		{N: f.N, M: f.M, P: f.P}, {N: f.N, M: f.P, P: f.M}, {N: f.M, M: f.N, P: f.P},
		{N: f.M, M: f.P, P: f.N}, {N: f.P, M: f.N, P: f.M}, {N: f.P, M: f.M, P: f.N},
	} {
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

func size(f tensorgame.Format, ax tensorgame.Axis) int { return [3]int{f.N, f.M, f.P}[ax] }

// agree reports whether f and g have the same sizes other than along ax.
func agree(f, g tensorgame.Format, ax tensorgame.Axis) bool {
	for o := tensorgame.AxisN; o <= tensorgame.AxisP; o++ {
		if o != ax && size(f, o) != size(g, o) {
			return false
		}
	}
	return true
}

// withSize returns f with size d along ax.
func withSize(f tensorgame.Format, ax tensorgame.Axis, d int) tensorgame.Format {
	switch ax {
	case tensorgame.AxisN:
		f.N = d
	case tensorgame.AxisM:
		f.M = d
	case tensorgame.AxisP:
		f.P = d
	}
	return f
}
