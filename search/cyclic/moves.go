package cyclic

import (
	"github.com/alphamat/alphamat/internal/wyrand"
	"github.com/alphamat/alphamat/search/walkkit"
)

// attach adds entry e, of value v (factor e%3 of orbit e/3), to the index
// and queues a reduction check for it when it joins other entries. Taking
// v rather than reading it keeps attach small enough to inline.
func (w *Walker[F]) attach(e int32, v F) {
	if w.idx.Attach(e, 0, v) {
		w.stack = append(w.stack, e)
	}
}

// entry returns the orbit and the position of entry e: e/3 and e%3
// (entries are never negative; unsigned, they divide by a multiply).
func entry(e int32) (id int32, p int) {
	return int32(uint32(e) / 3), int(uint32(e) % 3)
}

// next returns the position after p in the cyclic order 0, 1, 2, read
// from a table packed into a constant (two bits a position): a p == 2 test
// compiles to a branch that the random walk mispredicts a third of the
// time, and (p+1)%3 costs a multiply.
func next(p int) int {
	return int(0b00_10_01 >> (uint(p) << 1 & 63) & 3)
}

// newOrbit adds the orbit of x, or the fixed term x⊗x⊗x, to the scheme and
// the index; an x with a zero factor adds nothing.
func (w *Walker[F]) newOrbit(x [3]F) {
	if walkkit.IsZero(x[0]) || walkkit.IsZero(x[1]) || walkkit.IsZero(x[2]) {
		return
	}
	fixed := x[0] == x[1] && x[1] == x[2]
	id := w.ids.Add(fixed)
	w.orb[id] = x
	e := 3 * id
	w.attach(e, x[0])
	if fixed {
		return
	}
	w.attach(e+1, x[1])
	w.attach(e+2, x[2])
}

// kill removes orbit id from the scheme and the index.
func (w *Walker[F]) kill(id int32) {
	e := 3 * id
	w.idx.Detach(e, 0)
	w.idx.Detach(e+1, 0)
	w.idx.Detach(e+2, 0)
	w.ids.Remove(id)
}

// set changes factor p of the live orbit id (not a fixed term) to v.
func (w *Walker[F]) set(id int32, p int, v F) {
	x := w.orb[id]
	x[p] = v
	if walkkit.IsZero(v) || x[0] == x[1] && x[1] == x[2] {
		// The orbit vanishes or collapses to a fixed term: a reduction.
		w.kill(id)
		w.newOrbit(x)
		walkkit.Reduced(&w.core, 1)
		return
	}
	e := 3*id + int32(p)
	w.idx.Detach(e, 0)
	w.orb[id] = x
	w.attach(e, v)
}

// flip makes one random flip and the reductions it enables, and returns
// the rank after it and true; the rank and false, changing nothing, when
// the two entries it picked belong to one orbit or one is a fixed term;
// -1 and false when no two entries share a value (walkkit.Mover's Flip).
func (w *Walker[F]) flip() (rank int, made bool) {
	if len(w.idx.Multi) == 0 {
		return -1, false
	}
	// One draw: the pair from its low 63 bits (Index.Two), the direction
	// from the top bit.
	x := w.rng.Next()
	e1, e2 := w.idx.Two(w.idx.Multiple(x), x)
	if x>>63 != 0 {
		e1, e2 = e2, e1
	}
	o1, q1 := entry(e1)
	o2, q2 := entry(e2)
	if o1 == o2 || w.ids.Fixed[o1] || w.ids.Fixed[o2] {
		return w.ids.Rank, false
	}
	// With the shared factor a moved to the front, the terms are a⊗b⊗c
	// (orbit o1) and a⊗b'⊗c' (orbit o2): a⊗(b+b')⊗c + a⊗b'⊗(c+c').
	b1, b2 := next(q1), next(q2)
	c1, c2 := next(b1), next(b2)
	nb := walkkit.Xor(w.orb[o1][b1], w.orb[o2][b2])
	nc := walkkit.Xor(w.orb[o2][c2], w.orb[o1][c1])
	w.set(o1, b1, nb)
	if w.ids.Pos[o2] >= 0 {
		w.set(o2, c2, nc)
	}
	w.drain()
	return w.ids.Rank, true
}

// drain runs the queued reduction checks until none is left.
func (w *Walker[F]) drain() {
	for len(w.stack) > 0 {
		e := w.stack[len(w.stack)-1]
		w.stack = w.stack[:len(w.stack)-1]
		if id, _ := entry(e); w.ids.Pos[id] >= 0 && w.idx.Group[e] >= 0 {
			w.reduce(e)
		}
	}
}

// reduce merges the orbit of entry e with another orbit one of whose terms
// shares the factor of e and one more factor with the term of e's orbit
// that has e's factor in front, if there is one: a⊗b⊗c + a⊗b⊗c' =
// a⊗b⊗(c+c') (and so for the shifted terms).
func (w *Walker[F]) reduce(e int32) {
	o, p := entry(e)
	a := rot(w.orb[o], p)
	for _, k := range w.idx.Members(w.idx.Group[e]) {
		ok, q := entry(k)
		if ok == o {
			continue
		}
		b := rot(w.orb[ok], q)
		x := a
		switch {
		case a[1] == b[1]:
			x[2] = walkkit.Xor(a[2], b[2])
		case a[2] == b[2]:
			x[1] = walkkit.Xor(a[1], b[1])
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
func (w *Walker[F]) plusMove() bool {
	n := len(w.ids.Alive)
	if n < 2 || n >= w.ids.Cap() {
		return false
	}
	for range 8 {
		x := w.rng.Next()
		if x>>63 != 0 && w.fixedFlip(x) {
			return true
		}
		i, j := walkkit.TwoOf(w.ids.Alive, x)
		if w.ids.Fixed[i] || w.ids.Fixed[j] {
			continue
		}
		y := w.rng.Next()
		a, b := rot(w.orb[i], wyrand.Below(y, 3)), rot(w.orb[j], wyrand.Below(y>>32, 3))
		if a[0] == b[0] || a[1] == b[1] || a[2] == b[2] {
			continue
		}
		w.kill(i)
		w.kill(j)
		w.newOrbit([3]F{walkkit.Xor(a[0], b[0]), a[1], a[2]})
		w.newOrbit([3]F{b[0], walkkit.Xor(a[1], b[1]), a[2]})
		w.newOrbit([3]F{b[0], b[1], walkkit.Xor(a[2], b[2])})
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
func (w *Walker[F]) fixedFlip(x uint64) bool {
	id := w.ids.Alive[wyrand.Below(x, len(w.ids.Alive))]
	if !w.ids.Fixed[id] {
		return false
	}
	k, ok := w.idx.Partner(3*id, x>>32)
	if !ok || w.ids.Fixed[k/3] {
		return false
	}
	f := w.orb[id][0]
	b := rot(w.orb[k/3], int(k%3))
	w.kill(id)
	w.kill(k / 3)
	w.newOrbit([3]F{f, walkkit.Xor(f, b[1]), f})
	w.newOrbit([3]F{f, b[1], walkkit.Xor(b[2], f)})
	w.drain()
	return true
}
