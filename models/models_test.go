package models

import (
	"strings"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

func TestForPicksSmallestFit(t *testing.T) {
	for _, tc := range []struct {
		format tensorgame.Format
		field  tensorgame.Field
		want   string // "" for none
	}{
		{tensorgame.Format{N: 2, M: 2, P: 2}, tensorgame.Z2, "2x2x2_Z2.model"},
		{tensorgame.Format{N: 1, M: 2, P: 2}, tensorgame.Z2, "2x2x2_Z2.model"},
		{tensorgame.Format{N: 2, M: 2, P: 3}, tensorgame.Z2, "3x3x3_Z2.model"},
		{tensorgame.Format{N: 3, M: 3, P: 3}, tensorgame.Z2, "3x3x3_Z2.model"},
		{tensorgame.Format{N: 4, M: 4, P: 4}, tensorgame.Z2, ""},
		{tensorgame.Format{N: 2, M: 2, P: 2}, tensorgame.Z, ""},
	} {
		m, ok := For(tc.format, tc.field)
		if ok != (tc.want != "") || m.Name != tc.want {
			t.Errorf("For(%v, %v) = %q, %v; want %q", tc.format, tc.field, m.Name, ok, tc.want)
		}
	}
}

func TestOpen(t *testing.T) {
	list := List()
	if len(list) < 2 {
		t.Fatalf("%d shipped models, want at least 2", len(list))
	}
	for _, m := range list {
		b, err := Open(m.Name)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), "alphamat-agent v1\n") {
			t.Errorf("%s: not an agent checkpoint", m.Name)
		}
		if len(b) > 5<<20 {
			t.Errorf("%s: %d bytes, more than a few MB", m.Name, len(b))
		}
	}
	if _, err := Open("nope.model"); err == nil {
		t.Error("Open of a missing model succeeded")
	}
}
