package grouptab

import (
	"math/rand/v2"
	"testing"
)

// TestTable inserts, finds and removes keys in random order against a map,
// with keys that collide on purpose (multiples of a power of two share
// their home slot's low bits).
func TestTable(t *testing.T) {
	for _, tc := range []struct {
		name string
		key  func(r *rand.Rand) uint64
	}{
		{"random", func(r *rand.Rand) uint64 { return r.Uint64() | 1 }},
		{"small", func(r *rand.Rand) uint64 { return 1 + r.Uint64N(200) }},
		{"strided", func(r *rand.Rand) uint64 { return (1 + r.Uint64N(100)) << 40 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, 2))
			const capacity = 64
			tab := New(capacity)
			want := map[uint64]int32{}
			for step := range 20000 {
				k := tc.key(r)
				i, found := tab.Slot(k)
				g, in := want[k]
				if found != in {
					t.Fatalf("step %d: Slot(%#x) found %v, want %v", step, k, found, in)
				}
				switch {
				case found && tab.Group(i) != g:
					t.Fatalf("step %d: Group of %#x = %d, want %d", step, k, tab.Group(i), g)
				case found:
					tab.Remove(k)
					delete(want, k)
				case len(want) < capacity:
					tab.Set(i, k, int32(step))
					want[k] = int32(step)
				}
				if step%1000 == 0 {
					for k, g := range want {
						if i, ok := tab.Slot(k); !ok || tab.Group(i) != g {
							t.Fatalf("step %d: key %#x lost", step, k)
						}
					}
				}
			}
			tab.Clear()
			for k := range want {
				if _, ok := tab.Slot(k); ok {
					t.Fatalf("key %#x still there after Clear", k)
				}
			}
		})
	}
}
