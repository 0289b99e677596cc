package ranks

import (
	"strings"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

func TestFrontierTable(t *testing.T) {
	rows, err := Frontier()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[tensorgame.Format]Known{}
	for _, k := range rows {
		f := k.Format
		if f.N < 2 || f.P > 16 || f != f.Canonical() {
			t.Errorf("%v: not a format with ascending sizes in 2..16", f)
		}
		// A Z scheme reduces mod 2 and is a Q scheme; ternary schemes are
		// integer schemes.
		if k.Z2 == 0 || k.Z == 0 || k.Q == 0 || k.ZT == 0 {
			t.Errorf("%v: a rank is missing: %+v", f, k)
		} else if k.Z2 > k.Z || k.Q > k.Z || k.Z > k.ZT || k.ZT > f.Naive() {
			t.Errorf("%v: ranks out of order: %+v", f, k)
		}
		seen[f] = k
	}
	// Every format with sizes 2..16 once: 15·16·17/6 = 680.
	if len(rows) != 680 || len(seen) != 680 {
		t.Errorf("%d rows, %d formats, want 680", len(rows), len(seen))
	}
	for _, c := range []struct {
		f     tensorgame.Format
		field tensorgame.Field
		want  int
	}{
		// Values as printed in frontier.tsv (and the issue: 6x6x6 153, 3x4x6 54, 4x4x6 73).
		{tensorgame.Format{N: 2, M: 2, P: 2}, tensorgame.Z2, 7},
		{tensorgame.Format{N: 3, M: 3, P: 3}, tensorgame.Z, 23},
		{tensorgame.Format{N: 4, M: 4, P: 4}, tensorgame.Z2, 47},
		{tensorgame.Format{N: 4, M: 4, P: 4}, tensorgame.Z, 49},
		{tensorgame.Format{N: 3, M: 4, P: 6}, tensorgame.Z, 54},
		{tensorgame.Format{N: 4, M: 4, P: 6}, tensorgame.Z2, 73},
		{tensorgame.Format{N: 6, M: 6, P: 6}, tensorgame.Z, 153},
	} {
		if got := seen[c.f].Rank(c.field); got != c.want {
			t.Errorf("%v over %v: %d, want %d", c.f, c.field, got, c.want)
		}
	}
	if c := FrontierComments(); len(c) < 3 || !strings.Contains(strings.Join(c, "\n"), "MIT") {
		t.Errorf("header comments do not name the licence: %q", c)
	}
}

func TestParseFrontierBadInput(t *testing.T) {
	const head = "# c\nformat\tbest_z2\tbest_zt\tbest_z\tbest_q\n"
	for _, c := range []struct {
		name, text, want string
	}{
		{"header", "format\tz2\n", "bad.tsv:1: header"},
		{"no header", "# only\n", "no header"},
		{"fields", head + "2x2x2\t7\t7\n", "bad.tsv:3: 3 tab-separated fields"},
		{"order", head + "3x2x2\t11\t11\t11\t11\n", "bad.tsv:3: format 3x2x2: want its sizes ascending"},
		{"rank", head + "2x2x2\t9\t7\t7\t7\n", `bad.tsv:3: column best_z2: rank "9"`},
		{"repeat", head + "2x2x2\t7\t7\t7\t7\n2x2x2\t7\t7\t7\t7\n", "bad.tsv:4: format 2x2x2 repeats line 3"},
		{"format", head + "2x2\t7\t7\t7\t7\n", "bad.tsv:3: format"},
	} {
		_, err := ParseFrontier(strings.NewReader(c.text), "bad.tsv")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	rows, err := ParseFrontier(strings.NewReader(head+"2x2x3\t11\t-\t11\t11\n"), "ok.tsv")
	if err != nil || len(rows) != 1 || rows[0].ZT != 0 || rows[0].Z != 11 {
		t.Errorf("a '-' cell: %+v, %v", rows, err)
	}
}
