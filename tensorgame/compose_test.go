package tensorgame

import (
	"testing"
)

func TestPermute(t *testing.T) {
	s := Standard(Format{2, 3, 4}, Z)
	s.Terms = s.Terms[:len(s.Terms)-1] // broken on purpose: Permute keeps it broken
	for _, to := range []Format{{2, 3, 4}, {3, 4, 2}, {4, 2, 3}, {4, 3, 2}, {2, 4, 3}, {3, 2, 4}} {
		good, err := Permute(Standard(Format{2, 3, 4}, Z), to)
		if err != nil {
			t.Fatalf("Permute to %v: %v", to, err)
		}
		if good.Format != to {
			t.Errorf("Permute to %v gave %v", to, good.Format)
		}
		if err := Verify(good); err != nil {
			t.Errorf("Permute to %v: %v", to, err)
		}
		bad, err := Permute(s, to)
		if err != nil {
			t.Fatal(err)
		}
		if Verify(bad) == nil {
			t.Errorf("Permute of a broken scheme to %v verifies", to)
		}
	}
	if _, err := Permute(Standard(Format{2, 3, 4}, Z), Format{2, 3, 5}); err == nil {
		t.Error("Permute 2x3x4 to 2x3x5: no error")
	}
	st := strassen(t)
	same, _ := Permute(st, st.Format)
	same.Terms[0].U[0] = same.Terms[0].U[0].Add(Int(1))
	if err := Verify(st); err != nil {
		t.Errorf("changing the result of Permute to the same format changed its input: %v", err)
	}
}

func TestDirectSum(t *testing.T) {
	cases := []struct {
		ax   Axis
		a, b Format
		want Format
	}{
		{AxisN, Format{2, 2, 2}, Format{1, 2, 2}, Format{3, 2, 2}},
		{AxisM, Format{2, 2, 2}, Format{2, 3, 2}, Format{2, 5, 2}},
		{AxisP, Format{2, 2, 2}, Format{2, 2, 3}, Format{2, 2, 5}},
		{AxisP, Format{3, 1, 1}, Format{3, 1, 4}, Format{3, 1, 5}},
	}
	for _, field := range []Field{Z2, Z} {
		for _, c := range cases {
			a := Standard(c.a, field)
			if c.a == (Format{2, 2, 2}) {
				a = strassen(t)
				a.Field = field
				if field == Z2 {
					for i := range a.Terms {
						for _, fac := range [][]Rat{a.Terms[i].U, a.Terms[i].V, a.Terms[i].W} {
							for j := range fac {
								fac[j] = mod2(fac[j])
							}
						}
					}
				}
			}
			b := Standard(c.b, field)
			s, err := DirectSum(c.ax, a, b)
			if err != nil {
				t.Fatalf("%v %v+%v: %v", c.ax, c.a, c.b, err)
			}
			if s.Format != c.want || s.Rank() != a.Rank()+b.Rank() {
				t.Errorf("%v %v+%v: format %v rank %d", c.ax, c.a, c.b, s.Format, s.Rank())
			}
			if err := Verify(s); err != nil {
				t.Errorf("%v %v+%v over %v: %v", c.ax, c.a, c.b, field, err)
			}
			// Swapping the halves puts them in the wrong blocks unless both
			// formats agree: a sum of a broken part fails.
			broken := b.Clone()
			broken.Terms = broken.Terms[1:]
			if s, err := DirectSum(c.ax, a, broken); err != nil || Verify(s) == nil {
				t.Errorf("%v %v + broken %v: err %v, verifies", c.ax, c.a, c.b, err)
			}
		}
	}
	bad := []struct {
		ax   Axis
		a, b *Scheme
	}{
		{AxisN, Standard(Format{2, 2, 2}, Z), Standard(Format{2, 3, 2}, Z)},
		{AxisP, Standard(Format{2, 2, 2}, Z), Standard(Format{2, 2, 2}, Z2)},
		{Axis(3), Standard(Format{2, 2, 2}, Z), Standard(Format{2, 2, 2}, Z)},
	}
	for _, c := range bad {
		if _, err := DirectSum(c.ax, c.a, c.b); err == nil {
			t.Errorf("DirectSum(%v, %v over %v, %v over %v): no error", c.ax, c.a.Format, c.a.Field, c.b.Format, c.b.Field)
		}
	}
}

func TestCanonical(t *testing.T) {
	if got := (Format{5, 2, 4}).Canonical(); got != (Format{2, 4, 5}) {
		t.Errorf("Canonical(5x2x4) = %v", got)
	}
}

func TestBitTerm(t *testing.T) {
	f := Format{N: 2, M: 2, P: 3}
	got := BitTerm(f, [3]uint64{0b1001, 0b100001, 1<<6 | 1})
	one, zero := Int(1), Int(0)
	want := Term{
		U: []Rat{one, zero, zero, one},
		V: []Rat{one, zero, zero, zero, zero, one},
		W: []Rat{one, zero, zero, zero, zero, zero}, // bit 6 is beyond n·p = 6
	}
	if !got.Equal(want) {
		t.Errorf("BitTerm = %v, want %v", got, want)
	}
}
