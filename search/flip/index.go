package flip

import "github.com/alphamat/alphamat/search/walkkit"

// table maps the factor values of one mode to the terms that carry them: an
// open-addressing hash table with linear probing and backward-shift deletion
// (no tombstones). Key 0 marks an empty slot (live factors are never zero).
// A value v >= 0 is the one term that carries the key; v < 0 is the group
// -(v+1) of two or more terms.
type table[F Factor] struct {
	slots []slot[F]
	mask  uint64
	shift uint
}

// slot is one entry: a key and its value side by side, one cache access.
type slot[F Factor] struct {
	key F
	val int32
}

// newTable returns a table for up to capacity keys. It is sparse, 16
// slots a key (at most 4096 slots, at least 4 a key): collisions, which cost
// branch mispredictions, are dearer than the cache a larger table takes.
func newTable[F Factor](capacity int) table[F] {
	size, shift := walkkit.TableSize(max(4*capacity, min(16*capacity, 4096)))
	return table[F]{slots: make([]slot[F], size), mask: uint64(size - 1), shift: shift}
}

func (t *table[F]) home(key F) uint64 { return (hash(key) * 0x9e3779b97f4a7c15) >> (t.shift & 63) }

// slot returns the slot of key, or the empty slot where it would go.
func (t *table[F]) slot(key F) (i uint64, found bool) {
	slots := t.slots
	mask := t.mask
	for i = t.home(key); ; i = (i + 1) & mask {
		k := slots[i&mask].key
		if k == key {
			return i & mask, true
		}
		if walkkit.IsZero(k) {
			return i & mask, false
		}
	}
}

func (t *table[F]) clear() { clear(t.slots) }
