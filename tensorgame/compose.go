package tensorgame

import (
	"fmt"
	"slices"
)

// Permute carries s to the format to, which must have the sizes of
// s.Format in some order, by Cyclic and Transpose images (the symmetries of
// the matrix multiplication tensor). The result has the rank and field of
// s, and verifies when s does. It returns an error when to is not a
// permutation of s.Format.
func Permute(s *Scheme, to Format) (*Scheme, error) {
	cur := s
	for range 2 {
		for range 3 {
			if cur.Format == to {
				if cur == s {
					return s.Clone(), nil
				}
				return cur, nil
			}
			cur = Cyclic(cur)
		}
		cur = Transpose(cur)
	}
	return nil, fmt.Errorf("permute: %v is not a permutation of %v", to, s.Format)
}

// Axis names a size of a format: AxisN, AxisM or AxisP.
type Axis int

// The axes of a format n×m×p.
const (
	AxisN Axis = iota // rows of A and C
	AxisM             // columns of A, rows of B
	AxisP             // columns of B and C
)

func (a Axis) String() string {
	switch a {
	case AxisN:
		return "n"
	case AxisM:
		return "m"
	case AxisP:
		return "p"
	}
	return fmt.Sprintf("Axis(%d)", int(a))
}

func (f Format) size(a Axis) int { return [3]int{f.N, f.M, f.P}[a] }

// DirectSum returns the scheme of rank a.Rank()+b.Rank() that multiplies
// matrices split in two blocks along axis ax, a for the first block and b
// for the second: along n, A and C are split by rows (C₁ = A₁B, C₂ = A₂B);
// along m, A by columns and B by rows (C = A₁B₁ + A₂B₂); along p, B and C
// by columns. a and b must be over one field and agree in the other two
// sizes. The result verifies when a and b do: it is how a larger format
// starts from schemes of smaller ones (2x5x5 + 3x5x5 along n gives 5x5x5).
// Its Origin names MoveSum and a and b.
func DirectSum(ax Axis, a, b *Scheme) (*Scheme, error) {
	if ax < AxisN || ax > AxisP {
		return nil, fmt.Errorf("direct sum: bad axis %d", int(ax))
	}
	if a.Field != b.Field {
		return nil, fmt.Errorf("direct sum: schemes over %v and %v", a.Field, b.Field)
	}
	fa, fb := a.Format, b.Format
	for _, o := range [...]Axis{AxisN, AxisM, AxisP} {
		if o != ax && fa.size(o) != fb.size(o) {
			return nil, fmt.Errorf("direct sum along %v: %v and %v differ in %v", ax, fa, fb, o)
		}
	}
	if err := a.CheckShape(); err != nil {
		return nil, fmt.Errorf("direct sum: %w", err)
	}
	if err := b.CheckShape(); err != nil {
		return nil, fmt.Errorf("direct sum: %w", err)
	}
	f := fa
	var off [3]int
	switch ax {
	case AxisN:
		f.N += fb.N
	case AxisM:
		f.M += fb.M
	case AxisP:
		f.P += fb.P
	}
	off[ax] = fa.size(ax)
	out := &Scheme{Format: f, Field: a.Field, Terms: make([]Term, 0, a.Rank()+b.Rank()),
		Comments: []string{fmt.Sprintf("derived: direct sum along %v of a %v scheme of rank %d and a %v scheme of rank %d",
			ax, fa, a.Rank(), fb, b.Rank())},
		Origin: Derive(MoveSum, a, b)}
	for _, t := range a.Terms {
		out.Terms = append(out.Terms, embedTerm(t, fa, f, [3]int{}))
	}
	for _, t := range b.Terms {
		out.Terms = append(out.Terms, embedTerm(t, fb, f, off))
	}
	return out, nil
}

// embedTerm places the factors of t, a term of format from, into a term of
// format to with the block of from at offsets off (along n, m and p).
func embedTerm(t Term, from, to Format, off [3]int) Term {
	place := func(x []Rat, rows, cols, toCols, r0, c0, toLen int) []Rat {
		y := make([]Rat, toLen)
		for i := range rows {
			copy(y[(r0+i)*toCols+c0:], x[i*cols:(i+1)*cols])
		}
		return y
	}
	return Term{
		U: place(t.U, from.N, from.M, to.M, off[0], off[1], to.N*to.M),
		V: place(t.V, from.M, from.P, to.P, off[1], off[2], to.M*to.P),
		W: place(t.W, from.N, from.P, to.P, off[0], off[2], to.N*to.P),
	}
}

// Canonical returns f with its sizes sorted ascending: the representative
// of the formats that Permute connects.
func (f Format) Canonical() Format {
	d := []int{f.N, f.M, f.P}
	slices.Sort(d)
	return Format{d[0], d[1], d[2]}
}
