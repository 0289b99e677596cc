package walkkit

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

func TestOptionsDefaults(t *testing.T) {
	for _, tc := range []struct {
		in, want Options
	}{
		{Options{}, Options{PlusAfter: DefaultPlusAfter, Extra: DefaultExtra}},
		{Options{PlusAfter: -1, Extra: 3}, Options{PlusAfter: -1, Extra: 3}},
		{Options{PlusAfter: 7, Extra: -2}, Options{PlusAfter: 7, Extra: DefaultExtra}},
	} {
		if got := tc.in.WithDefaults(); got != tc.want {
			t.Errorf("%+v.WithDefaults() = %+v, want %+v", tc.in, got, tc.want)
		}
	}
	c := NewCore("x", tensorgame.Format{N: 2, M: 2, P: 2}, tensorgame.Z2, Options{PlusAfter: 5})
	c.SetPlusAfter(0)
	if c.opts.PlusAfter != DefaultPlusAfter {
		t.Errorf("SetPlusAfter(0): PlusAfter %d, want the default %d", c.opts.PlusAfter, DefaultPlusAfter)
	}
}

func TestCheckFactors(t *testing.T) {
	for _, tc := range []struct {
		f  tensorgame.Format
		ok bool
	}{
		{tensorgame.Format{N: 8, M: 8, P: 8}, true},
		{tensorgame.Format{N: 2, M: 32, P: 2}, true},
		{tensorgame.Format{N: 9, M: 8, P: 8}, false},
		{tensorgame.Format{N: 1, M: 1, P: 65}, false},
		{tensorgame.Format{}, false},
	} {
		if err := CheckFactors("x", tc.f, 64); (err == nil) != tc.ok {
			t.Errorf("CheckFactors(%v) = %v, want ok %v", tc.f, err, tc.ok)
		}
	}
}

// TestIndex attaches and detaches random entries with values drawn from a
// few, so that groups form and break, and checks the index against a
// model after every step.
func TestIndex(t *testing.T) {
	const entries, tables = 60, 2
	r := rand.New(rand.NewPCG(1, 2))
	x := NewIndex(entries, tables, entries, entries)
	val := make([]uint64, entries) // 0: detached
	tab := make([]int, entries)
	for step := range 5000 {
		e := int32(r.IntN(entries))
		if val[e] != 0 {
			x.Detach(e, tab[e])
			val[e] = 0
		} else {
			v := 1 + r.Uint64N(12)
			tb := r.IntN(tables)
			others := 0
			for f := range val {
				if val[f] == v && tab[f] == tb {
					others++
				}
			}
			if joined := x.Attach(e, tb, v); joined != (others > 0) {
				t.Fatalf("step %d: Attach joined %v, want %v", step, joined, others > 0)
			}
			val[e], tab[e] = v, tb
		}
		carriers := make([]map[uint64][]int32, tables)
		for i := range carriers {
			carriers[i] = map[uint64][]int32{}
		}
		for f, v := range val {
			if v != 0 {
				carriers[tab[f]][v] = append(carriers[tab[f]][v], int32(f))
			}
		}
		if err := x.Check(carriers); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		if step%1000 == 999 {
			x.Reset()
			clear(val)
		}
	}
}

// TestResetIDs checks that ResetIDs empties the list, marks every id
// unlisted and frees them all, the lowest taken first.
func TestResetIDs(t *testing.T) {
	alive := []int32{2, 0}
	pos := []int32{1, -1, 0, -1}
	free := []int32{3}
	ResetIDs(&alive, &free, pos)
	if len(alive) != 0 {
		t.Errorf("alive = %v, want empty", alive)
	}
	if want := []int32{3, 2, 1, 0}; !slices.Equal(free, want) {
		t.Errorf("free = %v, want %v", free, want)
	}
	if want := []int32{-1, -1, -1, -1}; !slices.Equal(pos, want) {
		t.Errorf("pos = %v, want %v", pos, want)
	}
}

// TestTwoOf checks that TwoOf picks two entries at distinct positions and
// that every ordered pair comes up.
func TestTwoOf(t *testing.T) {
	list := []int32{10, 20, 30, 40}
	seen := map[[2]int32]bool{}
	for lo := uint64(0); lo < 1<<32; lo += 1 << 28 {
		for hi := uint64(0); hi < 1<<32; hi += 1 << 28 {
			i, j := TwoOf(list, hi<<32|lo)
			if i == j || !slices.Contains(list, i) || !slices.Contains(list, j) {
				t.Fatalf("TwoOf(%v, %#x) = %d, %d", list, hi<<32|lo, i, j)
			}
			seen[[2]int32{i, j}] = true
		}
	}
	if len(seen) != 12 {
		t.Errorf("%d ordered pairs picked, want all 12", len(seen))
	}
}
