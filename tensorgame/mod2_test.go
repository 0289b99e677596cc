package tensorgame

import (
	"strings"
	"testing"
)

// strassenZText is Strassen's algorithm over Z (coefficients -1, 0, 1).
const strassenZText = `# size: 2,2,2
# rank: 7
# field: Z
1 0 0 1 ; 1 0 0 1 ; 1 0 0 1
0 0 1 1 ; 1 0 0 0 ; 0 0 1 -1
1 0 0 0 ; 0 1 0 -1 ; 0 1 0 1
0 0 0 1 ; -1 0 1 0 ; 1 0 1 0
1 1 0 0 ; 0 0 0 1 ; -1 1 0 0
-1 0 1 0 ; 1 1 0 0 ; 0 0 0 1
0 1 0 -1 ; 0 0 1 1 ; 1 0 0 0
`

func TestReduceMod2(t *testing.T) {
	strassen, err := Parse(strings.NewReader(strassenZText), "strassen")
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(strassen); err != nil {
		t.Fatalf("Strassen over Z: %v", err)
	}
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
