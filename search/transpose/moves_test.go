package transpose

import (
	"math/bits"
	"testing"

	"pgregory.net/rapid"

	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/tensorgame"
)

// one is the factor of one word, the width of the tests' formats.
type one = [1]uint64

// transposeBits is walkkit.Transpose on one word.
func transposeBits(rows, cols int, x uint64) uint64 {
	return walkkit.Transpose(rows, cols, one{x})[0]
}

// words returns the factors x at the width of one word.
func words(x [3]uint64) [3]one { return [3]one{{x[0]}, {x[1]}, {x[2]}} }

// sum returns the tensor of the terms (coordinates x, y = vᵀ, z over Z2)
// as the set of its nonzero entries.
func sum(terms [][3]uint64) map[[3]int]bool {
	out := map[[3]int]bool{}
	for _, t := range terms {
		for a := t[0]; a != 0; a &= a - 1 {
			for b := t[1]; b != 0; b &= b - 1 {
				for c := t[2]; c != 0; c &= c - 1 {
					key := [3]int{bits.TrailingZeros64(a), bits.TrailingZeros64(b), bits.TrailingZeros64(c)}
					if out[key] {
						delete(out, key)
					} else {
						out[key] = true
					}
				}
			}
		}
	}
	return out
}

func equalTensors(a, b [][3]uint64) bool {
	sa, sb := sum(a), sum(b)
	if len(sa) != len(sb) {
		return false
	}
	for k := range sa {
		if !sb[k] {
			return false
		}
	}
	return true
}

// TestIdentities checks the formulas of the moves in the package
// documentation as tensor identities over Z2, on random factors: x, y, a,
// b are n×m, z, c n×n, s symmetric; an orbit is listed as its two terms.
func TestIdentities(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		n := rapid.IntRange(1, 3).Draw(rt, "n")
		m := rapid.IntRange(1, 3).Draw(rt, "m")
		ab, cc := uint64(1)<<(n*m)-1, uint64(1)<<(n*n)-1
		vec := func(name string) uint64 { return rapid.Uint64Range(1, ab).Draw(rt, name) }
		mat := func(name string) uint64 { return rapid.Uint64Range(1, cc).Draw(rt, name) }
		tr := func(z uint64) uint64 { return transposeBits(n, n, z) }
		orbit := func(x, y, z uint64) [][3]uint64 { return [][3]uint64{{x, y, z}, {y, x, tr(z)}} }
		fixed := func(x, s uint64) [][3]uint64 { return [][3]uint64{{x, x, s}} }
		cat := func(parts ...[][3]uint64) [][3]uint64 {
			var out [][3]uint64
			for _, p := range parts {
				out = append(out, p...)
			}
			return out
		}
		x, y, a, b := vec("x"), vec("y"), vec("a"), vec("b")
		z, c, s0 := mat("z"), mat("c"), mat("s")
		s := s0 | tr(s0)
		for _, tc := range []struct {
			name          string
			before, after [][3]uint64
		}{
			{"orbit flip", cat(orbit(x, y, z), orbit(x, b, c)), cat(orbit(x, y^b, z), orbit(x, b, c^z))},
			{"orbit flip on z", cat(orbit(x, y, z), orbit(a, b, z)), cat(orbit(x^a, y, z), orbit(a, b^y, z))},
			{"orbit merge", cat(orbit(x, y, z), orbit(x, y, c)), orbit(x, y, z^c)},
			{"orbit collapse", orbit(x, x, z), fixed(x, z^tr(z))},
			{"orbit vanishes", orbit(x, x, s), nil},
			{"fixed merge", cat(fixed(x, s), fixed(x, c|tr(c))), fixed(x, s^(c|tr(c)))},
			{"fixed and orbit merge", cat(fixed(x, s), orbit(x, y, s)), cat(fixed(x^y, s), fixed(y, s))},
			{"fixed and orbit (a, b, s), x = a+b", cat(fixed(a^b, s), orbit(a, b, s)), cat(fixed(a, s), fixed(b, s))},
			{"fixed flip", cat(fixed(x, s), orbit(x, y, z)), cat(fixed(x, s^z^tr(z)), orbit(x, x^y, z))},
			{"self flip", orbit(x, y, s), orbit(x, x^y, s)},
			{"triangle", cat(fixed(x, s), orbit(a, b, s)), cat(fixed(x^a, s), fixed(x^b, s), fixed(x^a^b, s))},
			{"triangle back", cat(fixed(x, s), fixed(a, s), fixed(b, s)), cat(fixed(x^a^b, s), orbit(a^b, x^b, s))},
			{"plain plus", cat(orbit(x, y, z), orbit(a, b, c)), cat(orbit(x^a, y, z), orbit(a, y^b, z), orbit(a, b, z^c))},
			{"fixed split", cat(fixed(x, s), orbit(x, b, c)), cat(fixed(b, s), fixed(x^b, s), orbit(x, b, s^c))},
			{"fixed plus", cat(fixed(x, s), fixed(a, s)), cat(fixed(x^a, s), orbit(x, a, s))},
		} {
			if !equalTensors(tc.before, tc.after) {
				rt.Fatalf("%s: %x and %x differ", tc.name, tc.before, tc.after)
			}
		}
	})
}

// find returns the first live ids i, j (i fixed when fixedI, j fixed when
// fixedJ) for which ok holds, or -1, -1.
func find(w *Walker[one], fixedI, fixedJ bool, ok func(i, j int32) bool) (int32, int32) {
	for _, i := range w.ids.Alive {
		for _, j := range w.ids.Alive {
			if i != j && w.ids.Fixed[i] == fixedI && w.ids.Fixed[j] == fixedJ && ok(i, j) {
				return i, j
			}
		}
	}
	return -1, -1
}

// TestMoves makes each move of the walker once on a scheme where it
// applies and checks the scheme (it verifies, is symmetric, nothing is
// left to merge) and the change of the rank and of the numbers of fixed
// terms and orbits; when the move enabled reductions, that the rank fell
// below what the move alone gives.
func TestMoves(t *testing.T) {
	for _, tc := range []struct {
		name string
		// prepare walks the standard 3x3x3 scheme to a state where the move
		// applies (nil: none), move makes it and reports whether it could.
		prepare            func(w *Walker[one])
		move               func(w *Walker[one]) bool
		rank, orbs, fixeds int // the changes
	}{
		{"triangle of three fixed terms", nil, func(w *Walker[one]) bool {
			// The standard algorithm's (e_ij, e_ij, e_ii), j = 1, 2, 3.
			var ids []int32
			for _, id := range w.ids.Alive {
				if w.ids.Fixed[id] && w.orb[id][2] == (one{1}) {
					ids = append(ids, id)
				}
			}
			if len(ids) != 3 {
				return false
			}
			w.triangleFixed(ids[0], ids[1], ids[2])
			w.drain()
			return true
		}, 0, +1, -2},
		{"triangle of a fixed term and an orbit", func(w *Walker[one]) {
			for _, id := range w.ids.Alive {
				if w.ids.Fixed[id] && w.orb[id][2] == (one{1}) {
					f2, f3 := find(w, true, true, func(i, j int32) bool {
						return i != id && j != id && w.orb[i][2] == (one{1}) && w.orb[j][2] == (one{1}) && i < j
					})
					w.triangleFixed(id, f2, f3)
					w.drain()
					return
				}
			}
		}, func(w *Walker[one]) bool {
			f, o := find(w, true, false, func(i, j int32) bool { return w.orb[i][2] == w.orb[j][2] })
			if f < 0 {
				return false
			}
			w.triangleOrbit(f, o)
			w.drain()
			return true
		}, 0, -1, +2},
		{"fixed flip", nil, func(w *Walker[one]) bool {
			f, o := find(w, true, false, func(i, j int32) bool { return w.orb[i][0] == w.orb[j][0] })
			if f < 0 {
				return false
			}
			w.fixedFlip(f, o, 0)
			w.drain()
			return true
		}, 0, 0, 0},
		{"fixed split", nil, func(w *Walker[one]) bool {
			for r := uint64(0); r < 1<<36; r += 1<<28 | 1 {
				if w.fixedSplit(r) {
					return true
				}
			}
			return false
		}, +1, 0, +1},
		{"plain plus", nil, func(w *Walker[one]) bool {
			for range 100 {
				if w.rng.Next()>>63 == 0 && w.plusMove(w.Rank()+2) {
					return true
				}
			}
			return false
		}, +2, +1, 0},
	} {
		w := mustNew(t, 3, 3, 1, Options{})
		if tc.prepare != nil {
			tc.prepare(w)
			checkWalker(t, w)
		}
		r0 := w.Rank()
		o0, f0 := w.Orbits()
		_, red0, _, _ := w.Counts()
		if !tc.move(w) {
			t.Errorf("%s: found no place for the move", tc.name)
			continue
		}
		checkWalker(t, w)
		o1, f1 := w.Orbits()
		_, red1, _, _ := w.Counts()
		d := [3]int{w.Rank() - r0, o1 - o0, f1 - f0}
		switch want := [3]int{tc.rank, tc.orbs, tc.fixeds}; {
		case red1 == red0 && d != want:
			t.Errorf("%s: rank, orbits, fixed terms change by %v, want %v", tc.name, d, want)
		case red1 > red0 && d[0] >= want[0]:
			t.Errorf("%s: %d reductions after the move, and the rank changes by %d", tc.name, red1-red0, d[0])
		}
	}
}

// TestReduceSlice checks that Start reduces a slice: Strassen's scheme
// plus the fixed terms (y1, y1, s), (y2, y2, s), (y1+y2, y1+y2, s) and the
// orbit of (y1, y2, s), whose sum is 0 (the three fixed terms make
// y1⊗y2 + y2⊗y1, ⊗ s), starts at Strassen's rank 7.
func TestReduceSlice(t *testing.T) {
	f := tensorgame.Format{N: 2, M: 2, P: 2}
	s := strassen()
	const e11, e12, e21, e22 = 1, 2, 4, 8
	y1, y2, sym := uint64(e11|e12), uint64(e22), uint64(e12|e21)
	for _, y := range []uint64{y1, y2, y1 ^ y2} {
		s.Terms = append(s.Terms, walkkit.FactorsTerm(f, toTerm(2, 2, words([3]uint64{y, y, sym}))))
	}
	s.Terms = append(s.Terms, orbitTerms(2, 2, [3]uint64{y1, y2, sym})...)
	if err := tensorgame.Verify(s); err != nil {
		t.Fatal(err)
	}
	w := mustNew(t, 2, 2, 1, Options{})
	if err := w.Start(s); err != nil {
		t.Fatal(err)
	}
	checkWalker(t, w)
	if w.Rank() != 7 {
		t.Errorf("rank %d after Start, want 7", w.Rank())
	}
}

// orbitTerms returns the two terms of the orbit of x in tensorgame's form.
func orbitTerms(n, m int, x [3]uint64) []tensorgame.Term {
	f := tensorgame.Format{N: n, M: m, P: n}
	y := [3]uint64{x[1], x[0], transposeBits(n, n, x[2])}
	return []tensorgame.Term{walkkit.FactorsTerm(f, toTerm(n, m, words(x))), walkkit.FactorsTerm(f, toTerm(n, m, words(y)))}
}
