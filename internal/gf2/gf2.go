// Package gf2 is bit-packed linear algebra over GF(2), the field {0, 1}
// with XOR as addition: ranks, spans in reduced row echelon form and
// inverses of matrices whose rows are machine words (bit j of a word is
// column j). It is the one place the repository's packages eliminate mod 2
// (search/lift keeps a factored solver of its own for its batched
// right-hand sides).
package gf2

import "math/bits"

// Rank returns the rank of the matrix whose rows are the words of m (at
// most 64 columns), destroying m.
func Rank(m []uint64) int {
	rank := 0
	for i := range m {
		if m[i] == 0 {
			continue
		}
		rank++
		low := m[i] & -m[i]
		for j := i + 1; j < len(m); j++ {
			if m[j]&low != 0 {
				m[j] ^= m[i]
			}
		}
	}
	return rank
}

// RankWide returns the rank of the matrix of len(m)/words rows whose row r
// is the words m[r*words : (r+1)*words] (column c is bit c%64 of word
// c/64), destroying m. It panics if words < 1 or len(m) is not a multiple
// of words.
func RankWide(m []uint64, words int) int {
	if words < 1 || len(m)%words != 0 {
		panic("gf2: bad row width")
	}
	rows := len(m) / words
	rank := 0
	for c := 0; c < 64*words && rank < rows; c++ {
		w, bit := c/64, uint64(1)<<(c%64)
		piv := -1
		for r := rank; r < rows; r++ {
			if m[r*words+w]&bit != 0 {
				piv = r
				break
			}
		}
		if piv < 0 {
			continue
		}
		pr := m[piv*words : (piv+1)*words]
		if piv != rank {
			rr := m[rank*words : (rank+1)*words]
			for i := range pr {
				pr[i], rr[i] = rr[i], pr[i]
			}
			pr = rr
		}
		for r := rank + 1; r < rows; r++ {
			row := m[r*words : (r+1)*words]
			if row[w]&bit != 0 {
				for i := w; i < words; i++ {
					row[i] ^= pr[i]
				}
			}
		}
		rank++
	}
	return rank
}

// Span is a subspace of GF(2)^n, n ≤ 64, held in reduced row echelon form:
// Vec[i] has bit Piv[i] set and every other vector has it clear, so the
// coordinates of a vector of the span are its bits at the pivots. The zero
// value is the zero subspace. Callers read Vec and Piv and change the span
// only through Add.
type Span struct {
	Vec []uint64
	Piv []int
}

// Reduce returns x minus its component in the span (0 iff x is in it).
func (sp *Span) Reduce(x uint64) uint64 {
	for i, b := range sp.Vec {
		if x>>sp.Piv[i]&1 != 0 {
			x ^= b
		}
	}
	return x
}

// Add adds x to the span, keeping it reduced, and reports whether x was
// not in it already.
func (sp *Span) Add(x uint64) bool {
	x = sp.Reduce(x)
	if x == 0 {
		return false
	}
	p := bits.TrailingZeros64(x)
	for i := range sp.Vec {
		if sp.Vec[i]>>p&1 != 0 {
			sp.Vec[i] ^= x
		}
	}
	sp.Vec = append(sp.Vec, x)
	sp.Piv = append(sp.Piv, p)
	return true
}

// Dim returns the dimension of the span.
func (sp *Span) Dim() int { return len(sp.Vec) }

// Basis returns a basis of the span of vs, vectors of equal length in
// words, reduced: each basis vector has a pivot bit that the others have
// clear. vs is not modified.
func Basis(vs [][]uint64) [][]uint64 {
	var basis [][]uint64
	var pivots [][2]int // (word, bit) pivot of each basis vector
	for _, m := range vs {
		v := append([]uint64(nil), m...)
		for i, b := range basis {
			if v[pivots[i][0]]>>pivots[i][1]&1 != 0 {
				xor(v, b)
			}
		}
		piv := [2]int{-1, -1}
		for w, x := range v {
			if x != 0 {
				piv = [2]int{w, bits.TrailingZeros64(x)}
				break
			}
		}
		if piv[0] < 0 {
			continue
		}
		// Keep the basis reduced at the new pivot.
		for _, b := range basis {
			if b[piv[0]]>>piv[1]&1 != 0 {
				xor(b, v)
			}
		}
		basis = append(basis, v)
		pivots = append(pivots, piv)
	}
	return basis
}

func xor(dst, src []uint64) {
	for i := range dst {
		dst[i] ^= src[i]
	}
}

// Inverse returns the inverse of the n×n matrix whose rows are the words
// of m (n = len(m) ≤ 64, bits at n and above ignored), and whether m is
// invertible. m is not modified.
func Inverse(m []uint64) ([]uint64, bool) {
	n := len(m)
	if n > 64 {
		panic("gf2: matrix larger than 64×64")
	}
	mask := uint64(1)<<n - 1
	if n == 64 {
		mask = ^uint64(0)
	}
	a := make([]uint64, n)
	inv := make([]uint64, n)
	for i := range n {
		a[i] = m[i] & mask
		inv[i] = 1 << i
	}
	for c := range n {
		piv := -1
		for r := c; r < n; r++ {
			if a[r]>>c&1 != 0 {
				piv = r
				break
			}
		}
		if piv < 0 {
			return nil, false
		}
		a[piv], a[c] = a[c], a[piv]
		inv[piv], inv[c] = inv[c], inv[piv]
		for r := range n {
			if r != c && a[r]>>c&1 != 0 {
				a[r] ^= a[c]
				inv[r] ^= inv[c]
			}
		}
	}
	return inv, true
}
