package bench

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alphamat/alphamat/kernels"
)

func TestWriteKernelReport(t *testing.T) {
	cs := append(Baselines(4, 0), faulty()[0])
	rep, err := RunKernels(context.Background(), KernelConfig{
		Shapes: []Shape{Square(8), Square(16), Square(32)}, Contenders: cs, Reps: 2, Seed: 3,
		DTypes: []DType{F64}, // rendering is slow under -race: one element type is enough
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "report")
	if d := os.Getenv("BENCH_REPORT_DIR"); d != "" {
		dir = d // to look at the plots
	}
	paths, err := WriteKernelReport(dir, rep, "alphamat bench kernels --sizes 8,16,32")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"gflops_f64_L0.png", "speedup_f64_L0.png", "report.md"}
	if len(paths) != len(want) {
		t.Fatalf("wrote %v, want %v", paths, want)
	}
	for _, name := range want {
		path := filepath.Join(dir, name)
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(name, ".png") {
			continue
		}
		// An 8×5 inch plot with axes, lines and a legend is tens of kB; an
		// empty canvas compresses to a few hundred bytes.
		if fi.Size() < 5000 {
			t.Errorf("%s: %d bytes, too small for a plot", name, fi.Size())
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s does not decode as PNG: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() < 100 || b.Dy() < 100 {
			t.Errorf("%s: image %v too small", name, b)
		}
	}
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	setup := "kernels' leaves: " + kernels.Leaf() + " on "
	for _, s := range []string{"--sizes 8,16,32", "![gflops_f64_L0](gflops_f64_L0.png)", "**offbyone** at 8x8x8 f64", "| strassen-winograd |", setup, "kernels.Mul table: "} {
		if !strings.Contains(string(md), s) {
			t.Errorf("report.md lacks %q", s)
		}
	}
}
