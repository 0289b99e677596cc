package wide

import (
	"github.com/alphamat/alphamat/internal/wyrand"
	"github.com/alphamat/alphamat/search/walkkit"
)

// Walk makes at most flips flips, with the reductions they enable and plus
// transitions when a plateau lasts Options.PlusAfter flips, and returns the
// number of flips made. A flip whose result would leave {-1, 0, 1} is not
// made (see Rejected) but counts towards flips, so that Walk always ends.
// It returns early right after a reduction that brings the rank to report
// or below (report <= 0: never), or when no flip and no plus transition is
// possible. Plus transitions never raise the rank above ceiling. Walk
// allocates nothing; it panics if the walker was never started.
func (w *Walker[W]) Walk(flips int64, report, ceiling int) int64 {
	return walkkit.Walk(&w.core, mover[W]{w}, flips, report, ceiling)
}

// mover gives walkkit.Walk the walker's moves.
type mover[W Word] struct{ w *Walker[W] }

func (m mover[W]) Rank() int { return len(m.w.alive) }

func (m mover[W]) Flip() (int, bool) {
	w := m.w
	if len(w.multi) == 0 {
		return -1, false
	}
	made := w.flip()
	return len(w.alive), made
}

func (m mover[W]) Plus(ceiling int) bool {
	return len(m.w.alive) < ceiling && m.w.plusMove()
}

var (
	next = [3]int{1, 2, 0}
	prev = [3]int{2, 0, 1}
)

// flip makes one random flip, if its coefficients stay in range, and the
// reductions it enables.
//
// Terms i = a⊗b⊗c and j = (σa)⊗b'⊗c' share their factor in mode m up to
// the sign σ. As j = a⊗(σb')⊗c', for λ = ±1
//
//	a⊗b⊗c + a⊗(σb')⊗c' = a⊗(b + λσb')⊗c + a⊗(σb')⊗(c' - λc),
//
// so b becomes b + λσb' in i and c' becomes c' - λc in j. λ is drawn at
// random; when its result leaves {-1, 0, 1}, the other is tried. flip
// reports whether it made the flip.
func (w *Walker[W]) flip() bool {
	x := w.rng.Next()
	g := w.multi[wyrand.Below(x, len(w.multi))]
	gp := &w.grp[g]
	m := int(gp.mode)
	s := int(gp.size)
	y := w.rng.Next()
	p1 := wyrand.Below(y, s)
	p2 := wyrand.Below(y>>32, s-1)
	if p2 >= p1 {
		p2++
	}
	base := int(g) * w.cap
	i, j := w.gmem[base+p1], w.gmem[base+p2]
	m1, m2 := next[m], prev[m]
	if x>>63 != 0 {
		m1, m2 = m2, m1
	}
	ti, tj := &w.term[i].f, &w.term[j].f
	sigma := ti[m] != tj[m] // σ = -1
	lam := x>>62&1 != 0     // λ = -1
	for range 2 {
		ni, ok1 := add(ti[m1], signed(tj[m1], lam != sigma))
		nj, ok2 := add(tj[m2], signed(ti[m2], !lam))
		if ok1 && ok2 {
			// Both changes are made before any reduction, which keeps the
			// sum of the terms.
			w.set(i, m1, ni)
			w.set(j, m2, nj)
			if len(w.stack) > 0 {
				w.drain()
			}
			return true
		}
		lam = !lam
	}
	w.rejected++
	return false
}

// set changes factor m of the live term t to v, updating the index; a zero
// factor kills the term. It is detach and attach with their common case
// (the old value carried by t alone, the new one by no other term) inline.
func (w *Walker[W]) set(t int32, m int, v tern[W]) {
	tab := &w.tab[m]
	old, _ := canon(w.term[t].f[m])
	i, _ := tab.slot(old)
	if val := tab.slots[i].val; val >= 0 {
		tab.removeAt(i)
	} else {
		w.leave(t, m, i, val)
	}
	w.term[t].f[m] = v
	if v.isZero() {
		w.detach(t, next[m])
		w.detach(t, prev[m])
		w.unlink(t)
		walkkit.Reduced(&w.core, 1)
		return
	}
	key, _ := canon(v)
	j, found := tab.slot(key)
	if !found {
		tab.slots[j] = slot[W]{key, t}
		w.term[t].pos[m] = -1
	} else {
		w.join(t, m, j, key)
	}
	// A merge that was out of range may fit now that factor m changed.
	if tt := &w.term[t]; tt.blocked {
		if tt.pos[next[m]] >= 0 {
			w.stack = append(w.stack, check{t, int32(next[m])})
		}
		if tt.pos[prev[m]] >= 0 {
			w.stack = append(w.stack, check{t, int32(prev[m])})
		}
	}
}

// newTerm stores x as a new live term, not yet attached to the index.
func (w *Walker[W]) newTerm(x [3]tern[W]) int32 {
	id := w.free[len(w.free)-1]
	w.free = w.free[:len(w.free)-1]
	w.term[id].f = x
	w.term[id].blocked = false
	w.term[id].apos = int32(len(w.alive))
	w.alive = append(w.alive, id)
	return id
}

// kill removes term t from the scheme and the index.
func (w *Walker[W]) kill(t int32) {
	for m := range 3 {
		w.detach(t, m)
	}
	w.unlink(t)
}

// unlink removes the detached term t from the live terms.
func (w *Walker[W]) unlink(t int32) {
	p := w.term[t].apos
	last := w.alive[len(w.alive)-1]
	w.alive[p] = last
	w.term[last].apos = p
	w.alive = w.alive[:len(w.alive)-1]
	w.term[t].apos = -1
	w.free = append(w.free, t)
}

// attach enters factor m of term t, v (non-zero), in the index under its
// key up to sign, and queues a reduction check when another term carries
// ±v too.
func (w *Walker[W]) attach(t int32, m int, v tern[W]) {
	key, _ := canon(v)
	tab := &w.tab[m]
	i, found := tab.slot(key)
	if !found {
		tab.slots[i] = slot[W]{key, t}
		w.term[t].pos[m] = -1
		return
	}
	w.join(t, m, i, key)
}

// join adds term t to the terms carrying key in mode m, whose table slot is
// i, and queues a reduction check.
func (w *Walker[W]) join(t int32, m int, i uint64, key tern[W]) {
	tab := &w.tab[m]
	val := tab.slots[i].val
	if val >= 0 {
		// A single term becomes a group of two.
		g := w.gfree[len(w.gfree)-1]
		w.gfree = w.gfree[:len(w.gfree)-1]
		w.grp[g] = group[W]{key: key, size: 2, multi: int32(len(w.multi)), mode: int32(m)}
		w.multi = append(w.multi, g)
		base := int(g) * w.cap
		w.gmem[base], w.gmem[base+1] = val, t
		w.term[val].pos[m], w.term[t].pos[m] = 0, 1
		tab.slots[i].val = -(g + 1)
	} else {
		g := -(val + 1)
		gp := &w.grp[g]
		pos := gp.size
		w.gmem[int(g)*w.cap+int(pos)] = t
		w.term[t].pos[m] = pos
		gp.size = pos + 1
	}
	w.stack = append(w.stack, check{t, int32(m)})
}

// detach removes term t from the index of mode m; its factor there is still
// the one it was attached with.
func (w *Walker[W]) detach(t int32, m int) {
	key, _ := canon(w.term[t].f[m])
	tab := &w.tab[m]
	i, _ := tab.slot(key)
	if val := tab.slots[i].val; val >= 0 {
		tab.removeAt(i)
	} else {
		w.leave(t, m, i, val)
	}
}

// leave removes term t from its group val (< 0) in mode m, whose table slot
// is i.
func (w *Walker[W]) leave(t int32, m int, i uint64, val int32) {
	tab := &w.tab[m]
	g := -(val + 1)
	gp := &w.grp[g]
	base := int(g) * w.cap
	last := gp.size - 1
	pos := w.term[t].pos[m]
	moved := w.gmem[base+int(last)]
	w.gmem[base+int(pos)] = moved
	w.term[moved].pos[m] = pos
	w.term[t].pos[m] = -1
	gp.size = last
	if last == 1 {
		// Back to a single term: drop the group.
		tab.slots[i].val = w.gmem[base]
		w.term[w.gmem[base]].pos[m] = -1
		mp := gp.multi
		lg := w.multi[len(w.multi)-1]
		w.multi[mp] = lg
		w.grp[lg].multi = mp
		w.multi = w.multi[:len(w.multi)-1]
		w.gfree = append(w.gfree, g)
	}
}

// drain runs the queued reduction checks until none is left.
func (w *Walker[W]) drain() {
	for len(w.stack) > 0 {
		c := w.stack[len(w.stack)-1]
		w.stack = w.stack[:len(w.stack)-1]
		if w.term[c.t].apos >= 0 {
			w.reduce(c.t, int(c.m))
		}
	}
}

// reduce merges term t with a term sharing its factor in mode m and one
// more factor, up to sign, when the merged factor stays in range:
// a⊗b⊗c + (σ₁a)⊗(σ₂b)⊗c' = (σ₁a)⊗(σ₂b)⊗(c' + σ₁σ₂c). A pair whose merge
// is out of range is marked blocked, so that set checks it again when one
// of its factors changes.
func (w *Walker[W]) reduce(t int32, m int) {
	tt := &w.term[t].f
	key, _ := canon(tt[m])
	tab := &w.tab[m]
	i, _ := tab.slot(key)
	val := tab.slots[i].val
	if val >= 0 {
		return
	}
	g := -(val + 1)
	base := int(g) * w.cap
	members := w.gmem[base : base+int(w.grp[g].size)]
	m1, m2 := next[m], prev[m]
	for _, k := range members {
		if k == t {
			continue
		}
		tk := &w.term[k].f
		_, s1 := sameUpToSign(tk[m], tt[m])
		third := m2
		same, s2 := sameUpToSign(tk[m1], tt[m1])
		if !same {
			if same, s2 = sameUpToSign(tk[m2], tt[m2]); !same {
				continue
			}
			third = m1
		}
		v, ok := add(tk[third], signed(tt[third], s1 != s2))
		if !ok {
			// Out of range for now: check again when a factor changes.
			w.term[t].blocked, w.term[k].blocked = true, true
			continue
		}
		w.kill(t)
		walkkit.Reduced(&w.core, 1)
		w.set(k, third, v)
		return
	}
}

// plusMove makes a plus transition: two terms a⊗b⊗c and a'⊗b'⊗c' with
// a≠±a', b≠±b', c≠±c' become, writing the second as (σa')⊗b'⊗(σc'),
//
//	(a - σa')⊗b⊗c + (σa')⊗(b - b')⊗c + (σa')⊗b'⊗(c + σc'),
//
// raising the rank by one; σ and the roles of the modes are random, and the
// new factors must stay in {-1, 0, 1}. It reports whether it made one
// (within a few random tries).
func (w *Walker[W]) plusMove() bool {
	n := len(w.alive)
	if n < 2 || n >= w.cap {
		return false
	}
	for range 16 {
		i, j, m, m1, m2, y := walkkit.PlusPick(&w.rng, w.alive)
		neg := y>>62&1 != 0 // σ = -1
		ti, tj := w.term[i].f, w.term[j].f
		if s, _ := sameUpToSign(ti[m], tj[m]); s {
			continue
		}
		if s, _ := sameUpToSign(ti[m1], tj[m1]); s {
			continue
		}
		if s, _ := sameUpToSign(ti[m2], tj[m2]); s {
			continue
		}
		sa := signed(tj[m], neg) // σa'
		na, ok1 := add(ti[m], sa.neg())
		nb, ok2 := add(ti[m1], tj[m1].neg())
		nc, ok3 := add(ti[m2], signed(tj[m2], neg))
		if !ok1 || !ok2 || !ok3 {
			continue
		}
		var nt [3]tern[W]
		nt[m], nt[m1], nt[m2] = sa, nb, ti[m2]
		k := w.newTerm(nt)
		for mm := range 3 {
			w.attach(k, mm, nt[mm])
		}
		w.set(i, m, na)
		w.set(j, m, sa)
		w.set(j, m2, nc)
		w.drain()
		return true
	}
	return false
}
