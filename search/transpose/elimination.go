package transpose

import (
	"math/bits"

	"github.com/alphamat/alphamat/internal/gf2"
	"github.com/alphamat/alphamat/search/walkkit"
)

// reduceSlice rewrites the terms of the group g of a symmetric z = s, if
// fewer terms can make their sum, and reports whether it did. All of them
// are fixed terms (x, x, s) and orbits of (a, b, s) with both members in
// the group; their sum is S⊗s with the symmetric matrix S = Σ x·xᵀ +
// Σ (a·bᵀ + b·aᵀ) (x, a, b as vectors of n·m entries), and the fewest
// fixed terms and orbits that make S⊗s have rank(S) terms: reduceSlice
// finds them by symmetric elimination (see sliceTerms) when the group has
// more. It leaves the group as it is when its vectors span more than 64
// dimensions (wide factors only).
func (w *Walker[F]) reduceSlice(g int32) bool {
	members := w.idx.Members(g)
	s := w.idx.Key[g]
	ids := w.sliceIDs[:0]
	count := 0
	for _, k := range members {
		id := k >> 2
		ids = append(ids, id)
		if w.ids.Fixed[id] {
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
		a, ok := sl.coords(o[0])
		b := a
		if !w.ids.Fixed[id] {
			var okb bool
			b, okb = sl.coords(o[1])
			ok = ok && okb
		}
		if !ok {
			return false
		}
		sl.addSym(a, b)
	}
	if sl.rank() >= count {
		return false
	}
	for _, id := range ids {
		w.kill(id)
	}
	sl.decompose(func(a, b F) {
		if a == b {
			w.newFixed(a, s)
		} else {
			w.newOrbit([3]F{a, b, s})
		}
	})
	walkkit.Reduced(&w.core, 1)
	return true
}

// slice is the scratch space of reduceSlice: a basis of the span of the
// vectors x, a, b, and the symmetric matrix S written in that basis (row i
// of gram: column bits; entry (i, j) is bit j of gram[i]). A basis has at
// most 64 vectors: all of them for one-word factors.
type slice[F walkkit.Factor] struct {
	d     int
	basis [64]F // the basis vectors, as given
	ech   [64]F // echelon rows: ech[i] = Σ basis[j] over the bits j of combo[i]
	// pw and pm are the word and bit of the pivot of ech[i], its lowest
	// coefficient.
	pw    [64]int
	pm    [64]uint64
	combo [64]uint64
	gram  [64]uint64
	work  [64]uint64
}

func (sl *slice[F]) reset() {
	sl.d = 0
	clear(sl.gram[:])
}

// coords returns the coordinates of v in the basis, adding v to the basis
// when it is not in its span; false when the basis is full.
func (sl *slice[F]) coords(v F) (uint64, bool) {
	r, c := v, uint64(0)
	for i := range sl.d {
		if r[sl.pw[i]]&sl.pm[i] != 0 {
			r = walkkit.Xor(r, sl.ech[i])
			c ^= sl.combo[i]
		}
	}
	if walkkit.IsZero(r) {
		return c, true
	}
	d := sl.d
	if d == len(sl.basis) {
		return 0, false
	}
	sl.basis[d], sl.ech[d], sl.combo[d] = v, r, c|1<<d
	for k := range len(r) {
		if r[k] != 0 {
			sl.pw[d], sl.pm[d] = k, r[k]&-r[k]
			break
		}
	}
	sl.d++
	return 1 << d, true
}

// addSym adds a·bᵀ + b·aᵀ to gram (a·aᵀ when a == b), a and b given in
// coordinates.
func (sl *slice[F]) addSym(a, b uint64) {
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
func (sl *slice[F]) rank() int {
	m := sl.work[:sl.d]
	copy(m, sl.gram[:sl.d])
	return gf2.Rank(m)
}

// decompose writes gram, destroying it, as rank(gram) terms: emit(g, g)
// for a fixed term g·gᵀ and emit(u, v) for an orbit u·vᵀ + v·uᵀ, with
// the vectors mapped back from coordinates. Each step zeroes a row and
// column with a nonzero diagonal entry i (g = row i: gram + g·gᵀ has row i
// zero) or two rows and columns i, j with a zero diagonal and entry
// (i, j) = 1 (u, v = rows i, j: gram + u·vᵀ + v·uᵀ has rows i and j
// zero), so the rank falls by the number of terms emitted. Orbits are
// taken first.
func (sl *slice[F]) decompose(emit func(a, b F)) {
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
func (sl *slice[F]) vector(c uint64) F {
	var v F
	for ; c != 0; c &= c - 1 {
		v = walkkit.Xor(v, sl.basis[bits.TrailingZeros64(c)])
	}
	return v
}
