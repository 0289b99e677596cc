package gen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/alphamat/alphamat/tensorgame"
)

// withPair returns Strassen plus a cancelling pair of terms: u ; v ; w and
// u ; v ; -w, which verify whatever u, v and w are.
func withPair(u, v, w string) string {
	neg := strings.NewReplacer("-", "", "1", "-1").Replace(w) // w holds 0 and 1 only
	q := strings.Replace(strassen, "# field: Z", "# field: Q", 1)
	return q + fmt.Sprintf("%s ; %s ; %s\n%s ; %s ; %s\n", u, v, w, u, v, neg)
}

// TestCompileLargeCoefficients compiles schemes that verify but whose
// contents do not fit int64: Generate must return an error or a plan whose
// factors follow the normalisation rule (coprime integers, first one
// positive), never panic.
func TestCompileLargeCoefficients(t *testing.T) {
	for _, c := range []struct {
		name, u, v string
	}{
		{"lcm overflows", "1000000007/4294967291 1/4294967279 0 0", "1 0 0 0"},
		{"product overflows", "1000000007/4294967291 0 0 0", "4294967279/1000000009 0 0 0"},
		{"large numerators", "9223372036854775807 9223372036854775806 0 0", "1 0 0 0"},
		{"lcm wraps silently", "1/4294967291 1/4294967279 0 0", "1 0 0 0"},
		{"near the limit", "1/3037000493 1/3037000453 0 0", "1 0 0 0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := tensorgame.Parse(strings.NewReader(withPair(c.u, c.v, "1 0 0 0")), c.name)
			if err != nil {
				t.Fatal(err)
			}
			if err := tensorgame.Verify(s); err != nil {
				t.Fatalf("test scheme does not verify: %v", err)
			}
			var p *plan
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("compile panicked: %v", r)
					}
				}()
				p, err = compile(s)
			}()
			if err != nil {
				if !strings.Contains(err.Error(), "overflow") {
					t.Errorf("error %q does not say what overflowed", err)
				}
				return
			}
			for _, pr := range p.products {
				for _, cs := range [][]coef{pr.a, pr.b} {
					var g int64
					for k, c := range cs {
						if !c.scale.IsInt() || k == 0 && c.scale.Sign() <= 0 {
							t.Fatalf("term %d: factor %v breaks the rule", pr.term, cs)
						}
						g = gcd(g, abs(c.scale.Num()))
					}
					if g != 1 {
						t.Fatalf("term %d: factor %v is not coprime", pr.term, cs)
					}
				}
			}
			if _, err := Generate(s, Options{Package: "p", Name: "x", Func: "X", Source: "t.txt"}); err != nil {
				t.Errorf("Generate: %v", err)
			}
		})
	}
}
