package kernels

// Winograd's scheme has a hand-written schedule beside the generic plan
// executor (core): the generated plan expands every product's factors
// (24 block additions) and keeps four products in temporaries, while the
// schedule shares the factor sums as Winograd wrote them, accumulates
// products into C through the leaf's beta, and forms the blocks of C in
// fused passes. Counting block-sized reads and writes, a level moves 48
// blocks in the generic executor and 31 in the schedule of C = A·B (37 in
// that of C += A·B), with two block temporaries for the factors instead of
// four for the products and two for the factors. The names follow the
// comment of gen_winograd.go: S and T are factor sums, P the products,
// U the shared sums of products.

// Scheduled reports whether p has a hand-written schedule, which a Kernel
// runs instead of the generic plan executor unless Kernel.Generic is set:
// true for Winograd's plan only.
func (p *Plan) Scheduled() bool { return p == planWinograd }

// scheduled reports whether the runner runs pl by its hand-written
// schedule at this point of the recursion: Winograd's plan, not disabled
// by Kernel.Generic, and sub-products one after the other (the schedule
// is sequential; with more workers the generic executor runs them in
// parallel).
func (r runner[T]) scheduled(pl *Plan, par int) bool {
	return pl.Scheduled() && !r.generic && par <= 1
}

// scheduleNeed is the workspace of one level of the schedule: a factor of
// A (bn×bm) and one of B (bm×bp), two product blocks (bn×bp, used when
// accumulating), and the sub-products' own.
func (r runner[T]) scheduleNeed(level, bn, bm, bp int) int {
	return bn*bm + bm*bp + 2*bn*bp + r.need(level+1, bn, bm, bp, 1)
}

// winograd runs one level of Winograd's scheme by its schedule on a
// product whose sizes are even: c = alpha·a·b + beta·c (beta 0: c is not
// read).
func (r runner[T]) winograd(level int, alpha T, a, b view[T], beta T, c view[T], ws []T) {
	bn, bm, bp := a.rows/2, a.cols/2, b.cols/2
	ga, gb, gc := grid[T]{a, 2, bn, bm}, grid[T]{b, 2, bm, bp}, grid[T]{c, 2, bn, bp}
	blk := func(g grid[T], idx int) view[T] { return g.m.sub(idx/2*g.rows, idx%2*g.cols, g.rows, g.cols) }
	a11, a12, a22 := blk(ga, 0), blk(ga, 1), blk(ga, 3)
	b11, b21, b22 := blk(gb, 0), blk(gb, 2), blk(gb, 3)
	c11, c12, c21, c22 := blk(gc, 0), blk(gc, 1), blk(gc, 2), blk(gc, 3)

	x := view[T]{rows: bn, cols: bm, stride: bm, data: ws[:bn*bm]}
	ws = ws[bn*bm:]
	y := view[T]{rows: bm, cols: bp, stride: bp, data: ws[:bm*bp]}
	ws = ws[bm*bp:]
	prods := view[T]{rows: 2 * bn, cols: bp, stride: bp, data: ws[:2*bn*bp]}
	z := prods.sub(0, 0, bn, bp)
	w := prods.sub(bn, 0, bn, bp)
	rest := ws[2*bn*bp:]
	mul := func(s T, a, b view[T], beta T, c view[T]) { r.mul(level+1, s*alpha, a, b, beta, c, rest, 1) }
	sum := func(dst view[T], beta T, g grid[T], cs ...Coef) { combine(dst, beta, g, cs, 1) }

	// The factors, in the two block buffers X and Y; S2, T2, S4 and T4
	// overwrite the factor they are made from.
	s3t3 := func() {
		sum(x, 0, ga, Coef{0, 1}, Coef{2, -1}) // X = S3 = A11 - A21
		sum(y, 0, gb, Coef{3, 1}, Coef{1, -1}) // Y = T3 = B22 - B12
	}
	s1t1 := func() {
		sum(x, 0, ga, Coef{2, 1}, Coef{3, 1})  // X = S1 = A21 + A22
		sum(y, 0, gb, Coef{1, 1}, Coef{0, -1}) // Y = T1 = B12 - B11
	}
	s2t2 := func() {
		sum(x, 1, ga, Coef{0, -1}) // X = S2 = S1 - A11
		sum(y, -1, gb, Coef{3, 1}) // Y = T2 = B22 - T1
	}
	s4 := func() { sum(x, -1, ga, Coef{1, 1}) } // X = S4 = A12 - S2
	t4 := func() { sum(y, 1, gb, Coef{2, -1}) } // Y = T4 = T2 - B21

	if beta == 0 {
		s3t3()
		mul(1, x, y, 0, c21) // C21 = P7
		s1t1()
		mul(1, x, y, 0, c22) // C22 = P5
		s2t2()
		mul(1, x, y, 0, c12)          // C12 = P6
		mul(1, a11, b11, 0, c11)      // C11 = P1
		winogradU(c11, c12, c21, c22) // C12 = U2 + P5, C21 = U2 + P7, C22 = U2 + P7 + P5
		s4()
		mul(1, x, b22, 1, c12) // C12 += P3: final
		t4()
		mul(-1, a22, y, 1, c21)  // C21 -= P4: final
		mul(1, a12, b21, 1, c11) // C11 = P1 + P2: final
		return
	}
	scale(c, beta)
	one := grid[T]{prods, 1, bn, bp} // Z is block 0, W block 1
	s1t1()
	mul(1, x, y, 0, w) // W = P5
	s2t2()
	mul(1, a11, b11, 0, z)                   // Z = P1
	sum(c11, 1, one, Coef{0, 1})             // C11 += P1
	mul(1, x, y, 1, z)                       // Z = U2 = P1 + P6
	sum(c12, 1, one, Coef{0, 1}, Coef{1, 1}) // C12 += U2 + P5
	s4()
	mul(1, x, b22, 1, c12) // C12 += P3: final
	t4()
	mul(-1, a22, y, 1, c21)  // C21 -= P4
	mul(1, a12, b21, 1, c11) // C11 += P2: final
	s3t3()
	mul(1, x, y, 1, z)            // Z = U3 = U2 + P7
	winogradAddU3(c21, c22, z, w) // C21 += U3, C22 += U3 + P5: final
}

// winogradU forms, in one pass over the rows, the blocks of C that share
// U2 = P1 + P6, from C11 = P1, C12 = P6, C21 = P7 and C22 = P5: C12 = U2 +
// P5, C21 = U2 + P7 and C22 = U2 + P7 + P5 (C11 is read only).
func winogradU[T float](c11, c12, c21, c22 view[T]) {
	for i := 0; i < c11.rows; i++ {
		p1, r12, r21, r22 := c11.row(i), c12.row(i), c21.row(i), c22.row(i)
		r12, r21, r22 = r12[:len(p1)], r21[:len(p1)], r22[:len(p1)]
		for j := range p1 {
			u2 := p1[j] + r12[j]
			u3 := u2 + r21[j]
			r12[j] = u2 + r22[j]
			r21[j] = u3
			r22[j] = u3 + r22[j]
		}
	}
}

// winogradAddU3 adds, in one pass over the rows, U3 (z) to C21 and U3 + P5
// (z + w) to C22.
func winogradAddU3[T float](c21, c22, z, w view[T]) {
	for i := 0; i < z.rows; i++ {
		u3, p5, r21, r22 := z.row(i), w.row(i), c21.row(i), c22.row(i)
		p5, r21, r22 = p5[:len(u3)], r21[:len(u3)], r22[:len(u3)]
		for j := range u3 {
			r21[j] += u3[j]
			r22[j] += u3[j] + p5[j]
		}
	}
}
