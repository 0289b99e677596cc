package tensorgame

import (
	"fmt"
	"strings"
	"testing"
)

func TestRestrictStandard(t *testing.T) {
	for _, f := range []Format{{2, 3, 4}, {3, 3, 3}, {4, 2, 5}} {
		for _, field := range []Field{Z2, Z} {
			s := Standard(f, field)
			for ax := AxisN; ax <= AxisP; ax++ {
				d := f.size(ax)
				for mask := uint64(1); mask < 1<<d; mask++ {
					name := fmt.Sprintf("%v/%v/%v/%b", f, field, ax, mask)
					r, err := Restrict(s, ax, mask)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					want := f
					switch ax {
					case AxisN:
						want.N--
					case AxisM:
						want.M--
					case AxisP:
						want.P--
					}
					if r.Format != want || r.Field != field {
						t.Fatalf("%s: got %v over %v, want %v over %v", name, r.Format, r.Field, want, field)
					}
					if err := Verify(r); err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					// A single index: the standard algorithm loses exactly
					// the products of that index.
					if mask&(mask-1) == 0 && r.Rank() != want.Naive() {
						t.Errorf("%s: rank %d, want %d", name, r.Rank(), want.Naive())
					}
					if r.Rank() > s.Rank() {
						t.Errorf("%s: rank %d above %d", name, r.Rank(), s.Rank())
					}
				}
			}
		}
	}
}

func TestRestrictStrassen(t *testing.T) {
	s := strassen(t)
	for ax := AxisN; ax <= AxisP; ax++ {
		for mask := uint64(1); mask < 4; mask++ {
			r, err := Restrict(s, ax, mask)
			if err != nil {
				t.Fatal(err)
			}
			if err := Verify(r); err != nil {
				t.Errorf("%v %b: %v", ax, mask, err)
			}
			// 2x2x1 and its permutations have rank 4.
			if r.Rank() < 4 {
				t.Errorf("%v %b: rank %d below the rank of %v", ax, mask, r.Rank(), r.Format)
			}
		}
	}
}

// TestRestrictPublished restricts the published schemes of formats up to
// 5x5x5 (over Z2, Z and Q) along every axis with a few masks.
func TestRestrictPublished(t *testing.T) {
	n := 0
	for _, sub := range []string{"alphatensor", "flipgraph"} {
		for _, path := range publishedFiles(t, sub) {
			s, err := ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f := s.Format
			if max(f.N, f.M, f.P) > 5 {
				continue
			}
			n++
			for ax := AxisN; ax <= AxisP; ax++ {
				d := f.size(ax)
				if d < 2 {
					continue
				}
				for _, mask := range []uint64{1, 1 << (d - 1), 1<<d - 1, 0b101 & (1<<d - 1)} {
					r, err := Restrict(s, ax, mask)
					if err != nil {
						t.Fatalf("%s %v %b: %v", path, ax, mask, err)
					}
					if err := Verify(r); err != nil {
						t.Errorf("%s %v %b: %v", path, ax, mask, err)
					}
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no published scheme up to 5x5x5")
	}
}

func TestRestrictErrors(t *testing.T) {
	s := Standard(Format{1, 2, 3}, Z2)
	for _, c := range []struct {
		ax   Axis
		mask uint64
		want string
	}{
		{AxisN, 1, "size is 1"},
		{AxisM, 0, "selects no index"},
		{AxisM, 0b100, "beyond 1"},
		{AxisP, 0b1000, "beyond 2"},
		{Axis(3), 1, "bad axis"},
	} {
		_, err := Restrict(s, c.ax, c.mask)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Restrict(%v, %b): %v, want an error with %q", c.ax, c.mask, err, c.want)
		}
	}
	bad := s.Clone()
	bad.Terms[0].U = bad.Terms[0].U[:1]
	if _, err := Restrict(bad, AxisP, 1); err == nil {
		t.Error("a term of the wrong shape: no error")
	}
}
