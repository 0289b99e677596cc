package ternary

import "github.com/alphamat/alphamat/search/walkkit"

// table maps the factor values of one mode, up to sign (keys are canonical,
// see canon), to the terms that carry them: an open-addressing hash table
// with linear probing and backward-shift deletion (no tombstones). The zero
// key marks an empty slot (live factors are never zero). A value v >= 0 is
// the one term that carries the key; v < 0 is the group -(v+1) of two or
// more terms.
type table struct {
	slots []slot
	mask  uint64
	shift uint
}

// slot is one entry of a table: key and value side by side, so that a probe
// touches one cache line.
type slot struct {
	key tern
	val int32
}

func newTable(capacity int) table {
	size, shift := walkkit.TableSize(4 * capacity)
	return table{slots: make([]slot, size), mask: uint64(size - 1), shift: shift}
}

func (t *table) home(key tern) uint64 {
	return (hash(key) * 0x9e3779b97f4a7c15) >> t.shift
}

// slot returns the slot of key, or the empty slot where it would go.
func (t *table) slot(key tern) (i uint64, found bool) {
	slots := t.slots
	mask := t.mask
	for i = t.home(key); ; i = (i + 1) & mask {
		k := slots[i&mask].key
		if k == key {
			return i & mask, true
		}
		if k.isZero() {
			return i & mask, false
		}
	}
}

// removeAt empties slot i, shifting later entries of its probe run back.
func (t *table) removeAt(i uint64) {
	slots, mask := t.slots, t.mask
	j := i
	for {
		j = (j + 1) & mask
		k := slots[j].key
		if k.isZero() {
			break
		}
		h := t.home(k)
		if (j-h)&mask >= (j-i)&mask {
			slots[i] = slots[j]
			i = j
		}
	}
	slots[i&mask].key = tern{}
}

func (t *table) clear() { clear(t.slots) }
