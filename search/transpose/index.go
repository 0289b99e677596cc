package transpose

import (
	"github.com/alphamat/alphamat/search/walkkit"
)

// attach adds entry e, of value v (slot e&3 of id e>>2), to the index, in
// table tab (0: x and y values, 1: z values), and queues a reduction check
// for it when it joins other entries. Taking v and tab rather than working
// them out keeps attach small enough to inline.
func (w *Walker[F]) attach(e int32, tab int, v F) {
	if w.idx.Attach(e, tab, v) {
		w.stack = append(w.stack, e)
	}
}

// detach removes entry e from the index, if it is there.
func (w *Walker[F]) detach(e int32) { w.idx.Detach(e, int(e&3)>>1) }

// tr returns the transpose of the n×n matrix z.
func (w *Walker[F]) tr(z F) F {
	var t F
	if len(z) == 1 {
		// One word: each row is one piece of n bits.
		n := w.trB
		mask := uint64(1)<<n - 1
		for i := range uint(w.n) {
			t[0] |= w.trT[i<<n|uint(z[0]>>(i*n)&mask)][0]
		}
		return t
	}
	for j, p := range w.pieces {
		t = walkkit.Xor(t, w.trT[j<<w.trB|int(walkkit.Bits(z, p.off, p.mask))])
	}
	return t
}

// newOrbit adds the orbit of the term x = (x, y, z) to the scheme and the
// index, normalized: nothing when a factor is zero or the term is its own
// image (x = y, z = zᵀ: t + σt = 2t = 0), and the fixed term
// (x, x, z + zᵀ) when x = y (t + σt share two factors).
func (w *Walker[F]) newOrbit(x [3]F) {
	w.newOrbitT(x, w.tr(x[2]))
}

// newOrbitT is newOrbit given zt, the transpose of z (the walker keeps the
// transposes of its z factors, and a sum of them is the transpose of the
// sum: no tr on the paths of flips and merges).
func (w *Walker[F]) newOrbitT(x [3]F, zt F) {
	if walkkit.IsZero(x[0]) || walkkit.IsZero(x[1]) || walkkit.IsZero(x[2]) {
		return
	}
	if x[0] == x[1] {
		if s := walkkit.Xor(x[2], zt); !walkkit.IsZero(s) {
			w.newFixed(x[0], s)
		}
		return
	}
	id := w.ids.Add(false)
	w.orb[id] = [4]F{x[0], x[1], x[2], zt}
	e := 4 * id
	w.attach(e+slotX, 0, x[0])
	w.attach(e+slotY, 0, x[1])
	w.attach(e+slotZ, 1, x[2])
	if zt != x[2] {
		w.attach(e+slotZT, 1, zt)
	}
}

// newFixed adds the fixed term (x, x, s) to the scheme and the index; s is
// symmetric. A zero factor adds nothing.
func (w *Walker[F]) newFixed(x, s F) {
	if walkkit.IsZero(x) || walkkit.IsZero(s) {
		return
	}
	id := w.ids.Add(true)
	w.orb[id] = [4]F{x, x, s, s}
	w.attach(4*id+slotX, 0, x)
	w.attach(4*id+slotZ, 1, s)
}

// kill removes id from the scheme and the index.
func (w *Walker[F]) kill(id int32) {
	e := 4 * id
	w.detach(e)
	w.detach(e + 1)
	w.detach(e + 2)
	w.detach(e + 3)
	w.ids.Remove(id)
}

// view returns member mb of the orbit or fixed term id: t = (x, y, z) for
// mb = 0, σt = (y, x, zᵀ) for mb = 1.
func (w *Walker[F]) view(id int32, mb int32) [3]F {
	o := &w.orb[id]
	if mb&1 == 0 {
		return [3]F{o[0], o[1], o[2]}
	}
	return [3]F{o[1], o[0], o[3]}
}

// setView changes position p (0, 1, 2) of member mb of the live orbit id to
// v, which changes the orbit: position p of σt is position p^1 of t for
// p < 2, and the transpose of it for p = 2; vt is the transpose of v when
// p = 2.
func (w *Walker[F]) setView(id, mb int32, p int, v, vt F) {
	if p == 2 {
		if mb&1 != 0 {
			v, vt = vt, v
		}
		w.setZ(id, v, vt)
		return
	}
	w.setXY(id, int32(p)^(mb&1), v)
}

// setXY changes x (slot 0) or y (slot 1) of the live orbit id to v.
func (w *Walker[F]) setXY(id, slot int32, v F) {
	o := &w.orb[id]
	if walkkit.IsZero(v) || v == o[slot^1] {
		// The orbit vanishes (a zero factor) or becomes a fixed term or
		// nothing (x = y): a reduction.
		x := [3]F{o[0], o[1], o[2]}
		x[slot] = v
		w.kill(id)
		w.newOrbit(x)
		walkkit.Reduced(&w.core, 1)
		return
	}
	e := 4*id + slot
	w.detach(e)
	o[slot&1] = v
	w.attach(e, 0, v)
	if o[2] == o[3] {
		// The sum of the terms of its symmetric z changed.
		w.recheck(4*id + slotZ)
	}
}

// setZ changes z of the live orbit id to v, whose transpose is zt.
func (w *Walker[F]) setZ(id int32, v, zt F) {
	if walkkit.IsZero(v) {
		w.kill(id)
		walkkit.Reduced(&w.core, 1)
		return
	}
	e := 4 * id
	w.detach(e + slotZ)
	w.detach(e + slotZT)
	w.orb[id][slotZ], w.orb[id][slotZT] = v, zt
	w.attach(e+slotZ, 1, v)
	if zt != v {
		w.attach(e+slotZT, 1, zt)
	}
	// A fixed term sharing x or y may now be undone by a fixed flip.
	w.recheck(e + slotX)
	w.recheck(e + slotY)
}

// recheck queues a reduction check of the attached entry e when its group
// has other members.
func (w *Walker[F]) recheck(e int32) {
	if g := w.idx.Group[e]; g >= 0 && w.idx.Size[g] > 1 {
		w.stack = append(w.stack, e)
	}
}

// setS changes s of the live fixed term id to v (symmetric).
func (w *Walker[F]) setS(id int32, v F) {
	if walkkit.IsZero(v) {
		w.kill(id)
		walkkit.Reduced(&w.core, 1)
		return
	}
	e := 4*id + slotZ
	w.detach(e)
	w.orb[id][slotZ], w.orb[id][slotZT] = v, v
	w.attach(e, 1, v)
	w.recheck(4*id + slotX)
}
