package lift

import (
	"context"
	"math/bits"
)

// Signs of the free ones.
//
// The ones of a Z2 scheme that the elimination leaves free keep the value
// they start with for good, +1 or -1, while the pivots are solved for. The
// sign symmetries of a term make the first one of u and of v +1 in any lift,
// but other free ones can be rigid: only some sign patterns extend to a
// solution mod 8. Whether a pattern s (s_i = 1: the i-th free one is -1)
// passes step 2 is read from the syndrome of step 2's system (its residue on
// the non-pivot rows after elimination), which is quadratic in s: the
// unknowns of step 1 are affine in s, and the Brent equations are trilinear.
// solveSigns computes that quadratic map from 1 + n + n(n-1)/2 evaluations,
// then solves syndrome(s) = 0 by branching on the s_i with Gaussian
// elimination of the linearised system (quadratic monomials first) at every
// node, so that conflicts and forced values show early.

// signProblem evaluates the step-2 syndrome of sign patterns of the free ones.
type signProblem struct {
	l    *lifter
	g    *gf2
	pos  []int32
	free []int // the unknowns whose signs are chosen
	// The solution of step 1 is affine in the signs (the residual mod 4
	// is, and so is solve): y(s) = y0 ⊕ Σ s_i y_i, bitsets over columns.
	y0, yi []uint64
	// scratch
	x, d, b, y []uint64
}

func newSignProblem(l *lifter, g *gf2, pos []int32, free []int) (*signProblem, bool) {
	p := &signProblem{l: l, g: g, pos: pos, free: free,
		x: make([]uint64, l.nv), d: make([]uint64, len(l.target)), b: make([]uint64, g.bw), y: make([]uint64, g.rw),
		y0: make([]uint64, g.rw), yi: make([]uint64, len(free)*g.rw)}
	step1 := func(y []uint64, neg ...int) bool {
		copy(p.x, l.x0)
		for _, i := range neg {
			p.x[free[i]] = ^uint64(0)
		}
		l.residual(p.d, p.x)
		clear(p.b)
		for e, v := range p.d {
			p.b[e>>6] |= (v >> 1 & 1) << (e & 63)
		}
		return g.solve(p.b, y)
	}
	if !step1(p.y0) {
		return nil, false
	}
	for i := range free {
		y := p.yi[i*g.rw : (i+1)*g.rw]
		if !step1(y, i) {
			return nil, false
		}
		for k := range y {
			y[k] ^= p.y0[k]
		}
	}
	return p, true
}

// rhs sets p.b to the right-hand side of step 2 when the free ones listed
// in neg are -1 (x0 with those signs, plus twice the step-1 solution).
func (p *signProblem) rhs(neg []int) {
	l, g := p.l, p.g
	copy(p.x, l.x0)
	y := p.y
	copy(y, p.y0)
	for _, i := range neg {
		p.x[p.free[i]] = ^uint64(0)
		for k, w := range p.yi[i*g.rw : (i+1)*g.rw] {
			y[k] ^= w
		}
	}
	for v := range l.nv {
		c := p.pos[v]
		p.x[v] += (y[c>>6] >> (c & 63) & 1) << 1
	}
	l.residual(p.d, p.x)
	clear(p.b)
	for e, v := range p.d {
		p.b[e>>6] |= (v >> 2 & 1) << (e & 63)
	}
}

// syndrome returns the step-2 syndrome (a bitset over the rows, zero on the
// pivot rows) when the free ones listed in neg are -1.
func (p *signProblem) syndrome(neg ...int) []uint64 {
	p.rhs(neg)
	p.g.reduce(p.b)
	out := make([]uint64, p.g.bw)
	for k, m := range p.g.nonPivot {
		out[k] = p.b[k] & m
	}
	return out
}

// syndromes returns the syndromes of the sign patterns, bw words each,
// reducing them 64 at a time: word r of the batch holds row r of 64
// right-hand sides, so that one pass over the elimination serves them all.
func (p *signProblem) syndromes(ctx context.Context, patterns [][]int) ([]uint64, error) {
	g := p.g
	out := make([]uint64, len(patterns)*g.bw)
	batch := make([]uint64, g.nrows)
	for start := 0; start < len(patterns); start += 64 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		clear(batch)
		end := min(start+64, len(patterns))
		for t := start; t < end; t++ {
			p.rhs(patterns[t])
			forBits(p.b, func(r int) { batch[r] |= 1 << (t - start) })
		}
		g.reduceBatch(batch)
		forBits(g.nonPivot, func(r int) {
			w := batch[r]
			for w != 0 {
				t := start + bits.TrailingZeros64(w)
				w &= w - 1
				out[t*g.bw+r>>6] |= 1 << (r & 63)
			}
		})
	}
	return out, nil
}

// forBits calls f with the index of every set bit of the bitset b.
func forBits(b []uint64, f func(i int)) {
	for k, w := range b {
		for w != 0 {
			f(k<<6 + bits.TrailingZeros64(w))
			w &= w - 1
		}
	}
}

// solveSigns looks for sign patterns of the free ones under which step 2
// is consistent and calls visit with each it finds (the indices into free
// of the ones to make -1) until visit returns true, the search is done, or
// it has visited maxNodes nodes.
func (l *lifter) solveSigns(ctx context.Context, g *gf2, pos []int32, free []int, maxNodes int, visit func(neg []int) bool) {
	n := len(free)
	if n == 0 {
		return
	}
	p, ok := newSignProblem(l, g, pos, free)
	if !ok {
		return
	}
	// Monomials: quadratic s_i s_j (i < j) first, then linear s_i, then 1.
	nq := n * (n - 1) / 2
	nm := nq + n + 1
	qidx := func(i, j int) int { return i*n - i*(i+1)/2 + (j - i - 1) } // i < j
	lin := func(i int) int { return nq + i }
	cst := nq + n
	patterns := make([][]int, 0, 1+n+nq)
	patterns = append(patterns, nil)
	for i := range n {
		patterns = append(patterns, []int{i})
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			patterns = append(patterns, []int{i, j})
		}
	}
	syn, err := p.syndromes(ctx, patterns)
	if err != nil {
		return
	}
	sw := p.g.bw
	f0 := syn[:sw]
	fi := func(i int) []uint64 { return syn[(1+i)*sw : (2+i)*sw] }
	// Equations: one per row (zero for pivot rows), over the monomials.
	mw := words(nm)
	eqs := make([]uint64, sw*64*mw)
	setBits := func(col int, w []uint64) {
		forBits(w, func(r int) { eqs[r*mw+col>>6] ^= 1 << (col & 63) })
	}
	setBits(cst, f0)
	tmp := make([]uint64, sw)
	for i := range n {
		for k := range tmp {
			tmp[k] = fi(i)[k] ^ f0[k]
		}
		setBits(lin(i), tmp)
	}
	for t := 1 + n; t < len(patterns); t++ {
		i, j := patterns[t][0], patterns[t][1]
		fij := syn[t*sw : (t+1)*sw]
		for k := range tmp {
			tmp[k] = fij[k] ^ fi(i)[k] ^ fi(j)[k] ^ f0[k]
		}
		setBits(qidx(i, j), tmp)
	}
	// Keep a basis of the equations.
	eg, err := factorGF2(ctx, eqs, sw*64, nm)
	if err != nil || eg.rank == 0 {
		return
	}
	base := eg.upper
	s := &signSearch{n: n, nm: nm, mw: mw, nq: nq, qidx: qidx, base: base,
		assign: make([]int8, n), maxNodes: maxNodes, ctx: ctx,
		qi: make([]int32, nq), qj: make([]int32, nq)}
	for i := range n {
		for j := i + 1; j < n; j++ {
			s.qi[qidx(i, j)], s.qj[qidx(i, j)] = int32(i), int32(j)
		}
	}
	for i := range s.assign {
		s.assign[i] = -1
	}
	s.visit = func(assign []int8) bool {
		var neg []int
		for i, a := range assign {
			if a == 1 {
				neg = append(neg, i)
			}
		}
		// The syndrome was measured as a quadratic map; make sure.
		if !allZero(p.syndrome(neg...)) {
			return false
		}
		return visit(neg)
	}
	s.search()
}

// signSearch solves a system of quadratic equations over GF(2) given in
// monomial form (rows of base) by branching with linear propagation.
type signSearch struct {
	n, nm, mw, nq int
	qidx          func(i, j int) int
	qi, qj        []int32 // the variables of each quadratic monomial
	base          []uint64
	assign        []int8 // -1 unassigned, else 0 or 1
	nodes         int
	maxNodes      int
	visit         func(assign []int8) bool // called at solutions; true stops
	ctx           context.Context
}

// substitute returns the equations with the assigned variables replaced by
// their values, as an nrows × nm matrix.
func (s *signSearch) substitute() ([]uint64, int) {
	rows := len(s.base) / s.mw
	m := make([]uint64, len(s.base))
	flip := func(row []uint64, col int) { row[col>>6] ^= 1 << (col & 63) }
	cst := s.nq + s.n
	for r := range rows {
		src := s.base[r*s.mw : (r+1)*s.mw]
		dst := m[r*s.mw : (r+1)*s.mw]
		for k, w := range src {
			for w != 0 {
				c := k<<6 + bits.TrailingZeros64(w)
				w &= w - 1
				switch {
				case c < s.nq:
					i, j := int(s.qi[c]), int(s.qj[c])
					ai, aj := s.assign[i], s.assign[j]
					switch {
					case ai < 0 && aj < 0:
						flip(dst, c)
					case ai == 0 || aj == 0:
					case ai == 1 && aj == 1:
						flip(dst, cst)
					case ai == 1:
						flip(dst, s.nq+j)
					default:
						flip(dst, s.nq+i)
					}
				case c < cst:
					switch s.assign[c-s.nq] {
					case -1:
						flip(dst, c)
					case 1:
						flip(dst, cst)
					}
				default:
					flip(dst, cst)
				}
			}
		}
	}
	return m, rows
}

// search assigns the remaining variables and calls visit at each solution;
// it reports whether to stop.
func (s *signSearch) search() bool {
	s.nodes++
	if s.nodes > s.maxNodes || (s.nodes&63 == 0 && s.ctx.Err() != nil) {
		return true
	}
	m, rows := s.substitute()
	g, err := factorGF2(context.Background(), m, rows, s.nm)
	if err != nil {
		return false
	}
	cst := s.nq + s.n
	quadratic := false
	for _, c := range g.pivCol {
		switch {
		case int(c) == cst:
			return false // 0 = 1
		case int(c) < s.nq:
			quadratic = true
		}
	}
	if !quadratic {
		// A linear system in the unassigned variables: solve it with the
		// free ones 0. Column cst of the rows is the right-hand side.
		x := make([]uint64, g.rw)
		for j := g.rank - 1; j >= 0; j-- {
			c := int(g.pivCol[j])
			u := g.upper[j*g.rw : (j+1)*g.rw]
			v := u[cst>>6] >> (cst & 63) & 1
			for k := c + 1; k < cst; k++ {
				if u[k>>6]>>(k&63)&1 != 0 {
					v ^= x[k>>6] >> (k & 63) & 1
				}
			}
			x[c>>6] |= v << (c & 63)
		}
		sol := append([]int8(nil), s.assign...)
		for i := range s.n {
			if sol[i] < 0 {
				sol[i] = int8(x[(s.nq+i)>>6] >> ((s.nq + i) & 63) & 1)
			}
		}
		return s.visit(sol)
	}
	// Branch on the unassigned variable in the most quadratic monomials of
	// the pivot rows.
	count := make([]int, s.n)
	for j := range g.rank {
		if int(g.pivCol[j]) >= s.nq {
			continue
		}
		u := g.upper[j*g.rw : (j+1)*g.rw]
		for k := range words(s.nq) {
			w := u[k]
			if k == s.nq>>6 {
				w &= 1<<(s.nq&63) - 1
			}
			for w != 0 {
				c := k<<6 + bits.TrailingZeros64(w)
				w &= w - 1
				count[s.qi[c]]++
				count[s.qj[c]]++
			}
		}
	}
	best := -1
	for i, c := range count {
		if s.assign[i] < 0 && (best < 0 || c > count[best]) {
			best = i
		}
	}
	for _, v := range []int8{0, 1} {
		s.assign[best] = v
		if s.search() {
			return true
		}
	}
	s.assign[best] = -1
	return false
}
