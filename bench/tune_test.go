package bench

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alphamat/alphamat/kernels"
)

func TestCrossovers(t *testing.T) {
	p := &kernels.Plan{Name: "p", N: 2, M: 2, P: 2, Rank: 7}
	row := func(n int, speedup float64, wrong bool) KernelRow {
		return KernelRow{Shape: Square(n), DType: F64, Contender: "p", Kind: KindKernel, Speedup: speedup, Wrong: wrong}
	}
	rounds := func(r KernelRow, median float64) KernelRow {
		r.RoundSpeedup, r.SpeedupLow, r.SpeedupHigh = median, median/2, median*2
		return r
	}
	tests := []struct {
		name string
		rows []KernelRow
		want int
	}{
		{"clean", []KernelRow{row(64, 0.5, false), row(128, 0.9, false), row(256, 1.1, false), row(512, 1.2, false)}, 256},
		{"unordered", []KernelRow{row(512, 1.2, false), row(64, 0.5, false), row(256, 1.1, false), row(128, 0.9, false)}, 256},
		{"noisy win below", []KernelRow{row(64, 1.01, false), row(128, 0.9, false), row(256, 1.1, false)}, 256},
		{"never", []KernelRow{row(64, 0.5, false), row(128, 0.9, false)}, 0},
		{"loses at the top", []KernelRow{row(64, 1.5, false), row(128, 0.9, false)}, 0},
		{"wrong never wins", []KernelRow{row(64, 0.5, false), row(128, 2, true)}, 0},
		{"always", []KernelRow{row(64, 1.5, false), row(128, 1.9, false)}, 64},
		// The median of the per-round speed-ups decides where there is one.
		{"rounds win", []KernelRow{row(64, 0.5, false), rounds(row(128, 0.9, false), 1.1)}, 128},
		{"rounds lose", []KernelRow{row(64, 0.5, false), rounds(row(128, 1.1, false), 0.95)}, 0},
	}
	for _, tt := range tests {
		got := crossovers(tt.rows, map[string]tuned{"p": {plan: p}})
		if len(got) != 1 || got[0].Size != tt.want {
			t.Errorf("%s: crossovers %+v, want size %d", tt.name, got, tt.want)
		}
	}
}

func TestTune(t *testing.T) {
	cs, rep, err := Tune(context.Background(), TuneConfig{
		Sizes: []int{10, 20}, DTypes: []DType{F64}, Reps: 1,
		Keep: func(name string) bool { return name == "strassen" || name == "2x3x4-r20" },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Plan != "strassen" || cs[1].Plan != "2x3x4-r20" {
		t.Fatalf("crossovers %+v", cs)
	}
	// 2x3x4 at sizes 10 and 20: shapes 4x6x8 and 10x15x20.
	if got := cs[1].Sizes; len(got) != 2 || got[0] != 8 || got[1] != 20 {
		t.Errorf("2x3x4 measured at %v, want [8 20]", got)
	}
	if len(rep.Wrong()) != 0 {
		t.Errorf("wrong products: %+v", rep.Wrong())
	}
	if len(rep.Crossovers) != 2 {
		t.Errorf("report holds %d crossovers", len(rep.Crossovers))
	}
}

func TestTuneLeaves(t *testing.T) {
	cs, rep, err := Tune(context.Background(), TuneConfig{
		Sizes: []int{16, 32}, DTypes: []DType{F64}, Reps: 1, Leaves: []int{4, 8, 16},
		Keep: func(name string) bool { return name == "winograd" },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Wrong()) != 0 {
		t.Errorf("wrong products: %+v", rep.Wrong())
	}
	// Leaf 16 recurses at 32 only (blocks of 16); leaves 4 and 8 at both.
	want := map[string][]int{"winograd/leaf4": {16, 32}, "winograd/leaf8": {16, 32}, "winograd/leaf16": {32}}
	if len(cs) != len(want) {
		t.Fatalf("crossovers %+v, want %d", cs, len(want))
	}
	for _, c := range cs {
		name := TuneName(c.Plan, c.Leaf)
		if w, ok := want[name]; !ok || !slices.Equal(c.Sizes, w) {
			t.Errorf("%s measured at %v, want %v", name, c.Sizes, w)
		}
	}
	if _, _, err := Tune(context.Background(), TuneConfig{Sizes: []int{16}, Leaves: []int{0}}); err == nil {
		t.Error("leaf size 0 accepted")
	}
}

// TestSelectionTableLeaves checks the table of a leaf sweep: the leaf of the
// clear winner at each size becomes the rule's cut-off, a median win whose
// slowest round lost to gemm is not taken, and gemm comes back where
// nothing wins.
func TestSelectionTableLeaves(t *testing.T) {
	row := func(name string, n int, median, low float64) KernelRow {
		return KernelRow{Shape: Square(n), DType: F64, Contender: name, Kind: KindKernel,
			Speedup: median, RoundSpeedup: median, SpeedupLow: low, SpeedupHigh: median + 0.1}
	}
	gemm := func(n int) KernelRow {
		return KernelRow{Shape: Square(n), DType: F64, Contender: "gemm", Kind: KindGemm, Speedup: 1, RoundSpeedup: 1, SpeedupLow: 1, SpeedupHigh: 1}
	}
	rep := &KernelReport{
		Started: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), BLAS: "openblas", Leaf: "openblas", Workers: 1, Reps: 5,
		Rows: []KernelRow{
			gemm(2048), row("winograd/leaf512", 2048, 1.02, 0.9), row("winograd/leaf1024", 2048, 1.01, 0.95),
			// leaf 512 has the better median at 4096 but lost a round.
			gemm(4096), row("winograd/leaf512", 4096, 1.20, 0.97), row("winograd/leaf1024", 4096, 1.08, 1.02),
			gemm(8192), row("winograd/leaf512", 8192, 1.25, 1.1), row("winograd/leaf1024", 8192, 1.15, 1.05),
			gemm(16384), row("winograd/leaf512", 16384, 1.02, 0.99),
		},
	}
	p, _ := kernels.LookupPlan("winograd")
	rep.Crossovers = crossovers(rep.Rows, map[string]tuned{"winograd/leaf512": {p, 512}, "winograd/leaf1024": {p, 1024}})
	tab, err := SelectionTable(rep)
	if err != nil {
		t.Fatal(err)
	}
	want := []kernels.Rule{
		{Precision: "float64", Min: 0, Kernel: "gemm"},
		{Precision: "float64", Min: 4096, Kernel: "winograd", Cutoff: 1024, Workers: 1, Speedup: 1.08},
		{Precision: "float64", Min: 8192, Kernel: "winograd", Cutoff: 512, Workers: 1, Speedup: 1.25},
		{Precision: "float64", Min: 16384, Kernel: "gemm"},
	}
	if len(tab.Rules) != len(want) {
		t.Fatalf("rules %+v, want %+v", tab.Rules, want)
	}
	for i, r := range tab.Rules {
		w := want[i]
		if r.Precision != w.Precision || r.Min != w.Min || r.Kernel != w.Kernel || r.Cutoff != w.Cutoff || r.Workers != w.Workers || r.Speedup != w.Speedup {
			t.Errorf("rule %d = %+v, want %+v", i, r, w)
		}
	}
	for _, tt := range []struct {
		n      int
		name   string
		blocks int // the leaf blocks the chosen kernel recurses to
	}{{2048, "gemm", 0}, {4096, "winograd", 1024}, {8192, "winograd", 512}, {16384, "gemm", 0}} {
		k := tab.Kernel(tt.n, tt.n, tt.n, kernels.Float64)
		if k.Name() != tt.name || k.Cutoff != tt.blocks {
			t.Errorf("at %d the table picks %s with cut-off %d, want %s with %d", tt.n, k.Name(), k.Cutoff, tt.name, tt.blocks)
		}
	}
}

func TestSelectionTable(t *testing.T) {
	row := func(plan string, n int, speedup float64) KernelRow {
		return KernelRow{Shape: Square(n), DType: F64, Contender: plan, Kind: KindKernel, Speedup: speedup}
	}
	rep := &KernelReport{
		Started: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), BLAS: "gonum", GOMAXPROCS: 2, Reps: 3,
		Rows: []KernelRow{
			{Shape: Square(256), DType: F64, Contender: "gemm", Kind: KindGemm, Speedup: 1},
			row("winograd", 256, 1.05), row("4x4x4-r49", 256, 0.9),
			row("winograd", 512, 1.10), row("4x4x4-r49", 512, 1.05),
			row("winograd", 1024, 1.12), row("4x4x4-r49", 1024, 1.25),
			row("winograd", 2048, 1.13), row("4x4x4-r49", 2048, 1.30),
		},
	}
	plans := map[string]tuned{}
	for _, p := range kernels.Plans() {
		plans[p.Name] = tuned{plan: p}
	}
	rep.Crossovers = crossovers(rep.Rows, plans)
	tab, err := SelectionTable(rep)
	if err != nil {
		t.Fatal(err)
	}
	var buf strings.Builder
	if err := tab.Write(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := kernels.ReadTable(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatalf("written table does not read back: %v\n%s", err, buf.String())
	}
	// gemm below 256; winograd from 256 (its crossover), recursing down to
	// blocks of 128; 4x4x4-r49 from 1024, where it beats winograd (its
	// crossover is 512, so blocks of 128 again).
	want := []kernels.Rule{
		{Precision: "float64", Min: 0, Kernel: "gemm"},
		{Precision: "float64", Min: 256, Kernel: "winograd", Cutoff: 128, Speedup: 1.05},
		{Precision: "float64", Min: 1024, Kernel: "4x4x4-r49", Cutoff: 128, Speedup: 1.25},
	}
	if len(back.Rules) != len(want) {
		t.Fatalf("rules %+v, want %+v", back.Rules, want)
	}
	for i, r := range back.Rules {
		w := want[i]
		if r.Precision != w.Precision || r.Min != w.Min || r.Kernel != w.Kernel || r.Cutoff != w.Cutoff || r.Speedup != w.Speedup {
			t.Errorf("rule %d = %+v, want %+v", i, r, w)
		}
	}
	if k := back.Kernel(2048, 2048, 2048, kernels.Float64); k.Name() != "4x4x4-r49" {
		t.Errorf("table picks %s at 2048", k.Name())
	}
	if !strings.Contains(back.Comment, "gonum") {
		t.Errorf("comment %q does not say where it was measured", back.Comment)
	}
}
