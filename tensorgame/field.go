package tensorgame

import (
	"fmt"
	"strings"
)

// Field is the coefficient ring of a scheme.
type Field int

const (
	// Z2 is arithmetic mod 2: coefficients 0 and 1.
	Z2 Field = iota + 1
	// Z is standard integer arithmetic: the scheme holds over any ring.
	Z
	// Q is rational arithmetic: the scheme holds where the denominators are invertible.
	Q
)

// ParseField parses "Z2", "Z" or "Q" (case-insensitive; "F2", "GF2", "mod2",
// "int" and "rational" are accepted too).
func ParseField(s string) (Field, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "z2", "f2", "gf2", "gf(2)", "mod2":
		return Z2, nil
	case "z", "int", "integer":
		return Z, nil
	case "q", "rational":
		return Q, nil
	}
	return 0, fmt.Errorf("field %q: want Z2, Z or Q", s)
}

// String returns "Z2", "Z" or "Q".
func (f Field) String() string {
	switch f {
	case Z2:
		return "Z2"
	case Z:
		return "Z"
	case Q:
		return "Q"
	}
	return fmt.Sprintf("Field(%d)", int(f))
}

// Valid reports whether f is one of Z2, Z, Q.
func (f Field) Valid() bool { return f == Z2 || f == Z || f == Q }
