package kernels_test

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/alphamat/alphamat/kernels"
	"github.com/alphamat/alphamat/kernels/kerneltest"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// panicValue runs f and returns what it panicked with, or nil.
func panicValue(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

func general(rows, cols, stride int, data []float64) blas64.General {
	return blas64.General{Rows: rows, Cols: cols, Stride: stride, Data: data}
}

func randGeneral(rnd *rand.Rand, rows, cols int) blas64.General {
	g := general(rows, cols, cols, make([]float64, rows*cols))
	for i := range g.Data {
		g.Data[i] = 2*rnd.Float64() - 1
	}
	return g
}

func TestPlansCheck(t *testing.T) {
	root := moduleRoot(t)
	seen := map[string]bool{}
	for _, p := range kernels.Plans() {
		if err := p.Check(); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
		if seen[p.Name] {
			t.Errorf("plan name %q used twice", p.Name)
		}
		seen[p.Name] = true
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(p.Source))); err != nil {
			t.Errorf("%s: source: %v", p.Name, err)
		}
		if q, ok := kernels.LookupPlan(p.Name); !ok || q != p {
			t.Errorf("LookupPlan(%q) = %v, %v", p.Name, q, ok)
		}
	}
}

func TestPlanCheckRejects(t *testing.T) {
	p, _ := kernels.LookupPlan("strassen")
	for _, tt := range []struct {
		name   string
		break_ func(p *kernels.Plan)
	}{
		{"rank", func(p *kernels.Plan) { p.Rank = 6 }},
		{"grid", func(p *kernels.Plan) { p.N = 0 }},
		{"operand", func(p *kernels.Plan) { p.Products[0].A = []kernels.Coef{{Index: 4, Scale: 1}} }},
		{"slot", func(p *kernels.Plan) { p.Products[1].Slot = 0 }},
		{"out and slot", func(p *kernels.Plan) { p.Products[0].Out = 1 }},
		{"chain", func(p *kernels.Plan) { p.Outputs[0].Chain = []int{0} }},
		{"never formed", func(p *kernels.Plan) { p.Outputs[1] = kernels.Output{} }},
		{"temp range", func(p *kernels.Plan) { p.Outputs[1].Sum = []kernels.Coef{{Index: 9, Scale: 1}} }},
	} {
		q := clonePlan(p)
		tt.break_(q)
		if err := q.Check(); err == nil {
			t.Errorf("%s: Check accepted a broken plan", tt.name)
		}
	}
}

func clonePlan(p *kernels.Plan) *kernels.Plan {
	q := *p
	q.Products = append([]kernels.Product(nil), p.Products...)
	for i := range q.Products {
		q.Products[i].A = append([]kernels.Coef(nil), p.Products[i].A...)
	}
	q.Outputs = append([]kernels.Output(nil), p.Outputs...)
	return &q
}

// TestSuiteCatchesBrokenPlan makes sure the shared suite can fail: a plan
// with one wrong sign must not pass.
func TestSuiteCatchesBrokenPlan(t *testing.T) {
	p, _ := kernels.LookupPlan("winograd")
	q := clonePlan(p)
	q.Outputs[1].Sum = append([]kernels.Coef(nil), q.Outputs[1].Sum...)
	q.Outputs[1].Sum[0].Scale = -q.Outputs[1].Sum[0].Scale
	k := kernels.Kernel{Plans: []*kernels.Plan{q}, Levels: 1, Cutoff: 1, Workers: 1}
	_, errs := kerneltest.NewSuite(1).Check(k.MulGeneral, kerneltest.Config{Block: [3]int{2, 2, 2}, Levels: 1, Random: 1})
	if len(errs) == 0 {
		t.Fatal("the suite passed a broken plan")
	}
}

func TestLookup(t *testing.T) {
	for _, tt := range []struct {
		name  string
		plans int
		ok    bool
	}{
		{"gemm", 0, true},
		{"strassen", 1, true},
		{"5x5x5-r93+winograd", 2, true},
		{"winograd+winograd+3x3x3-r23", 3, true},
		{"nope", 0, false},
		{"strassen+", 0, false},
		{"", 0, false},
	} {
		k, err := kernels.Lookup(tt.name)
		if (err == nil) != tt.ok {
			t.Errorf("Lookup(%q): error %v, want ok=%v", tt.name, err, tt.ok)
			continue
		}
		if err != nil {
			continue
		}
		if len(k.Plans) != tt.plans || k.Name() != tt.name {
			t.Errorf("Lookup(%q) = %d plans named %q", tt.name, len(k.Plans), k.Name())
		}
	}
	if ks := kernels.Kernels(); len(ks) != len(kernels.Plans()) {
		t.Errorf("Kernels() has %d kernels for %d plans", len(ks), len(kernels.Plans()))
	}
}

// TestChains runs kernels that change scheme between levels.
func TestChains(t *testing.T) {
	suite := kerneltest.NewSuite(2)
	for _, name := range []string{"5x5x5-r93+winograd", "winograd+3x3x3-r23", "2x3x4-r20+4x4x4-r48-q"} {
		k, err := kernels.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		k.Levels, k.Cutoff, k.Workers = 2, 1, 2
		p := k.Plans[0]
		t.Run(name, func(t *testing.T) {
			e := suite.TestMul(t, k.MulGeneral, kerneltest.Config{Block: [3]int{p.N, p.M, p.P}, Levels: 1, Tol: relTol(2)})
			t.Logf("max relative error %.3g", e)
		})
	}
}

func TestFloat32(t *testing.T) {
	suite := kerneltest.NewSuite(3)
	for _, p := range kernels.Plans() {
		levels := 2
		k := kernels.Kernel{Plans: []*kernels.Plan{p}, Levels: levels, Cutoff: 1, Workers: 1}
		t.Run(p.Name, func(t *testing.T) {
			cfg := kerneltest.Config{Block: [3]int{p.N, p.M, p.P}, Levels: levels, Random: 4, Tol: 1e-5}
			e := suite.TestMul32(t, k.MulGeneral32, cfg)
			t.Logf("max relative error %.3g", e)
		})
	}
}

// TestExported runs every generated function (default levels, cut-off
// and workers) and the table-driven MulGeneral on the suite's shapes, and
// Strassen on a shape large enough for the default cut-off to recurse.
func TestExported(t *testing.T) {
	funcs := map[string]func(c, a, b blas64.General){
		"Standard2x2x2": kernels.Standard2x2x2, "Strassen": kernels.Strassen, "Winograd": kernels.Winograd,
		"Mul2x2x3R11": kernels.Mul2x2x3R11, "Mul2x3x4R20": kernels.Mul2x3x4R20, "Mul3x3x3R23": kernels.Mul3x3x3R23,
		"Mul3x4x5R47": kernels.Mul3x4x5R47, "Mul4x4x4R49": kernels.Mul4x4x4R49, "Mul4x4x4R49GPU": kernels.Mul4x4x4R49GPU,
		"Mul4x4x4R49TPU": kernels.Mul4x4x4R49TPU, "Mul4x4x5R61": kernels.Mul4x4x5R61, "Mul4x5x5R76": kernels.Mul4x5x5R76,
		"Mul5x5x5R93": kernels.Mul5x5x5R93, "Mul2x4x5R32Q": kernels.Mul2x4x5R32Q, "Mul4x4x4R48Q": kernels.Mul4x4x4R48Q,
		"MulGeneral": kernels.MulGeneral,
	}
	if len(funcs) != len(kernels.Plans())+1 {
		t.Errorf("%d functions tested for %d plans: add the new ones", len(funcs)-1, len(kernels.Plans()))
	}
	suite := kerneltest.NewSuite(4)
	for name, f := range funcs {
		t.Run(name, func(t *testing.T) {
			suite.TestMul(t, f, kerneltest.Config{Random: 2})
		})
	}
	f32 := map[string]func(c, a, b blas32.General){"StrassenF32": kernels.StrassenF32, "MulGeneral32": kernels.MulGeneral32}
	for name, f := range f32 {
		t.Run(name, func(t *testing.T) {
			suite.TestMul32(t, f, kerneltest.Config{Random: 2})
		})
	}
	// 2·DefaultCutoff+3: one level of Strassen with peeling.
	n := 2*kernels.DefaultCutoff + 3
	rnd := rand.New(rand.NewPCG(5, 5))
	a, b := randGeneral(rnd, n, n+1), randGeneral(rnd, n+1, n-1)
	c, want := general(n, n-1, n-1, make([]float64, n*(n-1))), general(n, n-1, n-1, make([]float64, n*(n-1)))
	kernels.Strassen(c, a, b)
	blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, 0, want)
	for i := range c.Data {
		if d := c.Data[i] - want.Data[i]; d > 1e-12 || d < -1e-12 {
			t.Fatalf("Strassen at %dx%dx%d: element %d is %v, want %v", n, n+1, n-1, i, c.Data[i], want.Data[i])
		}
	}
}

func TestShapePanics(t *testing.T) {
	k, _ := kernels.Lookup("strassen")
	d := make([]float64, 100)
	for _, tt := range []struct {
		name    string
		c, a, b blas64.General
		want    error
	}{
		{"inner", general(2, 2, 2, d), general(2, 3, 3, d[10:]), general(2, 2, 2, d[20:]), kernels.ErrShape},
		{"rows", general(3, 2, 2, d), general(2, 2, 2, d[10:]), general(2, 2, 2, d[20:]), kernels.ErrShape},
		{"cols", general(2, 3, 3, d), general(2, 2, 2, d[10:]), general(2, 2, 2, d[20:]), kernels.ErrShape},
		{"negative", general(-1, 2, 2, d), general(-1, 2, 2, d[10:]), general(2, 2, 2, d[20:]), kernels.ErrShape},
		{"stride", general(2, 2, 1, d), general(2, 2, 2, d[10:]), general(2, 2, 2, d[20:]), kernels.ErrStride},
		{"short", general(2, 2, 2, d[:3]), general(2, 2, 2, d[10:]), general(2, 2, 2, d[20:]), kernels.ErrShortData},
		{"alias a", general(2, 2, 2, d), general(2, 2, 2, d), general(2, 2, 2, d[20:]), kernels.ErrAlias},
		{"alias b", general(2, 2, 2, d[21:]), general(2, 2, 2, d[10:]), general(2, 2, 2, d[20:]), kernels.ErrAlias},
		{"alias strides", general(2, 2, 3, d[20:]), general(2, 2, 2, d[10:]), general(2, 2, 2, d[22:]), kernels.ErrAlias},
	} {
		got := panicValue(func() { k.MulGeneral(tt.c, tt.a, tt.b) })
		if err, ok := got.(error); !ok || !errors.Is(err, tt.want) {
			t.Errorf("%s: panic %v, want %v", tt.name, got, tt.want)
		}
		if err, ok := got.(error); ok && !strings.HasPrefix(err.Error(), "kernels: ") {
			t.Errorf("%s: panic %q is not prefixed with kernels:", tt.name, err)
		}
	}
}

// TestNoAlias checks that disjoint parts of one matrix are accepted:
// C = left half · right-hand block, all views of the same array.
func TestNoAlias(t *testing.T) {
	rnd := rand.New(rand.NewPCG(6, 6))
	big := randGeneral(rnd, 8, 12)
	view := func(i, j, r, c int) blas64.General {
		return general(r, c, big.Stride, big.Data[i*big.Stride+j:(i+r-1)*big.Stride+j+c])
	}
	c, a, b := view(0, 0, 4, 4), view(0, 4, 4, 4), view(0, 8, 4, 4)
	a2, b2 := general(4, 4, 4, make([]float64, 16)), general(4, 4, 4, make([]float64, 16))
	for i := 0; i < 4; i++ {
		copy(a2.Data[i*4:i*4+4], a.Data[i*a.Stride:])
		copy(b2.Data[i*4:i*4+4], b.Data[i*b.Stride:])
	}
	want := general(4, 4, 4, make([]float64, 16))
	blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, a2, b2, 0, want)
	k := kernels.Kernel{Plans: []*kernels.Plan{mustPlan(t, "strassen")}, Cutoff: 1}
	if v := panicValue(func() { k.MulGeneral(c, a, b) }); v != nil {
		t.Fatalf("disjoint views: panic %v", v)
	}
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			if got, w := c.Data[i*c.Stride+j], want.Data[i*4+j]; got-w > 1e-14 || w-got > 1e-14 {
				t.Fatalf("C[%d][%d] = %v, want %v", i, j, got, w)
			}
		}
	}
	// Overlapping views of the same array do panic.
	if v := panicValue(func() { k.MulGeneral(view(2, 2, 4, 4), a, b) }); v != kernels.ErrAlias {
		t.Errorf("overlapping views: panic %v, want ErrAlias", v)
	}
}

func mustPlan(t testing.TB, name string) *kernels.Plan {
	t.Helper()
	p, ok := kernels.LookupPlan(name)
	if !ok {
		t.Fatalf("no plan %q", name)
	}
	return p
}

func TestMulDense(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 7))
	a := mat.NewDense(5, 7, nil)
	b := mat.NewDense(7, 3, nil)
	for _, m := range []*mat.Dense{a, b} {
		r, c := m.Dims()
		for i := 0; i < r; i++ {
			for j := 0; j < c; j++ {
				m.Set(i, j, float64(rnd.IntN(9)-4))
			}
		}
	}
	var want mat.Dense
	want.Mul(a, b)
	var dst mat.Dense
	kernels.Mul(&dst, a, b)
	if !mat.Equal(&dst, &want) {
		t.Errorf("Mul into an empty Dense = %v, want %v", mat.Formatted(&dst), mat.Formatted(&want))
	}
	k := kernels.Kernel{Plans: []*kernels.Plan{mustPlan(t, "3x3x3-r23")}, Cutoff: 1}
	dst2 := mat.NewDense(5, 3, nil)
	k.Mul(dst2, a, b)
	if !mat.Equal(dst2, &want) {
		t.Errorf("Kernel.Mul = %v, want %v", mat.Formatted(dst2), mat.Formatted(&want))
	}
	for _, tt := range []struct {
		name string
		f    func()
		want error
	}{
		{"dst shape", func() { k.Mul(mat.NewDense(5, 4, nil), a, b) }, kernels.ErrShape},
		{"inner", func() { k.Mul(&mat.Dense{}, a, a) }, kernels.ErrShape},
		{"alias", func() { sq := mat.NewDense(3, 3, nil); k.Mul(sq, sq, sq) }, kernels.ErrAlias},
		{"empty", func() { k.Mul(&mat.Dense{}, &mat.Dense{}, b) }, kernels.ErrEmpty},
	} {
		if v := panicValue(tt.f); v != tt.want {
			t.Errorf("%s: panic %v, want %v", tt.name, v, tt.want)
		}
	}
}

// TestAllocs checks that a sequential kernel allocates nothing once its
// workspace is in the pool, and that a parallel one allocates a bounded
// number of small objects (goroutines and their closures).
func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops buffers at random under the race detector")
	}
	rnd := rand.New(rand.NewPCG(8, 8))
	n := 48
	a, b := randGeneral(rnd, n, n), randGeneral(rnd, n, n)
	c := general(n, n, n, make([]float64, n*n))
	for _, tt := range []struct {
		name    string
		workers int
		max     float64
	}{{"sequential", 1, 0}, {"parallel", 2, 40}} {
		k := kernels.Kernel{Plans: []*kernels.Plan{mustPlan(t, "winograd")}, Levels: 3, Cutoff: 4, Workers: tt.workers}
		got := testing.AllocsPerRun(20, func() { k.MulGeneral(c, a, b) })
		if got > tt.max {
			t.Errorf("%s: %v allocations per call, want at most %v", tt.name, got, tt.max)
		}
	}
}

// TestWorkspaceKept checks that the workspace survives garbage collections
// between calls (a sequential kernel allocates nothing even with two
// collections before each call) until ReleaseWorkspace drops it.
func TestWorkspaceKept(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 9))
	n := 40
	a, b := randGeneral(rnd, n, n), randGeneral(rnd, n, n)
	c := general(n, n, n, make([]float64, n*n))
	k := kernels.Kernel{Plans: []*kernels.Plan{mustPlan(t, "winograd")}, Cutoff: 4, Workers: 1}
	k.MulGeneral(c, a, b)
	gcCall := func() {
		runtime.GC()
		runtime.GC()
		k.MulGeneral(c, a, b)
	}
	if got := testing.AllocsPerRun(5, gcCall); got != 0 {
		t.Errorf("%v allocations per call after two collections, want 0", got)
	}
	released := func() {
		kernels.ReleaseWorkspace()
		gcCall()
	}
	if got := testing.AllocsPerRun(2, released); got < 1 {
		t.Errorf("%v allocations per call after ReleaseWorkspace and two collections, want at least 1", got)
	}
	want := general(n, n, n, make([]float64, n*n))
	blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, a, b, 0, want)
	for i, v := range c.Data {
		if math.Abs(v-want.Data[i]) > 1e-12 {
			t.Fatalf("C[%d] = %v after ReleaseWorkspace, want %v", i, v, want.Data[i])
		}
	}
}

func TestWorkspace(t *testing.T) {
	p, w := mustPlan(t, "strassen"), mustPlan(t, "winograd")
	for _, tt := range []struct {
		k       kernels.Kernel
		n, m, p int
		want    int
	}{
		{kernels.Kernel{}, 100, 100, 100, 0},
		{kernels.Kernel{Plans: []*kernels.Plan{p}, Cutoff: 64}, 100, 100, 100, 0},
		// One level, blocks 50×50: 5 temporaries, one S and one T.
		{kernels.Kernel{Plans: []*kernels.Plan{p}, Cutoff: 50, Workers: 1}, 101, 100, 100, 5*2500 + 2*2500},
		// Two levels: the second level's 25×25 workspace inside the slot.
		{kernels.Kernel{Plans: []*kernels.Plan{p}, Cutoff: 25, Workers: 1}, 100, 100, 100, 7*2500 + 7*625},
		// Two workers at the top: two slots.
		{kernels.Kernel{Plans: []*kernels.Plan{p}, Levels: 1, Cutoff: 1, Workers: 2}, 100, 100, 100, 5*2500 + 2*2*2500},
		// Winograd's schedule: one factor of A and one of B, two product
		// blocks, per level; with Generic, 4 temporaries and the factors.
		{kernels.Kernel{Plans: []*kernels.Plan{w}, Cutoff: 25, Workers: 1}, 100, 100, 100, 4*2500 + 4*625},
		{kernels.Kernel{Plans: []*kernels.Plan{w}, Cutoff: 25, Workers: 1, Generic: true}, 100, 100, 100, 6*2500 + 6*625},
		// Two workers at the top run the generic executor there, the
		// schedule below it.
		{kernels.Kernel{Plans: []*kernels.Plan{w}, Cutoff: 25, Workers: 2}, 100, 100, 100, 4*2500 + 2*(2*2500+4*625)},
	} {
		if got := tt.k.Workspace(tt.n, tt.m, tt.p); got != tt.want {
			t.Errorf("%s cutoff %d workers %d at %dx%dx%d: workspace %d, want %d",
				tt.k.Name(), tt.k.Cutoff, tt.k.Workers, tt.n, tt.m, tt.p, got, tt.want)
		}
	}
}

func TestTable(t *testing.T) {
	tab, err := kernels.ParseTable([]byte(`{
		"comment": "test",
		"rules": [
			{"min": 0, "kernel": "gemm"},
			{"min": 100, "kernel": "strassen", "cutoff": 32},
			{"min": 100, "precision": "float32", "kernel": "winograd"},
			{"min": 300, "maxAspect": 2, "kernel": "5x5x5-r93+winograd", "levels": 2}
		]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		n, m, p   int
		precision string
		want      string
		cutoff    int
	}{
		{10, 10, 10, kernels.Float64, "gemm", 0},
		{100, 200, 300, kernels.Float64, "strassen", 32},
		{100, 200, 300, kernels.Float32, "strassen", 32}, // tie: first in file
		{400, 500, 600, kernels.Float64, "5x5x5-r93+winograd", 0},
		{400, 500, 1000, kernels.Float64, "strassen", 32}, // aspect 2.5
		{0, 500, 500, kernels.Float64, "gemm", 0},
	} {
		k := tab.Kernel(tt.n, tt.m, tt.p, tt.precision)
		if k.Name() != tt.want || k.Cutoff != tt.cutoff {
			t.Errorf("%dx%dx%d %s: %s cutoff %d, want %s cutoff %d", tt.n, tt.m, tt.p, tt.precision, k.Name(), k.Cutoff, tt.want, tt.cutoff)
		}
	}
	var buf bytes.Buffer
	if err := tab.Write(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := kernels.ParseTable(buf.Bytes())
	if err != nil {
		t.Fatalf("written table does not parse: %v\n%s", err, buf.String())
	}
	var buf2 bytes.Buffer
	back.Write(&buf2)
	if buf2.String() != buf.String() || len(back.Rules) != 4 || back.Rules[3].MaxAspect != 2 {
		t.Errorf("round trip changed the table:\n%s\n%s", buf.String(), buf2.String())
	}
	if err := kernels.DefaultTable().Validate(); err != nil {
		t.Errorf("default table: %v", err)
	}
}

func TestTableErrors(t *testing.T) {
	for _, tt := range []struct{ json, want string }{
		{`{"rules": [{"min": 0, "kernel": "nope"}]}`, `no plan named "nope"`},
		{`{"rules": [{"min": -1, "kernel": "gemm"}]}`, "must not be negative"},
		{`{"rules": [{"min": 0, "kernel": "gemm", "precision": "f16"}]}`, `precision "f16"`},
		{`{"rules": [{"min": 0, "kernel": "gemm", "maxAspect": 0.5}]}`, "maxAspect"},
		{`{"rules": [{"min": 0, "kernel": "gemm", "level": 2}]}`, `unknown field "level"`},
		{`{"rules": []} {}`, "data after the table"},
		{`{"rules": [{"min": 0, "kernel": "gemm"}, {"min": 1, "kernel": "x"}]}`, "table rule 2"},
	} {
		_, err := kernels.ParseTable([]byte(tt.json))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to mention %q", tt.json, err, tt.want)
		}
	}
}

// moduleRoot returns the directory holding go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}
