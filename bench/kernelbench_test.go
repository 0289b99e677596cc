package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/alphamat/alphamat/tensorgame"
)

// faulty returns contenders that are wrong in the ways a kernel can be:
// a product off by one entry, an entry left unset, a panic.
func faulty() []Contender {
	offByOne := func(c, a, b blas64.General) {
		Naive64(c, a, b)
		c.Data[c.Rows/2*c.Stride] += 1
	}
	offByOne32 := func(c, a, b blas32.General) {
		Naive32(c, a, b)
		c.Data[c.Rows/2*c.Stride] += 1
	}
	unset := func(c, a, b blas64.General) {
		save := c.Data[0]
		Naive64(c, a, b)
		c.Data[0] = save // the harness fills c with NaN before each call
	}
	return []Contender{
		{Name: "offbyone", Kind: KindKernel, Mul64: offByOne, Mul32: offByOne32},
		{Name: "unset", Kind: KindKernel, Mul64: unset},
		{Name: "panics", Kind: KindKernel, Mul64: func(c, a, b blas64.General) { panic("kernel bug") }},
	}
}

func TestRunKernelsFlagsWrong(t *testing.T) {
	cs := append(Baselines(4, 0), faulty()...)
	cfg := KernelConfig{
		Shapes:     []Shape{Square(9), {5, 7, 3}},
		Contenders: cs,
		Warmup:     1,
		Reps:       3,
		Seed:       1,
	}
	rep, err := RunKernels(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	wantWrong := map[string]bool{"offbyone": true, "unset": true, "panics": true}
	byKey := map[string]KernelRow{}
	for _, row := range rep.Rows {
		byKey[row.Shape.String()+"/"+string(row.DType)+"/"+row.Contender] = row
		if row.Wrong != wantWrong[row.Contender] {
			t.Errorf("%v %s %s: wrong = %v (%s), want %v", row.Shape, row.DType, row.Contender,
				row.Wrong, row.Err, wantWrong[row.Contender])
		}
		if !row.Wrong && (row.Reps != 3 || row.MedianSec <= 0 || row.MinSec > row.MedianSec || row.GFLOPS <= 0 || row.Speedup <= 0) {
			t.Errorf("%v %s %s: bad timing %+v", row.Shape, row.DType, row.Contender, row)
		}
		if row.Contender == "gemm" && (row.Speedup != 1 || row.SpeedupLow != 1 || row.SpeedupHigh != 1) {
			t.Errorf("gemm speed-up over itself = %v, rounds %v-%v", row.Speedup, row.SpeedupLow, row.SpeedupHigh)
		}
		if row.Contender == "gemm" && row.CPUSec > 0 && row.CPUSpeedup != 1 {
			t.Errorf("gemm CPU speed-up over itself = %v", row.CPUSpeedup)
		}
		if row.CPUSec < 0 || row.CPUSpeedup < 0 {
			t.Errorf("%v %s %s: CPU time %v, speed-up %v", row.Shape, row.DType, row.Contender, row.CPUSec, row.CPUSpeedup)
		}
		if row.Reps > 0 && !(0 < row.SpeedupLow && row.SpeedupLow <= row.SpeedupHigh) {
			t.Errorf("%v %s %s: per-round speed-ups %v-%v", row.Shape, row.DType, row.Contender, row.SpeedupLow, row.SpeedupHigh)
		}
		if row.Reps == 0 && (row.SpeedupLow != 0 || row.SpeedupHigh != 0) {
			t.Errorf("%v %s %s: no timed call but per-round speed-ups %v-%v", row.Shape, row.DType, row.Contender, row.SpeedupLow, row.SpeedupHigh)
		}
	}
	// 2 shapes × (4 contenders in f64 and f32, 2 in f64 only).
	if len(rep.Rows) != 2*(4*2+2) {
		t.Errorf("%d rows, want %d", len(rep.Rows), 2*(4*2+2))
	}
	if got := len(rep.Wrong()); got != 2*4 {
		t.Errorf("Wrong() has %d rows, want 8", got)
	}
	if r := byKey["9x9x9/f64/panics"]; !strings.Contains(r.Err, "kernel bug") {
		t.Errorf("panicking contender: error %q does not name the panic", r.Err)
	}
	if r := byKey["9x9x9/f64/unset"]; !strings.Contains(r.Err, "NaN") {
		t.Errorf("contender leaving an entry unset: error %q", r.Err)
	}

	var buf bytes.Buffer
	if err := WriteTable(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "WRONG"); n != 8 {
		t.Errorf("table marks %d rows WRONG, want 8:\n%s", n, buf.String())
	}
	buf.Reset()
	if err := WriteJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var back KernelReport
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatalf("JSON output does not parse: %v", err)
	}
	if len(back.Rows) != len(rep.Rows) || back.Rows[0] != rep.Rows[0] {
		t.Errorf("JSON round trip changed the rows")
	}
}

func TestRunKernelsApplies(t *testing.T) {
	k := Contender{Name: "k234", Kind: KindKernel, Scheme: tensorgame.Format{N: 2, M: 3, P: 4}, Mul64: Naive64}
	sq := Contender{Name: "k222", Kind: KindKernel, Scheme: tensorgame.Format{N: 2, M: 2, P: 2}, Mul64: Naive64}
	shapes := append([]Shape{Square(8)}, RectShapes([]Contender{k, sq}, []int{8, 12})...)
	if len(shapes) != 3 || shapes[1] != (Shape{4, 6, 8}) || shapes[2] != (Shape{6, 9, 12}) {
		t.Fatalf("RectShapes = %v", shapes[1:])
	}
	rep, err := RunKernels(context.Background(), KernelConfig{
		Shapes: shapes, DTypes: []DType{F64}, Reps: 1,
		Contenders: []Contender{GemmContender(), k, sq, NaiveContender(8)},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rep.Rows {
		got = append(got, r.Shape.String()+":"+r.Contender)
	}
	want := "8x8x8:gemm 8x8x8:k222 8x8x8:naive 4x6x8:gemm 4x6x8:k234 4x6x8:naive 6x9x12:gemm 6x9x12:k234"
	if strings.Join(got, " ") != want {
		t.Errorf("rows %v, want %s", got, want)
	}
}

func TestRunKernelsCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := RunKernels(ctx, KernelConfig{Shapes: []Shape{Square(4)}, Contenders: Baselines(0, 0)})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestRunKernelsConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  KernelConfig
	}{
		{"reps", KernelConfig{Reps: -1}},
		{"shape", KernelConfig{Shapes: []Shape{{0, 1, 1}}}},
		{"dup", KernelConfig{Contenders: []Contender{GemmContender(), GemmContender()}}},
		{"dtype", KernelConfig{DTypes: []DType{"f16"}}},
	}
	for _, tt := range tests {
		if _, err := RunKernels(context.Background(), tt.cfg); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

func TestParseSizes(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"256..4096", "[256 512 1024 2048 4096]", true},
		{"100, 200", "[100 200]", true},
		{"3..3,5", "[3 5]", true},
		{"", "", false},
		{"0", "", false},
		{"4096..256", "", false},
		{"x", "", false},
		{"65536", "[65536]", true},
		{"32768..65536", "[32768 65536]", true},
		{"1..65537", "", false},
		{"65537", "", false},
		{"1..4611686018427387905", "", false}, // issue 23: n *= 2 overflowed and looped forever
		{"99999999999999999999999", "", false},
	}
	for _, tt := range tests {
		got, err := ParseSizes(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseSizes(%q) error %v", tt.in, err)
			continue
		}
		if tt.ok && fmt.Sprint(got) != tt.want {
			t.Errorf("ParseSizes(%q) = %v, want %s", tt.in, got, tt.want)
		}
	}
}

// TestRunKernelsWarmup checks that Warmup 0 means no warm-up call (it used
// to mean the default of 1, so --warmup 0 still paid for a warm-up).
func TestRunKernelsWarmup(t *testing.T) {
	for _, warmup := range []int{0, 2} {
		calls := 0
		c := GemmContender()
		mul := c.Mul64
		c.Mul64 = func(cc, a, b blas64.General) { calls++; mul(cc, a, b) }
		_, err := RunKernels(context.Background(), KernelConfig{
			Shapes: []Shape{Square(4)}, DTypes: []DType{F64}, Contenders: []Contender{c}, Warmup: warmup, Reps: 3,
		})
		if err != nil {
			t.Fatal(err)
		}
		if calls != warmup+3 {
			t.Errorf("warm-up %d: %d calls, want %d", warmup, calls, warmup+3)
		}
	}
}
