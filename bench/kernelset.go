package bench

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/alphamat/alphamat/kernels"
	"github.com/alphamat/alphamat/kernels/gemm"
	"github.com/alphamat/alphamat/tensorgame"
)

// KernelOptions selects and sets up the kernel contenders.
type KernelOptions struct {
	// Levels are the recursion depths to time each plan at (default 1, 2, 3).
	Levels []int
	// Cutoff and Workers are passed to kernels.Kernel (0: its defaults).
	Cutoff, Workers int
	// Keep, when non-nil, keeps only the contenders whose name it accepts.
	Keep func(name string) bool
}

// KernelContenders returns a contender for every shipped kernel plan
// (kernels.Plans) at each number of levels, named "<plan>/L<levels>", for
// example "4x4x4-r49/L2", and for a plan with a hand-written schedule
// (kernels.Plan.Scheduled) also the plan through the generic executor,
// named "<plan>-generic/L<levels>". Each applies only to shapes proportional to its
// block grid that are large enough for all its levels: a shape where the
// cut-off would stop the recursion early is the same computation as a
// contender of fewer levels, and is skipped.
func KernelContenders(opt KernelOptions) []Contender {
	levels := opt.Levels
	if len(levels) == 0 {
		levels = []int{1, 2, 3}
	}
	var out []Contender
	for _, p := range kernels.Plans() {
		for _, l := range levels {
			k := kernels.Kernel{Plans: []*kernels.Plan{p}, Levels: l, Cutoff: opt.Cutoff, Workers: opt.Workers}
			cs := []Contender{kernelContender(k, p, l)}
			if p.Scheduled() {
				k.Generic = true
				g := kernelContender(k, p, l)
				g.Name = fmt.Sprintf("%s-generic/L%d", p.Name, l)
				cs = append(cs, g)
			}
			for _, c := range cs {
				if opt.Keep == nil || opt.Keep(c.Name) {
					out = append(out, c)
				}
			}
		}
	}
	return out
}

// LibraryContender returns kernels.MulGeneral and kernels.MulGeneral32,
// named "kernels.Mul": the products the library's selection table for the
// leaf in use (kernels.LeafTable) picks for each shape.
func LibraryContender() Contender {
	return Contender{Name: "kernels.Mul", Kind: KindLibrary, Mul64: kernels.MulGeneral, Mul32: kernels.MulGeneral32}
}

// PureGoContenders returns what a Go user without cgo gets, to time beside
// the BLAS under gemm: "kernels/gemm", the packed leaf's Dgemm and Sgemm
// called directly, and, when withMul is set, "kernels.Mul/pure-go",
// kernels.MulGeneral with gonum's implementation installed during the
// call, so that its leaves and table are the pure-Go ones whatever BLAS
// the run installed. Contenders are called from one goroutine at a time,
// which makes the switch safe.
func PureGoContenders(withMul bool) []Contender {
	cs := []Contender{{
		Name: "kernels/gemm", Kind: KindPureGo,
		Mul64: func(c, a, b blas64.General) {
			gemm.Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, a.Rows, b.Cols, a.Cols, 1, a.Data, a.Stride, b.Data, b.Stride, 0, c.Data, c.Stride)
		},
		Mul32: func(c, a, b blas32.General) {
			gemm.Implementation{}.Sgemm(blas.NoTrans, blas.NoTrans, a.Rows, b.Cols, a.Cols, 1, a.Data, a.Stride, b.Data, b.Stride, 0, c.Data, c.Stride)
		},
	}}
	if !withMul {
		return cs
	}
	pure := func(f func()) {
		p64, p32 := blas64.Implementation(), blas32.Implementation()
		blas64.Use(gonum.Implementation{})
		blas32.Use(gonum.Implementation{})
		defer func() {
			blas64.Use(p64)
			blas32.Use(p32)
		}()
		f()
	}
	return append(cs, Contender{
		Name: "kernels.Mul/pure-go", Kind: KindPureGo,
		Mul64: func(c, a, b blas64.General) { pure(func() { kernels.MulGeneral(c, a, b) }) },
		Mul32: func(c, a, b blas32.General) { pure(func() { kernels.MulGeneral32(c, a, b) }) },
	})
}

func kernelContender(k kernels.Kernel, p *kernels.Plan, levels int) Contender {
	field, err := tensorgame.ParseField(p.Field)
	if err != nil {
		field = 0
	}
	cutoff := k.Cutoff
	if cutoff <= 0 {
		cutoff = kernels.DefaultCutoff
	}
	grid := tensorgame.Format{N: p.N, M: p.M, P: p.P}
	return Contender{
		Name:   fmt.Sprintf("%s/L%d", p.Name, levels),
		Kind:   KindKernel,
		Scheme: grid,
		Rank:   p.Rank,
		Field:  field,
		Levels: levels,
		Fits:   func(s Shape) bool { return levelsFit(s, grid, levels, cutoff) },
		Mul64:  k.MulGeneral,
		Mul32:  k.MulGeneral32,
	}
}

// levelsFit reports whether levels levels of a scheme with block grid f fit
// shape s before a block dimension falls below cutoff, the rule by which a
// kernels.Kernel stops its recursion.
func levelsFit(s Shape, f tensorgame.Format, levels, cutoff int) bool {
	n, m, p := s.N, s.M, s.P
	for range levels {
		n, m, p = n/f.N, m/f.M, p/f.P
		if n < cutoff || m < cutoff || p < cutoff {
			return false
		}
	}
	return true
}
