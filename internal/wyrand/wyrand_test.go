package wyrand

import "testing"

func TestBelow(t *testing.T) {
	r := Rand{S: 1}
	for _, n := range []int{1, 2, 3, 7, 1000} {
		seen := make([]bool, n)
		for range 100 * n {
			k := Below(r.Next(), n)
			if k < 0 || k >= n {
				t.Fatalf("Below(_, %d) = %d, out of range", n, k)
			}
			seen[k] = true
		}
		for k, ok := range seen {
			if !ok {
				t.Errorf("Below(_, %d) never returned %d in %d draws", n, k, 100*n)
			}
		}
	}
}

func TestSeeded(t *testing.T) {
	a, b, c := Rand{S: 7}, Rand{S: 7}, Rand{S: 8}
	same := true
	for range 10 {
		x, y, z := a.Next(), b.Next(), c.Next()
		if x != y {
			t.Fatalf("two generators seeded 7 differ: %#x, %#x", x, y)
		}
		same = same && x == z
	}
	if same {
		t.Error("seeds 7 and 8 give the same stream")
	}
}
