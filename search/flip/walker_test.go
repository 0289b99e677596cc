package flip

import (
	"testing"

	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/search/walkkit/walktest"
	"github.com/alphamat/alphamat/tensorgame"
)

type tb = walktest.TB

// contract describes the walker to the walktest suite.
var contract = walktest.Config{
	New:    walktest.Adapt(New),
	Field:  tensorgame.Z2,
	Format: tensorgame.Format{N: 3, M: 3, P: 3},
	Other:  tensorgame.Format{N: 2, M: 2, P: 3},
	Room:   2,
	Check:  func(t testing.TB, w walkkit.Walker) { checkAny(t, w) },
}

// checkAny checks the internal invariants of a walker of any width.
func checkAny(t tb, w walkkit.Walker) {
	switch w := w.(type) {
	case *Walker[[1]uint64]:
		checkIndex(t, w)
	case *Walker[[2]uint64]:
		checkIndex(t, w)
	case *Walker[[4]uint64]:
		checkIndex(t, w)
	default:
		t.Fatalf("no check for a %T", w)
	}
}

func TestContract(t *testing.T) { walktest.Contract(t, contract) }

// TestContractWide runs the suite on the walkers of two and four words a
// factor on formats that would fit one.
func TestContractWide(t *testing.T) {
	walktest.Widths(t, contract, map[string]func(tensorgame.Format, uint64, Options) (walkkit.Walker, error){
		"wide2": walktest.Adapt(NewWalker[[2]uint64]),
		"wide4": walktest.Adapt(NewWalker[[4]uint64]),
	})
}

// TestWideFormats walks formats whose factors need two or four words up a
// few plus transitions and back down, keeping the scheme exact (see
// walktest.WideFormats).
func TestWideFormats(t *testing.T) {
	walktest.WideFormats(t, contract, []tensorgame.Format{{N: 9, M: 9, P: 9}, {N: 8, M: 8, P: 16}, {N: 3, M: 9, P: 9}, {N: 16, M: 16, P: 16}}, nil)
}

func mustNew(t tb, f tensorgame.Format, seed uint64, opts Options) *Walker[[1]uint64] {
	t.Helper()
	return walktest.MustStart(t, NewWalker[[1]uint64], f, tensorgame.Z2, seed, opts)
}

// checkIndex checks the walker's internal invariants: the index matches the
// terms, no factor is zero, and no two terms share two factors.
func checkIndex[F Factor](t tb, w *Walker[F]) {
	t.Helper()
	carriers := [3]map[F][]int32{{}, {}, {}}
	for p, id := range w.alive {
		if w.apos[id] != int32(p) {
			t.Fatalf("apos[%d] = %d, want %d", id, w.apos[id], p)
		}
		for m := range 3 {
			v := w.term[id].f[m]
			if walkkit.IsZero(v) {
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
			if !walkkit.IsZero(k) {
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

// TestSupports checks the formats New takes: factors of up to 256
// coefficients, so every format up to 16x16x16.
func TestSupports(t *testing.T) {
	walktest.Refuses(t, Supports, New, []walktest.Refusal{
		{F: tensorgame.Format{N: 17, M: 16, P: 16}, Want: "at most 256"},
		{F: tensorgame.Format{N: 16, M: 17, P: 16}, Want: "at most 256"},
		{F: tensorgame.Format{N: 2, M: 2, P: 129}, Want: "at most 256"},
		{F: tensorgame.Format{N: 1, M: 257, P: 1}, Want: "at most 256"},
		{F: tensorgame.Format{N: 0, M: 2, P: 2}, Want: "invalid format"},
	})
	walktest.Accepts(t, Supports, New, []tensorgame.Format{{N: 8, M: 8, P: 8}, {N: 1, M: 1, P: 1}, {N: 2, M: 32, P: 2}, {N: 9, M: 8, P: 8}, {N: 16, M: 16, P: 16}, {N: 1, M: 256, P: 1}})
}

// TestWalkInvariants walks random formats with random seeds and options and
// checks after every chunk that the scheme verifies and the index is exact.
func TestWalkInvariants(t *testing.T) { walktest.RandomWalks(t, contract, checkAny) }
