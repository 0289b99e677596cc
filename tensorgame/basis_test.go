package tensorgame

import (
	"math/rand/v2"
	"testing"
)

// standardActions returns the terms of the standard algorithm as actions.
func standardActions(t *testing.T, f Format, field Field) []Action {
	t.Helper()
	var out []Action
	for _, term := range Standard(f, field).Terms {
		a, err := ActionOf(term)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

func toInt32(f []int8) []int32 {
	out := make([]int32, len(f))
	for i, x := range f {
		out[i] = int32(x)
	}
	return out
}

// Mapping every term of the standard algorithm and summing gives the
// mapped tensor, and Unmap undoes Map.
func TestBasisRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, tc := range []struct {
		format Format
		field  Field
		moves  int
	}{
		{Format{N: 2, M: 2, P: 2}, Z2, -1},
		{Format{N: 2, M: 3, P: 2}, Z2, 4},
		{Format{N: 2, M: 2, P: 3}, Z, 4},
	} {
		a, b, c := tc.format.Dims()
		bs := RandomTensorBasis(rng, a, b, c, tc.field, tc.moves)
		want := bs.Tensor(MatMul(tc.format))
		got := NewTensor(a, b, c)
		for _, act := range standardActions(t, tc.format, tc.field) {
			m := bs.Map(act)
			if back := bs.Unmap(m); !back.Equal(act) {
				t.Fatalf("%v: Unmap(Map(%v)) = %v", tc.format, act, back)
			}
			neg := func(f []int8) []int32 {
				out := make([]int32, len(f))
				for i, x := range f {
					out[i] = -int32(x)
				}
				return out
			}
			got.SubTerm(neg(m.U), toInt32(m.V), toInt32(m.W), tc.field == Z2)
		}
		if !got.Equal(want) {
			t.Errorf("%v %v: sum of mapped terms != mapped tensor", tc.format, tc.field)
		}
	}
}
