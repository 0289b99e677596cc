package tensorgame

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestOriginRoundTrip(t *testing.T) {
	s := Standard(Format{2, 2, 2}, Z2)
	parent := ParentOf(s)
	s.Origin = &Origin{
		Move:    MoveProduct,
		Parents: []Parent{parent, {Format: Format{1, 2, 3}, Field: Z, Rank: 6}},
		Time:    time.Date(2026, 12, 7, 17, 0, 0, 0, time.UTC),
		Params:  map[string]string{"seed": "3"},
		Detail:  "a; b: c",
	}
	var buf bytes.Buffer
	if err := Write(&buf, s); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `# origin: {"move":"product"`) {
		t.Fatalf("no origin header in:\n%s", buf.String())
	}
	got, err := Parse(&buf, "x.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Origin, s.Origin) {
		t.Errorf("origin = %+v, want %+v", got.Origin, s.Origin)
	}
	if len(got.Comments) != 0 {
		t.Errorf("origin leaked into comments: %q", got.Comments)
	}
}

func TestOriginBadHeaders(t *testing.T) {
	body := "# size: 1x1x1\n# field: Z2\n1 ; 1 ; 1\n"
	for _, tc := range []struct{ name, hdr, want string }{
		{"not json", "# origin: flips\n", "not valid JSON"},
		{"no move", "# origin: {}\n", "no move"},
		{"unknown key", `# origin: {"move":"flips","who":1}` + "\n", "unknown field"},
		{"bad format", `# origin: {"move":"sum","parents":[{"format":"2x","field":"Z2","rank":1}]}` + "\n", "origin"},
		{"bad field", `# origin: {"move":"sum","parents":[{"format":"2x2x2","field":"F7","rank":1}]}` + "\n", "origin"},
		{"twice", "# origin: {\"move\":\"flips\"}\n# origin: {\"move\":\"flips\"}\n", "second # origin"},
		{"huge", "# origin: {\"move\":\"flips\",\"detail\":\"" + strings.Repeat("x", maxOriginLine) + "\"}\n", "at most"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tc.hdr+body), "f.txt")
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "f.txt:") {
				t.Errorf("err = %v, want one naming f.txt and containing %q", err, tc.want)
			}
		})
	}
}

func TestHashIgnoresTermOrder(t *testing.T) {
	s := Standard(Format{2, 2, 2}, Z)
	r := s.Clone()
	r.Terms[0], r.Terms[5] = r.Terms[5], r.Terms[0]
	if s.Hash() != r.Hash() {
		t.Error("hash depends on term order")
	}
	r.Terms = r.Terms[1:]
	if s.Hash() == r.Hash() {
		t.Error("hash ignores a dropped term")
	}
}

func TestFormatFieldText(t *testing.T) {
	var f Format
	if err := f.UnmarshalText([]byte("3x4x5")); err != nil || f != (Format{3, 4, 5}) {
		t.Errorf("UnmarshalText(3x4x5) = %v, %v", f, err)
	}
	if err := f.UnmarshalText([]byte("3x4")); err == nil {
		t.Error("UnmarshalText(3x4) accepted")
	}
	var k Field
	if err := k.UnmarshalText([]byte("Q")); err != nil || k != Q {
		t.Errorf("UnmarshalText(Q) = %v, %v", k, err)
	}
	if _, err := Field(9).MarshalText(); err == nil {
		t.Error("MarshalText of field 9 accepted")
	}
}

func TestDeriveLineage(t *testing.T) {
	std := Standard(Format{2, 2, 2}, Z2)
	std.Origin = Derive(MoveStandard)
	sum := Standard(Format{2, 2, 4}, Z2)
	sum.Origin = Derive(MoveSum, std, std)
	w := sum.Clone()
	w.Origin = Derive(MoveFlips, sum)
	w2 := w.Clone()
	w2.Origin = Derive(MoveFlips, w)
	want := []Move{MoveStandard, MoveSum, MoveFlips}
	if !reflect.DeepEqual(w2.Origin.Lineage, want) {
		t.Errorf("lineage = %v, want %v", w2.Origin.Lineage, want)
	}
	if len(sum.Origin.Parents) != 2 || sum.Origin.Parents[0].Hash != ParentOf(std).Hash || sum.Origin.Parents[0].Rank != 8 {
		t.Errorf("parents = %+v", sum.Origin.Parents)
	}
	if !w2.Origin.Has(MoveSum) || w2.Origin.Has(MoveRestrict) {
		t.Error("Has is wrong")
	}
	// A lineage that alternates forever stays bounded and keeps its root.
	s := w2
	for i := range 100 {
		c := s.Clone()
		c.Origin = Derive([]Move{MoveRestrict, MoveFlips}[i%2], s)
		s = c
	}
	if n := len(s.Origin.Lineage); n > maxLineage || s.Origin.Lineage[0] != MoveStandard {
		t.Errorf("lineage of %d moves starting %v", n, s.Origin.Lineage[0])
	}
}
