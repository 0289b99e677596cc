package mcts

import (
	"math/bits"

	"github.com/alphamat/alphamat/internal/gf2"
	"github.com/alphamat/alphamat/tensorgame"
)

// bounder computes tensorgame.RankBound of residuals without allocating:
// over Z2 on bit rows (axes up to 64), otherwise by tensorgame.RankBound.
type bounder struct {
	a, b, c int
	mod2    bool
	rows    []uint64
	t       tensorgame.Tensor
	field   tensorgame.Field

	// The residual of the last prepare, over Z2, for boundAfter: rows01
	// holds the fibres r[i][j][·] as bit words (index i·B+j: the rows of
	// the slices of modes 0 and 1), rows2 the fibres r[i][·][k] (index
	// k·A+i: the rows of mode 2's slices); rank[m] the ranks of mode m's
	// slices and sum[m] their sum.
	rows01, rows2 []uint64
	rank          [3][]int
	sum           [3]int
}

func newBounder(a, b, c int, field tensorgame.Field) *bounder {
	return &bounder{a: a, b: b, c: c, field: field, mod2: field == tensorgame.Z2 && a <= 64 && b <= 64 && c <= 64,
		rows: make([]uint64, max(a, b, c)), t: tensorgame.Tensor{A: a, B: b, C: c}}
}

// bound returns the smallest over the three axes of the sum of the ranks
// of the residual's slices along that axis.
func (bd *bounder) bound(r []int32) int {
	if !bd.mod2 {
		bd.t.Data = r
		return tensorgame.RankBound(&bd.t, bd.field)
	}
	A, B, C := bd.a, bd.b, bd.c
	best := int(^uint(0) >> 1)
	for mode := range 3 {
		sum := 0
		switch mode {
		case 0: // slices r[i] (B×C): rows j, bits k
			for i := range A {
				rows := bd.rows[:B]
				for j := range B {
					var w uint64
					for k, x := range r[(i*B+j)*C : (i*B+j+1)*C] {
						w |= uint64(x&1) << k
					}
					rows[j] = w
				}
				sum += gf2.Rank(rows)
			}
		case 1: // slices r[·][j][·] (A×C)
			for j := range B {
				rows := bd.rows[:A]
				for i := range A {
					var w uint64
					for k, x := range r[(i*B+j)*C : (i*B+j+1)*C] {
						w |= uint64(x&1) << k
					}
					rows[i] = w
				}
				sum += gf2.Rank(rows)
			}
		default: // slices r[·][·][k] (A×B)
			for k := range C {
				rows := bd.rows[:A]
				for i := range A {
					var w uint64
					for j := range B {
						w |= uint64(r[(i*B+j)*C+k]&1) << j
					}
					rows[i] = w
				}
				sum += gf2.Rank(rows)
			}
		}
		best = min(best, sum)
	}
	return best
}

// prepare records the residual r (over Z2, bit-packed, with the ranks of
// its slices) for boundAfter and returns bound(r). It must only be called
// when bd.mod2.
func (bd *bounder) prepare(r []int32) int {
	A, B, C := bd.a, bd.b, bd.c
	if bd.rows01 == nil {
		bd.rows01, bd.rows2 = make([]uint64, A*B), make([]uint64, C*A)
		bd.rank = [3][]int{make([]int, A), make([]int, B), make([]int, C)}
	}
	clear(bd.rows2)
	for i := range A {
		for j := range B {
			var w uint64
			for k, x := range r[(i*B+j)*C : (i*B+j+1)*C] {
				bit := uint64(x & 1)
				w |= bit << k
				bd.rows2[k*A+i] |= bit << j
			}
			bd.rows01[i*B+j] = w
		}
	}
	best := int(^uint(0) >> 1)
	for mode := range 3 {
		bd.sum[mode] = 0
		for s := range bd.rank[mode] {
			rows := bd.slice(mode, s, 0, 0)
			bd.rank[mode][s] = gf2.Rank(rows)
			bd.sum[mode] += bd.rank[mode][s]
		}
		best = min(best, bd.sum[mode])
	}
	return best
}

// slice copies slice s of the given mode of the prepared residual into
// bd.rows, XORing in x for the rows whose bit in sel is set, and returns
// it.
func (bd *bounder) slice(mode, s int, sel, x uint64) []uint64 {
	A, B := bd.a, bd.b
	switch mode {
	case 0: // rows j of r[s]
		rows := bd.rows[:B]
		for j := range B {
			rows[j] = bd.rows01[s*B+j] ^ (x & -(sel >> j & 1))
		}
		return rows
	case 1: // rows i of r[·][s][·]
		rows := bd.rows[:A]
		for i := range A {
			rows[i] = bd.rows01[i*B+s] ^ (x & -(sel >> i & 1))
		}
		return rows
	default: // rows i of r[·][·][s]
		rows := bd.rows[:A]
		for i := range A {
			rows[i] = bd.rows2[s*A+i] ^ (x & -(sel >> i & 1))
		}
		return rows
	}
}

// boundAfter returns bound(r - u⊗v⊗w) over Z2 for the residual r of the
// last prepare, re-ranking only the slices the term changes: slice s of
// mode m when factor m is 1 at s, whose rows selected by the next factor
// (v for mode 0, u for modes 1 and 2) change by the last (w, w, v).
func (bd *bounder) boundAfter(u, v, w []int8) int {
	A, B := bd.a, bd.b
	bu, bv, bw := bitsOf(u), bitsOf(v), bitsOf(w)
	// Mode 0: slices i (B rows of C bits).
	sum0 := bd.sum[0]
	rows := bd.rows[:B]
	for f := bu; f != 0; f &= f - 1 {
		i := bits.TrailingZeros64(f)
		src := bd.rows01[i*B : i*B+B]
		for j := range rows {
			rows[j] = src[j] ^ (bw & -(bv >> j & 1))
		}
		sum0 += gf2.Rank(rows) - bd.rank[0][i]
	}
	// Mode 1: slices j (A rows of C bits).
	sum1 := bd.sum[1]
	rows = bd.rows[:A]
	for f := bv; f != 0; f &= f - 1 {
		j := bits.TrailingZeros64(f)
		for i := range rows {
			rows[i] = bd.rows01[i*B+j] ^ (bw & -(bu >> i & 1))
		}
		sum1 += gf2.Rank(rows) - bd.rank[1][j]
	}
	// Mode 2: slices k (A rows of B bits).
	sum2 := bd.sum[2]
	for f := bw; f != 0; f &= f - 1 {
		k := bits.TrailingZeros64(f)
		src := bd.rows2[k*A : k*A+A]
		for i := range rows {
			rows[i] = src[i] ^ (bv & -(bu >> i & 1))
		}
		sum2 += gf2.Rank(rows) - bd.rank[2][k]
	}
	return min(sum0, sum1, sum2)
}

// bitsOf packs a factor's coefficients mod 2 into a word.
func bitsOf(f []int8) uint64 {
	var w uint64
	for i, x := range f {
		w |= uint64(x&1) << i
	}
	return w
}
