package tensorgame

import (
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// Rat is an exact rational coefficient p/q kept in lowest terms with q > 0.
// The zero value is 0. Rats are comparable with ==.
type Rat struct {
	num int64
	dm1 int64 // denominator minus one, so that the zero value is 0/1
}

// Int returns the rational n/1.
func Int(n int64) Rat { return Rat{num: n} }

// NewRat returns p/q in lowest terms. It panics with ErrZeroDen if q is 0.
func NewRat(p, q int64) Rat {
	if q == 0 {
		panic(ErrZeroDen)
	}
	if q < 0 {
		if p == minInt64 || q == minInt64 {
			panic(ErrOverflow)
		}
		p, q = -p, -q
	}
	g := gcd(abs64(p), q)
	if g > 1 {
		p, q = p/g, q/g
	}
	return Rat{num: p, dm1: q - 1}
}

const minInt64 = -1 << 63

// Num returns the numerator.
func (r Rat) Num() int64 { return r.num }

// Den returns the denominator, always positive.
func (r Rat) Den() int64 { return r.dm1 + 1 }

// IsInt reports whether r is an integer.
func (r Rat) IsInt() bool { return r.dm1 == 0 }

// IsZero reports whether r is 0.
func (r Rat) IsZero() bool { return r.num == 0 }

// Sign returns -1, 0 or +1.
func (r Rat) Sign() int {
	switch {
	case r.num < 0:
		return -1
	case r.num > 0:
		return 1
	}
	return 0
}

// Neg returns -r.
func (r Rat) Neg() Rat {
	if r.num == minInt64 {
		panic(ErrOverflow)
	}
	return Rat{num: -r.num, dm1: r.dm1}
}

// Add returns r + s, panicking with ErrOverflow if int64 is not enough.
func (r Rat) Add(s Rat) Rat {
	if r.dm1 == 0 && s.dm1 == 0 {
		return Rat{num: addChecked(r.num, s.num)}
	}
	rd, sd := r.Den(), s.Den()
	g := gcd(rd, sd)
	n := addChecked(mulChecked(r.num, sd/g), mulChecked(s.num, rd/g))
	return NewRat(n, mulChecked(rd, sd/g))
}

// Sub returns r - s.
func (r Rat) Sub(s Rat) Rat { return r.Add(s.Neg()) }

// Mul returns r · s, panicking with ErrOverflow if int64 is not enough.
func (r Rat) Mul(s Rat) Rat {
	if r.dm1 == 0 && s.dm1 == 0 {
		return Rat{num: mulChecked(r.num, s.num)}
	}
	g1 := gcd(abs64(r.num), s.Den())
	g2 := gcd(abs64(s.num), r.Den())
	n := mulChecked(r.num/g1, s.num/g2)
	d := mulChecked(r.Den()/g2, s.Den()/g1)
	return NewRat(n, d)
}

// String formats r as "p" or "p/q".
func (r Rat) String() string {
	if r.dm1 == 0 {
		return strconv.FormatInt(r.num, 10)
	}
	return strconv.FormatInt(r.num, 10) + "/" + strconv.FormatInt(r.Den(), 10)
}

// Float64 returns the nearest float64.
func (r Rat) Float64() float64 { return float64(r.num) / float64(r.Den()) }

// ParseRat parses "p" or "p/q" (optional sign, decimal digits).
func ParseRat(s string) (Rat, error) {
	ps, qs, frac := strings.Cut(s, "/")
	p, err := strconv.ParseInt(ps, 10, 64)
	if errors.Is(err, strconv.ErrRange) {
		return Rat{}, fmt.Errorf("bad coefficient %q: out of range", s)
	}
	if err != nil {
		return Rat{}, fmt.Errorf("bad coefficient %q: not an integer or p/q", s)
	}
	if p == minInt64 {
		return Rat{}, fmt.Errorf("bad coefficient %q: out of range", s)
	}
	if !frac {
		return Int(p), nil
	}
	q, err := strconv.ParseInt(qs, 10, 64)
	if err != nil || strings.HasPrefix(qs, "+") {
		return Rat{}, fmt.Errorf("bad coefficient %q: denominator is not a positive integer", s)
	}
	if q == 0 {
		return Rat{}, fmt.Errorf("bad coefficient %q: zero denominator", s)
	}
	if q < 0 {
		return Rat{}, fmt.Errorf("bad coefficient %q: negative denominator", s)
	}
	return NewRat(p, q), nil
}

func abs64(x int64) int64 {
	if x < 0 {
		if x == minInt64 {
			panic(ErrOverflow)
		}
		return -x
	}
	return x
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	if a == 0 {
		return 1
	}
	return a
}

func addChecked(a, b int64) int64 {
	c := a + b
	if (c > a) != (b > 0) {
		panic(ErrOverflow)
	}
	return c
}

func mulChecked(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	neg := (a < 0) != (b < 0)
	hi, lo := bits.Mul64(uint64(abs64(a)), uint64(abs64(b)))
	if hi != 0 || lo > 1<<63-1 {
		panic(ErrOverflow)
	}
	if neg {
		return -int64(lo)
	}
	return int64(lo)
}
