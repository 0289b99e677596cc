package bench

import (
	"fmt"

	"github.com/alphamat/alphamat/kernels"
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
// example "4x4x4-r49/L2". Each applies only to shapes proportional to its
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
			c := kernelContender(k, p, l)
			if opt.Keep == nil || opt.Keep(c.Name) {
				out = append(out, c)
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
