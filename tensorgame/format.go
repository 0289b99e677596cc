package tensorgame

import (
	"fmt"
	"strconv"
	"strings"
)

// Format is the shape n×m×p of a matrix product C (n×p) = A (n×m) · B (m×p).
type Format struct {
	N, M, P int
}

// MaxDim is the largest single dimension ParseFormat accepts. It keeps tensors
// of parsed formats within memory; the bit-packed searches support less.
const MaxDim = 64

// ParseFormat parses a format written "4x4x4" or "4,4,4" (spaces allowed
// around the numbers, "X" and "×" accepted for "x").
func ParseFormat(s string) (Format, error) {
	t := strings.TrimSpace(s)
	sep := ","
	if !strings.Contains(t, ",") {
		t = strings.NewReplacer("X", "x", "×", "x").Replace(t)
		sep = "x"
	}
	parts := strings.Split(t, sep)
	if len(parts) != 3 {
		return Format{}, fmt.Errorf("format %q: want three sizes like 4x4x4 or 4,4,4", s)
	}
	var d [3]int
	for i, p := range parts {
		p = strings.TrimSpace(p)
		v, err := strconv.Atoi(p)
		if err != nil {
			return Format{}, fmt.Errorf("format %q: size %q is not a number", s, p)
		}
		if v < 1 {
			return Format{}, fmt.Errorf("format %q: size %d must be at least 1", s, v)
		}
		if v > MaxDim {
			return Format{}, fmt.Errorf("format %q: size %d is above the maximum %d", s, v, MaxDim)
		}
		d[i] = v
	}
	return Format{d[0], d[1], d[2]}, nil
}

// String returns the format as "nxmxp".
func (f Format) String() string { return fmt.Sprintf("%dx%dx%d", f.N, f.M, f.P) }

// Valid reports whether all three sizes are positive.
func (f Format) Valid() bool { return f.N > 0 && f.M > 0 && f.P > 0 }

// Dims returns the lengths of the three factors u, v and w: n·m, m·p and n·p.
func (f Format) Dims() (a, b, c int) { return f.N * f.M, f.M * f.P, f.N * f.P }

// Naive returns the rank of the standard algorithm, n·m·p.
func (f Format) Naive() int { return f.N * f.M * f.P }

// Cyclic returns the format (m, p, n), the image of f under the cyclic symmetry.
func (f Format) Cyclic() Format { return Format{f.M, f.P, f.N} }

// Transpose returns the format (p, m, n), the image of f under (AB)ᵀ = BᵀAᵀ.
func (f Format) Transpose() Format { return Format{f.P, f.M, f.N} }
