package lift

import (
	"context"
	"math/bits"
)

// gf2 is a factored linear system J x = b over GF(2), with J given by rows
// of bits. Factoring runs forward Gaussian elimination once, processing the
// columns in index order, so the pivot columns are the greedy choice: a
// column is a pivot exactly when it is not in the span of the columns before
// it. Solve then reuses the factorisation for any right-hand side.
//
// Rows are never moved: each pivot j owns an original row pivRow[j], its
// reduced row upper[j] (zero before pivCol[j], one at pivCol[j]), and the
// set masks[j] of rows that the elimination XORed with it, so that replaying
// the masks on a right-hand side applies the same row operations.
type gf2 struct {
	nrows, ncols int
	rw, bw       int // words per row (columns) and per right-hand side (rows)
	rank         int
	pivCol       []int32
	pivRow       []int32
	upper        []uint64 // rank × rw
	masks        []uint64 // rank × bw
	nonPivot     []uint64 // bw: rows that are not pivot rows
}

// words returns the number of 64-bit words that hold n bits.
func words(n int) int { return (n + 63) >> 6 }

// factorGF2 factors the nrows × ncols matrix whose row i is
// m[i*rw:(i+1)*rw] with rw = words(ncols). It overwrites m. It checks ctx
// every few hundred pivots and returns ctx.Err() when it is done.
func factorGF2(ctx context.Context, m []uint64, nrows, ncols int) (*gf2, error) {
	rw, bw := words(ncols), words(nrows)
	g := &gf2{nrows: nrows, ncols: ncols, rw: rw, bw: bw}
	row := func(i int32) []uint64 { return m[int(i)*rw : (int(i)+1)*rw] }
	// act lists the active rows (not pivots, not zero). The columns are
	// taken in blocks of 64, one word: a row whose word is zero is not
	// touched while its block is eliminated (only rows with a one in the
	// pivot column are), so each block works on the hot rows, those with a
	// non-zero word, and colw[i] caches the word of row hot[i], so that
	// looking for the rows with a one in a column is a short sequential
	// scan.
	act := make([]int32, 0, nrows)
	for i := range nrows {
		for _, x := range row(int32(i)) {
			if x != 0 {
				act = append(act, int32(i))
				break
			}
		}
	}
	hot := make([]int32, 0, len(act))
	cold := make([]int32, 0, len(act))
	colw := make([]uint64, 0, len(act))
	maxRank := min(nrows, ncols)
	g.upper = make([]uint64, 0, maxRank*rw)
	g.masks = make([]uint64, 0, maxRank*bw)
	for w := 0; w < rw && len(act) > 0; w++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hot, cold, colw = hot[:0], cold[:0], colw[:0]
		for _, r := range act {
			if x := m[int(r)*rw+w]; x != 0 {
				hot = append(hot, r)
				colw = append(colw, x)
			} else {
				cold = append(cold, r)
			}
		}
		for c := w << 6; c < min(ncols, (w+1)<<6) && len(hot) > 0; c++ {
			bit := uint64(1) << (c & 63)
			// Choose the sparsest of the first few candidate rows as the
			// pivot, to limit fill-in.
			p, best, seen := -1, 0, 0
			for i, x := range colw {
				if x&bit == 0 {
					continue
				}
				n := 0
				for _, x := range row(hot[i])[w:] {
					n += bits.OnesCount64(x)
				}
				if p < 0 || n < best {
					p, best = i, n
				}
				if seen++; seen >= 8 {
					break
				}
			}
			if p < 0 {
				continue
			}
			pr := hot[p]
			last := len(hot) - 1
			hot[p], colw[p] = hot[last], colw[last]
			hot, colw = hot[:last], colw[:last]
			prow := row(pr)[w:]
			j := g.rank
			g.rank++
			g.pivCol = append(g.pivCol, int32(c))
			g.pivRow = append(g.pivRow, pr)
			g.upper = append(g.upper, row(pr)...)
			g.masks = append(g.masks, make([]uint64, bw)...)
			mask := g.masks[j*bw : (j+1)*bw]
			n := 0
			for i, x := range colw {
				r := hot[i]
				if x&bit != 0 {
					mask[r>>6] |= 1 << (r & 63)
					rr := row(r)[w:]
					var any uint64
					for k, x := range prow {
						rr[k] ^= x
						any |= rr[k]
					}
					if any == 0 {
						continue // the row is now zero: it is no longer active
					}
					x ^= prow[0]
				}
				hot[n], colw[n] = r, x
				n++
			}
			hot, colw = hot[:n], colw[:n]
		}
		act = append(append(act[:0], hot...), cold...)
	}
	g.nonPivot = make([]uint64, bw)
	for i := range nrows {
		g.nonPivot[i>>6] |= 1 << (i & 63)
	}
	for _, r := range g.pivRow {
		g.nonPivot[r>>6] &^= 1 << (r & 63)
	}
	return g, nil
}

// solve solves J x = b: b is a bitset over the rows (modified in place), x
// a bitset over the columns (overwritten) that gets the solution whose
// non-pivot (free) columns are zero. It reports false when the system is
// inconsistent.
func (g *gf2) solve(b, x []uint64) bool {
	if !g.reduce(b) {
		return false
	}
	clear(x)
	for j := g.rank - 1; j >= 0; j-- {
		r, c := g.pivRow[j], int(g.pivCol[j])
		v := b[r>>6] >> (r & 63) & 1
		u := g.upper[j*g.rw : (j+1)*g.rw]
		w := c >> 6
		// Bits before c are zero in u; bit c pairs with x[c], still 0.
		var par int
		for k := w; k < g.rw; k++ {
			par += bits.OnesCount64(u[k] & x[k])
		}
		v ^= uint64(par & 1)
		x[w] |= v << (c & 63)
	}
	return true
}

// reduce applies the row operations of the elimination to b, leaving in the
// non-pivot rows of b the syndrome: the system is consistent exactly when it
// is zero, which reduce reports.
func (g *gf2) reduce(b []uint64) bool {
	for j := range g.rank {
		r := g.pivRow[j]
		if b[r>>6]&(1<<(r&63)) == 0 {
			continue
		}
		for k, m := range g.masks[j*g.bw : (j+1)*g.bw] {
			b[k] ^= m
		}
	}
	for k, m := range g.nonPivot {
		if b[k]&m != 0 {
			return false
		}
	}
	return true
}

// reduceBatch applies the row operations of the elimination to 64
// right-hand sides at once: bit t of batch[r] is row r of the t-th.
func (g *gf2) reduceBatch(batch []uint64) {
	for j := range g.rank {
		w := batch[g.pivRow[j]]
		if w == 0 {
			continue
		}
		for k, m := range g.masks[j*g.bw : (j+1)*g.bw] {
			for m != 0 {
				batch[k<<6+bits.TrailingZeros64(m)] ^= w
				m &= m - 1
			}
		}
	}
}
