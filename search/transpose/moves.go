package transpose

import (
	"math/bits"

	"github.com/alphamat/alphamat/internal/wyrand"
	"github.com/alphamat/alphamat/search/walkkit"
)

// attach adds entry e (slot e&3 of id e>>2) to the index, in the table of
// its kind, and queues a reduction check for it when it joins other
// entries.
func (w *Walker) attach(e int32) {
	if w.idx.Attach(e, int(e&3)>>1, w.orb[e>>2][e&3]) {
		w.stack = append(w.stack, e)
	}
}

// detach removes entry e from the index, if it is there.
func (w *Walker) detach(e int32) { w.idx.Detach(e, int(e&3)>>1) }

// newID takes a free id and makes it live.
func (w *Walker) newID() int32 {
	id := w.free[len(w.free)-1]
	w.free = w.free[:len(w.free)-1]
	w.apos[id] = int32(len(w.alive))
	w.alive = append(w.alive, id)
	return id
}

// tr returns the transpose of the n×n matrix z.
func (w *Walker) tr(z uint64) uint64 {
	n := uint(w.n)
	mask := uint64(1)<<n - 1
	var t uint64
	for i, row := range w.rowT {
		t |= row[z>>(uint(i)*n)&mask]
	}
	return t
}

// newOrbit adds the orbit of the term x = (x, y, z) to the scheme and the
// index, normalized: nothing when a factor is zero or the term is its own
// image (x = y, z = zᵀ: t + σt = 2t = 0), and the fixed term
// (x, x, z + zᵀ) when x = y (t + σt share two factors).
func (w *Walker) newOrbit(x [3]uint64) {
	if x[0] == 0 || x[1] == 0 || x[2] == 0 {
		return
	}
	zt := w.tr(x[2])
	if x[0] == x[1] {
		if s := x[2] ^ zt; s != 0 {
			w.newFixed(x[0], s)
		}
		return
	}
	id := w.newID()
	w.orb[id] = [4]uint64{x[0], x[1], x[2], zt}
	w.fixed[id] = false
	w.rank += 2
	e := 4 * id
	w.attach(e + slotX)
	w.attach(e + slotY)
	w.attach(e + slotZ)
	if zt != x[2] {
		w.attach(e + slotZT)
	}
}

// newFixed adds the fixed term (x, x, s) to the scheme and the index; s is
// symmetric. A zero factor adds nothing.
func (w *Walker) newFixed(x, s uint64) {
	if x == 0 || s == 0 {
		return
	}
	id := w.newID()
	w.orb[id] = [4]uint64{x, x, s, s}
	w.fixed[id] = true
	w.rank++
	w.attach(4*id + slotX)
	w.attach(4*id + slotZ)
}

// kill removes id from the scheme and the index.
func (w *Walker) kill(id int32) {
	e := 4 * id
	w.detach(e)
	w.detach(e + 1)
	w.detach(e + 2)
	w.detach(e + 3)
	if w.fixed[id] {
		w.rank--
	} else {
		w.rank -= 2
	}
	walkkit.Unlist(&w.alive, w.apos, id)
	w.free = append(w.free, id)
}

// view returns member mb of the orbit or fixed term id: t = (x, y, z) for
// mb = 0, σt = (y, x, zᵀ) for mb = 1.
func (w *Walker) view(id int32, mb int32) [3]uint64 {
	o := &w.orb[id]
	if mb&1 == 0 {
		return [3]uint64{o[0], o[1], o[2]}
	}
	return [3]uint64{o[1], o[0], o[3]}
}

// setView changes position p (0, 1, 2) of member mb of the live orbit id to
// v, which changes the orbit: position p of σt is position p^1 of t for
// p < 2, and the transpose of it for p = 2.
func (w *Walker) setView(id, mb int32, p int, v uint64) {
	if p == 2 {
		if mb&1 != 0 {
			v = w.tr(v)
		}
		w.setZ(id, v)
		return
	}
	w.setXY(id, int32(p)^(mb&1), v)
}

// setXY changes x (slot 0) or y (slot 1) of the live orbit id to v.
func (w *Walker) setXY(id, slot int32, v uint64) {
	o := w.orb[id]
	if v == 0 || v == o[slot^1] {
		// The orbit vanishes (a zero factor) or becomes a fixed term or
		// nothing (x = y): a reduction.
		x := [3]uint64{o[0], o[1], o[2]}
		x[slot] = v
		w.kill(id)
		w.newOrbit(x)
		walkkit.Reduced(&w.core, 1)
		return
	}
	e := 4*id + slot
	w.detach(e)
	w.orb[id][slot] = v
	w.attach(e)
	if o[2] == o[3] {
		// The sum of the terms of its symmetric z changed.
		w.recheck(4*id + slotZ)
	}
}

// setZ changes z of the live orbit id to v.
func (w *Walker) setZ(id int32, v uint64) {
	if v == 0 {
		w.kill(id)
		walkkit.Reduced(&w.core, 1)
		return
	}
	e := 4 * id
	w.detach(e + slotZ)
	w.detach(e + slotZT)
	zt := w.tr(v)
	w.orb[id][slotZ], w.orb[id][slotZT] = v, zt
	w.attach(e + slotZ)
	if zt != v {
		w.attach(e + slotZT)
	}
	// A fixed term sharing x or y may now be undone by a fixed flip.
	w.recheck(e + slotX)
	w.recheck(e + slotY)
}

// recheck queues a reduction check of the attached entry e when its group
// has other members.
func (w *Walker) recheck(e int32) {
	if g := w.idx.Group[e]; g >= 0 && w.idx.Size[g] > 1 {
		w.stack = append(w.stack, e)
	}
}

// setS changes s of the live fixed term id to v (symmetric).
func (w *Walker) setS(id int32, v uint64) {
	if v == 0 {
		w.kill(id)
		walkkit.Reduced(&w.core, 1)
		return
	}
	e := 4*id + slotZ
	w.detach(e)
	w.orb[id][slotZ], w.orb[id][slotZT] = v, v
	w.attach(e)
	w.recheck(4*id + slotX)
}

// flip makes one random move on two entries of a group, and the reductions
// it enables: a flip of two orbits, a fixed flip (a fixed term and an orbit
// sharing x), a self flip or a triangle (a fixed term and an orbit sharing
// s), or a triangle of three fixed terms sharing s (two picked, the third
// drawn from the group). It reports false, changing nothing, when it drew
// two fixed terms and no third one.
func (w *Walker) flip() bool {
	// One draw: the group from the low 32 bits, the pair from the next 16
	// and 15, the direction from the top bit; rarer choices draw again.
	r := w.rng.Next()
	g := w.idx.Multi[wyrand.Below(r, len(w.idx.Multi))]
	s := int(w.idx.Size[g])
	p1 := int((r >> 32 & 0xffff) * uint64(s) >> 16)
	p2 := int((r >> 48 & 0x7fff) * uint64(s-1) >> 15)
	if p2 >= p1 {
		p2++
	}
	base := int(g) * w.idx.Cap
	e1, e2 := w.idx.Mem[base+p1], w.idx.Mem[base+p2]
	o1, o2 := e1>>2, e2>>2
	if o1 == o2 {
		return false
	}
	f1, f2 := w.fixed[o1], w.fixed[o2]
	kind := (e1 & 3) >> 1
	switch {
	case f1 && f2:
		// Two fixed terms sharing s: a third one of the group?
		if s < 3 {
			return false
		}
		o3 := w.idx.Mem[base+wyrand.Below(w.rng.Next(), s)] >> 2
		if o3 == o1 || o3 == o2 || !w.fixed[o3] {
			return false
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
		w.setView(o1, mb1, q1, v1[q1]^v2[q1])
		if w.apos[o2] >= 0 {
			w.setView(o2, mb2, q2, v2[q2]^v1[q2])
		}
	}
	w.drain()
	return true
}

// fixedFlip moves the fixed term f = (a, a, s) and the orbit id whose member
// mb is t = (a, b, c): f + t + σt = f' + t' + σt' with t' = (a, a+b, c) and
// f' = (a, a, s + c + cᵀ) (f' vanishes when that is 0: rank - 1). Over Z2 f
// is three copies of itself; two are flipped with t and σt, the third
// merges with what they become.
func (w *Walker) fixedFlip(f, id, mb int32) {
	v := w.view(id, mb)
	o := &w.orb[id]
	s := w.orb[f][2] ^ o[2] ^ o[3]
	w.setView(id, mb, 1, v[0]^v[1])
	w.setS(f, s)
}

// triangleOrbit rewrites the fixed term f = (x, x, s) and the orbit id of
// (a, b, s), which shares s, as three fixed terms: x⊗x + a⊗b + b⊗a =
// (x+a)⊗(x+a) + (x+b)⊗(x+b) + (x+a+b)⊗(x+a+b), all ⊗ s. The rank stays
// the same.
func (w *Walker) triangleOrbit(f, id int32) {
	x, s := w.orb[f][0], w.orb[f][2]
	a, b := w.orb[id][0], w.orb[id][1]
	w.kill(f)
	w.kill(id)
	w.newFixed(x^a, s)
	w.newFixed(x^b, s)
	w.newFixed(x^a^b, s)
}

// triangleFixed rewrites three fixed terms (y1, y1, s), (y2, y2, s),
// (y3, y3, s) as the fixed term (x, x, s), x = y1+y2+y3, and the orbit of
// (y2+y3, y1+y3, s): the inverse of triangleOrbit. The rank stays the
// same.
func (w *Walker) triangleFixed(f1, f2, f3 int32) {
	y1, y2, y3, s := w.orb[f1][0], w.orb[f2][0], w.orb[f3][0], w.orb[f1][2]
	w.kill(f1)
	w.kill(f2)
	w.kill(f3)
	w.newFixed(y1^y2^y3, s)
	w.newOrbit([3]uint64{y2 ^ y3, y1 ^ y3, s})
}

// selfFlip moves the orbit id whose z = s is symmetric: t + σt = (x, y, s) +
// (y, x, s) is a flip of two terms sharing s, (x, x+y, s) + (x+y, x, s),
// or (x+y, y, s) + (y, x+y, s) when second. The rank stays the same.
func (w *Walker) selfFlip(id int32, second bool) {
	o := &w.orb[id]
	if second {
		w.setXY(id, slotX, o[0]^o[1])
	} else {
		w.setXY(id, slotY, o[0]^o[1])
	}
}

// drain runs the queued reduction checks until none is left.
func (w *Walker) drain() {
	for len(w.stack) > 0 {
		e := w.stack[len(w.stack)-1]
		w.stack = w.stack[:len(w.stack)-1]
		if w.apos[e>>2] >= 0 && w.idx.Group[e] >= 0 {
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
func (w *Walker) reduce(e int32) bool {
	g := w.idx.Group[e]
	base := int(g) * w.idx.Cap
	members := w.idx.Mem[base : base+int(w.idx.Size[g])]
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
		if !w.fixed[o] && !w.fixed[ok] {
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
func (w *Walker) merge(id1, m1, id2, m2 int32, a, b int) bool {
	f1, f2 := w.fixed[id1], w.fixed[id2]
	v1, v2 := w.view(id1, m1), w.view(id2, m2)
	switch {
	case !f1 && !f2:
		// a⊗b⊗c + a⊗b⊗c' = a⊗b⊗(c+c'), and the same on the σ-images.
		var x [3]uint64
		switch {
		case v1[a] == v2[a]:
			x = v1
			x[b] ^= v2[b]
		case v1[b] == v2[b]:
			x = v1
			x[a] ^= v2[a]
		default:
			return false
		}
		w.kill(id1)
		w.kill(id2)
		w.newOrbit(x)
	case f1 && f2:
		// (x, x, s1) + (x, x, s2) = (x, x, s1+s2).
		if v1[0] != v2[0] {
			return false
		}
		w.kill(id1)
		w.kill(id2)
		w.newFixed(v1[0], v1[2]^v2[2])
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
			y := p ^ q ^ x
			w.kill(id1)
			w.kill(id2)
			w.newFixed(x^y, s)
			w.newFixed(y, s)
		case p == x && c^w.tr(c) == s:
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

// plusMove makes a plus transition that keeps the rank at most ceiling,
// and reports whether it found one (within a few random tries): half the
// tries are fixed splits (rank + 1), the others the plain one on members
// of two orbits (rank + 2).
func (w *Walker) plusMove(ceiling int) bool {
	n := len(w.alive)
	if n < 2 {
		return false
	}
	for range 8 {
		r := w.rng.Next()
		if r>>63 != 0 {
			if w.rank+1 <= ceiling && w.fixedSplit(r) {
				return true
			}
			continue
		}
		if w.rank+2 > ceiling {
			continue
		}
		p1 := wyrand.Below(r, n)
		p2 := wyrand.Below(r>>32, n-1)
		if p2 >= p1 {
			p2++
		}
		i, j := w.alive[p1], w.alive[p2]
		if w.fixed[i] || w.fixed[j] {
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
		t1[p] ^= b[p]
		t2[q] ^= a[q]
		t2[u] = a[u]
		t3[u] ^= a[u]
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
func (w *Walker) fixedSplit(r uint64) bool {
	id := w.alive[wyrand.Below(r, len(w.alive))]
	if !w.fixed[id] {
		return false
	}
	e := 4*id + slotX
	g := w.idx.Group[e]
	size := int(w.idx.Size[g])
	if size < 2 {
		return false
	}
	p := wyrand.Below(r>>32, size-1)
	if int32(p) >= w.idx.Pos[e] {
		p++
	}
	k := w.idx.Mem[int(g)*w.idx.Cap+p]
	if w.fixed[k>>2] {
		return false
	}
	t := w.view(k>>2, k&1)
	x, s := w.orb[id][0], w.orb[id][2]
	w.kill(id)
	w.kill(k >> 2)
	w.newFixed(t[1], s)
	w.newFixed(x^t[1], s)
	w.newOrbit([3]uint64{x, t[1], s ^ t[2]})
	w.drain()
	return true
}

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
