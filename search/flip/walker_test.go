package flip

import (
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
	"pgregory.net/rapid"
)

func mustNew(t testing.TB, f tensorgame.Format, seed uint64, opts Options) *Walker {
	t.Helper()
	w, err := New(f, seed, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Start(tensorgame.Standard(f, tensorgame.Z2)); err != nil {
		t.Fatal(err)
	}
	return w
}

// checkIndex checks the walker's internal invariants: the index matches the
// terms, no factor is zero, and no two terms share two factors.
func checkIndex(t testing.TB, w *Walker) {
	t.Helper()
	carriers := [3]map[uint64][]int32{{}, {}, {}}
	for p, id := range w.alive {
		if w.apos[id] != int32(p) {
			t.Fatalf("apos[%d] = %d, want %d", id, w.apos[id], p)
		}
		for m := range 3 {
			v := w.term[id].f[m]
			if v == 0 {
				t.Fatalf("term %d has a zero factor %d", id, m)
			}
			carriers[m][v] = append(carriers[m][v], id)
		}
	}
	groups := 0
	for m := range 3 {
		n := 0
		for i, sl := range w.tab[m].slots {
			k := sl.key
			if k != 0 {
				n++
				if j, ok := w.tab[m].slot(k); !ok || j != uint64(i) {
					t.Fatalf("mode %d: key %#x in slot %d is not found there", m, k, i)
				}
			}
		}
		if n != len(carriers[m]) {
			t.Fatalf("mode %d: table holds %d keys, terms carry %d values", m, n, len(carriers[m]))
		}
		for v, ids := range carriers[m] {
			i, ok := w.tab[m].slot(v)
			if !ok {
				t.Fatalf("mode %d: value %#x not in the table", m, v)
			}
			val := w.tab[m].slots[i].val
			if len(ids) == 1 {
				if val != ids[0] {
					t.Fatalf("mode %d: value %#x maps to %d, want term %d", m, v, val, ids[0])
				}
				if at := w.term[val].at[m]; at != int32(i) {
					t.Fatalf("mode %d: term %d has at = %d, want its slot %d", m, val, at, i)
				}
				continue
			}
			groups++
			if val >= 0 {
				t.Fatalf("mode %d: value %#x of %d terms is not a group", m, v, len(ids))
			}
			g := -(val + 1)
			gp := w.grp[g]
			if w.tab[m].slots[gp.slot].key != v || int(gp.mode) != m || int(gp.size) != len(ids) || w.multi[gp.multi] != g {
				t.Fatalf("mode %d: group %d = %+v, want the key %#x with %d members, listed", m, g, gp, v, len(ids))
			}
			if gp.slot != int32(i) {
				t.Fatalf("mode %d: group %d has slot %d, want %d", m, g, gp.slot, i)
			}
			for _, id := range ids {
				if at := w.term[id].at[m]; at != val {
					t.Fatalf("term %d mode %d: at = %d, want %d", id, m, at, val)
				}
				if w.gmem[int(g)*w.cap+int(w.term[id].pos[m])] != id {
					t.Fatalf("term %d mode %d: position in group wrong", id, m)
				}
			}
		}
	}
	if groups != len(w.multi) {
		t.Fatalf("multi lists %d groups, want %d", len(w.multi), groups)
	}
	for x, i := range w.alive {
		for _, j := range w.alive[x+1:] {
			shared := 0
			for m := range 3 {
				if w.term[i].f[m] == w.term[j].f[m] {
					shared++
				}
			}
			if shared >= 2 {
				t.Fatalf("terms %d and %d share %d factors", i, j, shared)
			}
		}
	}
}

func TestNewRejectsLargeFormats(t *testing.T) {
	for _, f := range []tensorgame.Format{{N: 9, M: 8, P: 8}, {N: 8, M: 9, P: 8}, {N: 2, M: 2, P: 33}, {N: 1, M: 65, P: 1}} {
		if _, err := New(f, 1, Options{}); err == nil {
			t.Errorf("New(%v) succeeded, want an error", f)
		}
	}
	for _, f := range []tensorgame.Format{{N: 8, M: 8, P: 8}, {N: 1, M: 1, P: 1}, {N: 2, M: 32, P: 2}} {
		if _, err := New(f, 1, Options{}); err != nil {
			t.Errorf("New(%v): %v", f, err)
		}
	}
}

func TestStartRejects(t *testing.T) {
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	w, err := New(f, 1, Options{})
	if err != nil {
		t.Fatal(err)
	}
	other := tensorgame.Standard(tensorgame.Format{N: 2, M: 2, P: 3}, tensorgame.Z2)
	bad := tensorgame.Standard(f, tensorgame.Z2)
	bad.Terms = bad.Terms[1:]
	for name, s := range map[string]*tensorgame.Scheme{
		"format": other,
		"field":  tensorgame.Standard(f, tensorgame.Z),
		"verify": bad,
	} {
		if err := w.Start(s); err == nil {
			t.Errorf("Start(%s) succeeded, want an error", name)
		}
	}
}

// TestWalkInvariants walks random formats with random seeds and options and
// checks after every chunk that the scheme verifies and the index is exact.
func TestWalkInvariants(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		f := tensorgame.Format{
			N: rapid.IntRange(1, 3).Draw(rt, "n"),
			M: rapid.IntRange(1, 4).Draw(rt, "m"),
			P: rapid.IntRange(1, 3).Draw(rt, "p"),
		}
		seed := rapid.Uint64().Draw(rt, "seed")
		plus := rapid.Int64Range(1, 200).Draw(rt, "plusAfter")
		w := mustNew(t, f, seed, Options{PlusAfter: plus, Extra: 4})
		for range rapid.IntRange(1, 8).Draw(rt, "chunks") {
			steps := rapid.Int64Range(1, 300).Draw(rt, "steps")
			ceil := w.Rank() + rapid.IntRange(0, 3).Draw(rt, "above")
			w.Walk(steps, 0, ceil)
			if w.Rank() > max(ceil, f.Naive()) {
				rt.Fatalf("rank %d above ceiling %d", w.Rank(), ceil)
			}
			if err := tensorgame.Verify(w.Scheme()); err != nil {
				rt.Fatalf("after walk: %v", err)
			}
			checkIndex(t, w)
		}
	})
}

func TestReductionLowersRankByOne(t *testing.T) {
	f := tensorgame.Format{N: 3, M: 3, P: 3}
	w := mustNew(t, f, 7, Options{PlusAfter: -1})
	for w.Rank() > 23 {
		before := w.Rank()
		_, red0, _, _ := w.Counts()
		n := w.Walk(1<<20, before-1, before)
		if n == 0 {
			t.Fatalf("no flip possible at rank %d", before)
		}
		_, red1, _, _ := w.Counts()
		if w.Rank() == before {
			t.Logf("stuck at rank %d (fine; this seed)", before)
			break
		}
		if w.Rank() != before-1 || red1-red0 != 1 {
			t.Fatalf("rank %d -> %d with %d reductions, want exactly one", before, w.Rank(), red1-red0)
		}
		if err := tensorgame.Verify(w.Scheme()); err != nil {
			t.Fatal(err)
		}
	}
}

func TestWalkAllocatesNothing(t *testing.T) {
	w := mustNew(t, tensorgame.Format{N: 4, M: 4, P: 4}, 3, Options{PlusAfter: 100})
	w.Walk(10000, 0, 70)
	allocs := testing.AllocsPerRun(20, func() { w.Walk(5000, 0, 70) })
	if allocs != 0 {
		t.Errorf("Walk allocates %v times per call, want 0", allocs)
	}
}

func TestReproducible(t *testing.T) {
	f := tensorgame.Format{N: 3, M: 3, P: 3}
	a := mustNew(t, f, 42, Options{})
	b := mustNew(t, f, 42, Options{})
	a.Walk(50000, 0, 30)
	b.Walk(50000, 0, 30)
	if !a.Scheme().Equal(b.Scheme()) {
		t.Error("two walkers with the same seed diverged")
	}
}

func TestSetPlusAfter(t *testing.T) {
	f := tensorgame.Format{N: 3, M: 3, P: 3}
	for _, c := range []struct {
		name     string
		n        int64
		wantPlus bool
	}{
		{"never", -1, false},
		{"often", 50, true},
		{"default", 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := mustNew(t, f, 5, Options{PlusAfter: -1})
			w.Walk(200000, 0, 27)
			w.SetPlusAfter(c.n)
			_, _, plus0, _ := w.Counts()
			w.Walk(100000, 0, w.Rank()+2)
			_, _, plus1, _ := w.Counts()
			if got := plus1 > plus0; got != c.wantPlus {
				t.Errorf("SetPlusAfter(%d): plus transitions %d, want some: %v", c.n, plus1-plus0, c.wantPlus)
			}
		})
	}
}
