package tensorgame

import (
	"fmt"
	"maps"
	"math/big"
	"slices"
)

// VerifyError reports a scheme that fails the Brent equations. It names the
// first failing equation (A, B, C index of the tensor entry) and how far off
// it is; Count is the number of failing equations.
type VerifyError struct {
	Format    Format
	Field     Field
	A, B, C   int // tensor entry of the first failing equation
	Got, Want string
	Count     int
	Shape     error // non-nil when the scheme is malformed (wrong lengths, coefficients outside the field)
}

func (e *VerifyError) Error() string {
	if e.Shape != nil {
		return "malformed scheme: " + e.Shape.Error()
	}
	f := e.Format
	i, j := e.A/f.M, e.A%f.M
	j2, k := e.B/f.P, e.B%f.P
	i2, k2 := e.C/f.P, e.C%f.P
	msg := fmt.Sprintf("Brent equation (%d,%d,%d) [A[%d][%d]·B[%d][%d] in C[%d][%d]] sums to %s over %v, want %s",
		e.A, e.B, e.C, i, j, j2, k, i2, k2, e.Got, e.Field, e.Want)
	if e.Count > 1 {
		msg += fmt.Sprintf(" (%d equations off in all)", e.Count)
	}
	return msg
}

// Verify checks the Brent equations of s exactly over its field: the terms
// must sum to the matmul tensor of s.Format (mod 2 over Z2). It returns nil
// or a *VerifyError. It exploits sparsity: the cost is Σ_r nnz(u)·nnz(v)·nnz(w)
// plus one pass over the tensor.
func Verify(s *Scheme) error {
	if err := s.CheckShape(); err != nil {
		return &VerifyError{Format: s.Format, Field: s.Field, Shape: err}
	}
	acc, scale, ok := accumulateInt(s)
	if !ok {
		return verifyBig(s)
	}
	f := s.Format
	_, nb, nc := f.Dims()
	var first *VerifyError
	check := func(idx int, want int64) {
		got := acc[idx]
		if s.Field == Z2 {
			got &= 1
		}
		if got == want*scale {
			return
		}
		if first == nil {
			a, b, c := idx/(nb*nc), (idx/nc)%nb, idx%nc
			first = &VerifyError{Format: f, Field: s.Field, A: a, B: b, C: c,
				Got: NewRat(got, scale).String(), Want: Int(want).String()}
		}
		first.Count++
	}
	// The tensor has n·m·p ones; check them, clear them, then every other
	// entry must be zero.
	for i := 0; i < f.N; i++ {
		for j := 0; j < f.M; j++ {
			for k := 0; k < f.P; k++ {
				idx := ((i*f.M+j)*nb+(j*f.P+k))*nc + i*f.P + k
				check(idx, 1)
				acc[idx] = 0
			}
		}
	}
	for idx, x := range acc {
		if s.Field == Z2 {
			x &= 1
		}
		if x != 0 {
			check(idx, 0)
		}
	}
	if first != nil {
		return first
	}
	return nil
}

// accumulateInt sums the scaled integer terms into a dense int64 tensor.
// Every coefficient is multiplied by the lcm of the denominators of its
// mode, so the sum equals scale·T. ok is false when the scaled values could
// overflow int64.
func accumulateInt(s *Scheme) (acc []int64, scale int64, ok bool) {
	var lcm [3]int64
	var maxAbs [3]float64
	for mode := range 3 {
		l := int64(1)
		for _, t := range s.Terms {
			for _, x := range t.Factor(mode) {
				d := x.Den()
				l = l / gcd(l, d) * d
				if l > 1<<20 {
					return nil, 0, false
				}
			}
		}
		lcm[mode] = l
		for _, t := range s.Terms {
			for _, x := range t.Factor(mode) {
				v := float64(x.Num()) * float64(l/x.Den())
				if v < 0 {
					v = -v
				}
				maxAbs[mode] = max(maxAbs[mode], v)
			}
		}
	}
	if maxAbs[0]*maxAbs[1]*maxAbs[2]*float64(len(s.Terms)+1) > 1<<62 {
		return nil, 0, false
	}
	f := s.Format
	na, nb, nc := f.Dims()
	acc = make([]int64, na*nb*nc)
	type nz struct {
		i int
		x int64
	}
	var us, vs, ws []nz
	collect := func(dst []nz, fac []Rat, l int64) []nz {
		dst = dst[:0]
		for i, x := range fac {
			if !x.IsZero() {
				dst = append(dst, nz{i, x.Num() * (l / x.Den())})
			}
		}
		return dst
	}
	for _, t := range s.Terms {
		us = collect(us, t.U, lcm[0])
		vs = collect(vs, t.V, lcm[1])
		ws = collect(ws, t.W, lcm[2])
		for _, u := range us {
			for _, v := range vs {
				uv := u.x * v.x
				base := (u.i*nb + v.i) * nc
				for _, w := range ws {
					acc[base+w.i] += uv * w.x
				}
			}
		}
	}
	return acc, lcm[0] * lcm[1] * lcm[2], true
}

// verifyBig is the slow exact path for schemes whose coefficients do not fit
// the int64 fast path.
func verifyBig(s *Scheme) error {
	f := s.Format
	_, nb, nc := f.Dims()
	acc := map[int]*big.Rat{}
	for _, t := range s.Terms {
		for a, u := range t.U {
			if u.IsZero() {
				continue
			}
			for b, v := range t.V {
				if v.IsZero() {
					continue
				}
				for c, w := range t.W {
					if w.IsZero() {
						continue
					}
					p := new(big.Rat).SetFrac64(u.Num(), u.Den())
					p.Mul(p, new(big.Rat).SetFrac64(v.Num(), v.Den()))
					p.Mul(p, new(big.Rat).SetFrac64(w.Num(), w.Den()))
					idx := (a*nb+b)*nc + c
					if acc[idx] == nil {
						acc[idx] = new(big.Rat)
					}
					acc[idx].Add(acc[idx], p)
				}
			}
		}
	}
	want := func(idx int) int64 {
		a, b, c := idx/(nb*nc), (idx/nc)%nb, idx%nc
		i, j := a/f.M, a%f.M
		j2, k := b/f.P, b%f.P
		if j == j2 && c == i*f.P+k {
			return 1
		}
		return 0
	}
	var first *VerifyError
	report := func(idx int, got *big.Rat) {
		g := new(big.Rat).Set(got)
		if s.Field == Z2 && g.IsInt() {
			g.SetInt64(new(big.Int).And(g.Num(), big.NewInt(1)).Int64())
		}
		w := want(idx)
		if g.Cmp(new(big.Rat).SetInt64(w)) == 0 {
			return
		}
		if first == nil {
			first = &VerifyError{Format: f, Field: s.Field, A: idx / (nb * nc), B: (idx / nc) % nb, C: idx % nc,
				Got: g.RatString(), Want: Int(w).String()}
		}
		first.Count++
	}
	keys := slices.Sorted(maps.Keys(acc))
	for _, idx := range keys {
		report(idx, acc[idx])
	}
	for i := 0; i < f.N; i++ {
		for j := 0; j < f.M; j++ {
			for k := 0; k < f.P; k++ {
				idx := ((i*f.M+j)*nb+(j*f.P+k))*nc + i*f.P + k
				if acc[idx] == nil {
					report(idx, new(big.Rat))
				}
			}
		}
	}
	if first != nil {
		return first
	}
	return nil
}
