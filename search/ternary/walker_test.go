package ternary

import (
	"path/filepath"
	"testing"

	"pgregory.net/rapid"

	"github.com/alphamat/alphamat/internal/sharedtest"
	"github.com/alphamat/alphamat/search/ternary/internal/wide"
	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/search/walkkit/walktest"
	"github.com/alphamat/alphamat/tensorgame"
)

// contract describes the walker to the walktest suite.
var contract = walktest.Config{
	New:    walktest.Adapt(New),
	Field:  tensorgame.Z,
	Format: tensorgame.Format{N: 3, M: 3, P: 3},
	Other:  tensorgame.Format{N: 2, M: 2, P: 3},
	Room:   2,
	Missed: func(w walkkit.Walker) int64 { return w.(interface{ Rejected() int64 }).Rejected() },
	Check:  func(t testing.TB, w walkkit.Walker) { checkAll(t, w) },
}

// checkAll checks the scheme of w and, for the one-word walker, its index.
func checkAll(t walktest.TB, w walkkit.Walker) {
	t.Helper()
	checkScheme(t, w)
	if one, ok := w.(*Walker); ok {
		checkIndex(t, one)
	}
}

func TestContract(t *testing.T) { walktest.Contract(t, contract) }

// TestContractWide runs the suite on the walkers of two and four words a
// factor (internal/wide) on formats that would fit one.
func TestContractWide(t *testing.T) {
	walktest.Widths(t, contract, map[string]func(tensorgame.Format, uint64, Options) (walkkit.Walker, error){
		"wide2": walktest.Adapt(wide.NewWalker[[2]uint64]),
		"wide4": walktest.Adapt(wide.NewWalker[[4]uint64]),
	})
}

// TestWidthsAgree checks that the walker generic over its width
// (internal/wide) walks exactly as this package's one-word walker, whose
// index checkIndex checks, at each width: the same schemes, counts and
// rejected flips after every chunk of a walk from the same seed.
func TestWidthsAgree(t *testing.T) {
	widths := map[string]func(tensorgame.Format, uint64, Options) (walkkit.Walker, error){
		"wide1": walktest.Adapt(wide.NewWalker[[1]uint64]),
		"wide2": walktest.Adapt(wide.NewWalker[[2]uint64]),
		"wide4": walktest.Adapt(wide.NewWalker[[4]uint64]),
	}
	type rejecter interface{ Rejected() int64 }
	for _, f := range []tensorgame.Format{{N: 2, M: 2, P: 3}, {N: 3, M: 3, P: 3}, {N: 2, M: 3, P: 4}} {
		for seed := uint64(1); seed <= 2; seed++ {
			opts := Options{PlusAfter: 100, Extra: 4}
			one := mustNew(t, f, seed, opts)
			others := map[string]walkkit.Walker{}
			for name, newWalker := range widths {
				others[name] = walktest.MustStart(t, newWalker, f, tensorgame.Z, seed, opts)
			}
			for chunk := range 5 {
				one.Walk(4000, 0, f.Naive()+2)
				f1, r1, p1, _ := one.Counts()
				for name, w := range others {
					w.Walk(4000, 0, f.Naive()+2)
					f2, r2, p2, _ := w.Counts()
					if !w.Scheme().Equal(one.Scheme()) || f1 != f2 || r1 != r2 || p1 != p2 || w.(rejecter).Rejected() != one.Rejected() {
						t.Fatalf("%v seed %d chunk %d: %s walked otherwise than the one-word walker (flips %d/%d, reductions %d/%d, plus %d/%d)",
							f, seed, chunk, name, f2, f1, r2, r1, p2, p1)
					}
				}
			}
		}
	}
}

// TestWideFormats walks formats whose factors need two or four words: a
// few plus transitions from the standard algorithm, then back down through
// the reductions they open, keeping the scheme exact (see
// walktest.WideFormats).
func TestWideFormats(t *testing.T) {
	walktest.WideFormats(t, contract, []tensorgame.Format{{N: 9, M: 9, P: 9}, {N: 3, M: 9, P: 9}, {N: 12, M: 12, P: 12}}, func(t testing.TB, s *tensorgame.Scheme) {
		if c, _ := s.MaxAbs(); c > 1 {
			t.Fatalf("a coefficient of %d", c)
		}
	})
}

func mustNew(t walktest.TB, f tensorgame.Format, seed uint64, opts Options) *Walker {
	t.Helper()
	return walktest.MustStart(t, NewWalker, f, tensorgame.Z, seed, opts)
}

// sharedDir returns testdata/ at the module root (published schemes); the
// test fails when it is absent.
func sharedDir(t testing.TB) string {
	t.Helper()
	return sharedtest.Dir(t)
}

// checkScheme checks what every walk must keep: the scheme verifies over Z
// and every coefficient is -1, 0 or 1.
func checkScheme(t walktest.TB, w walkkit.Walker) {
	t.Helper()
	s := w.Scheme()
	if s.Field != tensorgame.Z || s.Rank() != w.Rank() {
		t.Fatalf("scheme over %v of rank %d, walker rank %d", s.Field, s.Rank(), w.Rank())
	}
	if err := tensorgame.Verify(s); err != nil {
		t.Fatalf("scheme does not verify: %v", err)
	}
	if n, d := s.MaxAbs(); n > 1 || d != 1 {
		t.Fatalf("coefficient %d/%d outside {-1, 0, 1}", n, d)
	}
}

// checkIndex checks the walker's internal invariants: the index matches the
// terms up to sign, no factor is zero or has a coefficient both +1 and -1,
// and two terms that share two factors up to sign cannot be merged within
// {-1, 0, 1}.
func checkIndex(t walktest.TB, w *Walker) {
	t.Helper()
	carriers := [3]map[tern][]int32{{}, {}, {}}
	for p, id := range w.alive {
		if w.term[id].apos != int32(p) {
			t.Fatalf("apos[%d] = %d, want %d", id, w.term[id].apos, p)
		}
		for m := range 3 {
			v := w.term[id].f[m]
			if v.isZero() || v.p&v.n != 0 || (w.dims[m] < 64 && (v.p|v.n)>>w.dims[m] != 0) {
				t.Fatalf("term %d factor %d is %+v", id, m, v)
			}
			k, _ := canon(v)
			carriers[m][k] = append(carriers[m][k], id)
		}
	}
	groups := 0
	for m := range 3 {
		n := 0
		for i, sl := range w.tab[m].slots {
			if k := sl.key; !k.isZero() {
				n++
				if j, ok := w.tab[m].slot(k); !ok || j != uint64(i) {
					t.Fatalf("mode %d: key %+v in slot %d is not found there", m, k, i)
				}
			}
		}
		if n != len(carriers[m]) {
			t.Fatalf("mode %d: table holds %d keys, terms carry %d values", m, n, len(carriers[m]))
		}
		for v, ids := range carriers[m] {
			i, ok := w.tab[m].slot(v)
			if !ok {
				t.Fatalf("mode %d: value %+v not in the table", m, v)
			}
			val := w.tab[m].slots[i].val
			if len(ids) == 1 {
				if val != ids[0] || w.term[ids[0]].pos[m] != -1 {
					t.Fatalf("mode %d: value %+v maps to %d (position %d), want term %d alone", m, v, val, w.term[ids[0]].pos[m], ids[0])
				}
				continue
			}
			groups++
			if val >= 0 {
				t.Fatalf("mode %d: value %+v of %d terms is not a group", m, v, len(ids))
			}
			g := -(val + 1)
			gp := w.grp[g]
			if gp.key != v || int(gp.mode) != m || int(gp.size) != len(ids) || w.multi[gp.multi] != g {
				t.Fatalf("mode %d: group %d = %+v, want key %+v with %d members, listed", m, g, gp, v, len(ids))
			}
			for _, id := range ids {
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
			var same [3]bool
			var neg [3]bool
			for m := range 3 {
				same[m], neg[m] = sameUpToSign(w.term[j].f[m], w.term[i].f[m])
			}
			for m := range 3 {
				a, b := next[m], prev[m]
				if same[a] && same[b] {
					if _, ok := add(w.term[j].f[m], signed(w.term[i].f[m], neg[a] != neg[b])); ok {
						t.Fatalf("terms %d and %d share two factors and merge in range", i, j)
					}
				}
			}
		}
	}
}

// TestSupports checks the formats New takes: factors of up to 256
// coefficients a sign, so every format up to 16x16x16.
func TestSupports(t *testing.T) {
	walktest.Refuses(t, Supports, New, []walktest.Refusal{
		{F: tensorgame.Format{N: 16, M: 16, P: 17}, Want: "at most 256"},
		{F: tensorgame.Format{N: 129, M: 2, P: 2}, Want: "at most 256"},
		{F: tensorgame.Format{}, Want: "invalid format"},
	})
	walktest.Accepts(t, Supports, New, []tensorgame.Format{{N: 8, M: 8, P: 8}, {N: 1, M: 1, P: 1}, {N: 2, M: 32, P: 2}, {N: 8, M: 9, P: 8}, {N: 16, M: 16, P: 16}})
}

// TestStartRejects checks what the walktest suite does not: a scheme over
// Q, and one that verifies with a coefficient out of {-1, 0, 1}.
func TestStartRejects(t *testing.T) {
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	w := mustNew(t, f, 1, Options{})
	before := w.Scheme()
	// 2·A[0][0]B[0][0] - A[0][0]B[0][0] verifies but does not fit.
	big := tensorgame.Standard(f, tensorgame.Z)
	twice := big.Terms[0].Clone()
	twice.U[0] = tensorgame.Int(2)
	minus := big.Terms[0].Clone()
	minus.W[0] = tensorgame.Int(-1)
	big.Terms = append(big.Terms[1:], twice, minus)
	if err := tensorgame.Verify(big); err != nil {
		t.Fatal(err)
	}
	half := tensorgame.Standard(f, tensorgame.Q)
	half.Terms[0].U[0] = tensorgame.NewRat(1, 2)
	half.Terms[0].W[0] = tensorgame.Int(2)
	for name, s := range map[string]*tensorgame.Scheme{
		"field Q":     half,
		"coefficient": big,
	} {
		if err := w.Start(s); err == nil {
			t.Errorf("Start(%s) succeeded, want an error", name)
		}
	}
	if !w.Scheme().Equal(before) {
		t.Error("a rejected Start changed the walker")
	}
}

// TestStartPublished starts from the published Z schemes with coefficients
// in {-1, 0, 1} (Strassen, Laderman-size ones ...) and walks.
func TestStartPublished(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedDir(t), "published", "alphatensor", "*_Z.txt"))
	n := 0
	for _, path := range files {
		s, err := tensorgame.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if c, _ := s.MaxAbs(); c > 1 || s.Format.N*s.Format.M > 64 || s.Format.M*s.Format.P > 64 || s.Format.N*s.Format.P > 64 || s.Rank() > 100 {
			continue
		}
		w, err := NewWalker(s.Format, 1, Options{PlusAfter: 500})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Start(s); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if w.Rank() != s.Rank() {
			t.Errorf("%s: rank %d after Start, want %d", path, w.Rank(), s.Rank())
		}
		w.Walk(2000, 0, s.Rank()+2)
		checkScheme(t, w)
		checkIndex(t, w)
		n++
	}
	if n == 0 {
		t.Fatal("no published ternary schemes")
	}
}

// TestWalkKeepsTernary walks random formats with random seeds and options
// and checks after every chunk that the scheme verifies, its coefficients
// stay in {-1, 0, 1} and the index is exact.
func TestWalkKeepsTernary(t *testing.T) { walktest.RandomWalks(t, contract, checkAll) }

// TestReachesKnownRanks walks down from the standard algorithm to the best
// known ranks of small formats (2x2x2: 7, Strassen; 2x2x3: 11; 3x3x3: 23,
// Laderman; not under the race detector) with one walker and a fixed seed.
func TestReachesKnownRanks(t *testing.T) {
	cases := []struct {
		f      tensorgame.Format
		target int
	}{{tensorgame.Format{N: 2, M: 2, P: 2}, 7}, {tensorgame.Format{N: 2, M: 2, P: 3}, 11}}
	if !raceEnabled {
		cases = append(cases, struct {
			f      tensorgame.Format
			target int
		}{tensorgame.Format{N: 3, M: 3, P: 3}, 23})
	}
	for _, c := range cases {
		w := mustNew(t, c.f, 1, Options{})
		var flips int64
		for w.Rank() > c.target && flips < 20_000_000 {
			flips += w.Walk(1_000_000, c.target, c.f.Naive())
		}
		if w.Rank() > c.target {
			t.Errorf("%v: rank %d after %d flips, want %d", c.f, w.Rank(), flips, c.target)
			continue
		}
		checkScheme(t, w)
		t.Logf("%v: rank %d after %d flips", c.f, w.Rank(), flips)
	}
}

func TestTernArithmetic(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(1, 64).Draw(rt, "n")
		draw := func(name string) ([]int, tern) {
			vals := rapid.SliceOfN(rapid.IntRange(-1, 1), n, n).Draw(rt, name)
			var x tern
			for i, v := range vals {
				switch v {
				case 1:
					x.p |= 1 << i
				case -1:
					x.n |= 1 << i
				}
			}
			return vals, x
		}
		xs, x := draw("x")
		ys, y := draw("y")
		sum, ok := add(x, y)
		inRange := true
		for i := range n {
			s := xs[i] + ys[i]
			if s < -1 || s > 1 {
				inRange = false
				continue
			}
			got := int(sum.p>>i&1) - int(sum.n>>i&1)
			if ok && got != s {
				rt.Fatalf("coefficient %d: %d + %d = %d, got %d", i, xs[i], ys[i], s, got)
			}
		}
		if ok != inRange {
			rt.Fatalf("add reports in range %v, want %v", ok, inRange)
		}
		if x.isZero() {
			return
		}
		c, negated := canon(x)
		if c != signed(x, negated) || c.p&(c.p|c.n)&-(c.p|c.n) == 0 {
			rt.Fatalf("canon(%+v) = %+v, %v", x, c, negated)
		}
		if c2, _ := canon(x.neg()); c2 != c {
			rt.Fatalf("canon(-x) = %+v, canon(x) = %+v", c2, c)
		}
	})
}
