package kernels_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/alphamat/alphamat/kernels"
	"github.com/alphamat/alphamat/kernels/gemm"
)

// otherBLAS is an implementation kernels has no table for.
type otherBLAS struct{ gonum.Implementation }

func TestLeaf(t *testing.T) {
	prev := blas64.Implementation()
	defer blas64.Use(prev)
	want := kernels.LeafGonum
	if gemm.Accelerated() {
		want = kernels.LeafPacked
	}
	for _, tt := range []struct {
		impl blas.Float64
		want string
	}{
		{gonum.Implementation{}, want},
		{gemm.Implementation{}, map[bool]string{true: kernels.LeafPacked, false: "packed-go"}[gemm.Accelerated()]},
		{otherBLAS{}, "github.com/alphamat/alphamat/kernels_test.otherBLAS"},
	} {
		blas64.Use(tt.impl)
		if got := kernels.Leaf(); got != tt.want {
			t.Errorf("Leaf() with %T = %q, want %q", tt.impl, got, tt.want)
		}
	}
}

func TestShippedTables(t *testing.T) {
	for _, leaf := range []string{kernels.LeafGonum, kernels.LeafPacked, kernels.LeafOpenBLAS} {
		tab, ok := kernels.ShippedTable(leaf)
		if !ok {
			t.Errorf("no table shipped for leaf %s", leaf)
			continue
		}
		if tab.Leaf != leaf {
			t.Errorf("table for %s names leaf %q", leaf, tab.Leaf)
		}
		if err := tab.Validate(); err != nil {
			t.Errorf("table for %s: %v", leaf, err)
		}
		// Below 256 every shipped table multiplies with the leaf alone.
		if k := tab.Kernel(200, 200, 200, kernels.Float64); k.Name() != "gemm" {
			t.Errorf("table for %s picks %s at 200", leaf, k.Name())
		}
	}
}

// TestLeafTable checks where the table of a leaf comes from: the rule for
// an unknown leaf, the shipped table, a user's table saved by SaveTable,
// and the fallback (with an error, never a panic) from a corrupt file or
// one measured for another leaf.
func TestLeafTable(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	kernels.ForgetTables()
	defer kernels.ForgetTables()

	const unknown = "example.com/blas.Impl"
	tab, src, err := kernels.LeafTable(unknown)
	if err != nil || src != kernels.SourceRule || len(tab.Rules) != 1 || tab.Kernel(4096, 4096, 4096, kernels.Float64).Name() != "gemm" {
		t.Fatalf("unknown leaf: table %+v from %s, error %v; want the gemm rule", tab, src, err)
	}
	if _, src, err := kernels.LeafTable(kernels.LeafGonum); err != nil || src != kernels.SourceShipped {
		t.Errorf("gonum leaf: source %s, error %v; want the shipped table", src, err)
	}

	user := &kernels.Table{Leaf: unknown, Rules: []kernels.Rule{{Kernel: "gemm"}, {Min: 512, Kernel: "strassen", Cutoff: 256}}}
	path, err := kernels.SaveTable(user)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := kernels.TablePath(unknown); path != want {
		t.Errorf("saved to %s, TablePath says %s", path, want)
	}
	if tab, src, err := kernels.LeafTable(unknown); err != nil || src != kernels.SourceUser || tab.Kernel(1024, 1024, 1024, kernels.Float64).Name() != "strassen" {
		t.Errorf("after SaveTable: table %+v from %s, error %v", tab, src, err)
	}
	kernels.ForgetTables() // a new process reads the file
	if tab, src, err := kernels.LeafTable(unknown); err != nil || src != kernels.SourceUser || len(tab.Rules) != 2 {
		t.Errorf("saved table read back: %+v from %s, error %v", tab, src, err)
	}
	if ents, _ := os.ReadDir(filepath.Dir(path)); len(ents) != 1 {
		t.Errorf("cache directory holds %d entries, want the table only", len(ents))
	}

	for _, tt := range []struct {
		name, data, want string
	}{
		{"corrupt", "{\"leaf\": \"" + unknown + "\", \"rules\": [", "parse table"},
		{"unknown kernel", "{\"leaf\": \"" + unknown + "\", \"rules\": [{\"min\": 0, \"kernel\": \"nope\"}]}", "nope"},
		{"other leaf", "{\"leaf\": \"openblas\", \"rules\": []}", "measured for leaf \"openblas\""},
	} {
		if err := os.WriteFile(path, []byte(tt.data), 0o644); err != nil {
			t.Fatal(err)
		}
		kernels.ForgetTables()
		tab, src, err := kernels.LeafTable(unknown)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want one naming %s and %q", tt.name, err, path, tt.want)
		}
		if src != kernels.SourceRule || tab.Kernel(4096, 4096, 4096, kernels.Float64).Name() != "gemm" {
			t.Errorf("%s: fell back to %+v from %s, want the gemm rule", tt.name, tab, src)
		}
	}

	if _, err := kernels.SaveTable(&kernels.Table{Rules: []kernels.Rule{{Kernel: "gemm"}}}); err == nil {
		t.Error("SaveTable of a table without a leaf: no error")
	}
	if _, err := kernels.SaveTable(&kernels.Table{Leaf: unknown, Rules: []kernels.Rule{{Kernel: "nope"}}}); err == nil {
		t.Error("SaveTable of an invalid table: no error")
	}
}

// TestMulFollowsLeaf checks that Mul uses the table of the leaf installed:
// a user table for an implementation kernels does not know is followed
// once saved.
func TestMulFollowsLeaf(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	kernels.ForgetTables()
	defer kernels.ForgetTables()
	prev := blas64.Implementation()
	defer blas64.Use(prev)
	blas64.Use(otherBLAS{})
	if got := kernels.DefaultTable().Kernel(2048, 2048, 2048, kernels.Float64).Name(); got != "gemm" {
		t.Errorf("unknown leaf: default table picks %s at 2048, want gemm", got)
	}
	if _, err := kernels.SaveTable(&kernels.Table{Leaf: kernels.Leaf(), Rules: []kernels.Rule{{Kernel: "winograd", Cutoff: 4}}}); err != nil {
		t.Fatal(err)
	}
	if got := kernels.DefaultTable().Kernel(2048, 2048, 2048, kernels.Float64).Name(); got != "winograd" {
		t.Errorf("after SaveTable: default table picks %s, want winograd", got)
	}
	a := blas64.General{Rows: 9, Cols: 9, Stride: 9, Data: make([]float64, 81)}
	for i := range a.Data {
		a.Data[i] = float64(i%7 - 3)
	}
	c := blas64.General{Rows: 9, Cols: 9, Stride: 9, Data: make([]float64, 81)}
	want := blas64.General{Rows: 9, Cols: 9, Stride: 9, Data: make([]float64, 81)}
	kernels.MulGeneral(c, a, a)
	gonum.Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, 9, 9, 9, 1, a.Data, 9, a.Data, 9, 0, want.Data, 9)
	for i := range c.Data {
		if c.Data[i] != want.Data[i] {
			t.Fatalf("MulGeneral with the user table: C[%d] = %v, want %v", i, c.Data[i], want.Data[i])
		}
	}
}
