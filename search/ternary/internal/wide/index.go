package wide

import "github.com/alphamat/alphamat/search/walkkit"

// table maps the factor values of one mode, up to sign (keys are canonical,
// see canon), to the terms that carry them: an open-addressing hash table
// with linear probing and backward-shift deletion (no tombstones). The zero
// key marks an empty slot (live factors are never zero). A value v >= 0 is
// the one term that carries the key; v < 0 is the group -(v+1) of two or
// more terms.
type table[W Word] struct {
	slots []slot[W]
	mask  uint64
	shift uint
}

// slot is one entry of a table: key and value side by side, so that a probe
// touches one cache line.
type slot[W Word] struct {
	key tern[W]
	val int32
}

func newTable[W Word](capacity int) table[W] {
	size, shift := walkkit.TableSize(4 * capacity)
	return table[W]{slots: make([]slot[W], size), mask: uint64(size - 1), shift: shift}
}

func (t *table[W]) home(key tern[W]) uint64 {
	return (hash(key) * 0x9e3779b97f4a7c15) >> t.shift
}

// slot returns the slot of key, or the empty slot where it would go.
func (t *table[W]) slot(key tern[W]) (uint64, bool) {
	mask := t.mask
	for i := t.home(key); ; i = (i + 1) & mask {
		k := &t.slots[i].key
		if *k == key {
			return i, true
		}
		if unused(k) {
			return i, false
		}
	}
}

// unused reports whether k, a key of a table, is the zero key of an empty
// slot: a key in use is canonical, its lowest non-zero coefficient +1, so
// its p is not zero.
func unused[W Word](k *tern[W]) bool {
	var z W
	return k.p == z
}

// removeAt empties slot i, shifting later entries of its probe run back.
func (t *table[W]) removeAt(i uint64) {
	slots, mask := t.slots, t.mask
	j := i
	for {
		j = (j + 1) & mask
		k := &slots[j].key
		if unused(k) {
			break
		}
		h := t.home(*k)
		if (j-h)&mask >= (j-i)&mask {
			slots[i] = slots[j]
			i = j
		}
	}
	slots[i&mask].key = tern[W]{}
}

func (t *table[W]) clear() { clear(t.slots) }
