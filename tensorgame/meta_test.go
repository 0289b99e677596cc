package tensorgame

import (
	"path/filepath"
	"slices"
	"testing"
)

// reduced returns s with its coefficients reduced mod 2, as a Z2 scheme.
func reduced(s *Scheme) *Scheme {
	c := s.Clone()
	c.Field = Z2
	for _, t := range c.Terms {
		for _, fac := range [][]Rat{t.U, t.V, t.W} {
			for i := range fac {
				fac[i] = mod2(fac[i])
			}
		}
	}
	return c
}

// laderman23 is AlphaTensor's 3x3x3 scheme of rank 23, shipped in schemes/.
func laderman23(tb testing.TB) *Scheme {
	tb.Helper()
	s, err := ReadFile(filepath.Join("..", "schemes", "3x3x3_r23_Z.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	if err := Verify(s); err != nil {
		tb.Fatal(err)
	}
	return s
}

func TestProduct(t *testing.T) {
	st := strassen(t)
	l := laderman23(t)
	cases := []struct {
		name string
		a, b *Scheme
		want Format
		rank int
	}{
		{"strassen⊗strassen", st, st, Format{4, 4, 4}, 49},
		{"strassen⊗3x3x3", st, l, Format{6, 6, 6}, 161},
		{"3x3x3⊗strassen", l, st, Format{6, 6, 6}, 161},
		{"standard 2x3x4⊗3x2x2", Standard(Format{2, 3, 4}, Z), Standard(Format{3, 2, 2}, Z), Format{6, 6, 8}, 24 * 12},
		{"strassen⊗standard 1x2x3", st, Standard(Format{1, 2, 3}, Z), Format{2, 4, 6}, 42},
	}
	for _, c := range cases {
		for _, field := range []Field{Z, Z2} {
			a, b := c.a, c.b
			if field == Z2 {
				a, b = reduced(a), reduced(b)
			}
			p, err := Product(a, b)
			if err != nil {
				t.Fatalf("%s over %v: %v", c.name, field, err)
			}
			if p.Format != c.want || p.Rank() != c.rank || p.Field != field {
				t.Errorf("%s over %v: %v rank %d over %v, want %v rank %d", c.name, field, p.Format, p.Rank(), p.Field, c.want, c.rank)
			}
			if err := Verify(p); err != nil {
				t.Errorf("%s over %v: %v", c.name, field, err)
			}
			if p.Origin == nil || p.Origin.Move != MoveProduct || len(p.Origin.Parents) != 2 ||
				p.Origin.Parents[0].Format != a.Format || p.Origin.Parents[1].Rank != b.Rank() {
				t.Errorf("%s over %v: origin %+v", c.name, field, p.Origin)
			}
		}
	}
	// A broken factor gives a broken product.
	bad := st.Clone()
	bad.Terms = bad.Terms[1:]
	p, err := Product(bad, st)
	if err != nil {
		t.Fatal(err)
	}
	if Verify(p) == nil {
		t.Error("product with a broken scheme verifies")
	}
	if _, err := Product(st, reduced(st)); err == nil {
		t.Error("product of Z and Z2 schemes: no error")
	}
	big := Standard(Format{8, 1, 1}, Z)
	if _, err := Product(big, Standard(Format{9, 1, 1}, Z)); err == nil {
		t.Error("product 72x1x1: no error above MaxDim")
	}
}

func TestExtend(t *testing.T) {
	st := strassen(t)
	for _, field := range []Field{Z, Z2} {
		s := st
		if field == Z2 {
			s = reduced(st)
		}
		for _, c := range []struct {
			ax   Axis
			k    int
			want Format
			rank int
		}{
			{AxisN, 1, Format{3, 2, 2}, 11},
			{AxisM, 1, Format{2, 3, 2}, 11},
			{AxisP, 2, Format{2, 2, 4}, 15},
		} {
			e, err := Extend(s, c.ax, c.k)
			if err != nil {
				t.Fatal(err)
			}
			if e.Format != c.want || e.Rank() != c.rank {
				t.Errorf("%v extend along %v by %d: %v rank %d, want %v rank %d", field, c.ax, c.k, e.Format, e.Rank(), c.want, c.rank)
			}
			if err := Verify(e); err != nil {
				t.Errorf("%v extend along %v by %d: %v", field, c.ax, c.k, err)
			}
			if e.Origin == nil || e.Origin.Move != MoveExtend {
				t.Errorf("origin %+v", e.Origin)
			}
		}
	}
	if _, err := Extend(st, AxisN, 0); err == nil {
		t.Error("extend by 0: no error")
	}
	if _, err := Extend(st, Axis(5), 1); err == nil {
		t.Error("extend along a bad axis: no error")
	}
}

func TestRestrictTo(t *testing.T) {
	l := laderman23(t)
	for _, field := range []Field{Z, Z2} {
		s := l
		if field == Z2 {
			s = reduced(l)
		}
		for _, c := range []struct {
			to      Format
			maxRank int
		}{
			{Format{3, 3, 3}, 23},
			{Format{2, 3, 3}, 23},
			{Format{3, 2, 3}, 23},
			{Format{2, 2, 3}, 23},
			{Format{2, 2, 2}, 23},
			{Format{1, 3, 3}, 9 + 14},
		} {
			r, err := RestrictTo(s, c.to)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != c.to || r.Rank() > c.maxRank || r.Rank() < c.to.Naive()/2 {
				t.Errorf("%v %v: %v rank %d", field, c.to, r.Format, r.Rank())
			}
			if err := Verify(r); err != nil {
				t.Errorf("%v restrict to %v: %v", field, c.to, err)
			}
			if r.Origin == nil || r.Origin.Move != MoveRestrict || r.Origin.Parents[0].Format != s.Format {
				t.Errorf("origin %+v", r.Origin)
			}
		}
		// One index fewer costs terms: restricting 3x3x3 to 2x3x3 drops
		// some, never adds.
		r, err := BestRestriction(s, AxisN)
		if err != nil {
			t.Fatal(err)
		}
		if r.Rank() >= s.Rank() {
			t.Errorf("%v: best restriction along n has rank %d, not below %d", field, r.Rank(), s.Rank())
		}
		if !slices.Equal(r.Origin.Lineage, []Move{MoveRestrict}) {
			t.Errorf("lineage %v", r.Origin.Lineage)
		}
	}
	if _, err := RestrictTo(l, Format{4, 3, 3}); err == nil {
		t.Error("restrict 3x3x3 to 4x3x3: no error")
	}
}
