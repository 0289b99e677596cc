package tensorgame

import (
	"fmt"
	"math/bits"
	"slices"
)

// Restrict returns the scheme that s gives for the format with one size
// less along axis ax: s applied to matrices restricted to a hyperplane of
// that index. Bit i of mask (non-zero, below 2^size) selects index i; with k
// the lowest selected index, along n the result multiplies the matrices A
// whose selected rows sum to zero (one selected row: row k is zero) and
// drops row k of C; along m, A's selected columns sum to zero and B's row k
// is dropped; along p, B's selected columns sum to zero and C's column k is
// dropped. Terms that vanish are left out, so the rank is at most s's.
//
// If s verifies, so does the result, over any field. Restrictions of a good
// scheme of a larger format are good starts for a search (Kauers & Wood,
// arXiv 2505.05896). It fails when the axis, the mask or the shape of s is
// bad, or when coefficients overflow int64.
func Restrict(s *Scheme, ax Axis, mask uint64) (out *Scheme, err error) {
	defer recoverOverflow(&err)
	if ax < AxisN || ax > AxisP {
		return nil, fmt.Errorf("restrict: bad axis %d", int(ax))
	}
	f := s.Format
	d := f.size(ax)
	if d < 2 {
		return nil, fmt.Errorf("restrict %v along %v: the size is %d", f, ax, d)
	}
	if mask == 0 || d < 64 && mask>>d != 0 {
		return nil, fmt.Errorf("restrict %v along %v: mask %b selects no index or one beyond %d", f, ax, mask, d-1)
	}
	if err := s.CheckShape(); err != nil {
		return nil, fmt.Errorf("restrict: %w", err)
	}
	k := bits.TrailingZeros64(mask)
	g := f
	switch ax {
	case AxisN:
		g.N--
	case AxisM:
		g.M--
	case AxisP:
		g.P--
	}
	out = &Scheme{Format: g, Field: s.Field,
		Comments: append(slices.Clone(s.Comments), fmt.Sprintf("derived: restriction along %v (mask %b) of a %v scheme of rank %d", ax, mask, f, s.Rank()))}
	for _, t := range s.Terms {
		var u, v, w []Rat
		switch ax {
		case AxisN: // A = E·A', C' = C without row k
			u = combine(t.U, f.N, f.M, true, mask, k)
			v = slices.Clone(t.V)
			w = drop(t.W, f.N, f.P, true, k)
		case AxisM: // A = A'·Eᵀ, B' = B without row k
			u = combine(t.U, f.N, f.M, false, mask, k)
			v = drop(t.V, f.M, f.P, true, k)
			w = slices.Clone(t.W)
		case AxisP: // B = B'·Eᵀ, C' = C without column k
			u = slices.Clone(t.U)
			v = combine(t.V, f.M, f.P, false, mask, k)
			w = drop(t.W, f.N, f.P, false, k)
		}
		if s.Field == Z2 {
			for _, fac := range [][]Rat{u, v, w} {
				for i := range fac {
					fac[i] = mod2(fac[i])
				}
			}
		}
		if isZero(u) || isZero(v) || isZero(w) {
			continue
		}
		out.Terms = append(out.Terms, Term{U: u, V: v, W: w})
	}
	return out, nil
}

// combine returns the factor x (a rows×cols matrix, row-major) seen through
// the hyperplane of mask: along rows (byRows) or columns, every line i other
// than k becomes line i minus line k when i is selected, and line k goes.
// This is Eᵀx (or x·E) for the matrix E whose columns e_i - [i∈mask]·e_k
// span the vectors orthogonal to mask.
func combine(x []Rat, rows, cols int, byRows bool, mask uint64, k int) []Rat {
	if byRows {
		out := make([]Rat, 0, (rows-1)*cols)
		for i := range rows {
			if i == k {
				continue
			}
			for j := range cols {
				c := x[i*cols+j]
				if mask>>i&1 != 0 {
					c = c.Sub(x[k*cols+j])
				}
				out = append(out, c)
			}
		}
		return out
	}
	out := make([]Rat, 0, rows*(cols-1))
	for i := range rows {
		for j := range cols {
			if j == k {
				continue
			}
			c := x[i*cols+j]
			if mask>>j&1 != 0 {
				c = c.Sub(x[i*cols+k])
			}
			out = append(out, c)
		}
	}
	return out
}

// drop returns the rows×cols matrix x without its row (byRows) or column k.
func drop(x []Rat, rows, cols int, byRows bool, k int) []Rat {
	var out []Rat
	for i := range rows {
		for j := range cols {
			if byRows && i == k || !byRows && j == k {
				continue
			}
			out = append(out, x[i*cols+j])
		}
	}
	return out
}

func isZero(x []Rat) bool {
	for _, c := range x {
		if !c.IsZero() {
			return false
		}
	}
	return true
}
