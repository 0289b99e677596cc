package tensorgame

import (
	"math/big"
	"math/bits"

	"github.com/alphamat/alphamat/internal/gf2"
)

// MatrixRank returns the rank of the rows×cols integer matrix stored
// row-major in data, over field: by bit-packed Gaussian elimination mod 2
// for Z2, and exactly over the rationals for Z and Q (fraction-free
// elimination in int64, redone in math/big when int64 would overflow).
// data is not modified. It panics with ErrLength if len(data) != rows·cols.
func MatrixRank(rows, cols int, data []int32, field Field) int {
	if rows < 0 || cols < 0 || len(data) != rows*cols {
		panic(ErrLength)
	}
	if rows == 0 || cols == 0 {
		return 0
	}
	if field == Z2 {
		return rankMod2(rows, cols, data)
	}
	if r, ok := rankInt64(rows, cols, data); ok {
		return r
	}
	return rankBig(rows, cols, data)
}

// rankMod2 packs each row into words and eliminates with XOR.
func rankMod2(rows, cols int, data []int32) int {
	words := (cols + 63) / 64
	m := make([]uint64, rows*words)
	for r := 0; r < rows; r++ {
		for c, x := range data[r*cols : (r+1)*cols] {
			if x&1 != 0 {
				m[r*words+c/64] |= 1 << (c % 64)
			}
		}
	}
	return gf2.RankWide(m, words)
}

// rankInt64 runs Bareiss' fraction-free elimination; ok is false when an
// intermediate value would overflow int64.
func rankInt64(rows, cols int, data []int32) (rank int, ok bool) {
	m := make([]int64, len(data))
	for i, x := range data {
		m[i] = int64(x)
	}
	prev := int64(1)
	for c := 0; c < cols && rank < rows; c++ {
		piv := -1
		for r := rank; r < rows; r++ {
			if m[r*cols+c] != 0 {
				piv = r
				break
			}
		}
		if piv < 0 {
			continue
		}
		if piv != rank {
			for j := 0; j < cols; j++ {
				m[piv*cols+j], m[rank*cols+j] = m[rank*cols+j], m[piv*cols+j]
			}
		}
		p := m[rank*cols+c]
		for r := rank + 1; r < rows; r++ {
			f := m[r*cols+c]
			for j := c + 1; j < cols; j++ {
				// m[r][j] = (p·m[r][j] - f·m[rank][j]) / prev, exact by Bareiss.
				x, o1 := mul64(p, m[r*cols+j])
				y, o2 := mul64(f, m[rank*cols+j])
				d, o3 := sub64(x, y)
				if o1 || o2 || o3 {
					return 0, false
				}
				m[r*cols+j] = d / prev
			}
			m[r*cols+c] = 0
		}
		prev = p
		rank++
	}
	return rank, true
}

func mul64(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, false
	}
	if a == minInt64 || b == minInt64 {
		return 0, true
	}
	ua, ub := uint64(a), uint64(b)
	if a < 0 {
		ua = uint64(-a)
	}
	if b < 0 {
		ub = uint64(-b)
	}
	hi, lo := bits.Mul64(ua, ub)
	if hi != 0 || lo > 1<<63-1 {
		return 0, true
	}
	if (a < 0) != (b < 0) {
		return -int64(lo), false
	}
	return int64(lo), false
}

func sub64(a, b int64) (int64, bool) {
	c := a - b
	return c, (c < a) != (b > 0)
}

// rankBig is Bareiss' elimination in math/big, for matrices whose minors
// leave int64.
func rankBig(rows, cols int, data []int32) int {
	m := make([]big.Int, len(data))
	for i, x := range data {
		m[i].SetInt64(int64(x))
	}
	prev := big.NewInt(1)
	var x, y big.Int
	rank := 0
	for c := 0; c < cols && rank < rows; c++ {
		piv := -1
		for r := rank; r < rows; r++ {
			if m[r*cols+c].Sign() != 0 {
				piv = r
				break
			}
		}
		if piv < 0 {
			continue
		}
		if piv != rank {
			for j := 0; j < cols; j++ {
				m[piv*cols+j], m[rank*cols+j] = m[rank*cols+j], m[piv*cols+j]
			}
		}
		p := new(big.Int).Set(&m[rank*cols+c])
		for r := rank + 1; r < rows; r++ {
			f := &m[r*cols+c]
			for j := c + 1; j < cols; j++ {
				x.Mul(p, &m[r*cols+j])
				y.Mul(f, &m[rank*cols+j])
				x.Sub(&x, &y)
				m[r*cols+j].Quo(&x, prev)
			}
			f.SetInt64(0)
		}
		prev = p
		rank++
	}
	return rank
}

// SliceRanks returns the sum of the ranks over field of the slices of t
// along mode (0: the A slices t[a] of shape B×C, 1: the B slices of shape
// A×C, 2: the C slices of shape A×B). Each slice of rank r is a sum of r
// rank-one matrices, so the sum bounds the tensor rank from above.
func SliceRanks(t *Tensor, mode int, field Field) int {
	var rows, cols, count int
	switch mode {
	case 0:
		count, rows, cols = t.A, t.B, t.C
	case 1:
		count, rows, cols = t.B, t.A, t.C
	case 2:
		count, rows, cols = t.C, t.A, t.B
	default:
		panic(Error{"tensorgame: mode out of range"})
	}
	buf := make([]int32, rows*cols)
	sum := 0
	for s := 0; s < count; s++ {
		nz := false
		for r := 0; r < rows; r++ {
			for c := 0; c < cols; c++ {
				var x int32
				switch mode {
				case 0:
					x = t.At(s, r, c)
				case 1:
					x = t.At(r, s, c)
				case 2:
					x = t.At(r, c, s)
				}
				if field == Z2 {
					x &= 1
				}
				buf[r*cols+c] = x
				nz = nz || x != 0
			}
		}
		if nz {
			sum += MatrixRank(rows, cols, buf, field)
		}
	}
	return sum
}

// RankBound returns an upper bound of the tensor rank of t over field: the
// smallest over the three modes of SliceRanks. It is the terminal penalty of
// TensorGame (see Game). It is 0 exactly when t is zero (mod 2 over Z2).
func RankBound(t *Tensor, field Field) int {
	return min(SliceRanks(t, 0, field), SliceRanks(t, 1, field), SliceRanks(t, 2, field))
}
