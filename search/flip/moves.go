package flip

import (
	"github.com/alphamat/alphamat/internal/wyrand"
	"github.com/alphamat/alphamat/search/walkkit"
)

// Walk makes at most flips flips, with the reductions they enable and plus
// transitions when a plateau lasts Options.PlusAfter flips, and returns the
// number of flips made. It returns early right after a reduction that
// brings the rank to report or below (report <= 0: never), or when no flip
// and no plus transition is possible. Plus transitions never raise the rank
// above ceiling. Walk allocates nothing; it panics if the walker was never
// started.
func (w *Walker[F]) Walk(flips int64, report, ceiling int) int64 {
	// walkkit.Walk's indirect call per flip costs a few percent here.
	l := walkkit.NewLoop(&w.core, flips, report)
	for l.More() {
		if len(w.multi) == 0 || l.PlusDue() {
			if l.Plus(len(w.alive) < ceiling && w.plusMove()) {
				continue
			}
			if len(w.multi) == 0 {
				break
			}
		}
		rank := len(w.alive)
		w.flip()
		if l.Flipped(rank, len(w.alive)) {
			break
		}
	}
	return l.End()
}

// flip makes one random flip and the reductions it enables.
func (w *Walker[F]) flip() {
	// One draw: the group from the low 32 bits, the pair from the next
	// 16 and 15 (a bias of at most size/2^15, nothing at the usual sizes),
	// the direction from the top bit.
	x := w.rng.Next()
	g := w.multi[wyrand.Below(x, len(w.multi))]
	gp := &w.grp[g]
	m := int(gp.mode) & 3
	s := int(gp.size)
	p1 := int((x >> 32 & 0xffff) * uint64(s) >> 16)
	p2 := int((x >> 48 & 0x7fff) * uint64(s-1) >> 15)
	p2 += int(uint(p1-p2-1) >> 63) // skip p1, without a branch
	base := int(g) * w.cap
	i, j := w.gmem[base+p1], w.gmem[base+p2]
	o := &others[m]
	d := x >> 63
	m1, m2 := int(o[d])&3, int(o[d^1])&3
	// a⊗b⊗c + a⊗b'⊗c' = a⊗(b+b')⊗c + a⊗b'⊗(c+c') with a in mode m, b in m1
	// and c in m2; i is the first term, j the second. Both changes are made
	// before any reduction, which keeps the sum of the terms.
	ti, tj := &w.term[i].f, &w.term[j].f
	ni := walkkit.Xor(ti[m1], tj[m1])
	nj := walkkit.Xor(tj[m2], ti[m2])
	w.set(i, m1, ni)
	w.set(j, m2, nj)
	if len(w.stack) > 0 {
		w.drain()
	}
}

// Modes are masked with &3 where they index [4] arrays (of which the last
// entry is unused), which spares the bounds checks.
var (
	next = [4]int{1, 2, 0, 0}
	prev = [4]int{2, 0, 1, 0}
	// others[m] are the two modes other than m, in both orders.
	others = [4][2]uint8{{1, 2}, {2, 0}, {0, 1}, {0, 0}}
)

// set changes factor m of the live term t to v (non-zero), updating the
// index. Its common case, the old value carried by t alone with nothing to
// shift back and the new one carried by no other term, makes no call.
func (w *Walker[F]) set(t int32, m int, v F) {
	m &= 3
	tab := &w.tab[m]
	tm := &w.term[t]
	slots, mask := tab.slots, tab.mask
	if a := tm.at[m]; a < 0 {
		w.leave(t, m, -(a + 1))
	} else if i := uint64(a) & mask; walkkit.IsZero(slots[(i+1)&mask].key) {
		slots[i] = slot[F]{}
	} else {
		w.removeAt(m, i)
	}
	tm.f[m] = v
	j := tab.home(v)
	for {
		k := slots[j].key
		if walkkit.IsZero(k) {
			slots[j] = slot[F]{v, t}
			tm.at[m] = int32(j)
			return
		}
		if k == v {
			w.join(t, m, j)
			return
		}
		j = (j + 1) & mask
	}
}

// newTerm stores x as a new live term, not yet attached to the index.
func (w *Walker[F]) newTerm(x [3]F) int32 {
	id := w.free[len(w.free)-1]
	w.free = w.free[:len(w.free)-1]
	w.term[id].f = [4]F{x[0], x[1], x[2]}
	w.apos[id] = int32(len(w.alive))
	w.alive = append(w.alive, id)
	return id
}

// kill removes term t from the scheme and the index.
func (w *Walker[F]) kill(t int32) {
	for m := range 3 {
		w.detach(t, m)
	}
	w.unlink(t)
}

// unlink removes the detached term t from the live terms.
func (w *Walker[F]) unlink(t int32) {
	p := w.apos[t]
	last := w.alive[len(w.alive)-1]
	w.alive[p] = last
	w.apos[last] = p
	w.alive = w.alive[:len(w.alive)-1]
	w.apos[t] = -1
	w.free = append(w.free, t)
}

// attach sets factor m of term t to v (non-zero) in the index and queues a
// reduction check when another term carries v too.
func (w *Walker[F]) attach(t int32, m int, v F) {
	m &= 3
	tab := &w.tab[m]
	i, found := tab.slot(v)
	if !found {
		tab.slots[i] = slot[F]{v, t}
		w.term[t].at[m] = int32(i)
		return
	}
	w.join(t, m, i)
}

// join adds term t to the terms carrying the value in slot i of the table
// of mode m, and queues a reduction check when t now shares a second factor
// with one of them. Every pair of terms that comes to share two factors
// does so when one of them joins, so checking at joins finds them all;
// reduce checks again when the checks are drained.
func (w *Walker[F]) join(t int32, m int, i uint64) {
	m &= 3
	sl := &w.tab[m].slots[i]
	val := sl.val
	tt := &w.term[t]
	o := &others[m]
	m1, m2 := int(o[0])&3, int(o[1])&3
	if val >= 0 {
		// A single term becomes a group of two.
		nf := len(w.gfree) - 1
		g := w.gfree[nf]
		w.gfree = w.gfree[:nf]
		gp := &w.grp[g]
		gp.size, gp.multi, gp.mode, gp.slot = 2, int32(len(w.multi)), int32(m), int32(i)
		w.multi = append(w.multi, g)
		mem := w.gmem[int(g)*w.cap:]
		mem[0], mem[1] = val, t
		tv := &w.term[val]
		tv.pos[m], tt.pos[m] = 0, 1
		tv.at[m], tt.at[m] = -(g + 1), -(g + 1)
		sl.val = -(g + 1)
		if eitherZero(walkkit.Xor(tv.f[m1], tt.f[m1]), walkkit.Xor(tv.f[m2], tt.f[m2])) {
			w.stack = append(w.stack, check{t, int32(m)})
		}
		return
	}
	g := -(val + 1)
	gp := &w.grp[g]
	pos := gp.size
	mem := w.gmem[int(g)*w.cap : int(g+1)*w.cap]
	for _, k := range mem[:pos] {
		if tk := &w.term[k]; eitherZero(walkkit.Xor(tk.f[m1], tt.f[m1]), walkkit.Xor(tk.f[m2], tt.f[m2])) {
			// Maybe a second shared factor (the test never misses one, and
			// seldom, on overflow, reports one that is not there).
			w.stack = append(w.stack, check{t, int32(m)})
			break
		}
	}
	mem[pos] = t
	tt.pos[m] = pos
	tt.at[m] = val
	gp.size = pos + 1
}

// detach removes term t from the index of mode m; its factor there is still
// the one it was attached with.
func (w *Walker[F]) detach(t int32, m int) {
	m &= 3
	if a := w.term[t].at[m]; a >= 0 {
		w.removeAt(m, uint64(a))
	} else {
		w.leave(t, m, -(a + 1))
	}
}

// removeAt empties slot i of the table of mode m, shifting later entries of
// its probe run back (no tombstones) and telling their carriers where they
// moved.
func (w *Walker[F]) removeAt(m int, i uint64) {
	m &= 3
	tab := &w.tab[m]
	slots, mask := tab.slots, tab.mask
	j := i
	for {
		j = (j + 1) & mask
		k := slots[j].key
		if walkkit.IsZero(k) {
			break
		}
		h := tab.home(k)
		if (j-h)&mask >= (j-i)&mask {
			sl := slots[j]
			slots[i] = sl
			if sl.val >= 0 {
				w.term[sl.val].at[m] = int32(i)
			} else {
				w.grp[-(sl.val + 1)].slot = int32(i)
			}
			i = j
		}
	}
	slots[i] = slot[F]{}
}

// leave removes term t from its group g in mode m.
func (w *Walker[F]) leave(t int32, m int, g int32) {
	m &= 3
	gp := &w.grp[g]
	mem := w.gmem[int(g)*w.cap : int(g+1)*w.cap]
	last := gp.size - 1
	gp.size = last
	if last == 1 {
		// Back to a single term: drop the group.
		rest := mem[0] ^ mem[1] ^ t // the member that is not t
		w.tab[m].slots[gp.slot].val = rest
		w.term[rest].at[m] = gp.slot
		mp := gp.multi
		nm := len(w.multi) - 1
		lg := w.multi[nm]
		w.multi[mp] = lg
		w.grp[lg].multi = mp
		w.multi = w.multi[:nm]
		w.gfree = append(w.gfree, g)
		return
	}
	pos := w.term[t].pos[m]
	moved := mem[last]
	mem[pos] = moved
	w.term[moved].pos[m] = pos
}

// drain runs the queued reduction checks until none is left.
func (w *Walker[F]) drain() {
	for len(w.stack) > 0 {
		c := w.stack[len(w.stack)-1]
		w.stack = w.stack[:len(w.stack)-1]
		if w.apos[c.t] >= 0 {
			w.reduce(c.t, int(c.m))
		}
	}
}

// reduce merges term t with a term sharing its factor in mode m and one
// more factor, if there is one: a⊗b⊗c + a⊗b⊗c' = a⊗b⊗(c+c').
func (w *Walker[F]) reduce(t int32, m int) {
	m &= 3
	a := w.term[t].at[m]
	if a >= 0 {
		return // no longer shared
	}
	g := -(a + 1)
	tt := &w.term[t].f
	base := int(g) * w.cap
	members := w.gmem[base : base+int(w.grp[g].size)]
	m1, m2 := next[m]&3, prev[m]&3
	for _, k := range members {
		if k == t {
			continue
		}
		tk := &w.term[k].f
		var third int
		switch {
		case tk[m1] == tt[m1]:
			third = m2
		case tk[m2] == tt[m2]:
			third = m1
		default:
			continue
		}
		v := walkkit.Xor(tk[third], tt[third])
		w.kill(t)
		if walkkit.IsZero(v) {
			w.kill(k) // a⊗b⊗c + a⊗b⊗c = 0
			walkkit.Reduced(&w.core, 2)
			return
		}
		walkkit.Reduced(&w.core, 1)
		w.set(k, third, v)
		return
	}
}

// plusMove makes a plus transition: two terms a⊗b⊗c + a'⊗b'⊗c' with a≠a',
// b≠b', c≠c' become (a+a')⊗b⊗c + a'⊗(b+b')⊗c + a'⊗b'⊗(c+c'). It reports
// whether it found such a pair (within a few random tries).
func (w *Walker[F]) plusMove() bool {
	n := len(w.alive)
	if n < 2 || n >= w.cap {
		return false
	}
	for range 8 {
		i, j, m, m1, m2, _ := walkkit.PlusPick(&w.rng, w.alive)
		ti, tj := w.term[i].f, w.term[j].f
		m, m1, m2 = m&3, m1&3, m2&3
		if ti[m] == tj[m] || ti[m1] == tj[m1] || ti[m2] == tj[m2] {
			continue
		}
		var nt [3]F
		nt[m], nt[m1], nt[m2] = tj[m], walkkit.Xor(ti[m1], tj[m1]), ti[m2]
		k := w.newTerm(nt)
		for mm := range 3 {
			w.attach(k, mm, nt[mm])
		}
		w.set(i, m, walkkit.Xor(ti[m], tj[m]))
		w.set(j, m2, walkkit.Xor(ti[m2], tj[m2]))
		w.drain()
		return true
	}
	return false
}
