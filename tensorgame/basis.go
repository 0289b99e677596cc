package tensorgame

import (
	"math/rand/v2"

	"github.com/alphamat/alphamat/internal/gf2"
)

// TensorBasis is a change of basis of the three axes of a tensor: invertible
// matrices P (A×A), Q (B×B) and R (C×C) over the field, with their
// inverses, all row-major. It maps a tensor T to T' = (P ⊗ Q ⊗ R)·T, and a
// term u ⊗ v ⊗ w of T to (Pu) ⊗ (Qv) ⊗ (Rw), so the rank is unchanged and a
// decomposition of T' maps back to one of T by the inverses. Over Z2 the
// matrices are invertible mod 2; over Z they are unimodular (integer
// inverses), so coefficients mapped back stay integers. The tree search
// (package mcts) plays targets under random bases; ChangeBasis is the
// change of basis that maps a matmul scheme to another of the same format.
type TensorBasis struct {
	Field      Field
	A, B, C    int
	M, Inv     [3][]int32 // M[mode] is the matrix of that axis, Inv[mode] its inverse
	isIdentity bool
}

// IdentityTensorBasis returns the basis that changes nothing.
func IdentityTensorBasis(a, b, c int, field Field) *TensorBasis {
	bs := &TensorBasis{Field: field, A: a, B: b, C: c, isIdentity: true}
	for mode, n := range [3]int{a, b, c} {
		bs.M[mode], bs.Inv[mode] = identityInt32(n), identityInt32(n)
	}
	return bs
}

// RandomTensorBasis returns a random change of basis for axes a, b, c. Over Z2
// each matrix is a product of moves random elementary operations (row
// additions) and a random permutation; moves < 0 draws uniformly from the
// invertible matrices. Over Z each matrix is a random signed permutation
// times moves elementary operations with multiplier ±1.
func RandomTensorBasis(rng *rand.Rand, a, b, c int, field Field, moves int) *TensorBasis {
	bs := &TensorBasis{Field: field, A: a, B: b, C: c}
	for mode, n := range [3]int{a, b, c} {
		if field == Z2 && moves < 0 {
			bs.M[mode], bs.Inv[mode] = uniformGL2(rng, n)
			continue
		}
		bs.M[mode], bs.Inv[mode] = randomElementary(rng, n, field, max(moves, 0))
	}
	return bs
}

// IsIdentity reports whether b was built by IdentityTensorBasis.
func (b *TensorBasis) IsIdentity() bool { return b.isIdentity }

// Tensor returns (P ⊗ Q ⊗ R)·t as a new tensor (reduced mod 2 over Z2).
func (b *TensorBasis) Tensor(t *Tensor) *Tensor {
	if t.A != b.A || t.B != b.B || t.C != b.C {
		panic(ErrFormat)
	}
	out := NewTensor(t.A, t.B, t.C)
	// Apply the three matrices one axis at a time.
	tmp := make([]int64, len(t.Data))
	tmp2 := make([]int64, len(t.Data))
	for i, x := range t.Data {
		tmp[i] = int64(x)
	}
	A, B, C := t.A, t.B, t.C
	at := func(i, j, k int) int { return (i*B+j)*C + k }
	P, Q, R := b.M[0], b.M[1], b.M[2]
	clear(tmp2)
	for i2 := range A {
		for i := range A {
			p := int64(P[i2*A+i])
			if p == 0 {
				continue
			}
			for j := range B {
				for k := range C {
					tmp2[at(i2, j, k)] += p * tmp[at(i, j, k)]
				}
			}
		}
	}
	clear(tmp)
	for i := range A {
		for j2 := range B {
			for j := range B {
				q := int64(Q[j2*B+j])
				if q == 0 {
					continue
				}
				for k := range C {
					tmp[at(i, j2, k)] += q * tmp2[at(i, j, k)]
				}
			}
		}
	}
	clear(tmp2)
	for i := range A {
		for j := range B {
			for k2 := range C {
				var s int64
				for k := range C {
					s += int64(R[k2*C+k]) * tmp[at(i, j, k)]
				}
				tmp2[at(i, j, k2)] = s
			}
		}
	}
	for i, x := range tmp2 {
		if b.Field == Z2 {
			x &= 1
		}
		out.Data[i] = int32(x)
	}
	return out
}

// Map returns the action (Pu, Qv, Rw): the image of a term of T in T'.
func (b *TensorBasis) Map(a Action) Action {
	return b.apply(a, b.M)
}

// Unmap returns the action (P⁻¹u, Q⁻¹v, R⁻¹w): the term of T whose image
// in T' is a. Over Z its coefficients may leave TensorGame's set {-2..2};
// it is still an exact term of a scheme over Z.
func (b *TensorBasis) Unmap(a Action) Action {
	return b.apply(a, b.Inv)
}

func (b *TensorBasis) apply(a Action, ms [3][]int32) Action {
	var out Action
	for mode, f := range [3][]int8{a.U, a.V, a.W} {
		n := len(f)
		m := ms[mode]
		g := make([]int8, n)
		for i := range n {
			var s int32
			for j, x := range f {
				s += m[i*n+j] * int32(x)
			}
			if b.Field == Z2 {
				s &= 1
			}
			g[i] = int8(s)
		}
		switch mode {
		case 0:
			out.U = g
		case 1:
			out.V = g
		case 2:
			out.W = g
		}
	}
	return out
}

func identityInt32(n int) []int32 {
	m := make([]int32, n*n)
	for i := range n {
		m[i*n+i] = 1
	}
	return m
}

// uniformGL2 draws a uniform invertible n×n matrix mod 2 and its inverse.
func uniformGL2(rng *rand.Rand, n int) (m, inv []int32) {
	m = make([]int32, n*n)
	for {
		for i := range m {
			m[i] = int32(rng.IntN(2))
		}
		if inv, ok := inverseMod2(m, n); ok {
			return m, inv
		}
	}
}

// inverseMod2 inverts the n×n matrix m mod 2 (n ≤ 64).
func inverseMod2(m []int32, n int) ([]int32, bool) {
	rows := make([]uint64, n)
	for i := range n {
		for j := range n {
			rows[i] |= uint64(m[i*n+j]&1) << j
		}
	}
	invRows, ok := gf2.Inverse(rows)
	if !ok {
		return nil, false
	}
	inv := make([]int32, n*n)
	for i, r := range invRows {
		for j := range n {
			inv[i*n+j] = int32(r >> j & 1)
		}
	}
	return inv, true
}

// randomElementary returns a random (signed, over Z) permutation matrix
// times moves elementary row additions, and its inverse.
func randomElementary(rng *rand.Rand, n int, field Field, moves int) (m, inv []int32) {
	m, inv = identityInt32(n), identityInt32(n)
	// Signed permutation: m = D·Π, inv = Πᵀ·D.
	perm := rng.Perm(n)
	clear(m)
	clear(inv)
	for i, j := range perm {
		s := int32(1)
		if field != Z2 && rng.IntN(2) == 0 {
			s = -1
		}
		m[i*n+j] = s
		inv[j*n+i] = s
	}
	if n < 2 {
		return m, inv
	}
	for range moves {
		i, j := rng.IntN(n), rng.IntN(n-1)
		if j >= i {
			j++
		}
		s := int32(1)
		if field != Z2 && rng.IntN(2) == 0 {
			s = -1
		}
		// E = I + s·e_i e_jᵀ adds s·row j to row i; E⁻¹ = I - s·e_i e_jᵀ.
		// m ← E·m: row i of m += s·row j of m.
		for k := range n {
			m[i*n+k] += s * m[j*n+k]
		}
		// inv ← inv·E⁻¹: column j of inv -= s·column i of inv.
		for k := range n {
			inv[k*n+j] -= s * inv[k*n+i]
		}
		if field == Z2 {
			for k := range n {
				m[i*n+k] &= 1
				inv[k*n+j] &= 1
			}
		}
	}
	return m, inv
}
