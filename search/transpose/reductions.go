package transpose

import (
	"github.com/alphamat/alphamat/search/walkkit"
)

// drain runs the queued reduction checks until none is left.
func (w *Walker[F]) drain() {
	for len(w.stack) > 0 {
		e := w.stack[len(w.stack)-1]
		w.stack = w.stack[:len(w.stack)-1]
		if w.ids.Pos[e>>2] >= 0 && w.idx.Group[e] >= 0 {
			w.reduce(e)
		}
	}
}

// reduce merges the orbit or fixed term of entry e with another one of its
// group, if the two can merge, and reports whether it did. The members of a
// group share the factor in position 1 (x and y values) or 3 (z values);
// they merge when they share another one, and a fixed term and an orbit
// sharing x also when the fixed flip leaves no fixed term. The group of a
// symmetric z is reduced as a whole (reduceSlice).
func (w *Walker[F]) reduce(e int32) bool {
	g := w.idx.Group[e]
	members := w.idx.Members(g)
	o := e >> 2
	if e&3 >= slotZ {
		if w.orb[o][2] == w.orb[o][3] {
			return w.reduceSlice(g)
		}
		// A z ≠ zᵀ: orbits only, each with one member carrying it.
		for _, k := range members {
			if ok := k >> 2; ok != o && w.merge(o, e&1, ok, k&1, 0, 1) {
				return true
			}
		}
		return false
	}
	for _, k := range members {
		ok := k >> 2
		if ok == o {
			continue
		}
		if !w.ids.Fixed[o] && !w.ids.Fixed[ok] {
			// Two orbits: a cheap test first.
			v1, v2 := w.view(o, e&1), w.view(ok, k&1)
			if v1[1] != v2[1] && v1[2] != v2[2] {
				continue
			}
		}
		if w.merge(o, e&1, ok, k&1, 1, 2) {
			return true
		}
	}
	return false
}

// merge merges member m1 of id1 and member m2 of id2, which share the
// factors in the one position other than a and b, when they share a or b
// too, and reports whether it did: two orbits, two fixed terms with the
// same x, or a fixed term (x, x, s) and an orbit of (x, y, s); and a fixed
// term and an orbit sharing x by the fixed flip when it leaves no fixed
// term.
func (w *Walker[F]) merge(id1, m1, id2, m2 int32, a, b int) bool {
	f1, f2 := w.ids.Fixed[id1], w.ids.Fixed[id2]
	v1, v2 := w.view(id1, m1), w.view(id2, m2)
	switch {
	case !f1 && !f2:
		// a⊗b⊗c + a⊗b⊗c' = a⊗b⊗(c+c'), and the same on the σ-images.
		x, zt := v1, w.orb[id1][3^m1&1]
		switch {
		case v1[a] == v2[a]:
			x[b] = walkkit.Xor(x[b], v2[b])
			if b == 2 {
				zt = walkkit.Xor(zt, w.orb[id2][3^m2&1])
			}
		case v1[b] == v2[b]:
			x[a] = walkkit.Xor(x[a], v2[a])
		default:
			return false
		}
		w.kill(id1)
		w.kill(id2)
		w.newOrbitT(x, zt)
	case f1 && f2:
		// (x, x, s1) + (x, x, s2) = (x, x, s1+s2).
		if v1[0] != v2[0] {
			return false
		}
		w.kill(id1)
		w.kill(id2)
		w.newFixed(v1[0], walkkit.Xor(v1[2], v2[2]))
	default:
		if f2 {
			id1, id2, m2, v1, v2 = id2, id1, m1, v2, v1
		}
		// f = (x, x, s) and an orbit with member (p, q, c).
		x, s := v1[0], v1[2]
		p, q, c := v2[0], v2[1], v2[2]
		switch {
		case c == s && (p == x || q == x):
			// f + t + σt = (x+y, x+y, s) + (y, y, s) for t = (x, y, s).
			y := walkkit.Xor(walkkit.Xor(p, q), x)
			w.kill(id1)
			w.kill(id2)
			w.newFixed(walkkit.Xor(x, y), s)
			w.newFixed(y, s)
		case p == x && walkkit.Xor(c, w.orb[id2][3^m2&1]) == s:
			// The fixed flip that makes f' = 0.
			w.fixedFlip(id1, id2, m2)
			return true // fixedFlip counted the reduction
		default:
			return false
		}
	}
	walkkit.Reduced(&w.core, 1)
	return true
}
