package gemm

import (
	"runtime"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is gonum's BLAS with packed Dgemm and Sgemm. The zero
// value is ready to use and safe for concurrent use.
type Implementation struct {
	gonum.Implementation
}

var (
	_ blas.Float64 = Implementation{}
	_ blas.Float32 = Implementation{}
)

// Accelerated reports whether Dgemm and Sgemm run the assembly
// micro-kernels (amd64 with AVX2 and FMA, not built with the noasm tag).
func Accelerated() bool { return accelerated }

// float is the element type of a product.
type float interface{ ~float32 | ~float64 }

// blocking holds the register tile MR×NR and the cache blocks of one
// element type. MC is a multiple of MR.
type blocking struct{ mr, nr, mc, kc, nc int }

// The blocks: a KC×NR panel of B (16 KiB for float64) stays in L1 while
// the MC×KC block of A (240 KiB) streams from L2, and a KC×NC slab of B
// (4 MiB) from L3.
var (
	block64 = blocking{mr: 6, nr: 8, mc: 120, kc: 256, nc: 2048}
	block32 = blocking{mr: 6, nr: 16, mc: 120, kc: 256, nc: 2048}
)

// serialBelow is the number of multiply-adds under which a product runs on
// the calling goroutine.
const serialBelow = 64 * 64 * 64

// Dgemm computes C = alpha·op(A)·op(B) + beta·C, where op(X) is X or Xᵀ,
// op(A) is m×k, op(B) is k×n and C is m×n, all row-major. beta 0 does not
// read C. It panics on bad arguments with the messages of gonum's Dgemm.
func (Implementation) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	if !check(tA, tB, m, n, k, lda, ldb, ldc, len(a), len(b), len(c)) {
		return
	}
	if m*n*k <= directMax {
		direct(tA != blas.NoTrans, tB != blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	gemm(&block64, kernel64, tA != blas.NoTrans, tB != blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, &pool64)
}

// Sgemm is the float32 version of Dgemm.
func (Implementation) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if !check(tA, tB, m, n, k, lda, ldb, ldc, len(a), len(b), len(c)) {
		return
	}
	if m*n*k <= directMax {
		direct(tA != blas.NoTrans, tB != blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	gemm(&block32, kernel32, tA != blas.NoTrans, tB != blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, &pool32)
}

// directMax is the number of multiply-adds up to which a product skips
// packing and runs the plain loop of direct: a 16×16×16 product costs
// less than packing its operands.
const directMax = 16 * 16 * 16

// direct computes C = alpha·op(A)·op(B) + beta·C with plain loops, one
// dot product per element of C; m, n > 0.
func direct[T float](aTrans, bTrans bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	for i := range m {
		for j := range n {
			var s T
			for p := range k {
				var av, bv T
				if aTrans {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				if bTrans {
					bv = b[j*ldb+p]
				} else {
					bv = b[p*ldb+j]
				}
				s += av * bv
			}
			if beta == 0 {
				c[i*ldc+j] = alpha * s
			} else {
				c[i*ldc+j] = alpha*s + beta*c[i*ldc+j]
			}
		}
	}
}

// Messages of gonum's blas/gonum/errors.go.
const (
	badTranspose = "blas: illegal transpose"
	mLT0         = "blas: m < 0"
	nLT0         = "blas: n < 0"
	kLT0         = "blas: k < 0"
	badLdA       = "blas: bad leading dimension of A"
	badLdB       = "blas: bad leading dimension of B"
	badLdC       = "blas: bad leading dimension of C"
	shortA       = "blas: insufficient length of a"
	shortB       = "blas: insufficient length of b"
	shortC       = "blas: insufficient length of c"
)

// check panics on bad arguments, in gonum's order, and reports whether
// there is anything to compute (m and n not 0).
func check(tA, tB blas.Transpose, m, n, k, lda, ldb, ldc, la, lb, lc int) bool {
	valid := func(t blas.Transpose) bool {
		return t == blas.NoTrans || t == blas.Trans || t == blas.ConjTrans
	}
	if !valid(tA) || !valid(tB) {
		panic(badTranspose)
	}
	switch {
	case m < 0:
		panic(mLT0)
	case n < 0:
		panic(nLT0)
	case k < 0:
		panic(kLT0)
	}
	aTrans, bTrans := tA != blas.NoTrans, tB != blas.NoTrans
	if (!aTrans && lda < max(1, k)) || (aTrans && lda < max(1, m)) {
		panic(badLdA)
	}
	if (!bTrans && ldb < max(1, n)) || (bTrans && ldb < max(1, k)) {
		panic(badLdB)
	}
	if ldc < max(1, n) {
		panic(badLdC)
	}
	if m == 0 || n == 0 {
		return false
	}
	if (!aTrans && la < lda*(m-1)+k) || (aTrans && la < lda*(k-1)+m) {
		panic(shortA)
	}
	if (!bTrans && lb < ldb*(k-1)+n) || (bTrans && lb < ldb*(n-1)+k) {
		panic(shortB)
	}
	if lc < ldc*(m-1)+n {
		panic(shortC)
	}
	return true
}

// workspace holds the packed B slab, per worker a packed A block and an
// edge tile, and the state of the call, so that a serial call allocates
// nothing.
type workspace[T float] struct {
	b     []T
	a     [][]T
	tiles [][]T
	job   job[T]
}

// job is one call of gemm, and its current KC slice of an NC slab.
type job[T float] struct {
	bl             *blocking
	kern           func(k int, a, b, c []T, ldc int)
	aTrans, bTrans bool
	m, n, k        int
	alpha          T
	a, b, c        []T
	lda, ldb, ldc  int
	ws             *workspace[T]

	jc, nc, panels int // the slab: columns jc..jc+nc-1 of C, in panels NR-column panels
	pc, kc         int // the slice: rows pc..pc+kc-1 of op(B)
	bp             []T // the packed slice of op(B)
	chunks, cuts   int // B packing tasks; column ranges per MC block
}

type wsPool[T float] struct{ p sync.Pool }

// The packing buffers, recycled between calls; a buffer is owned by one
// call between get and put.
var (
	pool64 wsPool[float64]
	pool32 wsPool[float32]
)

// get returns a workspace for workers workers, an A block of mc×kc and a
// B slab of kc×nc (sizes already bounded by the blocking).
func (p *wsPool[T]) get(bl *blocking, workers, mc, kc, nc int) *workspace[T] {
	w, _ := p.p.Get().(*workspace[T])
	if w == nil {
		w = new(workspace[T])
	}
	nb := kc * roundUp(nc, bl.nr)
	if cap(w.b) < nb {
		w.b = make([]T, nb)
	}
	w.b = w.b[:nb]
	na := roundUp(mc, bl.mr) * kc
	for len(w.a) < workers {
		w.a = append(w.a, nil)
		w.tiles = append(w.tiles, nil)
	}
	for i := range workers {
		if cap(w.a[i]) < na {
			w.a[i] = make([]T, na)
		}
		w.a[i] = w.a[i][:cap(w.a[i])]
		if len(w.tiles[i]) < bl.mr*bl.nr { // the blocking may differ between calls in tests
			w.tiles[i] = make([]T, bl.mr*bl.nr)
		}
	}
	return w
}

func (p *wsPool[T]) put(w *workspace[T]) {
	w.job = job[T]{} // drop the caller's matrices
	p.p.Put(w)
}

func roundUp(x, m int) int { return (x + m - 1) / m * m }

// gemm is Dgemm and Sgemm after the argument checks; m, n > 0.
func gemm[T float](bl *blocking, kern func(k int, a, b, c []T, ldc int), aTrans, bTrans bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, pool *wsPool[T]) {
	if beta != 1 {
		for i := range m {
			row := c[i*ldc : i*ldc+n]
			if beta == 0 {
				clear(row)
				continue
			}
			for j := range row {
				row[j] *= beta
			}
		}
	}
	if alpha == 0 || k == 0 {
		return
	}
	workers := runtime.GOMAXPROCS(0)
	if m*n*k < serialBelow {
		workers = 1
	}
	ws := pool.get(bl, workers, min(m, bl.mc), min(k, bl.kc), min(n, bl.nc))
	defer pool.put(ws)
	j := &ws.job
	*j = job[T]{bl: bl, kern: kern, aTrans: aTrans, bTrans: bTrans, m: m, n: n, k: k, alpha: alpha,
		a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc, ws: ws}
	mBlocks := (m + bl.mc - 1) / bl.mc
	for jc := 0; jc < n; jc += bl.nc {
		j.jc, j.nc = jc, min(bl.nc, n-jc)
		j.panels = (j.nc + bl.nr - 1) / bl.nr
		// Pack B with its panels split among the workers, then multiply
		// MC-row blocks of C, each cut into column ranges when there are
		// too few blocks to keep the workers busy.
		j.chunks = min(workers, j.panels)
		j.cuts = 1
		if workers > 1 && mBlocks < 2*workers {
			j.cuts = min(j.panels, (2*workers+mBlocks-1)/mBlocks)
		}
		for pc := 0; pc < k; pc += bl.kc {
			j.pc, j.kc = pc, min(bl.kc, k-pc)
			j.bp = ws.b[:j.panels*bl.nr*j.kc]
			if workers == 1 {
				j.packB(0, 0)
				for t := range mBlocks {
					j.mul(t, 0)
				}
				continue
			}
			parallel(workers, j.chunks, j.packB)
			parallel(workers, mBlocks*j.cuts, j.mul)
		}
	}
}

// packB packs chunk t of the panels of the current slice of op(B).
func (j *job[T]) packB(t, _ int) {
	nr, kc := j.bl.nr, j.kc
	for jp := t * j.panels / j.chunks; jp < (t+1)*j.panels/j.chunks; jp++ {
		packB(j.bp[jp*nr*kc:(jp+1)*nr*kc], nr, j.bTrans, j.b, j.ldb, j.pc, j.jc+jp*nr, kc, min(nr, j.nc-jp*nr))
	}
}

// mul is task t of the current slice: MC block t/cuts of C, column range
// t%cuts, on worker w.
func (j *job[T]) mul(t, w int) {
	bl := j.bl
	ib, cut := t/j.cuts, t%j.cuts
	ic := ib * bl.mc
	mc := min(bl.mc, j.m-ic)
	ap := j.ws.a[w][:roundUp(mc, bl.mr)*j.kc]
	packA(ap, bl.mr, j.aTrans, j.a, j.lda, ic, j.pc, mc, j.kc, j.alpha)
	macro(bl, j.kern, ap, j.bp, mc, j.nc, j.kc, cut*j.panels/j.cuts, (cut+1)*j.panels/j.cuts, j.c[ic*j.ldc+j.jc:], j.ldc, j.ws.tiles[w])
}

// packA packs rows ic..ic+mc-1, columns pc..pc+kc-1 of op(A), times alpha,
// into MR-row panels: panel i holds, for each of the kc columns, its MR
// values, rows past mc being zero.
func packA[T float](dst []T, mr int, trans bool, a []T, lda, ic, pc, mc, kc int, alpha T) {
	for i := 0; i < mc; i += mr {
		pan := dst[i*kc : (i+mr)*kc]
		rows := min(mr, mc-i)
		if rows < mr {
			clear(pan)
		}
		if !trans {
			for r := range rows {
				src := a[(ic+i+r)*lda+pc:][:kc]
				for p, v := range src {
					pan[p*mr+r] = alpha * v
				}
			}
			continue
		}
		for p := range kc {
			src := a[(pc+p)*lda+ic+i:][:rows]
			d := pan[p*mr:][:rows]
			for r, v := range src {
				d[r] = alpha * v
			}
		}
	}
}

// packB packs rows pc..pc+kc-1, columns jc..jc+cols-1 of op(B) into one
// NR-column panel: for each of the kc rows its NR values, columns past
// cols being zero.
func packB[T float](dst []T, nr int, trans bool, b []T, ldb, pc, jc, kc, cols int) {
	if cols < nr {
		clear(dst)
	}
	if !trans {
		for p := range kc {
			copy(dst[p*nr:p*nr+cols], b[(pc+p)*ldb+jc:])
		}
		return
	}
	for j := range cols {
		src := b[(jc+j)*ldb+pc:][:kc]
		for p, v := range src {
			dst[p*nr+j] = v
		}
	}
}

// macro multiplies the packed mc×kc block of A by B panels p0..p1-1 into c
// (the block's top-left corner), going through tile on the edges.
func macro[T float](bl *blocking, kern func(k int, a, b, c []T, ldc int), ap, bp []T, mc, nc, kc, p0, p1 int, c []T, ldc int, tile []T) {
	mr, nr := bl.mr, bl.nr
	for jp := p0; jp < p1; jp++ {
		j := jp * nr
		cols := min(nr, nc-j)
		bpan := bp[jp*nr*kc : (jp+1)*nr*kc]
		for i := 0; i < mc; i += mr {
			apan := ap[i*kc : (i+mr)*kc]
			rows := min(mr, mc-i)
			if rows == mr && cols == nr {
				kern(kc, apan, bpan, c[i*ldc+j:], ldc)
				continue
			}
			clear(tile)
			kern(kc, apan, bpan, tile, nr)
			for r := range rows {
				dst := c[(i+r)*ldc+j:][:cols]
				for q, v := range tile[r*nr : r*nr+cols] {
					dst[q] += v
				}
			}
		}
	}
}

// parallel runs f(task, worker) for tasks 0..tasks-1 on up to workers
// goroutines, the caller being worker 0, and returns when all are done.
func parallel(workers, tasks int, f func(task, worker int)) {
	if workers <= 1 || tasks <= 1 {
		for t := range tasks {
			f(t, 0)
		}
		return
	}
	w := min(workers, tasks)
	var next atomic.Int64
	work := func(id int) {
		for {
			t := int(next.Add(1) - 1)
			if t >= tasks {
				return
			}
			f(t, id)
		}
	}
	var wg sync.WaitGroup
	for id := 1; id < w; id++ {
		wg.Go(func() { work(id) })
	}
	work(0)
	wg.Wait()
}

// kernelGo is the micro-kernel in Go: c[r*ldc+j] += Σ_p a[p*mr+r]·b[p*nr+j]
// for an mr×nr tile.
func kernelGo[T float](mr, nr int) func(k int, a, b, c []T, ldc int) {
	return func(k int, a, b, c []T, ldc int) {
		var accBuf [6 * 16]T
		acc := accBuf[:mr*nr]
		for p := range k {
			bp := b[p*nr : p*nr+nr]
			for r, av := range a[p*mr : p*mr+mr] {
				row := acc[r*nr : r*nr+nr]
				for j, bv := range bp {
					row[j] += av * bv
				}
			}
		}
		for r := range mr {
			dst := c[r*ldc : r*ldc+nr]
			for j, v := range acc[r*nr : r*nr+nr] {
				dst[j] += v
			}
		}
	}
}
