package gf2

import (
	"math/bits"
	"math/rand/v2"
	"testing"
)

// spanSize counts the distinct XOR combinations of rows by enumeration: an
// independent rank, 2^rank = spanSize.
func spanSize(rows []uint64) int {
	seen := map[uint64]bool{}
	for s := range 1 << len(rows) {
		var x uint64
		for i, r := range rows {
			if s>>i&1 != 0 {
				x ^= r
			}
		}
		seen[x] = true
	}
	return len(seen)
}

func randRows(rng *rand.Rand, n, cols int) []uint64 {
	m := make([]uint64, n)
	for i := range m {
		m[i] = rng.Uint64() & (1<<cols - 1)
		if rng.IntN(4) == 0 && i > 0 {
			m[i] = m[i-1] ^ m[rng.IntN(i)] // dependent rows
		}
	}
	return m
}

func TestRank(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, tc := range []struct{ rows, cols int }{{0, 3}, {1, 1}, {3, 3}, {5, 2}, {4, 9}, {10, 6}, {12, 12}} {
		for range 50 {
			m := randRows(rng, tc.rows, tc.cols)
			want := bits.TrailingZeros(uint(spanSize(m)))
			wide := append([]uint64(nil), m...)
			if got := RankWide(wide, 1); tc.rows > 0 && got != want {
				t.Fatalf("RankWide(%x) = %d, want %d", m, got, want)
			}
			if got := Rank(append([]uint64(nil), m...)); got != want {
				t.Fatalf("Rank(%x) = %d, want %d", m, got, want)
			}
		}
	}
}

// TestRankWideWords checks rows of several words against Rank of the
// transposed problem split by word: a block-diagonal matrix has the sum
// of its blocks' ranks.
func TestRankWideWords(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 1))
	for range 50 {
		a, b := randRows(rng, 6, 8), randRows(rng, 5, 8)
		// Rows of a use word 0, rows of b word 2, word 1 is zero.
		m := make([]uint64, 0, 3*11)
		for _, x := range a {
			m = append(m, x, 0, 0)
		}
		for _, x := range b {
			m = append(m, 0, 0, x)
		}
		want := Rank(append([]uint64(nil), a...)) + Rank(append([]uint64(nil), b...))
		if got := RankWide(m, 3); got != want {
			t.Fatalf("RankWide = %d, want %d", got, want)
		}
	}
}

func TestSpan(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 1))
	for range 100 {
		var sp Span
		var added []uint64
		for range rng.IntN(8) {
			x := rng.Uint64() & 0xff
			if rng.IntN(3) == 0 && len(added) > 1 {
				x = added[0] ^ added[len(added)-1]
			}
			before := sp.Dim()
			isNew := sp.Add(x)
			added = append(added, x)
			if isNew != (sp.Dim() == before+1) || (!isNew && sp.Dim() != before) {
				t.Fatalf("Add(%x) = %v, dim %d -> %d", x, isNew, before, sp.Dim())
			}
			if 1<<sp.Dim() != spanSize(added) {
				t.Fatalf("dim %d, span of %x has %d vectors", sp.Dim(), added, spanSize(added))
			}
		}
		// Reduced echelon: every vector has its pivot, the others have it clear.
		for i, v := range sp.Vec {
			for j, p := range sp.Piv {
				if got := v>>p&1 != 0; got != (i == j) {
					t.Fatalf("vector %d bit at pivot %d = %v", i, j, got)
				}
			}
		}
		for x := range uint64(256) {
			in := spanSize(append(added, x)) == spanSize(added)
			if (sp.Reduce(x) == 0) != in {
				t.Fatalf("Reduce(%x) = %x, in span %v", x, sp.Reduce(x), in)
			}
		}
	}
}

func TestBasis(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 1))
	for range 50 {
		var vs [][]uint64
		var flat []uint64
		for range rng.IntN(7) {
			v := []uint64{rng.Uint64() & 0xf, rng.Uint64() & 0x3}
			if rng.IntN(3) == 0 && len(vs) > 1 {
				v = []uint64{vs[0][0] ^ vs[1][0], vs[0][1] ^ vs[1][1]}
			}
			vs = append(vs, v)
			flat = append(flat, v[0]|v[1]<<4)
		}
		in := make([][]uint64, len(vs))
		for i, v := range vs {
			in[i] = append([]uint64(nil), v...)
		}
		b := Basis(in)
		for i, v := range vs {
			if in[i][0] != v[0] || in[i][1] != v[1] {
				t.Fatal("Basis modified its input")
			}
		}
		var bflat []uint64
		for _, v := range b {
			bflat = append(bflat, v[0]|v[1]<<4)
		}
		if want := spanSize(flat); 1<<len(b) != want || spanSize(append(bflat, flat...)) != want {
			t.Fatalf("basis %x does not span %x", b, vs)
		}
	}
}

func TestInverse(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 1))
	for _, n := range []int{1, 2, 3, 5, 8, 64} {
		found := 0
		for range 200 {
			m := randRows(rng, n, min(n, 63))
			if n == 64 {
				for i := range m {
					m[i] = rng.Uint64()
				}
			}
			inv, ok := Inverse(m)
			full := Rank(append([]uint64(nil), m...)) == n
			if ok != full {
				t.Fatalf("n=%d: Inverse ok = %v, full rank %v", n, ok, full)
			}
			if !ok {
				continue
			}
			found++
			// m·inv = I: row i of the product is the XOR of the rows of inv
			// at the bits of row i of m.
			for i := range n {
				var x uint64
				for j := range n {
					if m[i]>>j&1 != 0 {
						x ^= inv[j]
					}
				}
				if x != 1<<i {
					t.Fatalf("n=%d: row %d of m·inv = %x", n, i, x)
				}
			}
		}
		if found == 0 {
			t.Errorf("n=%d: no invertible matrix drawn", n)
		}
	}
}
