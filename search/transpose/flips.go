package transpose

import (
	"github.com/alphamat/alphamat/internal/wyrand"
	"github.com/alphamat/alphamat/search/walkkit"
)

// flip makes one random move on two entries of a group, and the reductions
// it enables: a flip of two orbits, a fixed flip (a fixed term and an orbit
// sharing x), a self flip or a triangle (a fixed term and an orbit sharing
// s), or a triangle of three fixed terms sharing s (two picked, the third
// drawn from the group). It returns the rank after it and true; the rank
// and false, changing nothing, when it drew two fixed terms and no third
// one; -1 and false when no two entries share a value (walkkit.Mover's
// Flip).
func (w *Walker[F]) flip() (rank int, made bool) {
	if len(w.idx.Multi) == 0 {
		return -1, false
	}
	// One draw: the pair from its low 63 bits (Index.Two), the direction
	// from the top bit; rarer choices draw again.
	r := w.rng.Next()
	e1, e2 := w.idx.Two(w.idx.Multiple(r), r)
	o1, o2 := e1>>2, e2>>2
	if o1 == o2 {
		return w.ids.Rank, false
	}
	f1, f2 := w.ids.Fixed[o1], w.ids.Fixed[o2]
	kind := (e1 & 3) >> 1
	switch {
	case f1 && f2:
		// Two fixed terms sharing s: a third one of the group?
		members := w.idx.Members(w.idx.Group[e1])
		if len(members) < 3 {
			return w.ids.Rank, false
		}
		o3 := members[wyrand.Below(w.rng.Next(), len(members))] >> 2
		if o3 == o1 || o3 == o2 || !w.ids.Fixed[o3] {
			return w.ids.Rank, false
		}
		w.triangleFixed(o1, o2, o3)
	case f1 || f2:
		if f2 {
			e1, e2, o1, o2 = e2, e1, o2, o1
		}
		switch {
		case kind == 0:
			w.fixedFlip(o1, o2, e2&1)
		case r>>63 != 0:
			w.selfFlip(o2, w.rng.Next()>>63 != 0)
		default:
			w.triangleOrbit(o1, o2)
		}
	default:
		// Two orbits: a member of each shares factor a in position 1 (x
		// and y values) or 3 (z values); a⊗b⊗c + a⊗b'⊗c' = a⊗(b+b')⊗c +
		// a⊗b'⊗(c+c') with b in position q1 and c in q2, and the same on
		// the σ-images, which is what changing the orbits does.
		mb1, mb2 := e1&1, e2&1
		if kind == 1 && w.orb[o1][2] == w.orb[o1][3] {
			// A symmetric z: only the entry z of an orbit is indexed, and
			// both members carry it in position 3 (so does the other
			// orbit, sharing it).
			x := w.rng.Next()
			mb1, mb2 = int32(x>>63), int32(x>>62)&1
		}
		q1, q2 := 1, 2
		if kind == 1 {
			q1, q2 = 0, 1
		}
		if r>>63 != 0 {
			q1, q2 = q2, q1
		}
		v1, v2 := w.view(o1, mb1), w.view(o2, mb2)
		var zt F // the transpose of a new z: the sum of the transposes
		if q1 == 2 || q2 == 2 {
			zt = walkkit.Xor(w.orb[o1][3^mb1&1], w.orb[o2][3^mb2&1])
		}
		w.setView(o1, mb1, q1, walkkit.Xor(v1[q1], v2[q1]), zt)
		if w.ids.Pos[o2] >= 0 {
			w.setView(o2, mb2, q2, walkkit.Xor(v2[q2], v1[q2]), zt)
		}
	}
	w.drain()
	return w.ids.Rank, true
}

// fixedFlip moves the fixed term f = (a, a, s) and the orbit id whose member
// mb is t = (a, b, c): f + t + σt = f' + t' + σt' with t' = (a, a+b, c) and
// f' = (a, a, s + c + cᵀ) (f' vanishes when that is 0: rank - 1). Over Z2 f
// is three copies of itself; two are flipped with t and σt, the third
// merges with what they become.
func (w *Walker[F]) fixedFlip(f, id, mb int32) {
	v := w.view(id, mb)
	o := &w.orb[id]
	s := walkkit.Xor(walkkit.Xor(w.orb[f][2], o[2]), o[3])
	w.setXY(id, 1^mb&1, walkkit.Xor(v[0], v[1])) // position 1 of member mb
	w.setS(f, s)
}

// triangleOrbit rewrites the fixed term f = (x, x, s) and the orbit id of
// (a, b, s), which shares s, as three fixed terms: x⊗x + a⊗b + b⊗a =
// (x+a)⊗(x+a) + (x+b)⊗(x+b) + (x+a+b)⊗(x+a+b), all ⊗ s. The rank stays
// the same.
func (w *Walker[F]) triangleOrbit(f, id int32) {
	x, s := w.orb[f][0], w.orb[f][2]
	a, b := w.orb[id][0], w.orb[id][1]
	w.kill(f)
	w.kill(id)
	w.newFixed(walkkit.Xor(x, a), s)
	w.newFixed(walkkit.Xor(x, b), s)
	w.newFixed(walkkit.Xor(walkkit.Xor(x, a), b), s)
}

// triangleFixed rewrites three fixed terms (y1, y1, s), (y2, y2, s),
// (y3, y3, s) as the fixed term (x, x, s), x = y1+y2+y3, and the orbit of
// (y2+y3, y1+y3, s): the inverse of triangleOrbit. The rank stays the
// same.
func (w *Walker[F]) triangleFixed(f1, f2, f3 int32) {
	y1, y2, y3, s := w.orb[f1][0], w.orb[f2][0], w.orb[f3][0], w.orb[f1][2]
	w.kill(f1)
	w.kill(f2)
	w.kill(f3)
	w.newFixed(walkkit.Xor(walkkit.Xor(y1, y2), y3), s)
	w.newOrbit([3]F{walkkit.Xor(y2, y3), walkkit.Xor(y1, y3), s})
}

// selfFlip moves the orbit id whose z = s is symmetric: t + σt = (x, y, s) +
// (y, x, s) is a flip of two terms sharing s, (x, x+y, s) + (x+y, x, s),
// or (x+y, y, s) + (y, x+y, s) when second. The rank stays the same.
func (w *Walker[F]) selfFlip(id int32, second bool) {
	o := &w.orb[id]
	if second {
		w.setXY(id, slotX, walkkit.Xor(o[0], o[1]))
	} else {
		w.setXY(id, slotY, walkkit.Xor(o[0], o[1]))
	}
}
