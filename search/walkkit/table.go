package walkkit

// table is the hash table from factor values to group ids with which an
// Index finds the entries that share a factor: open addressing with linear
// probing and backward-shift deletion (no tombstones). The zero factor
// marks an empty slot, so keys are nonzero (live factors are never zero).
// Nothing allocates after newTable.
type table[F Factor] struct {
	keys  []F
	grp   []int32
	mask  uint64
	shift uint
}

// newTable returns a table for up to capacity keys, at most a quarter
// full.
func newTable[F Factor](capacity int) table[F] {
	size, shift := TableSize(4 * capacity)
	return table[F]{keys: make([]F, size), grp: make([]int32, size), mask: uint64(size - 1), shift: shift}
}

// home returns the slot where key's probe starts: a multiplicative hash of
// its words (of its only word at width 1).
func (t *table[F]) home(key F) uint64 {
	h := key[0]
	for i := 1; i < len(key); i++ {
		h = h*0xbf58476d1ce4e5b9 ^ key[i]
	}
	return (h * 0x9e3779b97f4a7c15) >> (t.shift & 63)
}

// slot returns the slot of key, or the empty slot where it would go.
func (t *table[F]) slot(key F) (uint64, bool) {
	i := t.home(key)
	for {
		k := t.keys[i]
		if k == key {
			return i, true
		}
		if IsZero(k) {
			return i, false
		}
		i = (i + 1) & t.mask
	}
}

// set puts key with group g into slot i, the empty slot slot(key)
// returned.
func (t *table[F]) set(i uint64, key F, g int32) { t.keys[i], t.grp[i] = key, g }

// remove deletes key, which is in the table.
func (t *table[F]) remove(key F) {
	var zero F
	mask := t.mask
	i := t.home(key)
	for t.keys[i] != key {
		i = (i + 1) & mask
	}
	j := i
	for {
		j = (j + 1) & mask
		k := t.keys[j]
		if k == zero {
			break
		}
		if h := t.home(k); (j-h)&mask >= (j-i)&mask {
			t.keys[i], t.grp[i] = k, t.grp[j]
			i = j
		}
	}
	t.keys[i] = zero
}

// TableSize returns the size of an open-addressing hash table of at least
// n slots, the walkers' factor tables: the smallest power of two that is at
// least 16 and n, and the shift that takes the top bits of a 64-bit hash to
// a slot (64 - log2 size).
func TableSize(n int) (size int, shift uint) {
	size = 16
	for size < n {
		size <<= 1
	}
	shift = 64
	for s := size; s > 1; s >>= 1 {
		shift--
	}
	return size, shift
}

// clear empties the table.
func (t *table[F]) clear() { clear(t.keys) }
