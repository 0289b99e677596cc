package tensorgame

import (
	"fmt"
)

// Meta moves carry a scheme from one format to another: Permute, Cyclic and
// Transpose (the symmetries), DirectSum (two formats along one size), and,
// here, Product (two formats multiplied size by size), Extend (more indices
// with the standard algorithm's terms) and RestrictTo (fewer indices). Each
// returns a scheme that verifies when its inputs do, with an Origin naming
// the move and its parents, so that a catalogue knows where it came from.

// Product returns the tensor (Kronecker) product of a and b: a scheme of
// format (na·nb, ma·mb, pa·pb) and rank a.Rank()·b.Rank(), one term for each
// pair of terms, that multiplies matrices whose index i = ia·nb + ib
// (likewise j and k) by blocks: the outer product by a's scheme, each block
// product by b's. Strassen ⊗ Strassen is 4x4x4 of rank 49; 2x2x2 (7) ⊗
// 3x3x3 (23) is 6x6x6 of rank 161. a and b must be over one field; the
// result's sizes must be at most MaxDim. It fails on bad shapes or when
// coefficients overflow int64.
func Product(a, b *Scheme) (out *Scheme, err error) {
	defer recoverOverflow(&err)
	if a.Field != b.Field {
		return nil, fmt.Errorf("product: schemes over %v and %v", a.Field, b.Field)
	}
	if err := a.CheckShape(); err != nil {
		return nil, fmt.Errorf("product: %w", err)
	}
	if err := b.CheckShape(); err != nil {
		return nil, fmt.Errorf("product: %w", err)
	}
	fa, fb := a.Format, b.Format
	f := Format{fa.N * fb.N, fa.M * fb.M, fa.P * fb.P}
	if f.N > MaxDim || f.M > MaxDim || f.P > MaxDim {
		return nil, fmt.Errorf("product of %v and %v: %v has a size above %d", fa, fb, f, MaxDim)
	}
	out = &Scheme{Format: f, Field: a.Field, Terms: make([]Term, 0, a.Rank()*b.Rank()),
		Comments: []string{fmt.Sprintf("derived: tensor product of a %v scheme of rank %d and a %v scheme of rank %d",
			fa, a.Rank(), fb, b.Rank())},
		Origin: Derive(MoveProduct, a, b)}
	for _, s := range a.Terms {
		for _, t := range b.Terms {
			out.Terms = append(out.Terms, Term{
				U: kron(s.U, t.U, fa.N, fa.M, fb.N, fb.M),
				V: kron(s.V, t.V, fa.M, fa.P, fb.M, fb.P),
				W: kron(s.W, t.W, fa.N, fa.P, fb.N, fb.P),
			})
		}
	}
	return out, nil
}

// kron returns the Kronecker product of the r1×c1 matrix x and the r2×c2
// matrix y, row-major: entry (i1·r2+i2, j1·c2+j2) is x[i1][j1]·y[i2][j2].
func kron(x, y []Rat, r1, c1, r2, c2 int) []Rat {
	cols := c1 * c2
	out := make([]Rat, r1*r2*cols)
	for i1 := range r1 {
		for j1 := range c1 {
			a := x[i1*c1+j1]
			if a.IsZero() {
				continue
			}
			for i2 := range r2 {
				row := (i1*r2 + i2) * cols
				for j2 := range c2 {
					if b := y[i2*c2+j2]; !b.IsZero() {
						out[row+j1*c2+j2] = a.Mul(b)
					}
				}
			}
		}
	}
	return out
}

// Extend returns s extended by k indices along ax, the new ones multiplied
// by the standard algorithm: the direct sum of s and the standard algorithm
// of the format with size k along ax, of rank s.Rank() plus k times the
// product of the other two sizes (2x2x2 of rank 7 extends along p to 2x2x3
// of rank 11). k must be at least 1.
func Extend(s *Scheme, ax Axis, k int) (*Scheme, error) {
	if ax < AxisN || ax > AxisP {
		return nil, fmt.Errorf("extend: bad axis %d", int(ax))
	}
	if k < 1 {
		return nil, fmt.Errorf("extend %v along %v by %d: want at least 1", s.Format, ax, k)
	}
	g := s.Format
	switch ax {
	case AxisN:
		g.N = k
	case AxisM:
		g.M = k
	case AxisP:
		g.P = k
	}
	out, err := DirectSum(ax, s, Standard(g, s.Field))
	if err != nil {
		return nil, fmt.Errorf("extend: %w", err)
	}
	out.Comments = []string{fmt.Sprintf("derived: extension along %v by %d with the standard algorithm of a %v scheme of rank %d",
		ax, k, s.Format, s.Rank())}
	out.Origin = Derive(MoveExtend, s)
	return out, nil
}

// MaxHyperplane is the largest size along which BestRestriction tries every
// hyperplane (2^size - 1 of them); along larger sizes it drops single
// indices only.
const MaxHyperplane = 8

// BestRestriction returns the restriction (Restrict) of s with one index
// fewer along ax that has the fewest terms, over every hyperplane of that
// index (single indices only along sizes above MaxHyperplane); the first
// such on a tie. Its Origin names MoveRestrict and s.
func BestRestriction(s *Scheme, ax Axis) (*Scheme, error) {
	if ax < AxisN || ax > AxisP {
		return nil, fmt.Errorf("restrict: bad axis %d", int(ax))
	}
	size := s.Format.size(ax)
	var best *Scheme
	for mask := uint64(1); mask < 1<<size; mask++ {
		if size > MaxHyperplane && mask&(mask-1) != 0 {
			continue
		}
		r, err := Restrict(s, ax, mask)
		if err != nil {
			return nil, err
		}
		if best == nil || r.Rank() < best.Rank() {
			best = r
		}
	}
	best.Comments = best.Comments[len(best.Comments)-1:]
	best.Origin = Derive(MoveRestrict, s)
	return best, nil
}

// RestrictTo returns a restriction of s to f, a format no larger than
// s.Format along any size: greedily one index at a time, the best
// restriction (BestRestriction) along n, then m, then p. The result
// verifies when s does; its Origin names MoveRestrict and s.
func RestrictTo(s *Scheme, f Format) (*Scheme, error) {
	if !f.Valid() {
		return nil, fmt.Errorf("restrict %v to %v: invalid format", s.Format, f)
	}
	want := [3]int{f.N, f.M, f.P}
	cur := s
	for ax := AxisN; ax <= AxisP; ax++ {
		if cur.Format.size(ax) < want[ax] {
			return nil, fmt.Errorf("restrict %v to %v: smaller along %v", s.Format, f, ax)
		}
		for cur.Format.size(ax) > want[ax] {
			r, err := BestRestriction(cur, ax)
			if err != nil {
				return nil, fmt.Errorf("restrict %v to %v: %w", s.Format, f, err)
			}
			cur = r
		}
	}
	if cur == s {
		cur = s.Clone()
	}
	cur.Origin = Derive(MoveRestrict, s)
	return cur, nil
}
