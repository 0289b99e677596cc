package kernels

import (
	"math"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// DefaultCutoff is the cut-off of a Kernel whose Cutoff is 0: the smallest
// block size a level of recursion may produce. Below it the plain Gemm of
// gonum is faster than another level of any shipped scheme (measured on
// gonum's pure-Go Dgemm; see the package documentation). Faster leaves
// need larger cut-offs, which their tables set.
const DefaultCutoff = 64

// Kernel multiplies matrices with fast schemes: Plans[0] splits the whole
// product into blocks, its sub-products are split by Plans[1], and so on,
// the last plan repeating, until Levels levels are applied or a block
// dimension would fall below Cutoff; the remaining products go to the
// leaf Gemm (see Leaf: blas64.Gemm's implementation, or the packed
// kernels/gemm in place of gonum's). A Kernel with no plans is the leaf
// alone. The zero values of Levels, Cutoff and Workers select the defaults,
// so Kernel{Plans: ...} is ready to use. A Kernel is safe for concurrent
// use; its plans must not be modified.
type Kernel struct {
	// Plans are the schemes applied level by level (see Plans and LookupPlan).
	Plans []*Plan
	// Levels is the maximum number of levels; 0 means as many as Cutoff allows.
	Levels int
	// Cutoff is the smallest block size a level may produce (at least 1);
	// 0 means DefaultCutoff.
	Cutoff int
	// Workers bounds the goroutines that run sub-products in parallel near
	// the top of the recursion; 0 means runtime.GOMAXPROCS(0), and 1 runs
	// the sub-products one after the other (the Gemm leaves may still be
	// parallel: the packed leaf, gonum's Dgemm and OpenBLAS are).
	Workers int
	// Generic runs Winograd's plan through the generic plan executor, like
	// every other plan, instead of its hand-written schedule (which shares
	// the factor sums, accumulates products through the leaf's beta and
	// moves about two thirds of the memory per level; it runs wherever
	// the sub-products run one after the other). It exists to measure the
	// schedule: bench kernels times both ("winograd" and
	// "winograd-generic").
	Generic bool
}

// Name returns the names of the plans joined by "+", or "gemm" for a
// Kernel without plans. Lookup accepts the name back.
func (k Kernel) Name() string {
	if len(k.Plans) == 0 {
		return "gemm"
	}
	names := make([]string, len(k.Plans))
	for i, p := range k.Plans {
		names[i] = p.Name
	}
	return strings.Join(names, "+")
}

// MulGeneral computes C = A·B. A is n×m, B m×p and C n×p, for any n, m, p
// ≥ 0, with any strides. C must not share memory with A or B. It panics
// with ErrShape, ErrStride, ErrShortData or ErrAlias otherwise.
func (k Kernel) MulGeneral(c, a, b blas64.General) {
	cv, av, bv := view64(c), view64(a), view64(b)
	checkMul(cv, av, bv)
	run(k, leaf64(), &pool64, cv, av, bv)
}

// MulGeneral32 is the float32 version of MulGeneral; its base case is
// blas32.Gemm.
func (k Kernel) MulGeneral32(c, a, b blas32.General) {
	cv, av, bv := view32(c), view32(a), view32(b)
	checkMul(cv, av, bv)
	run(k, leaf32(), &pool32, cv, av, bv)
}

// Mul computes dst = A·B. If dst is empty it is resized to the product's
// shape; otherwise it must have that shape. dst must not share memory with
// a or b. It panics with ErrEmpty, ErrShape or ErrAlias otherwise.
func (k Kernel) Mul(dst, a, b *mat.Dense) {
	ar, ac := a.Dims()
	br, bc := b.Dims()
	if a.IsEmpty() || b.IsEmpty() {
		panic(ErrEmpty)
	}
	if ac != br {
		panic(ErrShape)
	}
	if dst.IsEmpty() {
		dst.ReuseAs(ar, bc)
	} else if r, c := dst.Dims(); r != ar || c != bc {
		panic(ErrShape)
	}
	k.MulGeneral(dst.RawMatrix(), a.RawMatrix(), b.RawMatrix())
}

// settings resolves the zero values of k.
func (k Kernel) settings() (levels, cutoff, workers int) {
	levels, cutoff, workers = k.Levels, k.Cutoff, k.Workers
	if levels <= 0 {
		levels = math.MaxInt
	}
	if cutoff <= 0 {
		cutoff = DefaultCutoff
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return levels, cutoff, workers
}

// Workspace returns the number of elements of temporary storage k uses for
// an n×m by m×p product: the temporaries of every level, and one set of
// block sums per worker.
func (k Kernel) Workspace(n, m, p int) int {
	levels, cutoff, workers := k.settings()
	r := runner[float64]{plans: k.Plans, levels: levels, cutoff: cutoff, generic: k.Generic}
	return r.need(0, n, m, p, workers)
}

func run[T float](k Kernel, gemm func(T, view[T], view[T], T, view[T]), pool *bufPool[T], c, a, b view[T]) {
	levels, cutoff, workers := k.settings()
	r := runner[T]{plans: k.Plans, levels: levels, cutoff: cutoff, gemm: gemm, generic: k.Generic}
	n := r.need(0, a.rows, a.cols, b.cols, workers)
	if n == 0 {
		r.mul(0, 1, a, b, 0, c, nil, workers)
		return
	}
	buf := pool.get(n)
	r.mul(0, 1, a, b, 0, c, (*buf)[:n], workers)
	pool.put(buf)
}

// bufPool recycles workspace between calls, so that a kernel allocates its
// temporaries once per size and not once per call. The buffer of the last
// call is kept (keep) through garbage collections, which empty a
// sync.Pool: a fresh workspace costs a page fault per 4 KiB page on its
// first touch, and on a virtual machine that can cost more than the
// product (BenchmarkWorkspaceGC). Buffers of calls running at the same
// time go to the sync.Pool. ReleaseWorkspace drops the kept buffers.
type bufPool[T float] struct {
	keep atomic.Pointer[[]T]
	p    sync.Pool
}

// The package's workspace caches. Like the caches of fmt and encoding/json
// they hold no state visible to callers: a buffer is owned by one call
// between get and put.
var (
	pool64 bufPool[float64]
	pool32 bufPool[float32]
)

func (p *bufPool[T]) get(n int) *[]T {
	if b := p.keep.Swap(nil); b != nil {
		if cap(*b) >= n {
			return b
		}
		p.p.Put(b)
	}
	b, _ := p.p.Get().(*[]T)
	if b == nil || cap(*b) < n {
		s := make([]T, n)
		b = &s
	}
	return b
}

func (p *bufPool[T]) put(b *[]T) {
	if old := p.keep.Swap(b); old != nil {
		p.p.Put(old)
	}
}

func (p *bufPool[T]) release() { p.keep.Store(nil) }

// ReleaseWorkspace drops the workspace that the kernels keep between calls
// (the temporaries of the last product of each element type: about 4n²/3
// elements for Winograd's schedule at size n, 700 MiB at n = 8192 in
// float64), so that the garbage collector can free it. The next product with a fast scheme allocates
// its workspace again, and pays for its first touch.
func ReleaseWorkspace() {
	pool64.release()
	pool32.release()
}
