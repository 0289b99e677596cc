package meta

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/alphamat/alphamat/search/pool"
	"github.com/alphamat/alphamat/tensorgame"
)

func fm(n, m, p int) tensorgame.Format { return tensorgame.Format{N: n, M: m, P: p} }

// held is a Held over a map of schemes, each list lowest rank first.
type held map[tensorgame.Format][]*tensorgame.Scheme

func (h held) Rank(f tensorgame.Format, field tensorgame.Field) int {
	if ss := h[f]; len(ss) > 0 && ss[0].Field == field {
		return ss[0].Rank()
	}
	return 0
}

func (h held) Schemes(f tensorgame.Format, field tensorgame.Field, n int) []*tensorgame.Scheme {
	if h.Rank(f, field) == 0 {
		return nil
	}
	return h[f][:min(n, len(h[f]))]
}

// shipped reads and verifies schemes/<name> (a Z scheme), carried to its
// canonical format.
func shipped(t *testing.T, name string) *tensorgame.Scheme {
	t.Helper()
	s, err := tensorgame.ReadFile(filepath.Join("..", "..", "schemes", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := tensorgame.Verify(s); err != nil {
		t.Fatal(err)
	}
	c, err := tensorgame.Permute(s, s.Format.Canonical())
	if err != nil {
		t.Fatal(err)
	}
	c.Origin = tensorgame.Derive(tensorgame.MovePublished)
	return c
}

func heldOf(t *testing.T, names ...string) held {
	h := held{}
	for _, n := range names {
		s := shipped(t, n)
		h[s.Format] = append(h[s.Format], s)
	}
	return h
}

func TestSum(t *testing.T) {
	strassen := heldOf(t, "2x2x2_r7_Z_strassen.txt")
	both := heldOf(t, "2x2x2_r7_Z_strassen.txt", "3x3x3_r23_Z.txt")
	for _, c := range []struct {
		f    tensorgame.Format
		h    held
		want int // 0: no sum beats the standard algorithm
	}{
		{fm(2, 2, 3), strassen, 11},  // 2x2x2 + 2x2x1 (an extension)
		{fm(2, 2, 4), strassen, 14},  // 7 + 7
		{fm(2, 2, 5), strassen, 18},  // 7 + 7 + 4: three parts
		{fm(5, 2, 2), strassen, 18},  // the same, another orientation
		{fm(4, 4, 4), strassen, 56},  // 8 Strassens: sums along all three sizes
		{fm(3, 3, 5), both, 23 + 17}, // 3x3x3 + 3x3x2 (= 3x2x2 + 3x2x1 = 2x2x2 + 2x2x1 + 3x2x1)
		{fm(2, 3, 3), held{}, 0},     // nothing held
		{fm(2, 2, 2), strassen, 0},   // sums of smaller formats are standard
	} {
		if got := SumRank(c.f, tensorgame.Z, c.h); c.want > 0 && got != c.want || c.want == 0 && got != c.f.Naive() {
			t.Errorf("SumRank(%v) = %d, want %d", c.f, got, c.want)
		}
		s, err := Sum(c.f, tensorgame.Z, c.h)
		if err != nil {
			t.Fatalf("Sum(%v): %v", c.f, err)
		}
		if c.want == 0 {
			if s != nil {
				t.Errorf("Sum(%v) = rank %d, want none", c.f, s.Rank())
			}
			continue
		}
		if s == nil || s.Rank() != c.want || s.Format != c.f {
			t.Errorf("Sum(%v) = %v, want rank %d", c.f, desc(s), c.want)
			continue
		}
		if err := tensorgame.Verify(s); err != nil {
			t.Errorf("Sum(%v): %v", c.f, err)
		}
		if s.Origin == nil || s.Origin.Move != tensorgame.MoveSum || len(s.Origin.Parents) != 2 {
			t.Errorf("Sum(%v): origin %+v, want a sum of two parents", c.f, s.Origin)
		}
	}
}

// twoParts is the composite of reproduce before Sum: the first split of f
// of least rank whose two parts are the held best or standard.
func twoParts(t *testing.T, f tensorgame.Format, h held) *tensorgame.Scheme {
	t.Helper()
	part := func(g tensorgame.Format) *tensorgame.Scheme {
		if ss := h.Schemes(g.Canonical(), tensorgame.Z, 1); len(ss) > 0 {
			p, err := tensorgame.Permute(ss[0], g)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		return tensorgame.Standard(g, tensorgame.Z)
	}
	var best *tensorgame.Scheme
	for _, sp := range Splits(f) {
		a, b := part(sp.A), part(sp.B)
		if a.Rank()+b.Rank() >= f.Naive() || best != nil && a.Rank()+b.Rank() >= best.Rank() {
			continue
		}
		s, err := tensorgame.DirectSum(sp.Axis, a, b)
		if err != nil {
			t.Fatal(err)
		}
		best = s
	}
	return best
}

// TestSumTwoParts checks Sum against the two-part sums of held schemes (the
// composites of reproduce before Sum replaced them): never of higher rank,
// and the same scheme (the same split, the same terms) unless a chain of
// sums beats it (5x4x3: 3x4x3 is not held, but 3x3x4 = 3x3x3 + 3x3x1 is 32).
func TestSumTwoParts(t *testing.T) {
	h := heldOf(t, "2x2x2_r7_Z_strassen.txt", "2x2x3_r11_Z.txt", "2x3x4_r20_Z.txt", "3x3x3_r23_Z.txt", "3x4x5_r47_Z.txt", "4x4x4_r49_Z.txt")
	for _, c := range []struct {
		f     tensorgame.Format
		chain bool // a chain of sums beats two parts
	}{{fm(2, 2, 4), false}, {fm(2, 3, 5), false}, {fm(2, 4, 4), false}, {fm(3, 3, 4), false}, {fm(3, 4, 7), false},
		{fm(4, 4, 5), false}, {fm(4, 4, 8), false}, {fm(5, 4, 3), true}} {
		want := twoParts(t, c.f, h)
		got, err := Sum(c.f, tensorgame.Z, h)
		if err != nil {
			t.Fatal(err)
		}
		if got == nil || want == nil || c.chain != (got.Rank() < want.Rank()) || !c.chain && got.Hash() != want.Hash() {
			t.Errorf("%v: Sum %v, two parts %v", c.f, desc(got), desc(want))
		}
	}
}

func TestRestrictions(t *testing.T) {
	h := heldOf(t, "3x3x3_r23_Z.txt", "4x4x4_r49_Z.txt", "4x4x4_r49_Z_tpu-v2.txt")
	for _, c := range []struct {
		f       tensorgame.Format
		n, want int // results, the best rank at most
	}{
		{fm(2, 3, 3), 1, 17},
		{fm(3, 2, 3), 1, 17},
		{fm(3, 4, 4), 2, 42},
		{fm(2, 2, 3), 0, 0}, // nothing one size above held
	} {
		rs, err := Restrictions(c.f, tensorgame.Z, h, 4, 8)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != c.n {
			t.Errorf("Restrictions(%v): %d schemes, want %d", c.f, len(rs), c.n)
			continue
		}
		for i, s := range rs {
			if s.Format != c.f || tensorgame.Verify(s) != nil || s.Origin.Move != tensorgame.MoveRestrict {
				t.Errorf("Restrictions(%v)[%d]: format %v, origin %+v", c.f, i, s.Format, s.Origin)
			}
			if i > 0 && s.Rank() < rs[i-1].Rank() {
				t.Errorf("Restrictions(%v): ranks not ascending", c.f)
			}
		}
		if c.n > 0 && rs[0].Rank() > c.want {
			t.Errorf("Restrictions(%v): best rank %d, want at most %d", c.f, rs[0].Rank(), c.want)
		}
	}
}

func TestProduct(t *testing.T) {
	h := heldOf(t, "2x2x2_r7_Z_strassen.txt", "3x3x3_r23_Z.txt", "2x2x3_r11_Z.txt")
	for _, c := range []struct {
		f    tensorgame.Format
		want int // 0: none
	}{
		{fm(4, 4, 4), 49},
		{fm(6, 6, 6), 161},
		{fm(4, 6, 4), 77}, // 2x2x2 ⊗ 2x3x2
		{fm(6, 6, 9), 253},
		{fm(4, 4, 5), 0}, // 5 is prime
		{fm(2, 2, 4), 0}, // 2x2x2 ⊗ 1x1x2 has a size of 1
	} {
		if got := ProductRank(c.f, tensorgame.Z, h); c.want > 0 && got != c.want || c.want == 0 && got != c.f.Naive() {
			t.Errorf("ProductRank(%v) = %d, want %d", c.f, got, c.want)
		}
		s, err := Product(c.f, tensorgame.Z, h)
		if err != nil {
			t.Fatal(err)
		}
		if c.want == 0 {
			if s != nil {
				t.Errorf("Product(%v): rank %d, want none", c.f, s.Rank())
			}
			continue
		}
		if s == nil || s.Format != c.f || s.Rank() != c.want || s.Origin.Move != tensorgame.MoveProduct {
			t.Errorf("Product(%v) = %v, want rank %d", c.f, desc(s), c.want)
		}
	}
}

func TestCyclic(t *testing.T) {
	for _, c := range []struct {
		f    tensorgame.Format
		want bool
	}{
		{fm(4, 4, 4), false},
		{fm(5, 5, 5), true},
		{fm(4, 5, 5), true},
		{fm(5, 4, 5), true},
		{fm(3, 5, 5), false},
		{fm(4, 4, 5), false},
		{fm(5, 6, 6), true},
		{fm(8, 8, 8), true},
		{fm(9, 9, 9), true}, // wide factors
		{fm(8, 9, 9), true},
		{fm(16, 16, 16), true},
		{fm(17, 17, 17), false}, // beyond the cyclic walker
		{fm(15, 16, 17), false},
		{fm(6, 6, 6), true},
		{fm(5, 5, 4), true},
		{fm(3, 4, 4), false},
	} {
		if got := Cyclic(c.f); got != c.want {
			t.Errorf("Cyclic(%v) = %v, want %v", c.f, got, c.want)
		}
	}
}

func TestOneAbove(t *testing.T) {
	for _, c := range []struct {
		g, f tensorgame.Format
		want bool
	}{
		{fm(5, 5, 5), fm(4, 5, 5), true},
		{fm(4, 5, 5), fm(5, 5, 4), false},
		{fm(5, 4, 5), fm(4, 4, 5), true},
		{fm(4, 4, 6), fm(4, 4, 5), true},
		{fm(5, 5, 5), fm(3, 5, 5), false},
		{fm(3, 5, 5), fm(4, 5, 5), false},
		{fm(4, 4, 5), fm(3, 5, 5), false},
	} {
		if got := OneAbove(c.g, c.f); got != c.want {
			t.Errorf("OneAbove(%v, %v) = %v, want %v", c.g, c.f, got, c.want)
		}
	}
}

func TestParts(t *testing.T) {
	got := Parts(fm(2, 3, 5))
	want := []tensorgame.Format{fm(2, 3, 3), fm(2, 2, 5), fm(2, 3, 4), fm(2, 2, 3)}
	if len(got) != len(want) {
		t.Errorf("Parts(2x3x5) = %v, want %v in any order", got, want)
	}
	for _, f := range want {
		if !slices.Contains(got, f) {
			t.Errorf("Parts(2x3x5) = %v, lacks %v", got, f)
		}
	}
	for _, f := range got {
		if f != f.Canonical() || f.N < 2 {
			t.Errorf("Parts(2x3x5) has %v", f)
		}
	}
}

// desc describes s in a line.
func desc(s *tensorgame.Scheme) string {
	if s == nil {
		return "none"
	}
	return fmt.Sprintf("%v rank %d", s.Format, s.Rank())
}

func TestRuns(t *testing.T) {
	dir := t.TempDir()
	s := shipped(t, "2x2x2_r7_Z_strassen.txt")
	p, err := pool.Open(filepath.Join(dir, pool.RunName(s.Format, s.Field)), s.Format, s.Field, pool.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Add(s); err != nil {
		t.Fatal(err)
	}
	runs := &Runs{Dir: dir}
	if r := runs.Rank(s.Format, s.Field); r != 7 {
		t.Errorf("rank %d, want 7", r)
	}
	if ss := runs.Schemes(s.Format, s.Field, 4); len(ss) != 1 || ss[0].Rank() != 7 {
		t.Errorf("%d schemes, want one of rank 7", len(ss))
	}
	if r := runs.Rank(fm(2, 2, 3), tensorgame.Z); r != 0 || runs.Err != nil {
		t.Errorf("a format without a directory: rank %d, error %v", r, runs.Err)
	}
	// A corrupt scheme file: the error is kept.
	f := fm(2, 2, 3)
	bad := filepath.Join(dir, pool.RunName(f, tensorgame.Z))
	if err := os.MkdirAll(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bad, pool.FileName(f, tensorgame.Z, 11)), []byte("not a scheme\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runs.Rank(f, tensorgame.Z); r != 0 || runs.Err == nil {
		t.Errorf("a corrupt file: rank %d, error %v; want 0 and an error", r, runs.Err)
	}
}
