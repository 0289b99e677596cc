package kernels

import (
	"sync"
	"sync/atomic"
)

// runner executes a Kernel's plans over element type T. It is passed by
// value: it holds no state that changes during a call.
type runner[T float] struct {
	plans  []*Plan
	levels int // maximum recursion depth
	cutoff int // smallest block size a level may produce
	gemm   func(alpha T, a, b view[T], beta T, c view[T])
	// generic runs every plan through core, even one with a hand-written
	// schedule (Kernel.Generic).
	generic bool
}

// plan returns the plan to apply at level to an n×m by m×p product, or nil
// when the product goes to the base case: no plans, levels exhausted, or a
// block dimension would fall below the cut-off.
func (r runner[T]) plan(level, n, m, p int) *Plan {
	if level >= r.levels || len(r.plans) == 0 {
		return nil
	}
	pl := r.plans[min(level, len(r.plans)-1)]
	if n/pl.N < r.cutoff || m/pl.M < r.cutoff || p/pl.P < r.cutoff {
		return nil
	}
	return pl
}

// split divides par workers among the tasks of a level: w run the tasks,
// and each task's own recursion gets childPar.
func split(par, tasks int) (w, childPar int) {
	if par <= 1 || tasks <= 1 {
		return 1, max(par, 1)
	}
	w = min(par, tasks)
	return w, max(1, par/w)
}

// need returns the workspace, in elements, that mul uses for an n×m by
// m×p product at level with par workers. It mirrors mul's decisions.
func (r runner[T]) need(level, n, m, p, par int) int {
	if n == 0 || m == 0 || p == 0 {
		return 0
	}
	pl := r.plan(level, n, m, p)
	if pl == nil {
		return 0
	}
	bn, bm, bp := n/pl.N, m/pl.M, p/pl.P
	if r.scheduled(pl, par) {
		return r.scheduleNeed(level, bn, bm, bp)
	}
	w, childPar := split(par, pl.tasks())
	return pl.Temps*bn*bp + w*(bn*bm+bm*bp+r.need(level+1, bn, bm, bp, childPar))
}

// mul computes c = alpha·a·b + beta·c (beta 0: c is not read) using ws as
// workspace (at least need(level, ...) elements).
//
// Shapes the plan's block grid does not divide are peeled: the largest
// divisible leading part goes through the fast scheme, and the fringes (the
// last m%M columns of A, and the last p%P columns and n%N rows of C) through
// plain Gemm. Nothing is copied into padded buffers.
func (r runner[T]) mul(level int, alpha T, a, b view[T], beta T, c view[T], ws []T, par int) {
	n, m, p := a.rows, a.cols, b.cols
	if n == 0 || p == 0 {
		return
	}
	if m == 0 {
		scale(c, beta)
		return
	}
	pl := r.plan(level, n, m, p)
	if pl == nil {
		r.gemm(alpha, a, b, beta, c)
		return
	}
	n0, m0, p0 := n-n%pl.N, m-m%pl.M, p-p%pl.P
	r.core(level, pl, alpha, a.sub(0, 0, n0, m0), b.sub(0, 0, m0, p0), beta, c.sub(0, 0, n0, p0), ws, par)
	if m0 < m {
		r.gemm(alpha, a.sub(0, m0, n0, m-m0), b.sub(m0, 0, m-m0, p0), 1, c.sub(0, 0, n0, p0))
	}
	if p0 < p {
		r.gemm(alpha, a.sub(0, 0, n0, m), b.sub(0, p0, m, p-p0), beta, c.sub(0, p0, n0, p-p0))
	}
	if n0 < n {
		r.gemm(alpha, a.sub(n0, 0, n-n0, m), b, beta, c.sub(n0, 0, n-n0, p))
	}
}

// frame is one level of the recursion: the plan, its operands split into
// blocks, and the workspace of the level.
type frame[T float] struct {
	level       int
	pl          *Plan
	alpha, beta T
	a, b, c     view[T]
	bn, bm, bp  int // block sizes: A blocks are bn×bm, B bm×bp, C bn×bp
	temps       []T // pl.Temps blocks of bn×bp, contiguous
	childPar    int
}

func (f *frame[T]) blockA(idx int) view[T] {
	return f.a.sub(idx/f.pl.M*f.bn, idx%f.pl.M*f.bm, f.bn, f.bm)
}

func (f *frame[T]) blockB(idx int) view[T] {
	return f.b.sub(idx/f.pl.P*f.bm, idx%f.pl.P*f.bp, f.bm, f.bp)
}

func (f *frame[T]) blockC(idx int) view[T] {
	return f.c.sub(idx/f.pl.P*f.bn, idx%f.pl.P*f.bp, f.bn, f.bp)
}

func (f *frame[T]) temp(slot int) view[T] {
	size := f.bn * f.bp
	return view[T]{rows: f.bn, cols: f.bp, stride: f.bp, data: f.temps[slot*size : (slot+1)*size]}
}

// core runs one level of pl on a product whose sizes the block grid
// divides, by pl's hand-written schedule where it has one (see scheduled). Phase one runs the tasks (the chain of single-use products of
// each block of C, and each stored product) sequentially or on w workers;
// phase two forms each block of C from the temporaries in one pass.
func (r runner[T]) core(level int, pl *Plan, alpha T, a, b view[T], beta T, c view[T], ws []T, par int) {
	if r.scheduled(pl, par) {
		r.winograd(level, alpha, a, b, beta, c, ws)
		return
	}
	f := frame[T]{
		level: level, pl: pl, alpha: alpha, beta: beta, a: a, b: b, c: c,
		bn: a.rows / pl.N, bm: a.cols / pl.M, bp: b.cols / pl.P,
	}
	w, childPar := split(par, pl.tasks())
	f.childPar = childPar
	nt := pl.Temps * f.bn * f.bp
	f.temps = ws[:nt]
	slot := f.bn*f.bm + f.bm*f.bp + r.need(level+1, f.bn, f.bm, f.bp, childPar)
	slots := ws[nt : nt+w*slot]
	if w > 1 {
		r.parallel(f, w, slots, slot)
		return
	}
	for t := range len(pl.Outputs) + len(pl.Products) {
		r.task(&f, t, slots)
	}
	for k := range pl.Outputs {
		r.output(&f, k)
	}
}

// parallel runs the two phases of core on w goroutines, each with its own
// slot of workspace. Tasks write disjoint memory (a block of C, a
// temporary, the worker's slot), so no locks are needed; the barrier
// between the phases is a WaitGroup, as in gonum's dgemmParallel.
func (r runner[T]) parallel(f frame[T], w int, slots []T, slot int) {
	var wg sync.WaitGroup
	run := func(n int, do func(t int, ws []T)) {
		var next atomic.Int64
		wg.Add(w)
		for i := range w {
			ws := slots[i*slot : (i+1)*slot]
			go func() {
				defer wg.Done()
				for {
					t := int(next.Add(1)) - 1
					if t >= n {
						return
					}
					do(t, ws)
				}
			}()
		}
		wg.Wait()
	}
	run(len(f.pl.Outputs)+len(f.pl.Products), func(t int, ws []T) { r.task(&f, t, ws) })
	run(len(f.pl.Outputs), func(k int, _ []T) { r.output(&f, k) })
}

// task runs task t of phase one with workspace ws: for t < N·P the chain of
// block t of C, otherwise the product t-N·P when it is stored in a
// temporary. Other task numbers do nothing.
func (r runner[T]) task(f *frame[T], t int, ws []T) {
	pl := f.pl
	if t < len(pl.Outputs) {
		chain := pl.Outputs[t].Chain
		if len(chain) == 0 {
			return
		}
		c := f.blockC(t)
		for j, ri := range chain {
			pr := &pl.Products[ri]
			a, b, rest := r.operands(f, pr, ws)
			beta := T(1)
			if j == 0 {
				beta = f.beta
			}
			r.mul(f.level+1, f.alpha*T(pr.Alpha), a, b, beta, c, rest, f.childPar)
		}
		return
	}
	pr := &pl.Products[t-len(pl.Outputs)]
	if pr.Slot < 0 {
		return
	}
	a, b, rest := r.operands(f, pr, ws)
	r.mul(f.level+1, T(pr.Alpha), a, b, 0, f.temp(pr.Slot), rest, f.childPar)
}

// operands returns the left and right factors of pr, formed in ws when they
// are sums of blocks, and the rest of ws.
func (r runner[T]) operands(f *frame[T], pr *Product, ws []T) (a, b view[T], rest []T) {
	sa, sb := f.bn*f.bm, f.bm*f.bp
	if len(pr.A) == 1 && pr.A[0].Scale == 1 {
		a = f.blockA(pr.A[0].Index)
	} else {
		a = view[T]{rows: f.bn, cols: f.bm, stride: f.bm, data: ws[:sa]}
		combine(a, 0, grid[T]{f.a, f.pl.M, f.bn, f.bm}, pr.A, 1)
	}
	if len(pr.B) == 1 && pr.B[0].Scale == 1 {
		b = f.blockB(pr.B[0].Index)
	} else {
		b = view[T]{rows: f.bm, cols: f.bp, stride: f.bp, data: ws[sa : sa+sb]}
		combine(b, 0, grid[T]{f.b, f.pl.P, f.bm, f.bp}, pr.B, 1)
	}
	return a, b, ws[sa+sb:]
}

// output forms block k of C in phase two: the products of its chain are
// already in it; the stored products of its sum are added in one pass.
func (r runner[T]) output(f *frame[T], k int) {
	o := &f.pl.Outputs[k]
	c := f.blockC(k)
	beta := f.beta
	if len(o.Chain) > 0 {
		beta = 1
	}
	if len(o.Sum) == 0 {
		scale(c, beta)
		return
	}
	temps := view[T]{rows: f.pl.Temps * f.bn, cols: f.bp, stride: f.bp, data: f.temps}
	combine(c, beta, grid[T]{temps, 1, f.bn, f.bp}, o.Sum, f.alpha)
}
