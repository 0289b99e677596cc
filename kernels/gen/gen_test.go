package gen

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

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

func mustParse(t *testing.T, text string) *tensorgame.Scheme {
	t.Helper()
	s, err := tensorgame.Parse(strings.NewReader(text), "test.txt")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const strassen = `# source: test
# size: 2x2x2
# field: Z
1 0 0 1 ; 1 0 0 1 ; 1 0 0 1
0 0 1 1 ; 1 0 0 0 ; 0 0 1 -1
1 0 0 0 ; 0 1 0 -1 ; 0 1 0 1
0 0 0 1 ; -1 0 1 0 ; 1 0 1 0
1 1 0 0 ; 0 0 0 1 ; -1 1 0 0
-1 0 1 0 ; 1 1 0 0 ; 0 0 0 1
0 1 0 -1 ; 0 0 1 1 ; 1 0 0 0
`

func TestGenerateRefuses(t *testing.T) {
	opt := Options{Package: "p", Name: "x", Func: "X", Source: "test.txt"}
	broken := strings.Replace(strassen, "0 1 0 -1 ; 0 0 1 1", "0 1 0 1 ; 0 0 1 1", 1)
	z2 := strings.Replace(strassen, "# field: Z", "# field: Z2", 1)
	z2 = strings.ReplaceAll(z2, "-1", "1")
	for _, tt := range []struct {
		name, text string
		opt        Options
		want       string
	}{
		{"unverified", broken, opt, "does not verify"},
		{"Z2", z2, opt, "field Z2"},
		{"package", strassen, Options{Package: "1p", Name: "x", Func: "X"}, "package"},
		{"func", strassen, Options{Package: "p", Name: "x", Func: "x"}, "exported"},
		{"name", strassen, Options{Package: "p", Name: "a+b", Func: "X"}, "plan name"},
	} {
		_, err := Generate(mustParse(t, tt.text), tt.opt)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to mention %q", tt.name, err, tt.want)
		}
	}
}

func TestGenerate(t *testing.T) {
	src, err := Generate(mustParse(t, strassen), Options{Package: "fast", Name: "strassen-test", Func: "StrassenTest", Source: "test.txt", Doc: "a test"})
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	lines := strings.SplitN(text, "\n", 2)
	if !regexp.MustCompile(`^// Code generated .* DO NOT EDIT\.$`).MatchString(lines[0]) {
		t.Errorf("first line %q is not a generated-code marker", lines[0])
	}
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, parser.ParseComments)
	if err != nil {
		t.Fatalf("output does not parse: %v\n%s", err, src)
	}
	if f.Name.Name != "fast" || f.Doc != nil {
		t.Errorf("package %s, doc %v: want package fast and no package doc (the header must not become one)", f.Name.Name, f.Doc)
	}
	for _, want := range []string{
		`"github.com/alphamat/alphamat/kernels"`,
		"func StrassenTest(c, a, b blas64.General)",
		"func StrassenTestF32(c, a, b blas32.General)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if !strings.Contains(text, "//\tsource: test") {
		t.Errorf("output lacks the scheme's attribution header")
	}
	// Strassen: M6 and M7 are the only single-use products; 5 temporaries.
	if !strings.Contains(text, "Temps: 5") || strings.Count(text, "Slot: -1}") != 2 {
		t.Errorf("want 5 temporaries and 2 products straight into C:\n%s", text)
	}
}

func TestNormalize(t *testing.T) {
	r := tensorgame.NewRat
	i := tensorgame.Int
	for _, tt := range []struct {
		x       []tensorgame.Rat
		want    []tensorgame.Rat // non-zeros of x/content
		content tensorgame.Rat
	}{
		{[]tensorgame.Rat{i(0), i(-3), i(0)}, []tensorgame.Rat{i(1)}, i(-3)},
		{[]tensorgame.Rat{i(2), i(-4)}, []tensorgame.Rat{i(1), i(-2)}, i(2)},
		{[]tensorgame.Rat{r(1, 2), r(-1, 4)}, []tensorgame.Rat{i(2), i(-1)}, r(1, 4)},
		{[]tensorgame.Rat{r(-1, 2), r(1, 2), i(1)}, []tensorgame.Rat{i(1), i(-1), i(-2)}, r(-1, 2)},
	} {
		cs, c := normalize(tt.x)
		if c != tt.content || len(cs) != len(tt.want) {
			t.Errorf("normalize(%v): content %v, %d terms; want %v, %d", tt.x, c, len(cs), tt.content, len(tt.want))
			continue
		}
		for k := range cs {
			if cs[k].scale != tt.want[k] {
				t.Errorf("normalize(%v): term %d is %v, want %v", tt.x, k, cs[k].scale, tt.want[k])
			}
		}
	}
	if cs, _ := normalize([]tensorgame.Rat{i(0), i(0)}); cs != nil {
		t.Errorf("normalize(0) = %v, want nil", cs)
	}
}

// TestCompileShipped checks the compiled plans of the shipped schemes: the
// products and output sums reproduce every term of the scheme exactly.
func TestCompileShipped(t *testing.T) {
	root := moduleRoot(t)
	for _, spec := range Shipped() {
		s, err := tensorgame.ReadFile(filepath.Join(root, filepath.FromSlash(spec.File)))
		if err != nil {
			t.Fatal(err)
		}
		p, err := compile(s)
		if err != nil {
			t.Fatalf("%s: %v", spec.File, err)
		}
		for _, pr := range p.products {
			term := s.Terms[pr.term-1]
			// w from the plan: alpha folded for single products, the sums for stored ones.
			a, b, c := s.Format.Dims()
			u, v, w := make([]tensorgame.Rat, a), make([]tensorgame.Rat, b), make([]tensorgame.Rat, c)
			for _, x := range pr.a {
				u[x.index] = x.scale
			}
			for _, x := range pr.b {
				v[x.index] = x.scale
			}
			if pr.out >= 0 {
				w[pr.out] = pr.alpha
			} else {
				for k, o := range p.outputs {
					for _, x := range o.sum {
						if x.index == pr.slot {
							w[k] = pr.alpha.Mul(x.scale)
						}
					}
				}
			}
			// u⊗v⊗w must equal the term's outer product.
			for ia := range u {
				for ib := range v {
					for ic := range w {
						got := u[ia].Mul(v[ib]).Mul(w[ic])
						want := term.U[ia].Mul(term.V[ib]).Mul(term.W[ic])
						if got != want {
							t.Fatalf("%s: product %d differs from term %d at (%d,%d,%d)", spec.File, pr.term, pr.term, ia, ib, ic)
						}
					}
				}
			}
		}
	}
}

func TestDefaultNames(t *testing.T) {
	for _, tt := range []struct{ path, name, fn string }{
		{"schemes/3x3x3_r23_Z.txt", "3x3x3-r23-z", "Mul3x3x3R23Z"},
		{"x/4x4x4_r49_Z_gpu-v100.txt", "4x4x4-r49-z-gpu-v100", "Mul4x4x4R49ZGpuV100"},
	} {
		name, fn := DefaultNames(tt.path)
		if name != tt.name || fn != tt.fn {
			t.Errorf("DefaultNames(%q) = %q, %q; want %q, %q", tt.path, name, fn, tt.name, tt.fn)
		}
	}
}
