package agent

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// TestLogitsMatchGemv checks that logits computes, for the listed
// columns, bitwise what gonum's Sgemv computes for all of them (the
// policy's sampling, and so the search's games, stay those of the plain
// product), and leaves the other columns alone.
func TestLogitsMatchGemv(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ D, V, legal int }{
		{128, 16, 8}, {128, 16, 16}, {128, 16, 13}, {128, 8, 3}, {7, 5, 5}, {64, 16, 1}, {128, 16, 0},
	} {
		o, d, g := randF32(rng, tc.D*tc.V), randF32(rng, tc.V), randF32(rng, tc.D)
		want := append([]float32(nil), d...)
		blas32.Gemv(blas.Trans, 1, blas32.General{Rows: tc.D, Cols: tc.V, Stride: tc.V, Data: o},
			blas32.Vector{N: tc.D, Inc: 1, Data: g}, 1, blas32.Vector{N: tc.V, Inc: 1, Data: want})
		cols := rng.Perm(tc.V)[:tc.legal]
		z := make([]float32, tc.V)
		for v := range z {
			z[v] = -7
		}
		logits(z, o, d, g, cols)
		in := make([]bool, tc.V)
		for _, c := range cols {
			in[c] = true
		}
		for v := range z {
			switch {
			case in[v] && z[v] != want[v]:
				t.Errorf("D %d V %d: logit %d = %v, Sgemv %v", tc.D, tc.V, v, z[v], want[v])
			case !in[v] && z[v] != -7:
				t.Errorf("D %d V %d: column %d not listed but written", tc.D, tc.V, v)
			}
		}
	}
}

// TestVecMatMatchesLoop checks vecMat bitwise against the plain loop
// over the rows of m in order.
func TestVecMatMatchesLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const rows, D = 20, 128
	m := &param{rows: rows, cols: D, data: randF32(rng, rows*D)}
	x := randF32(rng, rows)
	for k := range x {
		if k%3 == 0 {
			x[k] = 0
		}
	}
	want := make([]float32, D)
	for k, xk := range x {
		for i := range want {
			want[i] += float32(xk * m.data[k*D+i])
		}
	}
	got := make([]float32, D)
	vecMat(got, x, m, D)
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("vecMat[%d] = %v, loop %v", i, got[i], want[i])
		}
	}
}

func randF32(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

// TestLinearMatchesGemm checks linear bitwise against gonum's Sgemm (bias
// in the output, beta 1) on sparse inputs, including outputs wide enough
// for Sgemm to go parallel.
func TestLinearMatchesGemm(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct{ rows, in, out int }{{1, 100, 256}, {3, 256, 256}, {9, 256, 384}, {2, 128, 1}, {64, 70, 128}} {
		p := &param{rows: tc.in, cols: tc.out, data: randF32(rng, tc.in*tc.out)}
		bias := &param{rows: 1, cols: tc.out, data: randF32(rng, tc.out)}
		x := randF32(rng, tc.rows*tc.in)
		for i := range x {
			if rng.IntN(2) == 0 {
				x[i] = 0
			}
		}
		want := make([]float32, tc.rows*tc.out)
		for r := range tc.rows {
			copy(want[r*tc.out:], bias.data)
		}
		blas32.Gemm(blas.NoTrans, blas.NoTrans, 1,
			blas32.General{Rows: tc.rows, Cols: tc.in, Stride: tc.in, Data: x},
			blas32.General{Rows: tc.in, Cols: tc.out, Stride: tc.out, Data: p.data},
			1, blas32.General{Rows: tc.rows, Cols: tc.out, Stride: tc.out, Data: want})
		got := make([]float32, tc.rows*tc.out)
		linear(tc.rows, x, p, bias, got)
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%d×%d·%d×%d: element %d = %v, Sgemm %v", tc.rows, tc.in, tc.in, tc.out, i, got[i], want[i])
			}
		}
	}
}

// TestAxpyRows16MatchesLoop checks the sixteen-wide kernel (assembly on
// amd64) bitwise against the scalar loop in the same order.
func TestAxpyRows16MatchesLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{1, 5, 128} {
		o, x, z0 := randF32(rng, 16*n), randF32(rng, n), randF32(rng, 16)
		want := append([]float32(nil), z0...)
		for j, xj := range x {
			for v := range want {
				want[v] += float32(xj * o[16*j+v])
			}
		}
		got := append([]float32(nil), z0...)
		axpyRows16(&got[0], &o[0], &x[0], n)
		for v := range got {
			if got[v] != want[v] {
				t.Fatalf("n %d: value %d = %v, loop %v", n, v, got[v], want[v])
			}
		}
	}
}

// TestAxpyMatchesLoop checks axpy (AVX where the machine has it) bitwise
// against the scalar loop, for lengths that take each kernel.
func TestAxpyMatchesLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{1, 7, 8, 128, 130, 256} {
		x, y0 := randF32(rng, n), randF32(rng, n)
		a := float32(rng.NormFloat64())
		want := append([]float32(nil), y0...)
		for i := range want {
			want[i] += float32(a * x[i])
		}
		got := append([]float32(nil), y0...)
		axpy(a, x, got)
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("n %d: element %d = %v, loop %v", n, i, got[i], want[i])
			}
		}
	}
}
