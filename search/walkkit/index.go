package walkkit

import (
	"fmt"

	"github.com/alphamat/alphamat/internal/wyrand"
)

// Index finds the entries (factors of the terms, numbered by the walker)
// that share a value: the index of the symmetric walkers, where an orbit
// of terms has several entries. Each entry is in one of a few tables
// (search/transpose keeps x and y values apart from z values), and the
// entries of one value in one table form a group; the groups of two or
// more entries, where the flips are, are listed in Multi. Values are
// factors of width F. Nothing allocates after NewIndex.
//
// The fields are read by the walkers' hot loops; they change only through
// the methods.
type Index[F Factor] struct {
	tabs [2]table[F] // at most two tables; tab&1 needs no bounds check
	// Size, Key and Mul are by group: its number of entries, its value and
	// its position in Multi (-1: fewer than two entries).
	Size []int32
	Key  []F
	Mul  []int32
	// Mem holds the entries of group g in Mem[g*Cap : g*Cap+Size[g]].
	Mem []int32
	Cap int
	// Multi lists the groups with two or more entries.
	Multi []int32
	// Group and Pos are by entry: its group (-1: not in the index) and its
	// position in the group.
	Group, Pos []int32
	free       []int32
}

// NewIndex returns an index of entries 0 to entries-1 in tables tables (1
// or 2) of up to keys values each, with room for groupCap entries in each
// group. A group that outgrows it doubles the room of all (Attach
// allocates then, and only then): a groupCap that bounds the groups keeps
// the index from allocating, a smaller one keeps it small (the room costs
// 4·entries·groupCap bytes). At the width of one word the index never
// grows, which spares Attach a check: groupCap must bound the groups there
// (one-word walkers are small enough to reserve room for every entry that
// may join a group: 10 MB for 8x8x8 cyclic). It panics if tables is not 1
// or 2.
func NewIndex[F Factor](entries, tables, keys, groupCap int) Index[F] {
	if tables < 1 || tables > 2 {
		panic("walkkit: an index has one or two tables")
	}
	x := Index[F]{
		Size:  make([]int32, entries),
		Key:   make([]F, entries),
		Mul:   make([]int32, entries),
		Mem:   make([]int32, entries*groupCap),
		Cap:   groupCap,
		Multi: make([]int32, 0, entries),
		Group: make([]int32, entries),
		Pos:   make([]int32, entries),
		free:  make([]int32, 0, entries),
	}
	for i := range tables {
		x.tabs[i] = newTable[F](keys)
	}
	x.Reset()
	return x
}

// Reset empties the index.
func (x *Index[F]) Reset() {
	for i := range x.tabs {
		x.tabs[i].clear() // an unused table is empty: nothing to clear
	}
	x.free = x.free[:0]
	for g := len(x.Size) - 1; g >= 0; g-- {
		x.free = append(x.free, int32(g))
	}
	for e := range x.Group {
		x.Group[e] = -1
	}
	x.Multi = x.Multi[:0]
}

// Members returns the entries of group g.
func (x *Index[F]) Members(g int32) []int32 {
	base := int(g) * x.Cap
	return x.Mem[base : base+int(x.Size[g])]
}

// Multiple returns a random group of two or more entries (of Multi),
// picked by the low 32 bits of the random word r. Multi must not be empty.
// With Two it picks a pair of entries for a flip: Two(Multiple(r), r).
func (x *Index[F]) Multiple(r uint64) int32 { return x.Multi[wyrand.Below(r, len(x.Multi))] }

// Two returns two entries of group g at distinct positions picked by bits
// 32-47 and 48-62 of the random word r. Multiple and Two are two functions,
// not one, so that both inline into the walkers' flips.
func (x *Index[F]) Two(g int32, r uint64) (e1, e2 int32) {
	s := uint64(x.Size[g])
	p1 := int((r >> 32 & 0xffff) * s >> 16)
	p2 := int((r >> 48 & 0x7fff) * (s - 1) >> 15)
	if p2 >= p1 {
		p2++
	}
	base := int(g) * x.Cap
	return x.Mem[base+p1], x.Mem[base+p2]
}

// Partner returns another entry of the group of the attached entry e,
// picked by the random word r, or false when e is alone in its group.
func (x *Index[F]) Partner(e int32, r uint64) (k int32, ok bool) {
	g := x.Group[e]
	size := int(x.Size[g])
	if size < 2 {
		return 0, false
	}
	p := wyrand.Below(r, size-1)
	if int32(p) >= x.Pos[e] {
		p++
	}
	return x.Mem[int(g)*x.Cap+p], true
}

// Attach adds entry e, of value v (nonzero), to table tab, and reports
// whether it joined other entries of that value.
func (x *Index[F]) Attach(e int32, tab int, v F) (joined bool) {
	t := &x.tabs[tab&1]
	// table.slot, written out: it is too large to inline.
	i := t.home(v)
	found := false
	for {
		k := t.keys[i]
		if k == v {
			found = true
			break
		}
		if IsZero(k) {
			break
		}
		i = (i + 1) & t.mask
	}
	var g int32
	if found {
		g = t.grp[i]
	} else {
		g = x.free[len(x.free)-1]
		x.free = x.free[:len(x.free)-1]
		t.set(i, v, g)
		x.Key[g], x.Size[g], x.Mul[g] = v, 0, -1
	}
	size := x.Size[g]
	if len(v) > 1 && int(size) == x.Cap {
		x.grow()
	}
	x.Mem[int(g)*x.Cap+int(size)] = e
	x.Group[e], x.Pos[e] = g, size
	x.Size[g] = size + 1
	if size == 1 {
		x.Mul[g] = int32(len(x.Multi))
		x.Multi = append(x.Multi, g)
	}
	return size >= 1
}

// grow doubles the room of the groups, keeping each entry at its position
// in its group.
func (x *Index[F]) grow() {
	c := 2 * x.Cap
	mem := make([]int32, len(x.Size)*c)
	for g, size := range x.Size {
		copy(mem[g*c:], x.Mem[g*x.Cap:g*x.Cap+int(size)])
	}
	x.Mem, x.Cap = mem, c
}

// Detach removes entry e, attached to table tab, from the index; an entry
// not in the index is left alone.
func (x *Index[F]) Detach(e int32, tab int) {
	g := x.Group[e]
	if g < 0 {
		return
	}
	base := int(g) * x.Cap
	last := x.Size[g] - 1
	moved := x.Mem[base+int(last)]
	x.Mem[base+int(x.Pos[e])] = moved
	x.Pos[moved] = x.Pos[e]
	x.Size[g] = last
	x.Group[e] = -1
	switch last {
	case 1:
		// Fewer than two members: no longer a place for flips.
		Unlist(&x.Multi, x.Mul, g)
	case 0:
		x.tabs[tab&1].remove(x.Key[g])
		x.free = append(x.free, g)
	}
}

// Check returns an error unless the index holds exactly the entries of
// carriers: carriers[tab][v] lists the entries of value v in table tab.
func (x *Index[F]) Check(carriers []map[F][]int32) error {
	multi := 0
	entries := 0
	for tab, vals := range carriers {
		for v, es := range vals {
			entries += len(es)
			i, ok := x.tabs[tab].slot(v)
			if !ok {
				return fmt.Errorf("table %d: value %x not in the table", tab, v)
			}
			g := x.tabs[tab].grp[i]
			if int(x.Size[g]) != len(es) || x.Key[g] != v {
				return fmt.Errorf("table %d: group %d of %x has %d entries and key %x, want %d entries", tab, g, v, x.Size[g], x.Key[g], len(es))
			}
			for _, e := range es {
				if x.Group[e] != g || x.Mem[int(g)*x.Cap+int(x.Pos[e])] != e {
					return fmt.Errorf("table %d: entry %d of value %x is not where it says in group %d", tab, e, v, g)
				}
			}
			if len(es) >= 2 {
				multi++
				if x.Mul[g] < 0 || int(x.Mul[g]) >= len(x.Multi) || x.Multi[x.Mul[g]] != g {
					return fmt.Errorf("table %d: group %d of %d entries is not listed", tab, g, len(es))
				}
			}
		}
	}
	if multi != len(x.Multi) {
		return fmt.Errorf("%d groups listed, want %d", len(x.Multi), multi)
	}
	indexed := 0
	for _, g := range x.Group {
		if g >= 0 {
			indexed++
		}
	}
	if indexed != entries {
		return fmt.Errorf("%d entries in the index, want %d", indexed, entries)
	}
	return nil
}

// ResetIDs empties the dense list alive, whose positions pos records, and
// fills free with every id below len(pos), the lowest last (the first that
// a pop from its end takes), marking each id not listed (pos -1).
func ResetIDs(alive, free *[]int32, pos []int32) {
	*alive = (*alive)[:0]
	f := (*free)[:0]
	for id := len(pos) - 1; id >= 0; id-- {
		f = append(f, int32(id))
		pos[id] = -1
	}
	*free = f
}

// TwoOf returns two entries of list at distinct positions picked by the
// random word x (its low half the first, its high half the second); list
// holds at least two.
func TwoOf(list []int32, x uint64) (i, j int32) {
	n := len(list)
	p1 := wyrand.Below(x, n)
	p2 := wyrand.Below(x>>32, n-1)
	if p2 >= p1 {
		p2++
	}
	return list[p1], list[p2]
}

// Unlist removes v from the dense list whose positions pos records (pos[v]
// is the index of v in *list), moving the last entry into its place, and
// sets pos[v] to -1.
func Unlist(list *[]int32, pos []int32, v int32) {
	l := *list
	p := pos[v]
	last := l[len(l)-1]
	l[p] = last
	pos[last] = p
	*list = l[:len(l)-1]
	pos[v] = -1
}
