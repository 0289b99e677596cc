package tensorgame

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// Cyclic returns the image of s under the cyclic symmetry of the trilinear
// form Σ A[i][j]·B[j][k]·C[i][k]: a scheme of format (m, p, n) over the same
// field and with the same rank, for A' = B, B' = Cᵀ and C' = Aᵀ:
//
//	u'[j*p+k] = v[j*p+k],  v'[k*n+i] = w[i*p+k],  w'[j*n+i] = u[i*m+j].
//
// If s verifies, so does Cyclic(s). Three applications give s back.
func Cyclic(s *Scheme) *Scheme {
	f := s.Format
	n, m, p := f.N, f.M, f.P
	out := &Scheme{Format: f.Cyclic(), Field: s.Field, Terms: make([]Term, len(s.Terms)),
		Comments: append(slices.Clone(s.Comments), fmt.Sprintf("derived: cyclic image (n,m,p) -> (m,p,n) of a %v scheme", f))}
	for r, t := range s.Terms {
		if len(t.U) != n*m || len(t.V) != m*p || len(t.W) != n*p {
			panic(ErrLength)
		}
		u := slices.Clone(t.V)
		v := make([]Rat, p*n)
		w := make([]Rat, m*n)
		for i := 0; i < n; i++ {
			for k := 0; k < p; k++ {
				v[k*n+i] = t.W[i*p+k]
			}
			for j := 0; j < m; j++ {
				w[j*n+i] = t.U[i*m+j]
			}
		}
		out.Terms[r] = Term{U: u, V: v, W: w}
	}
	return out
}

// Transpose returns the image of s under (AB)ᵀ = BᵀAᵀ: a scheme of format
// (p, m, n) over the same field and with the same rank, for A' = Bᵀ,
// B' = Aᵀ and C' = Cᵀ:
//
//	u'[k*m+j] = v[j*p+k],  v'[j*n+i] = u[i*m+j],  w'[k*n+i] = w[i*p+k].
//
// If s verifies, so does Transpose(s). Transpose is its own inverse.
func Transpose(s *Scheme) *Scheme {
	f := s.Format
	n, m, p := f.N, f.M, f.P
	out := &Scheme{Format: f.Transpose(), Field: s.Field, Terms: make([]Term, len(s.Terms)),
		Comments: append(slices.Clone(s.Comments), fmt.Sprintf("derived: transpose (n,m,p) -> (p,m,n) of a %v scheme", f))}
	for r, t := range s.Terms {
		if len(t.U) != n*m || len(t.V) != m*p || len(t.W) != n*p {
			panic(ErrLength)
		}
		u := make([]Rat, p*m)
		v := make([]Rat, m*n)
		w := make([]Rat, p*n)
		for j := 0; j < m; j++ {
			for k := 0; k < p; k++ {
				u[k*m+j] = t.V[j*p+k]
			}
			for i := 0; i < n; i++ {
				v[j*n+i] = t.U[i*m+j]
			}
		}
		for i := 0; i < n; i++ {
			for k := 0; k < p; k++ {
				w[k*n+i] = t.W[i*p+k]
			}
		}
		out.Terms[r] = Term{U: u, V: v, W: w}
	}
	return out
}

// Matrix is a square N×N matrix of exact rationals, row-major: the basis
// changes of ChangeBasis.
type Matrix struct {
	N    int
	Data []Rat
}

// Identity returns the n×n identity matrix.
func Identity(n int) Matrix {
	m := Matrix{N: n, Data: make([]Rat, n*n)}
	for i := 0; i < n; i++ {
		m.Data[i*n+i] = Int(1)
	}
	return m
}

// At returns entry (i, j).
func (m Matrix) At(i, j int) Rat { return m.Data[i*m.N+j] }

// Inverse returns the inverse of m over field (mod 2 for Z2). It fails when
// m is singular there, or, over Z, when the inverse is not an integer
// matrix (m is not unimodular).
func (m Matrix) Inverse(field Field) (inv Matrix, err error) {
	defer recoverOverflow(&err)
	n := m.N
	if len(m.Data) != n*n {
		panic(ErrLength)
	}
	a := slices.Clone(m.Data)
	if field == Z2 {
		for i := range a {
			a[i] = mod2(a[i])
		}
	}
	inv = Identity(n)
	b := inv.Data
	for c := 0; c < n; c++ {
		piv := -1
		for r := c; r < n; r++ {
			if !a[r*n+c].IsZero() {
				piv = r
				break
			}
		}
		if piv < 0 {
			return Matrix{}, fmt.Errorf("matrix is singular over %v", field)
		}
		for j := 0; j < n; j++ {
			a[piv*n+j], a[c*n+j] = a[c*n+j], a[piv*n+j]
			b[piv*n+j], b[c*n+j] = b[c*n+j], b[piv*n+j]
		}
		d := a[c*n+c] // 1 over Z2
		for j := 0; j < n; j++ {
			a[c*n+j] = a[c*n+j].Mul(NewRat(d.Den(), d.Num()))
			b[c*n+j] = b[c*n+j].Mul(NewRat(d.Den(), d.Num()))
		}
		for r := 0; r < n; r++ {
			f := a[r*n+c]
			if r == c || f.IsZero() {
				continue
			}
			for j := 0; j < n; j++ {
				a[r*n+j] = a[r*n+j].Sub(f.Mul(a[c*n+j]))
				b[r*n+j] = b[r*n+j].Sub(f.Mul(b[c*n+j]))
				if field == Z2 {
					a[r*n+j], b[r*n+j] = mod2(a[r*n+j]), mod2(b[r*n+j])
				}
			}
		}
	}
	if field == Z {
		for _, x := range b {
			if !x.IsInt() {
				return Matrix{}, fmt.Errorf("matrix is not unimodular: its inverse has the entry %v", x)
			}
		}
	}
	return inv, nil
}

// mod2 reduces an integer to 0 or 1.
func mod2(x Rat) Rat { return Int(x.Num() & 1) }

// recoverOverflow turns an ErrOverflow panic into an error.
func recoverOverflow(err *error) {
	if r := recover(); r != nil {
		if e, ok := r.(Error); ok && e == ErrOverflow {
			*err = fmt.Errorf("coefficients overflow int64: %w", e)
			return
		}
		panic(r)
	}
}

// RandomBasis returns a random invertible n×n matrix for ChangeBasis over
// field: over Z2 a uniformly random invertible 0/1 matrix; over Z and Q a
// unimodular integer matrix (a signed permutation times a few random
// elementary row operations with multipliers ±1), so coefficients stay small.
func RandomBasis(rng *rand.Rand, n int, field Field) Matrix {
	if field == Z2 {
		for {
			m := Matrix{N: n, Data: make([]Rat, n*n)}
			for i := range m.Data {
				m.Data[i] = Int(int64(rng.IntN(2)))
			}
			if _, err := m.Inverse(Z2); err == nil {
				return m
			}
		}
	}
	m := Matrix{N: n, Data: make([]Rat, n*n)}
	for i, j := range rng.Perm(n) {
		m.Data[i*n+j] = Int(int64(1 - 2*rng.IntN(2)))
	}
	if n < 2 {
		return m
	}
	for range n {
		r, c := rng.IntN(n), rng.IntN(n-1)
		if c >= r {
			c++
		}
		sign := Int(int64(1 - 2*rng.IntN(2)))
		for j := 0; j < n; j++ { // row r += sign·row c
			m.Data[r*n+j] = m.Data[r*n+j].Add(sign.Mul(m.Data[c*n+j]))
		}
	}
	return m
}

// ChangeBasis returns the scheme obtained from s by the change of basis
// A -> X A Y⁻¹, B -> Y B Z⁻¹, C -> X C Z⁻¹, with X n×n, Y m×m and Z p×p
// invertible over s.Field (unimodular over Z): same format, field and rank,
// with factors
//
//	U' = X⁻ᵀ U Yᵀ,  V' = Y⁻ᵀ V Zᵀ,  W' = X W Z⁻¹
//
// (U, V, W the factors as n×m, m×p and n×p matrices). If s verifies, so does
// the result. It fails when a matrix has the wrong size or is not invertible
// over the field, or when the coefficients overflow int64.
func ChangeBasis(s *Scheme, x, y, z Matrix) (out *Scheme, err error) {
	defer recoverOverflow(&err)
	f := s.Format
	for _, c := range []struct {
		name string
		m    Matrix
		n    int
	}{{"X", x, f.N}, {"Y", y, f.M}, {"Z", z, f.P}} {
		if c.m.N != c.n || len(c.m.Data) != c.n*c.n {
			return nil, fmt.Errorf("change of basis of a %v scheme: %s is %d×%d, want %d×%d", f, c.name, c.m.N, c.m.N, c.n, c.n)
		}
	}
	xi, err := x.Inverse(s.Field)
	if err != nil {
		return nil, fmt.Errorf("change of basis: X: %w", err)
	}
	yi, err := y.Inverse(s.Field)
	if err != nil {
		return nil, fmt.Errorf("change of basis: Y: %w", err)
	}
	zi, err := z.Inverse(s.Field)
	if err != nil {
		return nil, fmt.Errorf("change of basis: Z: %w", err)
	}
	xit, yit := xi.transpose(), yi.transpose()
	yt, zt := y.transpose(), z.transpose()
	out = &Scheme{Format: f, Field: s.Field, Terms: make([]Term, len(s.Terms)), Comments: slices.Clone(s.Comments)}
	for r, t := range s.Terms {
		if len(t.U) != f.N*f.M || len(t.V) != f.M*f.P || len(t.W) != f.N*f.P {
			panic(ErrLength)
		}
		u := matMul(matMul(xit.Data, t.U, f.N, f.N, f.M), yt.Data, f.N, f.M, f.M)
		v := matMul(matMul(yit.Data, t.V, f.M, f.M, f.P), zt.Data, f.M, f.P, f.P)
		w := matMul(matMul(x.Data, t.W, f.N, f.N, f.P), zi.Data, f.N, f.P, f.P)
		if s.Field == Z2 {
			for _, fac := range [][]Rat{u, v, w} {
				for i := range fac {
					fac[i] = mod2(fac[i])
				}
			}
		}
		out.Terms[r] = Term{U: u, V: v, W: w}
	}
	return out, nil
}

func (m Matrix) transpose() Matrix {
	t := Matrix{N: m.N, Data: make([]Rat, len(m.Data))}
	for i := 0; i < m.N; i++ {
		for j := 0; j < m.N; j++ {
			t.Data[j*m.N+i] = m.Data[i*m.N+j]
		}
	}
	return t
}

// matMul returns the r×c product of the r×k matrix a and the k×c matrix b.
func matMul(a, b []Rat, r, k, c int) []Rat {
	out := make([]Rat, r*c)
	for i := 0; i < r; i++ {
		for l := 0; l < k; l++ {
			x := a[i*k+l]
			if x.IsZero() {
				continue
			}
			for j := 0; j < c; j++ {
				if y := b[l*c+j]; !y.IsZero() {
					out[i*c+j] = out[i*c+j].Add(x.Mul(y))
				}
			}
		}
	}
	return out
}
