package bench

import (
	"context"
	"testing"

	"gonum.org/v1/gonum/blas/blas64"

	"github.com/alphamat/alphamat/kernels"
	"github.com/alphamat/alphamat/tensorgame"
)

func TestKernelContenders(t *testing.T) {
	// A cut-off of 1 lets two levels of every plan run on shapes of a few
	// dozen, small enough for -race.
	cs := KernelContenders(KernelOptions{Levels: []int{1, 2}, Cutoff: 1})
	scheduled := 0
	for _, p := range kernels.Plans() {
		if p.Scheduled() {
			scheduled++
		}
	}
	if scheduled != 1 {
		t.Errorf("%d plans with a schedule, want 1 (winograd)", scheduled)
	}
	if want := 2 * (len(kernels.Plans()) + scheduled); len(cs) != want {
		t.Fatalf("%d contenders, want %d", len(cs), want)
	}
	var shapes []Shape
	seen := map[Shape]bool{}
	for _, c := range cs {
		f := c.Scheme
		// Square blocks of 6 at the first level, so that the second level
		// has blocks of at least 1; the +1 exercises the peeling.
		s := Shape{f.N*6 + 1, f.M * 6, f.P*6 + 1}
		if f.N == f.M && f.M == f.P {
			s = Square(f.N*6 + 1)
		}
		if c.Levels != 2 || seen[s] {
			continue
		}
		seen[s] = true
		shapes = append(shapes, s)
	}
	rep, err := RunKernels(context.Background(), KernelConfig{
		Shapes: shapes, Contenders: append([]Contender{GemmContender()}, cs...), Reps: 1, Warmup: 0,
	})
	if err != nil {
		t.Fatal(err)
	}
	ran := map[string]int{}
	for _, r := range rep.Rows {
		ran[r.Contender]++
		if r.Wrong {
			t.Errorf("%s at %v %s: %s", r.Contender, r.Shape, r.DType, r.Err)
		}
	}
	for _, c := range cs {
		if ran[c.Name] < 2 {
			t.Errorf("%s ran %d times, want f64 and f32", c.Name, ran[c.Name])
		}
	}
}

func TestLevelsFit(t *testing.T) {
	f := tensorgame.Format{N: 2, M: 3, P: 4}
	tests := []struct {
		s      Shape
		levels int
		want   bool
	}{
		{Shape{128, 192, 256}, 1, true},
		{Shape{128, 192, 256}, 2, false}, // 128/4 = 32 < 64
		{Shape{256, 576, 1024}, 2, true},
		{Shape{127, 192, 256}, 1, false},
	}
	for _, tt := range tests {
		if got := levelsFit(tt.s, f, tt.levels, 64); got != tt.want {
			t.Errorf("levelsFit(%v, %v, %d, 64) = %v, want %v", tt.s, f, tt.levels, got, tt.want)
		}
	}
}

// TestPureGoContenders checks that the pure-Go contenders multiply right
// and leave the installed BLAS in place.
func TestPureGoContenders(t *testing.T) {
	before := blas64.Implementation()
	rep, err := RunKernels(context.Background(), KernelConfig{
		Shapes: []Shape{Square(33), {17, 40, 9}}, Contenders: append([]Contender{GemmContender()}, PureGoContenders(true)...), Reps: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 2*2*3 {
		t.Errorf("%d rows, want 12", len(rep.Rows))
	}
	for _, r := range rep.Rows {
		if r.Wrong {
			t.Errorf("%s at %v %s: %s", r.Contender, r.Shape, r.DType, r.Err)
		}
	}
	if after := blas64.Implementation(); after != before {
		t.Errorf("blas64 changed from %T to %T", before, after)
	}
}
