package walkkit

import "github.com/alphamat/alphamat/internal/wyrand"

// PlusPick draws what a plus transition of search/flip and search/ternary
// tries: the terms i and j at two distinct positions of alive (which holds
// at least two), a mode m, and the two other modes m1 and m2 in a random
// order. It takes two words of rng and returns the second, y, whose bit 62
// is free for the walker (search/ternary draws a sign from it).
func PlusPick(rng *wyrand.Rand, alive []int32) (i, j int32, m, m1, m2 int, y uint64) {
	i, j = TwoOf(alive, rng.Next())
	y = rng.Next()
	m = wyrand.Below(y, 3)
	m1, m2 = (m+1)%3, (m+2)%3
	if y>>63 != 0 {
		m1, m2 = m2, m1
	}
	return i, j, m, m1, m2, y
}
