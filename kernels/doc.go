// Package kernels multiplies matrices with fast schemes: generated Go code
// for verified Z and Q schemes, recursing over blocks down to a Gemm base
// case, the leaf.
//
// # Overview
//
// [Mul], [MulGeneral] and [MulGeneral32] compute C = A·B with the kernel
// that a [Table] chooses for the shape, the table measured for the leaf in
// use (see Leaves and tables below). Each shipped scheme also has its own function, such as
// [Strassen], [Winograd], [Mul4x4x4R49] or [Mul5x5x5R93], with a float32
// twin ([StrassenF32], ...). A [Kernel] value gives full control: the plans
// applied level by level (the same scheme, or a chain such as
// "5x5x5-r93+winograd"), the number of levels, the cut-off and the number
// of workers. [Plans], [LookupPlan], [Lookup] and [Kernels] list what is
// shipped, for benchmarks and tuners.
//
// Matrices are row-major with any stride, as in blas64.General. A is n×m,
// B is m×p and C is n×p, for any n, m, p ≥ 0. Inputs are never modified.
//
// # Generated plans
//
// kernels/gen turns a scheme file (verified exactly by tensorgame.Verify;
// schemes over Z2 are refused) into a [Plan]: one level of the scheme over
// blocks. For rank R the plan lists the R left and right block combinations,
// the R sub-products and the output combinations, with the decisions made
// at generation time: each factor is divided by its content so that block
// sums have coprime integer coefficients and a lone block is used in place
// (its scale and the output coefficient go to Gemm's alpha); a product used
// by one block of C only is accumulated straight into it (Gemm with beta 1,
// or beta 0 for the first); the others are stored in temporaries. The
// generated files are gen_*.go; "go generate ./kernels" rewrites them from
// ../schemes, and TestGeneratedUpToDate fails when they are stale.
//
// The plans are data (coefficient lists) run by one generic loop rather
// than unrolled code. Every operation of a level works on a whole block, so
// the interpretation costs nothing measurable, while the 5x5x5 rank-93
// plan stays a 270-line table that reads like the scheme, with a comment
// per product ("(A13 - A41)·(B00 + B10 - B30 - B32) -> T1"). Block sums
// stream: row by row, each operand row is read once and each destination
// row written once while it is in cache, up to four operands per pass;
// there is no sequence of whole-matrix axpys. Common subexpressions among
// the sums are not eliminated: streaming makes a sum of k blocks cost k
// reads and one write whatever its sharing.
//
// Winograd's plan has, besides, a hand-written schedule that a Kernel runs
// wherever the sub-products run one after the other (one worker): it
// shares the factor sums as Winograd wrote them (S1..S4, T1..T4 in two
// block buffers), accumulates products into C through the leaf's beta, and
// forms the blocks of C in fused passes, so a level moves 31 blocks of
// memory for C = A·B (37 for the C += A·B of an inner level) where the
// generic loop moves 48, and needs no product temporaries for C = A·B.
// [Kernel.Generic] turns it off, for measuring it (bench kernels times
// winograd against winograd-generic).
//
// # Recursion, peeling and workspace
//
// A level splits A into N×M blocks, B into M×P and C into N×P. Each
// sub-product recurses with the next plan (the last one repeats) until the
// Kernel's Levels are used or a block dimension would fall below its Cutoff
// ([DefaultCutoff] when 0), then goes to the leaf Gemm (see Leaves and
// tables). Shapes the block grid does not divide are peeled dynamically:
// the largest divisible leading part goes through the scheme and the
// fringes (the last m mod M columns of A, the last p mod P columns and
// n mod N rows of C) through plain Gemm; nothing is copied into padded
// buffers.
//
// Temporaries come from one workspace per call, sized once for the shape
// ([Kernel.Workspace]). The workspace of the last call of each element
// type is kept between calls, through garbage collections, and others are
// recycled through a sync.Pool, so that calls allocate nothing in steady
// state; [ReleaseWorkspace] lets the kept one go. A level needs its
// temporaries (Plan.Temps blocks of C's block size: 5/4 of C for
// Strassen, 1 C for Winograd's generic plan, 3.1 C for 5x5x5 rank 93)
// plus, per worker, one left and one right block sum and the workspace of
// the next level; Winograd's schedule needs one left and one right factor
// and two product blocks. For an n×n product Winograd needs about 4n²/3
// elements on one worker (171 MiB at n = 4096) and (1+W)n² on W workers.
//
// # Parallelism
//
// Near the top of the recursion the sub-products run on up to Workers
// goroutines (GOMAXPROCS by default), in two phases separated by a barrier,
// as gonum's dgemmParallel does: first the products (each block of C's
// chain of single-use products is one task, each stored product another),
// then the output sums, one task per block of C. Tasks write disjoint
// memory, so there are no locks. Workers 1 runs the sub-products one after
// the other; the Gemm leaves are then still parallel, because the packed
// leaf, gonum's Dgemm and OpenBLAS are. Running the sub-products in
// parallel also parallelizes the block additions, which are serial
// otherwise, so it is the default.
//
// # Leaves and tables
//
// The leaves call the implementation installed with blas64.Use and
// blas32.Use, with one substitution: gonum's own implementation, the
// default, is replaced by the packed kernels/gemm (AVX2/FMA micro-kernels,
// several times as fast as gonum's Dgemm) where that has its assembly.
// [Leaf] and [Leaf32] name the leaf in use. Installing gonum.org/v1/netlib's
// cgo binding turns every leaf into an OpenBLAS call:
//
//	import (
//		"gonum.org/v1/gonum/blas/blas64"
//		"gonum.org/v1/netlib/blas/netlib"
//	)
//
//	blas64.Use(netlib.Implementation{})
//
// A fast scheme pays off only above a crossover that depends on the leaf:
// the faster the leaf, the larger the blocks must be before saving an
// eighth of the products outweighs the block additions, which run at
// memory speed. So Mul follows a table per leaf ([LeafTable]): the user's
// own, measured on this machine by `alphamat bench kernels --tune --save`
// and stored at [TablePath] (under os.UserCacheDir, keyed by leaf and CPU);
// else the one shipped for gonum, packed or OpenBLAS leaves
// (tables/<leaf>.json, made by the same command with --tune-out); else, for
// a leaf nobody measured, plain Gemm everywhere ([ConservativeTable]), so
// that Mul is never slower than the leaf alone. A user table that cannot be
// read or parsed is ignored (LeafTable reports why; Mul never panics on it).
// The shipped tables pick the leaf alone below their crossovers, which is
// what makes Mul at least as fast as the leaf's own Gemm at every size;
// `alphamat bench kernels` measures it (contender kernels.Mul against gemm;
// docs/experiments.md, section kernels, has the numbers).
//
// Threads: by default a level's sub-products run on GOMAXPROCS goroutines
// (Workers), and each leaf may be parallel too. The Go leaves share the Go
// scheduler, so nesting costs nothing. OpenBLAS runs its own threads, which
// wait for each other inside every call: two sub-products at once make two
// OpenBLAS calls that each want every core, and the block additions of one
// task take a core from the OpenBLAS threads of another, so that their
// siblings wait. Over OpenBLAS the rule is therefore Workers 1: the
// sub-products one after the other, each leaf on every OpenBLAS thread,
// the additions between them. The OpenBLAS table is tuned that way, with
// `alphamat bench kernels --tune --blas openblas --workers 1 --tune-leaves
// ...` (its comment gives the full command), and the report of that
// command (crossovers, and GFLOPS against n per kernel) measures it: it
// runs Winograd's schedule where that beat OpenBLAS in every round of the
// tuning run (float64 and float32 from 4096 on, recursing to leaves of
// 2048) and OpenBLAS alone below. A user whose machine does otherwise saves a table of their
// own (--save). docs/experiments.md, section kernels, says what was
// measured.
//
// The first call of a shape touches its workspace for the first time, and
// so pays the page faults of fresh memory that later calls, which reuse
// it, do not. Where page faults are slow (in some virtual machines, as on
// the machine of docs/experiments.md) that first call can be slower than
// the leaf alone; a benchmark warms up first, as `alphamat bench kernels`
// does. The workspace is kept through garbage collections for that
// reason (BenchmarkWorkspaceGC measures a collection between two calls).
//
// How deep to recurse is part of the table: a rule's Cutoff is the
// smallest block the recursion may produce, so that one rule can run
// three levels at 4096 and four at 8192 on leaves of 512. `--tune
// --tune-leaves 512,1024,2048` measures each plan at each such depth
// against the leaf in the same rounds, and the table takes a depth only
// where it beat the leaf by the margin in the median and in its slowest
// round.
//
// # Numerics
//
// Fast schemes trade accuracy for speed. The normwise relative error
// max|C−Ĉ| / max(|A|·|B|) of a product of 240×240 uniform [-1, 1] matrices
// against a compensated reference, with cut-off 1 (gonum Dgemm: 3.1e-16):
//
//	scheme          1 level  2 levels  3 levels  4 levels
//	strassen        3.8e-16  5.5e-16   1.1e-15   1.6e-15
//	winograd        5.8e-16  1.0e-15   1.9e-15   4.6e-15
//	3x3x3-r23       9.5e-16  1.4e-15   4.5e-15
//	4x4x4-r49       1.1e-15  4.3e-15
//	5x5x5-r93       7.4e-16  2.7e-15
//	4x4x4-r48-q     3.9e-16  1.0e-15
//
// At 1024×1024, five levels of Winograd reach 1e-14 (Dgemm 5.7e-16). The
// error roughly doubles per level; the tests bound it at 1e-13·4^(levels−1)
// on every shipped plan. With small integer inputs every kernel is exact.
//
// Infinities and NaN: a fast scheme adds and subtracts blocks before and
// after multiplying, so an infinite input element can meet itself with
// opposite signs. Strassen's C11 = M1 + M4 − M5 + M7, with an Inf in A11,
// computes Inf − Inf: the product holds NaN where the standard algorithm
// (and every leaf Gemm) gives ±Inf. (TestInfBecomesNaN shows it.) Finite
// inputs whose products overflow do the same. Where infinities may occur,
// check the inputs first (for example with floats.HasNaN and math.IsInf
// over the data) and multiply those products with the leaf alone, a
// Kernel with no plans (Kernel{}.MulGeneral), which propagates Inf and NaN
// as Gemm does.
//
// # Speed
//
// A scheme pays when its saved products outweigh its extra additions on the
// leaf in use: with gonum's own Dgemm as the leaf, Winograd and Strassen
// recursing to 64×64 leaves beat Dgemm from n = 1024 on, and a
// standard-2x2x2 control that recurses the same way without saving
// products does not, so the gain is the scheme's, not cache blocking's
// (docs/experiments.md, "## kernels", with the measurements). The larger AlphaTensor
// and AlphaEvolve schemes save no more multiplications per shrinking of
// the blocks than Strassen's (4x4x4 rank 49 is exactly two Strassen levels,
// 49/64 = (7/8)²; 5x5x5 rank 93 keeps 93/125 = 0.744 of the products for a
// fivefold split, where Strassen keeps (7/8)^2.32 = 0.733 for the same
// shrinking; only 4x4x4 rank 48 over Q, 0.75 = 0.866² per halving, does
// better) and they carry more additions, so on this base case they trail
// Strassen-Winograd; the gonum table picks Winograd from n = 256. With the
// packed and OpenBLAS leaves the crossovers are larger (their tables).
// BenchmarkMul measures every shipped plan:
//
//	go test -run - -bench Mul -cpu 1 ./kernels
//	go test -run - -bench Mul/winograd -cpu 1 ./kernels -args -kernels.large
//
// # Errors
//
// Caller bugs panic with an [Error] whose text starts with "kernels:", in
// the style of mat.Error: [ErrShape] for shapes that do not conform,
// [ErrStride] and [ErrShortData] for bad views, [ErrEmpty] for empty
// mat.Dense inputs, and [ErrAlias] when C shares an element with A or B
// (disjoint sub-matrices of one array are fine).
package kernels
