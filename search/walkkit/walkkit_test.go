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
// model after every step, at each width (the wider values differ only in
// their last word, so that the hash must read it).
func TestIndex(t *testing.T) {
	t.Run("1", testIndex[[1]uint64])
	t.Run("2", testIndex[[2]uint64])
	t.Run("4", testIndex[[4]uint64])
}

func testIndex[F Factor](t *testing.T) {
	const entries, tables = 60, 2
	r := rand.New(rand.NewPCG(1, 2))
	room := 2 // wider groups outgrow 2: grow
	if len(*new(F)) == 1 {
		room = entries // never grows
	}
	x := NewIndex[F](entries, tables, entries, room)
	val := make([]F, entries) // zero: detached
	tab := make([]int, entries)
	for step := range 5000 {
		e := int32(r.IntN(entries))
		if !IsZero(val[e]) {
			x.Detach(e, tab[e])
			var zero F
			val[e] = zero
		} else {
			var v F
			v[len(v)-1] = 1 + r.Uint64N(12)
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
		carriers := make([]map[F][]int32, tables)
		for i := range carriers {
			carriers[i] = map[F][]int32{}
		}
		for f, v := range val {
			if !IsZero(v) {
				carriers[tab[f]][v] = append(carriers[tab[f]][v], int32(f))
			}
		}
		if err := x.Check(carriers); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		if len(x.Multi) > 0 {
			rnd := r.Uint64()
			e1, e2 := x.Two(x.Multiple(rnd), rnd)
			if e1 == e2 || x.Group[e1] != x.Group[e2] || x.Group[e1] < 0 {
				t.Fatalf("step %d: Two = %d, %d: not two entries of one group", step, e1, e2)
			}
			k, ok := x.Partner(e1, r.Uint64())
			if !ok || k == e1 || x.Group[k] != x.Group[e1] {
				t.Fatalf("step %d: Partner(%d) = %d, %v", step, e1, k, ok)
			}
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

// TestTable inserts, finds and removes keys in random order against a map,
// with keys that collide on purpose (multiples of a power of two share
// their home slot's low bits), at widths one and four.
func TestTable(t *testing.T) {
	for _, tc := range []struct {
		name string
		key  func(r *rand.Rand) uint64
	}{
		{"random", func(r *rand.Rand) uint64 { return r.Uint64() | 1 }},
		{"small", func(r *rand.Rand) uint64 { return 1 + r.Uint64N(200) }},
		{"strided", func(r *rand.Rand) uint64 { return (1 + r.Uint64N(100)) << 40 }},
	} {
		t.Run(tc.name+"/1", func(t *testing.T) { testTable(t, func(r *rand.Rand) [1]uint64 { return [1]uint64{tc.key(r)} }) })
		t.Run(tc.name+"/4", func(t *testing.T) {
			testTable(t, func(r *rand.Rand) [4]uint64 { return [4]uint64{2: tc.key(r)} })
		})
	}
}

func testTable[F Factor](t *testing.T, key func(r *rand.Rand) F) {
	r := rand.New(rand.NewPCG(1, 2))
	const capacity = 64
	tab := newTable[F](capacity)
	want := map[F]int32{}
	for step := range 20000 {
		k := key(r)
		i, found := tab.slot(k)
		g, in := want[k]
		if found != in {
			t.Fatalf("step %d: slot(%x) found %v, want %v", step, k, found, in)
		}
		switch {
		case found && tab.grp[i] != g:
			t.Fatalf("step %d: group of %x = %d, want %d", step, k, tab.grp[i], g)
		case found:
			tab.remove(k)
			delete(want, k)
		case len(want) < capacity:
			tab.set(i, k, int32(step))
			want[k] = int32(step)
		}
		if step%1000 == 0 {
			for k, g := range want {
				if i, ok := tab.slot(k); !ok || tab.grp[i] != g {
					t.Fatalf("step %d: key %x lost", step, k)
				}
			}
		}
	}
	tab.clear()
	for k := range want {
		if _, ok := tab.slot(k); ok {
			t.Fatalf("key %x still there after clear", k)
		}
	}
}

// TestIDs adds and removes random ids against a model and checks the
// rank and counts after every step.
func TestIDs(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const capacity, orbit = 20, 3
	s := NewIDs(capacity, orbit)
	live := map[int32]bool{} // id -> fixed
	for step := range 3000 {
		if len(live) < capacity && (len(live) == 0 || r.IntN(2) == 0) {
			fixed := r.IntN(3) == 0
			id := s.Add(fixed)
			if _, ok := live[id]; ok {
				t.Fatalf("step %d: Add returned the live id %d", step, id)
			}
			live[id] = fixed
		} else {
			id := s.Alive[r.IntN(len(s.Alive))]
			s.Remove(id)
			delete(live, id)
		}
		if err := s.Check(); err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		orbits, fixed := 0, 0
		for id, f := range live {
			if s.Pos[id] < 0 || s.Fixed[id] != f {
				t.Fatalf("step %d: id %d: Pos %d, Fixed %v; want live, %v", step, id, s.Pos[id], s.Fixed[id], f)
			}
			if f {
				fixed++
			} else {
				orbits++
			}
		}
		if o, f := s.Count(); o != orbits || f != fixed || s.Rank != orbit*orbits+fixed {
			t.Fatalf("step %d: Count = %d, %d, Rank %d; want %d, %d, %d", step, o, f, s.Rank, orbits, fixed, orbit*orbits+fixed)
		}
		if step%1000 == 999 {
			s.Reset()
			clear(live)
		}
	}
}

// TestFactor checks the bit helpers at width four against coefficient
// lists: Transpose of rectangles that straddle words, Bits across a word
// boundary, and the round trip through tensorgame.Wide terms.
func TestFactor(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct{ rows, cols int }{{16, 16}, {9, 13}, {13, 9}, {3, 5}, {1, 200}} {
		var x [4]uint64
		set := map[int]bool{}
		for range 40 {
			i := r.IntN(tc.rows * tc.cols)
			x = Xor(x, Bit[[4]uint64](i))
			set[i] = !set[i]
		}
		y := Transpose(tc.rows, tc.cols, x)
		for i := range tc.rows * tc.cols {
			rr, c := i/tc.cols, i%tc.cols
			j := c*tc.rows + rr
			if got := y[j/64]>>(j%64)&1 != 0; got != set[i] {
				t.Fatalf("%dx%d: entry (%d, %d) of the transpose is %v, want %v", tc.rows, tc.cols, rr, c, got, set[i])
			}
		}
		if z := Transpose(tc.cols, tc.rows, y); z != x {
			t.Fatalf("%dx%d: transposing twice gives %x, want %x", tc.rows, tc.cols, z, x)
		}
		for _, off := range []int{0, 5, 60, 64, 120, 250} {
			k := min(8, 256-off)
			got := Bits(x, off, 1<<k-1)
			for j := range k {
				if got>>j&1 != 0 != set[off+j] {
					t.Fatalf("Bits(%x, %d, %#x) = %#x: bit %d wrong", x, off, 1<<k-1, got, j)
				}
			}
		}
	}
	f := tensorgame.Format{N: 9, M: 10, P: 11}
	x := [3][2]uint64{{1, 1 << 25}, {1 << 63, 1 << 35}, {5, 1<<34 | 1}}
	if got := TermFactors[[2]uint64](FactorsTerm(f, x)); got != x {
		t.Errorf("FactorsTerm then TermFactors: %x, want %x", got, x)
	}
}
