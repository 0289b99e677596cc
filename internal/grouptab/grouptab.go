// Package grouptab is the hash table from factor values to group ids with
// which the symmetric flip walkers (search/cyclic, search/transpose) find
// the terms that share a factor: open addressing with linear probing and
// backward-shift deletion (no tombstones). Key 0 marks an empty slot, so
// keys are nonzero (live factors are never zero). Nothing allocates after
// New.
package grouptab

// Table maps nonzero uint64 keys to int32 group ids.
type Table struct {
	keys  []uint64
	grp   []int32
	mask  uint64
	shift uint
}

// New returns a table for up to capacity keys, at most a quarter full.
func New(capacity int) Table {
	size := 16
	for size < 4*capacity {
		size <<= 1
	}
	shift := uint(64)
	for s := size; s > 1; s >>= 1 {
		shift--
	}
	return Table{keys: make([]uint64, size), grp: make([]int32, size), mask: uint64(size - 1), shift: shift}
}

func (t *Table) home(key uint64) uint64 { return (key * 0x9e3779b97f4a7c15) >> (t.shift & 63) }

// Slot returns the slot of key, or the empty slot where it would go.
func (t *Table) Slot(key uint64) (i uint64, found bool) {
	for i = t.home(key); ; i = (i + 1) & t.mask {
		k := t.keys[i]
		if k == key {
			return i, true
		}
		if k == 0 {
			return i, false
		}
	}
}

// Group returns the group id in slot i.
func (t *Table) Group(i uint64) int32 { return t.grp[i] }

// Set puts key with group g into slot i, the empty slot Slot(key)
// returned.
func (t *Table) Set(i, key uint64, g int32) { t.keys[i], t.grp[i] = key, g }

// Remove deletes key, which is in the table.
func (t *Table) Remove(key uint64) {
	i, _ := t.Slot(key)
	mask := t.mask
	j := i
	for {
		j = (j + 1) & mask
		k := t.keys[j]
		if k == 0 {
			break
		}
		if h := t.home(k); (j-h)&mask >= (j-i)&mask {
			t.keys[i], t.grp[i] = k, t.grp[j]
			i = j
		}
	}
	t.keys[i] = 0
}

// Clear empties the table.
func (t *Table) Clear() { clear(t.keys) }
