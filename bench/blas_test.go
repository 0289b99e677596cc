package bench

import (
	"context"
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
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
}
