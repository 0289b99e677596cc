package bench

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/alphamat/alphamat/kernels"
	"github.com/alphamat/alphamat/kernels/gemm"
)

func TestUseBLAS(t *testing.T) {
	if _, err := UseBLAS("mkl", 0); err == nil || !strings.Contains(err.Error(), "openblas") {
		t.Errorf("UseBLAS(mkl) error %v, want one naming the choices", err)
	}
	restore, err := UseBLAS(BLASGonum, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer restore()
	if _, ok := blas64.Implementation().(gonum.Implementation); !ok {
		t.Errorf("after UseBLAS(gonum), blas64 uses %T", blas64.Implementation())
	}
	restorePacked, err := UseBLAS(BLASPacked, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := blas64.Implementation().(gemm.Implementation); !ok {
		t.Errorf("after UseBLAS(packed), blas64 uses %T", blas64.Implementation())
	}
	if gemm.Accelerated() && kernels.Leaf() != kernels.LeafPacked {
		t.Errorf("after UseBLAS(packed), the kernels' leaf is %s", kernels.Leaf())
	}
	if n := LeafThreads(); n != runtime.GOMAXPROCS(0) {
		t.Errorf("packed leaf on %d threads, want GOMAXPROCS", n)
	}
	restorePacked()
	if OpenBLASAvailable {
		return // tested by TestOpenBLAS
	}
	_, err = UseBLAS(BLASOpenBLAS, 0)
	if err == nil || !strings.Contains(err.Error(), "-tags netlib") || !strings.Contains(err.Error(), "libopenblas-dev") {
		t.Errorf("UseBLAS(openblas) without the netlib tag: error %v, want build instructions", err)
	}
}

// TestOpenBLAS runs the baselines with OpenBLAS leaves (go test -tags netlib).
func TestOpenBLAS(t *testing.T) {
	if !OpenBLASAvailable {
		t.Skip("built without -tags netlib")
	}
	restore, err := UseBLAS(BLASOpenBLAS, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer restore()
	if _, ok := blas64.Implementation().(gonum.Implementation); ok {
		t.Fatal("UseBLAS(openblas) left gonum in place")
	}
	if kernels.Leaf() != kernels.LeafOpenBLAS || LeafThreads() != 1 {
		t.Errorf("with OpenBLAS on 1 thread: leaf %s on %d threads", kernels.Leaf(), LeafThreads())
	}
	rep, err := RunKernels(context.Background(), KernelConfig{
		Shapes: []Shape{Square(33), {17, 40, 9}}, Contenders: Baselines(4, 0), Reps: 1, BLAS: BLASOpenBLAS,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Rows {
		if r.Wrong {
			t.Errorf("%s at %v %s with OpenBLAS: %s", r.Contender, r.Shape, r.DType, r.Err)
		}
	}
	if rep.Leaf != kernels.LeafOpenBLAS || rep.TableSource == "" {
		t.Errorf("report: leaf %q, table source %q", rep.Leaf, rep.TableSource)
	}
}
