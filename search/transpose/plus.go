package transpose

import (
	"github.com/alphamat/alphamat/internal/wyrand"
	"github.com/alphamat/alphamat/search/walkkit"
)

// plusMove makes a plus transition that keeps the rank at most ceiling,
// and reports whether it found one (within a few random tries): half the
// tries are fixed splits (rank + 1), the others the plain one on members
// of two orbits (rank + 2).
func (w *Walker[F]) plusMove(ceiling int) bool {
	n := len(w.ids.Alive)
	if n < 2 {
		return false
	}
	for range 8 {
		r := w.rng.Next()
		if r>>63 != 0 {
			if w.ids.Rank+1 <= ceiling && w.fixedSplit(r) {
				return true
			}
			continue
		}
		if w.ids.Rank+2 > ceiling {
			continue
		}
		i, j := walkkit.TwoOf(w.ids.Alive, r)
		if w.ids.Fixed[i] || w.ids.Fixed[j] {
			continue
		}
		y := w.rng.Next()
		a, b := w.view(i, int32(y&1)), w.view(j, int32(y>>1&1))
		if a[0] == b[0] || a[1] == b[1] || a[2] == b[2] {
			continue
		}
		// a⊗b⊗c + a'⊗b'⊗c' = (a+a')⊗b⊗c + a'⊗(b+b')⊗c + a'⊗b'⊗(c+c'),
		// positions in a random order p, q, u.
		pm := perms[wyrand.Below(y>>32, 6)]
		p, q, u := pm[0], pm[1], pm[2]
		t1, t2, t3 := a, b, b
		t1[p] = walkkit.Xor(t1[p], b[p])
		t2[q] = walkkit.Xor(t2[q], a[q])
		t2[u] = a[u]
		t3[u] = walkkit.Xor(t3[u], a[u])
		w.kill(i)
		w.kill(j)
		w.newOrbit(t1)
		w.newOrbit(t2)
		w.newOrbit(t3)
		w.drain()
		return true
	}
	return false
}

// perms are the orders of the three positions.
var perms = [6][3]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}

// fixedSplit makes the fixed split: a fixed term f = (x, x, s) and an orbit
// with a member t = (x, b, c) sharing its x become the fixed terms
// (b, b, s) and (x+b, x+b, s) and the orbit of (x, b, s+c) (rank + 1),
// since (x+b)⊗(x+b) + b⊗b = x⊗x + x⊗b + b⊗x. r picks a random live id,
// which must be a fixed term sharing its x with an orbit; it reports
// whether it moved.
func (w *Walker[F]) fixedSplit(r uint64) bool {
	id := w.ids.Alive[wyrand.Below(r, len(w.ids.Alive))]
	if !w.ids.Fixed[id] {
		return false
	}
	k, ok := w.idx.Partner(4*id+slotX, r>>32)
	if !ok || w.ids.Fixed[k>>2] {
		return false
	}
	t := w.view(k>>2, k&1)
	x, s := w.orb[id][0], w.orb[id][2]
	w.kill(id)
	w.kill(k >> 2)
	w.newFixed(t[1], s)
	w.newFixed(walkkit.Xor(x, t[1]), s)
	w.newOrbit([3]F{x, t[1], walkkit.Xor(s, t[2])})
	w.drain()
	return true
}
