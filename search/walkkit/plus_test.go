package walkkit

import (
	"testing"

	"github.com/alphamat/alphamat/internal/wyrand"
)

// TestPlusPick checks that PlusPick picks two distinct terms and the three
// modes in some order, and each mode and both orders of the others.
func TestPlusPick(t *testing.T) {
	alive := []int32{7, 3, 9}
	rng := wyrand.Rand{S: 1}
	seen := map[[3]int]bool{}
	for range 1000 {
		i, j, m, m1, m2, _ := PlusPick(&rng, alive)
		if i == j {
			t.Fatalf("PlusPick picked term %d twice", i)
		}
		if m < 0 || m > 2 || m1 < 0 || m1 > 2 || m2 < 0 || m2 > 2 || m == m1 || m == m2 || m1 == m2 {
			t.Fatalf("PlusPick modes %d, %d, %d are not 0, 1, 2 in some order", m, m1, m2)
		}
		seen[[3]int{m, m1, m2}] = true
	}
	if len(seen) != 6 {
		t.Errorf("PlusPick drew %d of the 6 orders of the modes", len(seen))
	}
}
