package walkkit

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
