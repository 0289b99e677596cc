package search

import (
	"context"
	"strings"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

// found runs a small search to its target and returns the scheme.
func found(t *testing.T, f tensorgame.Format, field tensorgame.Field, target int) *tensorgame.Scheme {
	t.Helper()
	res, err := Run(context.Background(), Config{Format: f, Field: field, Target: target, Workers: 1, Seed: 5})
	if err != nil || !res.Reached {
		t.Fatalf("search %v over %v to %d: %v (reached %v)", f, field, target, err, res.Reached)
	}
	return res.Best
}

func TestComposite(t *testing.T) {
	for _, field := range []tensorgame.Field{tensorgame.Z2, tensorgame.Z} {
		known := map[tensorgame.Format]*tensorgame.Scheme{
			format(2, 2, 2): found(t, format(2, 2, 2), field, 7),
			format(2, 2, 3): found(t, format(2, 2, 3), field, 11),
		}
		lookup := func(f tensorgame.Format) *tensorgame.Scheme { return known[f] }
		for _, c := range []struct {
			f    tensorgame.Format
			want int // 0: no composite beats the standard algorithm
		}{
			{format(2, 2, 4), 14}, // 2x2x2 + 2x2x2
			{format(4, 2, 2), 14}, // the same, permuted
			{format(2, 2, 5), 18}, // 2x2x2 + 2x2x3
			{format(3, 2, 2), 11}, // 2x2x2 + 1x2x2 = 7 + 4
			{format(2, 2, 1), 0},
			{format(3, 3, 3), 0}, // nothing known below 3x3x3 but 1x3x3 (standard)
		} {
			got, err := Composite(c.f, field, lookup)
			if err != nil {
				t.Fatalf("%v over %v: %v", c.f, field, err)
			}
			switch {
			case c.want == 0 && got != nil:
				t.Errorf("%v over %v: composite of rank %d, want none", c.f, field, got.Rank())
			case c.want != 0 && (got == nil || got.Rank() != c.want || got.Format != c.f || got.Field != field):
				t.Errorf("%v over %v: got %v, want rank %d", c.f, field, got, c.want)
			case got != nil:
				if err := tensorgame.Verify(got); err != nil {
					t.Errorf("%v over %v: %v", c.f, field, err)
				}
				if o := got.Origin; o == nil || o.Move != tensorgame.MoveSum || len(o.Parents) != 2 {
					t.Errorf("%v over %v: origin %+v, want a sum of two parents", c.f, field, o)
				}
			}
		}
	}
}

// TestRunStarts checks that extra start schemes are verified, stored, and
// searched from.
func TestRunStarts(t *testing.T) {
	f := format(2, 2, 4)
	s7 := found(t, format(2, 2, 2), tensorgame.Z, 7)
	comp, err := tensorgame.DirectSum(tensorgame.AxisP, s7, s7)
	if err != nil {
		t.Fatal(err)
	}
	// A Z start in a Z2 run is reduced mod 2 and reaches the target at once.
	res, err := Run(context.Background(), Config{Format: f, Field: tensorgame.Z2, Target: 14, Workers: 2, Seed: 1,
		Starts: []*tensorgame.Scheme{comp}})
	if err != nil || !res.Reached || res.Best.Field != tensorgame.Z2 {
		t.Fatalf("Z2 run from a Z composite: err %v, %+v", err, res)
	}
	// The standard algorithm would get there too: the best must be the
	// start itself, which carries the direct sum's comment.
	if !strings.Contains(strings.Join(res.Best.Comments, "\n"), "derived: direct sum") {
		t.Errorf("best scheme is not the composite start: %q", res.Best.Comments)
	}
	broken := comp.Clone()
	broken.Terms = broken.Terms[1:]
	for _, c := range []struct {
		start *tensorgame.Scheme
		want  string
	}{
		{broken, "fails verification"},
		{s7, "of format 2x2x2, not 2x2x4"},
	} {
		_, err := Run(context.Background(), Config{Format: f, Field: tensorgame.Z, Target: 14, Workers: 2,
			Starts: []*tensorgame.Scheme{c.start}})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("start %v rank %d: err %v, want %q", c.start.Format, c.start.Rank(), err, c.want)
		}
	}
}

func TestRestrictions(t *testing.T) {
	for _, field := range []tensorgame.Field{tensorgame.Z2, tensorgame.Z} {
		s7 := found(t, format(2, 2, 2), field, 7)
		// 2x2x3 = Strassen + 2x2x1 (rank 11), and 2x3x3 = that + 2x1x3
		// (rank 17): restricting away the added column or row gives
		// Strassen back.
		c223, err := tensorgame.DirectSum(tensorgame.AxisP, s7, tensorgame.Standard(format(2, 2, 1), field))
		if err != nil {
			t.Fatal(err)
		}
		c233, err := tensorgame.DirectSum(tensorgame.AxisM, c223, tensorgame.Standard(format(2, 1, 3), field))
		if err != nil {
			t.Fatal(err)
		}
		known := map[tensorgame.Format][]*tensorgame.Scheme{
			format(2, 2, 3): {c223, tensorgame.Standard(format(2, 2, 3), field)},
			format(2, 3, 3): {c233},
		}
		lookup := func(f tensorgame.Format) []*tensorgame.Scheme { return known[f] }
		for _, c := range []struct {
			f        tensorgame.Format
			n        int
			wantBest int // 0: none
		}{
			{format(2, 2, 2), 10, 7}, // from 2x2x3 along each axis
			{format(2, 2, 2), 1, 7},
			{format(2, 3, 2), 10, 11}, // from 2x3x3 along n and p
			{format(3, 3, 3), 10, 0},
		} {
			got, err := Restrictions(c.f, field, lookup, c.n)
			if err != nil {
				t.Fatalf("%v over %v: %v", c.f, field, err)
			}
			if len(got) == 0 {
				if c.wantBest != 0 {
					t.Errorf("%v over %v: no restriction, want rank %d", c.f, field, c.wantBest)
				}
				continue
			}
			for _, r := range got {
				if o := r.Origin; o == nil || o.Move != tensorgame.MoveRestrict || len(o.Parents) != 1 || o.Parents[0].Format.Naive() <= c.f.Naive() {
					t.Errorf("%v over %v: origin %+v, want a restriction of a larger scheme", c.f, field, o)
				}
			}
			if len(got) > c.n || c.n > 1 && len(got) < 2 {
				t.Errorf("%v over %v: %d restrictions, want 2 to %d", c.f, field, len(got), c.n)
			}
			if got[0].Rank() != c.wantBest {
				t.Errorf("%v over %v: best rank %d, want %d", c.f, field, got[0].Rank(), c.wantBest)
			}
			for i, s := range got {
				if s.Format != c.f || s.Field != field {
					t.Errorf("%v over %v: got %v over %v", c.f, field, s.Format, s.Field)
				}
				if err := tensorgame.Verify(s); err != nil {
					t.Errorf("%v over %v: %v", c.f, field, err)
				}
				if i > 0 && s.Rank() < got[i-1].Rank() {
					t.Errorf("%v over %v: ranks not ascending", c.f, field)
				}
			}
		}
	}
}

// TestRestrictTo restricts the standard algorithm of 5x5x5, which has one
// term per triple of indices, to smaller formats: each index dropped takes
// its terms with it, so the result is the smaller standard algorithm.
func TestRestrictTo(t *testing.T) {
	std := tensorgame.Standard(format(5, 5, 5), tensorgame.Z2)
	for _, f := range []tensorgame.Format{format(5, 5, 5), format(4, 5, 5), format(5, 3, 5), format(3, 4, 5), format(1, 2, 3)} {
		r, err := restrictTo(std, f)
		if err != nil {
			t.Fatalf("%v: %v", f, err)
		}
		if r.Format != f || r.Rank() != f.Naive() {
			t.Errorf("%v: got %v of rank %d, want rank %d", f, r.Format, r.Rank(), f.Naive())
		}
		if err := tensorgame.Verify(r); err != nil {
			t.Errorf("%v: %v", f, err)
		}
	}
	if _, err := restrictTo(std, format(4, 6, 5)); err == nil {
		t.Error("restriction of 5x5x5 to 4x6x5: no error")
	}
}
