package mcts

import (
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
