package transpose

import (
	"math/bits"

	"github.com/alphamat/alphamat/search/walkkit"
)

// reduceSlice rewrites the terms of the group g of a symmetric z = s, if
// fewer terms can make their sum, and reports whether it did. All of them
// are fixed terms (x, x, s) and orbits of (a, b, s) with both members in
// the group; their sum is S⊗s with the symmetric matrix S = Σ x·xᵀ +
// Σ (a·bᵀ + b·aᵀ) (x, a, b as vectors of n·m entries), and the fewest
// fixed terms and orbits that make S⊗s have rank(S) terms: reduceSlice
// finds them by symmetric elimination (see sliceTerms) when the group has
// more.
func (w *Walker) reduceSlice(g int32) bool {
	base := int(g) * w.idx.Cap
	members := w.idx.Mem[base : base+int(w.idx.Size[g])]
	s := w.idx.Key[g]
	ids := w.sliceIDs[:0]
	count := 0
	for _, k := range members {
		id := k >> 2
		ids = append(ids, id)
		if w.fixed[id] {
			count++
		} else {
			count += 2
		}
	}
	w.sliceIDs = ids
	sl := &w.slice
	sl.reset()
	for _, id := range ids {
		o := &w.orb[id]
		if w.fixed[id] {
			a := sl.coords(o[0])
			sl.addSym(a, a)
		} else {
			sl.addSym(sl.coords(o[0]), sl.coords(o[1]))
		}
	}
	if sl.rank() >= count {
		return false
	}
	for _, id := range ids {
		w.kill(id)
	}
	sl.decompose(func(a, b uint64) {
		if a == b {
			w.newFixed(a, s)
		} else {
			w.newOrbit([3]uint64{a, b, s})
		}
	})
	walkkit.Reduced(&w.core, 1)
	return true
}

// slice is the scratch space of reduceSlice: a basis of the span of the
// vectors x, a, b, and the symmetric matrix S written in that basis (row i
// of gram: column bits; entry (i, j) is bit j of gram[i]). Vectors have at
// most 64 entries, so a basis has at most 64 vectors.
type slice struct {
	d     int
	basis [64]uint64 // the basis vectors, as given
	ech   [64]uint64 // echelon rows: ech[i] = Σ basis[j] over the bits j of combo[i]
	combo [64]uint64
	gram  [64]uint64
	work  [64]uint64
}

func (sl *slice) reset() {
	sl.d = 0
	clear(sl.gram[:])
}

// coords returns the coordinates of v in the basis, adding v to the basis
// when it is not in its span.
func (sl *slice) coords(v uint64) uint64 {
	r, c := v, uint64(0)
	for i := range sl.d {
		if r&(sl.ech[i]&-sl.ech[i]) != 0 {
			r ^= sl.ech[i]
			c ^= sl.combo[i]
		}
	}
	if r == 0 {
		return c
	}
	d := sl.d
	sl.basis[d], sl.ech[d], sl.combo[d] = v, r, c|1<<d
	sl.d++
	return 1 << d
}

// addSym adds a·bᵀ + b·aᵀ to gram (a·aᵀ when a == b), a and b given in
// coordinates.
func (sl *slice) addSym(a, b uint64) {
	if a == b {
		for x := a; x != 0; x &= x - 1 {
			sl.gram[bits.TrailingZeros64(x)] ^= a
		}
		return
	}
	for x := a; x != 0; x &= x - 1 {
		sl.gram[bits.TrailingZeros64(x)] ^= b
	}
	for x := b; x != 0; x &= x - 1 {
		sl.gram[bits.TrailingZeros64(x)] ^= a
	}
}

// rank returns the rank of gram over Z2.
func (sl *slice) rank() int {
	m := sl.work[:sl.d]
	copy(m, sl.gram[:sl.d])
	r := 0
	for col := range sl.d {
		bit := uint64(1) << col
		p := -1
		for i := r; i < len(m); i++ {
			if m[i]&bit != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		m[r], m[p] = m[p], m[r]
		for i := range m {
			if i != r && m[i]&bit != 0 {
				m[i] ^= m[r]
			}
		}
		r++
	}
	return r
}

// decompose writes gram, destroying it, as rank(gram) terms: emit(g, g)
// for a fixed term g·gᵀ and emit(u, v) for an orbit u·vᵀ + v·uᵀ, with
// the vectors mapped back from coordinates. Each step zeroes a row and
// column with a nonzero diagonal entry i (g = row i: gram + g·gᵀ has row i
// zero) or two rows and columns i, j with a zero diagonal and entry
// (i, j) = 1 (u, v = rows i, j: gram + u·vᵀ + v·uᵀ has rows i and j
// zero), so the rank falls by the number of terms emitted. Orbits are
// taken first.
func (sl *slice) decompose(emit func(a, b uint64)) {
	g := sl.gram[:sl.d]
	for {
		i, j := -1, -1
		diag := -1
		for k, row := range g {
			if row == 0 {
				continue
			}
			if row>>k&1 != 0 {
				if diag < 0 {
					diag = k
				}
				continue
			}
			// Row k has a zero diagonal: a partner with a zero diagonal?
			for x := row; x != 0; x &= x - 1 {
				l := bits.TrailingZeros64(x)
				if g[l]>>l&1 == 0 {
					i, j = k, l
					break
				}
			}
			if i >= 0 {
				break
			}
		}
		switch {
		case i >= 0:
			u, v := g[i], g[j]
			sl.addSym(u, v)
			emit(sl.vector(u), sl.vector(v))
		case diag >= 0:
			u := g[diag]
			sl.addSym(u, u)
			a := sl.vector(u)
			emit(a, a)
		default:
			return
		}
	}
}

// vector returns the vector with coordinates c.
func (sl *slice) vector(c uint64) uint64 {
	var v uint64
	for ; c != 0; c &= c - 1 {
		v ^= sl.basis[bits.TrailingZeros64(c)]
	}
	return v
}
