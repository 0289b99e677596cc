package lift

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

// TestLiftWide lifts a Z2 scheme of a format whose factors need more than
// one 64-bit word (2x33x2: 66 coefficients in u and v): the direct sum of
// sixteen copies of Strassen's published Z2 scheme along m and the standard
// algorithm of 2x1x2, rank 116 against the standard 132.
func TestLiftWide(t *testing.T) {
	s := readScheme(t, filepath.Join(sharedDir(t), "published", "alphatensor", "2x2x2_r7_Z2.txt"))
	block := s
	for range 15 {
		var err error
		if s, err = tensorgame.DirectSum(tensorgame.AxisM, s, block); err != nil {
			t.Fatal(err)
		}
	}
	s, err := tensorgame.DirectSum(tensorgame.AxisM, s, tensorgame.Standard(tensorgame.Format{N: 2, M: 1, P: 2}, tensorgame.Z2))
	if err != nil {
		t.Fatal(err)
	}
	if want := (tensorgame.Format{N: 2, M: 33, P: 2}); s.Format != want || s.Rank() != 16*7+4 {
		t.Fatalf("composite of %v rank %d, want %v rank %d", s.Format, s.Rank(), want, 16*7+4)
	}
	got, err := Lift(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkLift(t, "2x33x2 composite", s, got)
}
