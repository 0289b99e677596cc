package tensorgame

import (
	"strings"
	"testing"
)

func TestReduceMod2(t *testing.T) {
	strassen := strassen(t)
	half := strassen.Clone()
	half.Field = Q
	half.Terms[2].U[0] = NewRat(1, 2)
	third := Standard(Format{N: 1, M: 2, P: 1}, Q)
	third.Terms[0].U[0] = NewRat(-1, 3) // odd denominator: reduces to 1
	for _, tc := range []struct {
		name    string
		s       *Scheme
		wantErr string // "" for success
		verify  bool   // the reduction verifies
	}{
		{"strassen", strassen, "", true},
		{"standard Z", Standard(Format{N: 2, M: 3, P: 2}, Z), "", true},
		{"even denominator", half, "term 3 factor u entry 0 is 1/2", false},
		{"odd denominator", third, "", false},
	} {
		before := tc.s.Clone()
		got, err := ReduceMod2(tc.s)
		if !tc.s.Equal(before) || tc.s.Field != before.Field {
			t.Errorf("%s: ReduceMod2 modified its argument", tc.name)
		}
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: err = %v, want one containing %q", tc.name, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got.Field != Z2 || got.Rank() != tc.s.Rank() {
			t.Errorf("%s: got rank %d over %v, want rank %d over Z2", tc.name, got.Rank(), got.Field, tc.s.Rank())
		}
		for _, term := range got.Terms {
			for mode := range 3 {
				for _, x := range term.Factor(mode) {
					if x != Int(0) && x != Int(1) {
						t.Fatalf("%s: coefficient %v after reduction", tc.name, x)
					}
				}
			}
		}
		if err := Verify(got); tc.verify && err != nil {
			t.Errorf("%s: reduction does not verify: %v", tc.name, err)
		}
		o := got.Origin
		if o == nil || o.Move != MoveMod2 || len(o.Parents) != 1 || o.Parents[0] != ParentOf(tc.s) || o.Lineage[len(o.Lineage)-1] != MoveMod2 {
			t.Errorf("%s: origin %+v, want mod2 from %+v", tc.name, o, ParentOf(tc.s))
		}
	}
}

// TestReduceMod2Coefficients: integers reduce to their parity, rationals
// with odd denominators to the numerator's parity times the inverse
// (1 mod 2), even denominators are refused.
func TestReduceMod2Coefficients(t *testing.T) {
	tests := []struct {
		in   Rat
		want int64
		ok   bool
	}{
		{Int(0), 0, true},
		{Int(-1), 1, true},
		{Int(-2), 0, true},
		{Int(3), 1, true},
		{NewRat(1, 3), 1, true},
		{NewRat(-2, 3), 0, true},
		{NewRat(1, 2), 0, false},
		{NewRat(3, 8), 0, false},
	}
	for _, tt := range tests {
		s := &Scheme{Format: Format{N: 1, M: 1, P: 1}, Field: Q,
			Terms: []Term{{U: []Rat{tt.in}, V: []Rat{Int(1)}, W: []Rat{Int(1)}}}}
		got, err := ReduceMod2(s)
		if (err == nil) != tt.ok {
			t.Errorf("%v: error %v, want ok %v", tt.in, err, tt.ok)
			continue
		}
		if err == nil && (got.Field != Z2 || got.Terms[0].U[0] != Int(tt.want)) {
			t.Errorf("%v: got %v over %v, want %d", tt.in, got.Terms[0].U[0], got.Field, tt.want)
		}
		if s.Terms[0].U[0] != tt.in {
			t.Errorf("%v: input modified", tt.in)
		}
	}
}
