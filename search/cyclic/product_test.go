package cyclic

import (
	"strings"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

func TestProductStart(t *testing.T) {
	for _, tc := range []struct {
		n, rank, fixed int
		parents        [2]int // sizes of the two factors of the last product
	}{
		// 2x2x2 at 7 (1 fixed term), 3x3x3 at 23 (2 fixed terms): their
		// products have the products of the fixed terms.
		{4, 49, 1, [2]int{2, 2}},
		{6, 161, 2, [2]int{2, 3}},
		{8, 343, 1, [2]int{2, 4}},
		{9, 529, 4, [2]int{3, 3}},
	} {
		f := tensorgame.Format{N: tc.n, M: tc.n, P: tc.n}
		s, err := ProductStart(f)
		if err != nil {
			t.Errorf("%v: %v", f, err)
			continue
		}
		if s.Format != f || s.Field != tensorgame.Z2 {
			t.Errorf("%v: a scheme of %v over %v", f, s.Format, s.Field)
		}
		if err := tensorgame.Verify(s); err != nil {
			t.Errorf("%v: %v", f, err)
		}
		if !Symmetric(s) {
			t.Errorf("%v: not cyclic-symmetric", f)
		}
		if s.Rank() != tc.rank {
			t.Errorf("%v: rank %d, want %d", f, s.Rank(), tc.rank)
		}
		o := s.Origin
		if o == nil || o.Move != tensorgame.MoveProduct || len(o.Parents) != 2 {
			t.Errorf("%v: origin %+v, want a product of two parents", f, o)
		} else {
			for i, p := range o.Parents {
				if n := tc.parents[i]; p.Format != (tensorgame.Format{N: n, M: n, P: n}) || p.Field != tensorgame.Z2 {
					t.Errorf("%v: parent %d is %v over %v, want %dx%dx%d over Z2", f, i, p.Format, p.Field, n, n, n)
				}
			}
		}
		// The walker takes it as it is, with the fixed terms of the factors.
		w, err := New(f, 1, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Start(s); err != nil {
			t.Errorf("%v: Start: %v", f, err)
			continue
		}
		if w.Rank() != tc.rank {
			t.Errorf("%v: the walker merged the start to rank %d", f, w.Rank())
		}
		if _, fixed := orbitCount(t, w); fixed != tc.fixed {
			t.Errorf("%v: %d fixed terms, want %d", f, fixed, tc.fixed)
		}
	}
}

// orbitCount returns the orbits and fixed terms of the current scheme of
// w, a cyclic walker of any width.
func orbitCount(t *testing.T, w any) (orbits, fixed int) {
	t.Helper()
	switch w := w.(type) {
	case *Walker[[1]uint64]:
		return w.Orbits()
	case *Walker[[2]uint64]:
		return w.Orbits()
	case *Walker[[4]uint64]:
		return w.Orbits()
	}
	t.Fatalf("a walker of type %T", w)
	return 0, 0
}

// TestProductStartPrimeFactor checks 10x10x10 = 2x2x2 ⊗ 5x5x5, whose 5x5x5
// factor comes from one short descent: below Strassen ⊗ the standard
// 5x5x5 (7·125).
func TestProductStartPrimeFactor(t *testing.T) {
	f := tensorgame.Format{N: 10, M: 10, P: 10}
	s, err := ProductStart(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := tensorgame.Verify(s); err != nil {
		t.Fatal(err)
	}
	if !Symmetric(s) {
		t.Error("not cyclic-symmetric")
	}
	if r := s.Rank(); r%7 != 0 || r >= 7*125 {
		t.Errorf("rank %d, want 7 times a 5x5x5 rank below 125", r)
	}
	if o := s.Origin; o == nil || len(o.Parents) != 2 || o.Parents[1].Format != (tensorgame.Format{N: 5, M: 5, P: 5}) {
		t.Errorf("origin %+v, want a product with a 5x5x5 parent", o)
	}
}

func TestProductStartErrors(t *testing.T) {
	for _, tc := range []struct {
		f    tensorgame.Format
		want string
	}{
		{tensorgame.Format{N: 5, M: 5, P: 5}, "5 is not a product of two sizes"},
		{tensorgame.Format{N: 3, M: 3, P: 3}, "3 is not a product of two sizes"},
		{tensorgame.Format{N: 2, M: 2, P: 2}, "2 is not a product of two sizes"},
		{tensorgame.Format{N: 1, M: 1, P: 1}, "1 is not a product of two sizes"},
		{tensorgame.Format{N: 4, M: 4, P: 6}, "not square"},
		{tensorgame.Format{N: 18, M: 18, P: 18}, "n <= 16"},
		{tensorgame.Format{N: 0, M: 4, P: 4}, "invalid format"},
	} {
		if HasProductStart(tc.f) {
			t.Errorf("HasProductStart(%v) = true", tc.f)
		}
		if _, err := ProductStart(tc.f); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ProductStart(%v) = %v, want an error with %q", tc.f, err, tc.want)
		}
	}
	for _, n := range []int{4, 6, 8, 9, 10, 12, 14, 15, 16} {
		if f := (tensorgame.Format{N: n, M: n, P: n}); !HasProductStart(f) {
			t.Errorf("HasProductStart(%v) = false", f)
		}
	}
}

func TestProductErrors(t *testing.T) {
	sq := func(n int) tensorgame.Format { return tensorgame.Format{N: n, M: n, P: n} }
	std2 := tensorgame.Standard(sq(2), tensorgame.Z2)
	std4 := tensorgame.Standard(sq(4), tensorgame.Z2)
	std5 := tensorgame.Standard(sq(5), tensorgame.Z2)
	// The standard algorithm with one term's factors swapped around: no
	// longer closed under the shift.
	broken := std2.Clone()
	broken.Terms = append(broken.Terms, broken.Terms[1], broken.Terms[1])
	broken.Terms[len(broken.Terms)-1] = tensorgame.Term{U: broken.Terms[1].V, V: broken.Terms[1].U, W: broken.Terms[1].W}
	for _, tc := range []struct {
		name string
		a, b *tensorgame.Scheme
		want string
	}{
		{"over Z", tensorgame.Standard(sq(2), tensorgame.Z), std2, "over Z, not Z2"},
		{"not square", std2, tensorgame.Standard(tensorgame.Format{N: 2, M: 2, P: 3}, tensorgame.Z2), "not a cyclic-symmetric scheme of a square format"},
		{"not symmetric", broken, std2, "not a cyclic-symmetric scheme"},
		{"too large", std4, std5, "20x20x20 is above 16x16x16"},
	} {
		if _, err := Product(tc.a, tc.b); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Product = %v, want an error with %q", tc.name, err, tc.want)
		}
	}
	// The product of two standard algorithms is the standard algorithm.
	p, err := Product(std2, tensorgame.Standard(sq(3), tensorgame.Z2))
	if err != nil {
		t.Fatal(err)
	}
	if p.Rank() != 216 || !Symmetric(p) {
		t.Errorf("standard 2x2x2 ⊗ 3x3x3: rank %d, symmetric %v", p.Rank(), Symmetric(p))
	}
}

func TestDescend(t *testing.T) {
	f := tensorgame.Format{N: 3, M: 3, P: 3}
	start, err := PairedStart(f)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Descend(start, 7, 50_000)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Descend(start, 7, 50_000)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Equal(b) {
		t.Error("two descents with one seed differ")
	}
	if a.Rank() >= start.Rank() {
		t.Errorf("descent from rank %d ended at %d", start.Rank(), a.Rank())
	}
	if err := tensorgame.Verify(a); err != nil {
		t.Error(err)
	}
	if !Symmetric(a) {
		t.Error("descent not cyclic-symmetric")
	}
	if o := a.Origin; o == nil || o.Move != tensorgame.MoveCyclicFlips || len(o.Parents) != 1 ||
		o.Parents[0] != tensorgame.ParentOf(start) || o.Params["seed"] != "7" {
		t.Errorf("origin %+v, want a cyclic walk from the start with seed 7", o)
	}
	if _, err := Descend(tensorgame.Standard(tensorgame.Format{N: 2, M: 3, P: 2}, tensorgame.Z2), 1, 10); err == nil {
		t.Error("descent of 2x3x2: no error")
	}
}
