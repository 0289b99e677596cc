package tensorgame

import (
	"math/big"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// ratParts draws a numerator and a non-zero denominator (of either sign)
// below 2^bitsMax in absolute value.
func ratParts(t *rapid.T, label string, bitsMax int64) (int64, int64) {
	p := rapid.Int64Range(-(1<<bitsMax)+1, 1<<bitsMax-1).Draw(t, label+"p")
	q := rapid.Int64Range(1, 1<<bitsMax-1).Draw(t, label+"q")
	if rapid.Bool().Draw(t, label+"neg") {
		q = -q
	}
	return p, q
}

// equalBig reports whether r has the value of b.
func equalBig(r Rat, b *big.Rat) bool {
	return b.Num().IsInt64() && b.Denom().IsInt64() && r.Num() == b.Num().Int64() && r.Den() == b.Denom().Int64()
}

// tryRat runs op and reports whether it panicked with ErrOverflow; any
// other panic fails the test.
func tryRat(t *rapid.T, op func() Rat) (r Rat, overflow bool) {
	defer func() {
		if e := recover(); e != nil {
			if e != ErrOverflow {
				t.Fatalf("panic %v, want ErrOverflow", e)
			}
			overflow = true
		}
	}()
	return op(), false
}

func TestRatProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		bits := rapid.SampledFrom([]int64{4, 20, 30, 62}).Draw(t, "bits")
		p1, q1 := ratParts(t, "x", bits)
		p2, q2 := ratParts(t, "y", bits)
		x, y := NewRat(p1, q1), NewRat(p2, q2)
		bx, by := big.NewRat(p1, q1), big.NewRat(p2, q2)
		if !equalBig(x, bx) || x.Den() <= 0 {
			t.Fatalf("NewRat(%d, %d) = %v, want %v", p1, q1, x, bx)
		}
		if x.Sign() != bx.Sign() || x.IsInt() != bx.IsInt() || x.IsZero() != (bx.Sign() == 0) {
			t.Fatalf("%v: Sign/IsInt/IsZero disagree with math/big", x)
		}
		if f, _ := bx.Float64(); x.Float64() != f && bits <= 30 {
			t.Fatalf("%v.Float64() = %v, want %v", x, x.Float64(), f)
		}
		back, err := ParseRat(x.String())
		if err != nil || back != x {
			t.Fatalf("ParseRat(%q) = %v, %v", x.String(), back, err)
		}
		if x.String() != bx.RatString() {
			t.Fatalf("String() = %q, want %q", x.String(), bx.RatString())
		}
		for _, c := range []struct {
			name string
			op   func() Rat
			want *big.Rat
		}{
			{"Add", func() Rat { return x.Add(y) }, new(big.Rat).Add(bx, by)},
			{"Sub", func() Rat { return x.Sub(y) }, new(big.Rat).Sub(bx, by)},
			{"Mul", func() Rat { return x.Mul(y) }, new(big.Rat).Mul(bx, by)},
			{"Neg", func() Rat { return x.Neg() }, new(big.Rat).Neg(bx)},
		} {
			got, overflow := tryRat(t, c.op)
			switch {
			case overflow && bits < 62:
				t.Fatalf("%v %s %v overflowed with %d-bit parts", x, c.name, y, bits)
			case !overflow && !equalBig(got, c.want):
				t.Fatalf("%v %s %v = %v, want %v", x, c.name, y, got, c.want)
			}
		}
		if x == y != (bx.Cmp(by) == 0) {
			t.Fatalf("%v == %v disagrees with math/big", x, y)
		}
	})
}

func TestRatBasics(t *testing.T) {
	var zero Rat
	if zero != Int(0) || zero.Den() != 1 || zero.String() != "0" || !zero.IsInt() {
		t.Errorf("zero value %v is not 0/1", zero)
	}
	if NewRat(6, -4) != NewRat(-3, 2) || NewRat(-3, 2).String() != "-3/2" {
		t.Errorf("NewRat(6, -4) = %v, want -3/2", NewRat(6, -4))
	}
	for in, msg := range map[string]string{
		"1/0": "zero denominator", "1/-2": "negative denominator", "1/+2": "denominator is not",
		"x": "not an integer or p/q", "": "not an integer", "1/2/3": "denominator is not",
		"9223372036854775808": "out of range", "-9223372036854775808": "out of range",
	} {
		if _, err := ParseRat(in); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("ParseRat(%q) = %v, want an error containing %q", in, err, msg)
		}
	}
	func() {
		defer func() {
			if e := recover(); e != ErrZeroDen {
				t.Errorf("NewRat(1, 0) panicked with %v, want ErrZeroDen", e)
			}
		}()
		NewRat(1, 0)
	}()
}
