package tensorgame

import (
	"fmt"
	"hash/maphash"
	"slices"
)

// Tensor is a dense 3-tensor of integers with axes of length A, B and C,
// stored with index (a*B+b)*C+c. It holds the matmul tensor and the
// residuals of TensorGame (over Z2 entries are kept reduced to 0 or 1).
type Tensor struct {
	A, B, C int
	Data    []int32
}

// NewTensor returns a zero tensor of the given shape.
func NewTensor(a, b, c int) *Tensor {
	return &Tensor{A: a, B: b, C: c, Data: make([]int32, a*b*c)}
}

// MatMul returns the matmul tensor T(n,m,p): T[i*m+j][j*p+k][i*p+k] = 1.
func MatMul(f Format) *Tensor {
	a, b, c := f.Dims()
	t := NewTensor(a, b, c)
	for i := 0; i < f.N; i++ {
		for j := 0; j < f.M; j++ {
			for k := 0; k < f.P; k++ {
				t.Set(i*f.M+j, j*f.P+k, i*f.P+k, 1)
			}
		}
	}
	return t
}

// At returns entry (a, b, c).
func (t *Tensor) At(a, b, c int) int32 { return t.Data[(a*t.B+b)*t.C+c] }

// Set sets entry (a, b, c).
func (t *Tensor) Set(a, b, c int, v int32) { t.Data[(a*t.B+b)*t.C+c] = v }

// Clone returns a deep copy of t.
func (t *Tensor) Clone() *Tensor {
	return &Tensor{A: t.A, B: t.B, C: t.C, Data: slices.Clone(t.Data)}
}

// CopyFrom copies src into t, which must have the same shape; it allocates nothing.
func (t *Tensor) CopyFrom(src *Tensor) {
	if t.A != src.A || t.B != src.B || t.C != src.C {
		panic(ErrFormat)
	}
	copy(t.Data, src.Data)
}

// Equal reports whether t and u have the same shape and entries.
func (t *Tensor) Equal(u *Tensor) bool {
	return t.A == u.A && t.B == u.B && t.C == u.C && slices.Equal(t.Data, u.Data)
}

// IsZero reports whether every entry is 0.
func (t *Tensor) IsZero() bool {
	for _, x := range t.Data {
		if x != 0 {
			return false
		}
	}
	return true
}

// NonZeros returns the number of non-zero entries.
func (t *Tensor) NonZeros() int {
	n := 0
	for _, x := range t.Data {
		if x != 0 {
			n++
		}
	}
	return n
}

// Hash returns a hash of the entries under seed, for transposition tables.
func (t *Tensor) Hash(seed maphash.Seed) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	var buf [4]byte
	for _, x := range t.Data {
		buf[0], buf[1], buf[2], buf[3] = byte(x), byte(x>>8), byte(x>>16), byte(x>>24)
		h.Write(buf[:])
	}
	return h.Sum64()
}

// SubTerm subtracts the integer outer product u ⊗ v ⊗ w from t; over Z2
// (mod2 true) entries are reduced to 0 or 1. Coefficients must be integers.
func (t *Tensor) SubTerm(u, v, w []int32, mod2 bool) {
	if len(u) != t.A || len(v) != t.B || len(w) != t.C {
		panic(ErrLength)
	}
	for a, x := range u {
		if x == 0 {
			continue
		}
		for b, y := range v {
			if y == 0 {
				continue
			}
			xy := x * y
			row := t.Data[(a*t.B+b)*t.C : (a*t.B+b+1)*t.C]
			for c, z := range w {
				if z == 0 {
					continue
				}
				row[c] -= xy * z
				if mod2 {
					row[c] &= 1
				}
			}
		}
	}
}

// String returns a short description of the shape.
func (t *Tensor) String() string {
	return fmt.Sprintf("Tensor(%d×%d×%d, %d non-zeros)", t.A, t.B, t.C, t.NonZeros())
}
