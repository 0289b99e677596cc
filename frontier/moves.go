package frontier

import (
	"context"
	"slices"

	"github.com/alphamat/alphamat/frontier/catalogue"
	"github.com/alphamat/alphamat/frontier/meta"
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

	queue  []catalogue.Key // keys whose moves wait
	queued map[catalogue.Key]bool
}

// Propagate offers to the catalogue, for each key in from and then for each
// key that improves, what the meta moves (package meta) make of the schemes
// held for every format in Scope that the key's format reaches by one move:
//
//   - mod 2: a Z scheme is a Z2 scheme;
//   - restriction (tensorgame.BestRestriction): the formats one index
//     smaller along a size (meta.Restrictions pulls the same from every
//     format one index larger, for the searches' starts);
//   - direct sum (meta.Sum): the formats of which the key's format is a
//     block (any orientation), from sums of any number of held formats
//     split along any sizes (an extension by the standard algorithm is the
//     sum with a part of size 1);
//   - tensor product (meta.Product): the products of the key's format with
//     every format held, in each orientation.
//
// Only results below the rank held are built (the rank of a sum or a
// product is known before it is built; a restriction is tried when it could
// lose 2/size of the terms and still beat the rank held). Every result is
// verified before the catalogue stores it. Keys are worked on smallest
// format first. Propagate returns the keys that improved, in order, when
// nothing more improves or ctx is done; then the keys not worked on yet
// wait for the next call (Pending), so that a caller can bound the time
// of each call and search in between. It is not safe for concurrent use.
func (p *Propagator) Propagate(ctx context.Context, from []catalogue.Key) []catalogue.Key {
	scope := map[tensorgame.Format]bool{}
	for _, f := range p.Scope {
		scope[f.Canonical()] = true
	}
	if p.queued == nil {
		p.queued = map[catalogue.Key]bool{}
	}
	push := func(k catalogue.Key) {
		if !p.queued[k] {
			p.queued[k] = true
			p.queue = append(p.queue, k)
		}
	}
	for _, k := range from {
		push(k)
	}
	var improved []catalogue.Key
	offer := func(s *tensorgame.Scheme, err error) {
		if err != nil {
			p.warn(err)
			return
		}
		if s == nil {
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
		push(k)
	}
	for len(p.queue) > 0 && ctx.Err() == nil {
		// The smallest format first: its improvements reach the larger
		// ones before they are worked on themselves.
		i := 0
		for j, k := range p.queue {
			if catalogue.Compare(k, p.queue[i]) < 0 {
				i = j
			}
		}
		k := p.queue[i]
		p.queue = slices.Delete(p.queue, i, i+1)
		delete(p.queued, k)
		if p.Cat.Rank(k.Format, k.Field) >= k.Format.Naive() {
			continue // the standard algorithm's moves give standard ranks only
		}
		s := p.Cat.Best(k.Format, k.Field)
		if s == nil {
			continue
		}
		if !p.moves(ctx, s, scope, offer) {
			push(k) // cut short: its moves again, next time
		}
	}
	return improved
}

// Pending returns the number of keys whose moves wait for the next
// Propagate.
func (p *Propagator) Pending() int { return len(p.queue) }

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
// It reports false when ctx was done before it made them all.
func (p *Propagator) moves(ctx context.Context, s *tensorgame.Scheme, scope map[tensorgame.Format]bool, offer func(*tensorgame.Scheme, error)) bool {
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
		if g := withSize(f, ax, d-1); d > 2 && p.beats(scope, g, field, s.Rank()*(d-2)/d) {
			offer(tensorgame.BestRestriction(s, ax))
		}
	}
	sums := meta.NewSums(field, p.Cat)
	for _, g := range p.Scope {
		if ctx.Err() != nil {
			return false
		}
		if !fits(f, g) {
			continue
		}
		if r := sums.Rank(g); p.beats(scope, g, field, r) {
			offer(sums.Sum(g))
		}
	}
	for _, k := range p.Cat.Keys() {
		if ctx.Err() != nil {
			return false
		}
		if k.Field != field {
			continue
		}
		for _, o := range orientations(k.Format) {
			g := tensorgame.Format{N: f.N * o.N, M: f.M * o.M, P: f.P * o.P}
			if !scope[g.Canonical()] {
				continue
			}
			if r := meta.ProductRank(g, field, p.Cat); p.beats(scope, g, field, r) {
				prod, err := meta.Product(g, field, p.Cat)
				if err == nil && prod == nil {
					continue
				}
				offer(prod, err)
			}
		}
	}
	return true
}

// fits reports whether f is a block of g: an orientation of f is no larger
// than g along every size, and g is larger along one (a direct sum with f
// as one part, and others along any sizes, makes g).
func fits(f, g tensorgame.Format) bool {
	for _, o := range orientations(f) {
		if o.N <= g.N && o.M <= g.M && o.P <= g.P && o != g {
			return true
		}
	}
	return false
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
