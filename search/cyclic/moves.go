package cyclic

import (
	"github.com/alphamat/alphamat/internal/wyrand"
	"github.com/alphamat/alphamat/search/walkkit"
)

// attach adds entry e (factor e%3 of orbit e/3) to the index and queues a
// reduction check for it when it joins other entries.
func (w *Walker) attach(e int32) {
	if w.idx.Attach(e, 0, w.orb[e/3][e%3]) {
		w.stack = append(w.stack, e)
	}
}

// newOrbit adds the orbit of x, or the fixed term x⊗x⊗x, to the scheme and
// the index; an x with a zero factor adds nothing.
func (w *Walker) newOrbit(x [3]uint64) {
	if x[0] == 0 || x[1] == 0 || x[2] == 0 {
		return
	}
	id := w.free[len(w.free)-1]
	w.free = w.free[:len(w.free)-1]
	w.orb[id] = x
	w.apos[id] = int32(len(w.alive))
	w.alive = append(w.alive, id)
	e := 3 * id
	if x[0] == x[1] && x[1] == x[2] {
		w.deg[id] = true
		w.rank++
		w.attach(e)
		return
	}
	w.deg[id] = false
	w.rank += 3
	w.attach(e)
	w.attach(e + 1)
	w.attach(e + 2)
}

// kill removes orbit id from the scheme and the index.
func (w *Walker) kill(id int32) {
	e := 3 * id
	w.idx.Detach(e, 0)
	w.idx.Detach(e+1, 0)
	w.idx.Detach(e+2, 0)
	if w.deg[id] {
		w.rank--
	} else {
		w.rank -= 3
	}
	walkkit.Unlist(&w.alive, w.apos, id)
	w.free = append(w.free, id)
}

// set changes factor p of the live orbit id (not a fixed term) to v.
func (w *Walker) set(id int32, p int, v uint64) {
	x := w.orb[id]
	x[p] = v
	if v == 0 || x[0] == x[1] && x[1] == x[2] {
		// The orbit vanishes or collapses to a fixed term: a reduction.
		w.kill(id)
		w.newOrbit(x)
		walkkit.Reduced(&w.core, 1)
		return
	}
	e := 3*id + int32(p)
	w.idx.Detach(e, 0)
	w.orb[id] = x
	w.attach(e)
}

// flip makes one random flip and the reductions it enables. It reports
// false, changing nothing, when the two entries it picked belong to one
// orbit or one is a fixed term.
func (w *Walker) flip() bool {
	// One draw: the group from the low 32 bits, the pair from the next 16
	// and 15, the direction from the top bit.
	x := w.rng.Next()
	g := w.idx.Multi[wyrand.Below(x, len(w.idx.Multi))]
	s := int(w.idx.Size[g])
	p1 := int((x >> 32 & 0xffff) * uint64(s) >> 16)
	p2 := int((x >> 48 & 0x7fff) * uint64(s-1) >> 15)
	if p2 >= p1 {
		p2++
	}
	base := int(g) * w.idx.Cap
	e1, e2 := w.idx.Mem[base+p1], w.idx.Mem[base+p2]
	if x>>63 != 0 {
		e1, e2 = e2, e1
	}
	o1, o2 := e1/3, e2/3
	if o1 == o2 || w.deg[o1] || w.deg[o2] {
		return false
	}
	// With the shared factor a moved to the front, the terms are a⊗b⊗c
	// (orbit o1) and a⊗b'⊗c' (orbit o2): a⊗(b+b')⊗c + a⊗b'⊗(c+c').
	q1, q2 := int(e1%3), int(e2%3)
	b1, c1 := (q1+1)%3, (q1+2)%3
	b2, c2 := (q2+1)%3, (q2+2)%3
	nb := w.orb[o1][b1] ^ w.orb[o2][b2]
	nc := w.orb[o2][c2] ^ w.orb[o1][c1]
	w.set(o1, b1, nb)
	if w.apos[o2] >= 0 {
		w.set(o2, c2, nc)
	}
	w.drain()
	return true
}

// drain runs the queued reduction checks until none is left.
func (w *Walker) drain() {
	for len(w.stack) > 0 {
		e := w.stack[len(w.stack)-1]
		w.stack = w.stack[:len(w.stack)-1]
		if w.apos[e/3] >= 0 && w.idx.Group[e] >= 0 {
			w.reduce(e)
		}
	}
}

// reduce merges the orbit of entry e with another orbit one of whose terms
// shares the factor of e and one more factor with the term of e's orbit
// that has e's factor in front, if there is one: a⊗b⊗c + a⊗b⊗c' =
// a⊗b⊗(c+c') (and so for the shifted terms).
func (w *Walker) reduce(e int32) {
	g := w.idx.Group[e]
	base := int(g) * w.idx.Cap
	members := w.idx.Mem[base : base+int(w.idx.Size[g])]
	o := e / 3
	a := rot(w.orb[o], int(e%3))
	for _, k := range members {
		ok := k / 3
		if ok == o {
			continue
		}
		b := rot(w.orb[ok], int(k%3))
		var x [3]uint64
		switch {
		case a[1] == b[1]:
			x = [3]uint64{a[0], a[1], a[2] ^ b[2]}
		case a[2] == b[2]:
			x = [3]uint64{a[0], a[1] ^ b[1], a[2]}
		default:
			continue
		}
		w.kill(o)
		w.kill(ok)
		w.newOrbit(x)
		walkkit.Reduced(&w.core, 1)
		return
	}
}

// plusMove makes a plus transition: two orbits with terms a⊗b⊗c and
// a'⊗b'⊗c' (a≠a', b≠b', c≠c') become the orbits of (a+a')⊗b⊗c,
// a'⊗(b+b')⊗c and a'⊗b'⊗(c+c'). It reports whether it found such a pair
// (within a few random tries).
func (w *Walker) plusMove() bool {
	n := len(w.alive)
	if n < 2 || n >= w.cap {
		return false
	}
	for range 8 {
		x := w.rng.Next()
		if x>>63 != 0 && w.fixedFlip(x) {
			return true
		}
		i, j := walkkit.TwoOf(w.alive, x)
		if w.deg[i] || w.deg[j] {
			continue
		}
		y := w.rng.Next()
		a, b := rot(w.orb[i], wyrand.Below(y, 3)), rot(w.orb[j], wyrand.Below(y>>32, 3))
		if a[0] == b[0] || a[1] == b[1] || a[2] == b[2] {
			continue
		}
		w.kill(i)
		w.kill(j)
		w.newOrbit([3]uint64{a[0] ^ b[0], a[1], a[2]})
		w.newOrbit([3]uint64{b[0], a[1] ^ b[1], a[2]})
		w.newOrbit([3]uint64{b[0], b[1], a[2] ^ b[2]})
		w.drain()
		return true
	}
	return false
}

// fixedFlip makes the flip of a fixed term x⊗x⊗x with the orbit of a term
// x⊗b⊗c that shares its factor, done once for each of the three copies of
// x⊗x⊗x that make it over Z2 (3 = 1 mod 2): the orbits of x⊗(x+b)⊗x and
// x⊗b⊗(c+x) (rank + 2). This is the only move that changes the fixed
// terms other than merges, and the standard algorithm's fixed terms are not
// those of Strassen's symmetric scheme. x picks a random live orbit, which
// must be a fixed term sharing its factor; it reports whether it moved.
func (w *Walker) fixedFlip(x uint64) bool {
	id := w.alive[wyrand.Below(x, len(w.alive))]
	if !w.deg[id] {
		return false
	}
	e := 3 * id
	g := w.idx.Group[e]
	size := int(w.idx.Size[g])
	if size < 2 {
		return false
	}
	p := wyrand.Below(x>>32, size-1)
	if int32(p) >= w.idx.Pos[e] {
		p++
	}
	k := w.idx.Mem[int(g)*w.idx.Cap+p]
	if w.deg[k/3] {
		return false
	}
	f := w.orb[id][0]
	b := rot(w.orb[k/3], int(k%3))
	w.kill(id)
	w.kill(k / 3)
	w.newOrbit([3]uint64{f, f ^ b[1], f})
	w.newOrbit([3]uint64{f, b[1], b[2] ^ f})
	w.drain()
	return true
}
