package kernels

import (
	"errors"
	"fmt"
)

// Plan is one level of a fast scheme compiled for block matrices by
// kernels/gen. A is split into N×M blocks, B into M×P and C into N×P, all
// indexed row-major (block (i, j) of A is index i*M+j). Product r computes
//
//	Alpha · (Σ A-blocks) · (Σ B-blocks)
//
// and is either accumulated straight into one block of C (Out ≥ 0) or stored
// in temporary Slot and added into several blocks of C by their Outputs.
// Plans are data: the generated files declare them and [Kernel] runs them.
type Plan struct {
	Name     string    // registry name, e.g. "strassen" or "5x5x5-r93"
	N, M, P  int       // block grid: A is N×M blocks, B M×P, C N×P
	Rank     int       // number of products
	Field    string    // "Z" or "Q": the coefficient ring of the scheme
	Source   string    // the scheme file the plan was generated from
	Temps    int       // number of products stored in temporaries (Slot ≥ 0)
	Products []Product // the sub-products, in the order of the scheme file
	Outputs  []Output  // one per block of C, row-major
}

// Coef is one term of a linear combination: Scale times operand Index.
type Coef struct {
	Index int
	Scale float64
}

// Product is one sub-product of a Plan. A and B are linear combinations of
// blocks of A and B; a combination of a single block has Scale 1 (the block
// is used in place, its factor folded into Alpha). A product used by a single
// block of C has Out set to that block and Slot -1; its output coefficient
// is folded into Alpha and it is computed by a Gemm (or a recursive call)
// with beta 1 straight into C. Otherwise Out is -1 and the product is stored
// in temporary Slot.
type Product struct {
	A, B  []Coef
	Alpha float64
	Out   int
	Slot  int
}

// Output says how one block of C is formed: the products of Chain are
// accumulated into it in order (the first one overwrites it), then the
// stored products of Sum (Index is a temporary slot) are added in one pass.
type Output struct {
	Chain []int
	Sum   []Coef
}

// Format returns the block grid as "NxMxP".
func (p *Plan) Format() string { return fmt.Sprintf("%dx%dx%d", p.N, p.M, p.P) }

// Check reports whether p is structurally sound: sizes, indices and slots
// in range, every temporary written by exactly one product, and every block
// of C formed by some product. It does not prove that p multiplies matrices;
// the tests of package kernels do that for the shipped plans.
func (p *Plan) Check() error {
	if p == nil {
		return errors.New("nil plan")
	}
	if p.N < 1 || p.M < 1 || p.P < 1 {
		return fmt.Errorf("plan %s: bad block grid %dx%dx%d", p.Name, p.N, p.M, p.P)
	}
	if len(p.Products) != p.Rank || p.Rank < 1 {
		return fmt.Errorf("plan %s: rank %d but %d products", p.Name, p.Rank, len(p.Products))
	}
	if len(p.Outputs) != p.N*p.P {
		return fmt.Errorf("plan %s: %d outputs, want %d", p.Name, len(p.Outputs), p.N*p.P)
	}
	if p.Temps < 0 || p.Temps > p.Rank {
		return fmt.Errorf("plan %s: %d temporaries for rank %d", p.Name, p.Temps, p.Rank)
	}
	slotOwner := make([]int, p.Temps)
	for i := range slotOwner {
		slotOwner[i] = -1
	}
	for r, pr := range p.Products {
		if err := checkCoefs(pr.A, p.N*p.M); err != nil {
			return fmt.Errorf("plan %s: product %d: A: %w", p.Name, r+1, err)
		}
		if err := checkCoefs(pr.B, p.M*p.P); err != nil {
			return fmt.Errorf("plan %s: product %d: B: %w", p.Name, r+1, err)
		}
		switch {
		case pr.Out >= 0 && pr.Slot < 0:
			if pr.Out >= p.N*p.P {
				return fmt.Errorf("plan %s: product %d: output %d out of range", p.Name, r+1, pr.Out)
			}
		case pr.Out < 0 && pr.Slot >= 0:
			if pr.Slot >= p.Temps || slotOwner[pr.Slot] >= 0 {
				return fmt.Errorf("plan %s: product %d: bad or shared slot %d", p.Name, r+1, pr.Slot)
			}
			slotOwner[pr.Slot] = r
		default:
			return fmt.Errorf("plan %s: product %d: want exactly one of Out and Slot", p.Name, r+1)
		}
	}
	for s, r := range slotOwner {
		if r < 0 {
			return fmt.Errorf("plan %s: temporary %d is never written", p.Name, s)
		}
	}
	for k, o := range p.Outputs {
		if len(o.Chain) == 0 && len(o.Sum) == 0 {
			return fmt.Errorf("plan %s: block %d of C is never formed", p.Name, k)
		}
		for _, r := range o.Chain {
			if r < 0 || r >= p.Rank || p.Products[r].Out != k {
				return fmt.Errorf("plan %s: block %d of C: chain product %d does not target it", p.Name, k, r+1)
			}
		}
		if len(o.Sum) > 0 {
			if err := checkCoefs(o.Sum, p.Temps); err != nil {
				return fmt.Errorf("plan %s: block %d of C: %w", p.Name, k, err)
			}
		}
	}
	return nil
}

func checkCoefs(cs []Coef, n int) error {
	if len(cs) == 0 {
		return errors.New("empty combination")
	}
	for _, c := range cs {
		if c.Index < 0 || c.Index >= n {
			return fmt.Errorf("operand %d out of range [0,%d)", c.Index, n)
		}
		if c.Scale == 0 {
			return fmt.Errorf("operand %d has scale 0", c.Index)
		}
	}
	return nil
}

// tasks returns the number of independent tasks of the first phase of a
// level: one per block of C with a non-empty chain, one per temporary.
func (p *Plan) tasks() int {
	n := p.Temps
	for _, o := range p.Outputs {
		if len(o.Chain) > 0 {
			n++
		}
	}
	return n
}
