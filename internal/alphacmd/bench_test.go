package alphacmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alphamat/alphamat/bench"
	"github.com/alphamat/alphamat/kernels"
	"github.com/alphamat/alphamat/kernels/gemm"
)

// benchExec runs alphamat with args and returns stdout, stderr and the error.
func benchExec(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	return execRoot(context.Background(), t, args...)
}

func TestBenchKernelsFlags(t *testing.T) {
	var got *benchKernelsOptions
	cmd := newBenchKernelsCmd(&IO{}, func(o *benchKernelsOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--sizes", "64..256", "--rect", "", "--dtype", "f32", "--levels", "2",
		"--kernels", "strassen", "--threads", "1", "--cutoff", "16", "--json"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if len(got.Sizes) != 3 || got.Sizes[2] != 256 || got.Rect != nil || len(got.DTypes) != 1 ||
		got.DTypes[0] != bench.F32 || len(got.Levels) != 1 || got.Levels[0] != 2 ||
		!got.Kernels.MatchString("strassen/L2") || got.Kernels.MatchString("winograd/L2") ||
		got.Threads != 1 || got.Cutoff != 16 || !got.JSON || got.Reps != 5 {
		t.Errorf("options %+v", got)
	}
	if !strings.Contains(got.Command, "--sizes=64..256") {
		t.Errorf("command line %q", got.Command)
	}
}

// TestBenchKernelsRectFollowsSizes checks that the rectangular shapes
// follow --sizes unless --rect is given (a run at --sizes 512 used to time
// shapes up to 2045 as well).
func TestBenchKernelsRectFollowsSizes(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--sizes", "512"}, "[512]"},
		{[]string{"--sizes", "64..256"}, "[64 128 256]"},
		{[]string{"--sizes", "512", "--rect", "100,200"}, "[100 200]"},
		{[]string{"--sizes", "512", "--rect", ""}, "[]"},
	} {
		var got *benchKernelsOptions
		cmd := newBenchKernelsCmd(&IO{}, func(o *benchKernelsOptions) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		if s := fmt.Sprint(got.Rect); s != tt.want {
			t.Errorf("%v: rect sizes %s, want %s", tt.args, s, tt.want)
		}
	}
}

func TestBenchUsageErrors(t *testing.T) {
	tests := [][]string{
		{"bench", "kernels", "--sizes", "big"},
		{"bench", "kernels", "--dtype", "f16"},
		{"bench", "kernels", "--levels", "0"},
		{"bench", "kernels", "--kernels", "("},
		{"bench", "kernels", "--reps", "0"},
		{"bench", "kernels", "--cutoff", "-1"},
		{"bench", "kernels", "--blas", "mkl", "--sizes", "8"},
		{"bench", "kernels", "--sizes", "1..4611686018427387905"},
		{"bench", "kernels", "--sizes", "8", "--save"},
		{"bench", "kernels", "--workers", "-1"},
		{"bench", "kernels", "--sizes", "8", "--tune-leaves", "4"},
		{"bench", "kernels", "--tune", "--tune-leaves", "0"},
		{"bench", "search", "--formats", "3x3"},
		{"bench", "search", "--field", "R"},
		{"bench", "search", "--seeds", "0"},
		{"bench", "search", "--workers", "two"},
		{"bench", "search", "--workers", "1,-2"},
	}
	for _, args := range tests {
		_, _, err := benchExec(t, args...)
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("%v: error %v, want a usage error", args, err)
		}
	}
}

func TestBenchOpenBLASWithoutTag(t *testing.T) {
	if bench.OpenBLASAvailable {
		t.Skip("built with -tags netlib")
	}
	_, _, err := benchExec(t, "bench", "kernels", "--blas", "openblas", "--sizes", "8")
	if err == nil || !strings.Contains(err.Error(), "-tags netlib") {
		t.Errorf("error %v, want build instructions", err)
	}
}

func TestBenchKernelsRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "r")
	out, _, err := benchExec(t, "bench", "kernels", "--sizes", "8,16", "--rect", "", "--dtype", "f64",
		"--reps", "1", "--threads", "1", "--json", "--report", dir)
	if err != nil {
		t.Fatal(err)
	}
	var rep bench.KernelReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output does not parse: %v\n%s", err, out)
	}
	want := 4 // gemm, Strassen, naive and kernels.Mul
	if gemm.Accelerated() {
		want++ // kernels/gemm beside gonum's gemm
	}
	if len(rep.Rows) != 2*want || rep.GOMAXPROCS != 1 {
		t.Errorf("%d rows (want gemm, Strassen, naive, kernels.Mul and kernels/gemm where it has assembly at 2 sizes), GOMAXPROCS %d", len(rep.Rows), rep.GOMAXPROCS)
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil || !strings.Contains(string(md), "--sizes=8,16") {
		t.Errorf("report.md: %v", err)
	}
}

func TestBenchKernelsTuneOut(t *testing.T) {
	path := filepath.Join(t.TempDir(), "table.json")
	_, _, err := benchExec(t, "bench", "kernels", "--tune", "--tune-sizes", "8,16", "--dtype", "f64",
		"--kernels", "^strassen$", "--reps", "1", "--threads", "1", "--tune-out", path)
	if err != nil {
		t.Fatal(err)
	}
	table := readTableFile(t, path)
	// The table says how it was made.
	if !strings.Contains(table.Comment, "made by alphamat bench kernels") || !strings.Contains(table.Comment, "--tune-sizes=8,16") {
		t.Errorf("table comment %q does not give the command", table.Comment)
	}
}

// readTableFile reads and validates the selection table at path.
func readTableFile(t *testing.T, path string) *kernels.Table {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	table, err := kernels.ReadTable(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return table
}

// TestBenchKernelsTuneLeaves sweeps winograd over two leaf sizes: the
// crossovers name each leaf, and the table written reads back.
func TestBenchKernelsTuneLeaves(t *testing.T) {
	path := filepath.Join(t.TempDir(), "table.json")
	out, _, err := benchExec(t, "bench", "kernels", "--tune", "--tune-sizes", "16,32", "--tune-leaves", "4,8", "--dtype", "f64",
		"--kernels", "^winograd$", "--reps", "1", "--threads", "1", "--workers", "1", "--tune-out", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"winograd/leaf4", "winograd/leaf8"} {
		if !strings.Contains(out, name) {
			t.Errorf("output does not name %s:\n%s", name, out)
		}
	}
	table := readTableFile(t, path)
	if !strings.Contains(table.Comment, "--tune-leaves=4,8") {
		t.Errorf("table comment %q does not give the command", table.Comment)
	}
	for _, r := range table.Rules {
		if r.Kernel != "gemm" && r.Cutoff != 4 && r.Cutoff != 8 {
			t.Errorf("rule %+v: cut-off is not a leaf size swept", r)
		}
	}
}

func TestBenchSearchRun(t *testing.T) {
	out, _, err := benchExec(t, "bench", "search", "--formats", "2x2x2", "--seeds", "2", "--time", "20s", "--workers", "1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "2x2x2") || !strings.Contains(out, "2/2") || strings.Contains(out, "speedup") {
		t.Errorf("table:\n%s", out)
	}
	out, _, err = benchExec(t, "bench", "search", "--formats", "2x2x2", "--seeds", "1", "--time", "20s", "--workers", "2,1")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(out, "2x2x2") != 2 || !strings.Contains(out, "flips/s speedup") {
		t.Errorf("--workers 2,1: want a row per count and the speedups:\n%s", out)
	}
}
