package ranks

import (
	"strings"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

func TestTableParses(t *testing.T) {
	rows, err := Table()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 30 {
		t.Fatalf("table has %d rows, want the 20 formats of AlphaTensor's Fig. 3 and the 6-formats", len(rows))
	}
	for _, r := range rows {
		// A Z scheme reduces to a Z2 scheme and is a Q scheme, so the best
		// known ranks are ordered; none beats the naive rank nmp.
		if r.BestZ2 == 0 || r.BestZ == 0 || r.BestQ == 0 {
			t.Errorf("%v: missing a best known rank: %+v", r.Format, r)
			continue
		}
		if r.BestZ2 > r.BestZ || r.BestQ > r.BestZ {
			t.Errorf("%v: best ranks out of order: Z2 %d, Z %d, Q %d", r.Format, r.BestZ2, r.BestZ, r.BestQ)
		}
		if r.BestZ > r.Format.Naive() {
			t.Errorf("%v: best rank %d above the naive %d", r.Format, r.BestZ, r.Format.Naive())
		}
		if r.ATZ2 != 0 && r.BestZ2 > r.ATZ2 {
			t.Errorf("%v: best Z2 rank %d worse than AlphaTensor's %d", r.Format, r.BestZ2, r.ATZ2)
		}
		if r.Source == "" {
			t.Errorf("%v: no source", r.Format)
		}
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		format            string
		ok                bool
		prior, atZ2, atZ  int
		bestZ2, bestZ, bQ int
	}{
		// Values as printed in ranks.tsv; AlphaTensor's Fig. 3 for at_*.
		{"2x2x2", true, 7, 7, 7, 7, 7, 7},
		{"3x3x3", true, 23, 23, 23, 23, 23, 23},
		{"4x4x4", true, 49, 47, 49, 47, 49, 48},
		{"5x5x5", true, 98, 96, 98, 93, 93, 93},
		{"2x5x6", true, 0, 0, 0, 47, 47, 47},
		{"7x7x7", false, 0, 0, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		f, err := tensorgame.ParseFormat(tt.format)
		if err != nil {
			t.Fatal(err)
		}
		r, ok := Lookup(f)
		if ok != tt.ok {
			t.Errorf("Lookup(%v) ok = %v, want %v", f, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		got := [6]int{r.Prior, r.ATZ2, r.ATZ, r.BestZ2, r.BestZ, r.BestQ}
		want := [6]int{tt.prior, tt.atZ2, tt.atZ, tt.bestZ2, tt.bestZ, tt.bQ}
		if got != want {
			t.Errorf("Lookup(%v) = %v, want %v", f, got, want)
		}
		if r.Best(tensorgame.Z2) != tt.bestZ2 || r.Best(tensorgame.Q) != tt.bQ || r.AlphaTensor(tensorgame.Z) != tt.atZ {
			t.Errorf("Lookup(%v): Best/AlphaTensor accessors disagree with the fields", f)
		}
	}
}

func TestComments(t *testing.T) {
	c := Comments()
	joined := strings.Join(c, "\n")
	for _, want := range []string{"AlphaTensor", "Kauers", "Moosbauer", "Sources"} {
		if !strings.Contains(joined, want) {
			t.Errorf("header comments lack %q:\n%s", want, joined)
		}
	}
}

func TestParseErrors(t *testing.T) {
	const hdr = "format\tprior\tat_z2\tat_z\tbest_z2\tbest_z\tbest_q\tbest_source\n"
	tests := []struct {
		name, in, want string
	}{
		{"no header", "# only a comment\n", "no header"},
		{"bad header", "format\tprior\n", "t.tsv:1: header"},
		{"field count", hdr + "2x2x2\t7\t7\n", "t.tsv:2: 3 tab-separated fields"},
		{"bad format", hdr + "2x2\t7\t7\t7\t7\t7\t7\tx\n", "t.tsv:2: format"},
		{"bad rank", hdr + "2x2x2\t7\tseven\t7\t7\t7\t7\tx\n", "t.tsv:2: column at_z2"},
		{"rank above naive", hdr + "2x2x2\t9\t7\t7\t7\t7\t7\tx\n", "column prior"},
		{"repeat", hdr + "2x2x2\t7\t7\t7\t7\t7\t7\tx\n2,2,2\t7\t7\t7\t7\t7\t7\tx\n", "t.tsv:3: format 2x2x2 repeats line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.in), "t.tsv")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	rows, err := Parse(strings.NewReader("# c\n"+hdr+"2x2x2\t7\t-\t7\t7\t7\t7\tStrassen\n"), "t.tsv")
	if err != nil || len(rows) != 1 || rows[0].ATZ2 != 0 || rows[0].Prior != 7 || rows[0].Source != "Strassen" {
		t.Errorf("Parse of a valid table = %+v, %v", rows, err)
	}
}
