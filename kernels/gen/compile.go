package gen

import (
	"errors"
	"fmt"
	"math"
	"math/big"

	"github.com/alphamat/alphamat/tensorgame"
)

// plan is one level of a scheme over blocks, as it will be written out: the
// same shape as kernels.Plan, with exact coefficients.
type plan struct {
	format   tensorgame.Format
	field    tensorgame.Field
	rank     int // products kept (terms with a zero factor are dropped)
	dropped  int // terms dropped because a factor was zero
	temps    int
	products []product
	outputs  []output
}

type coef struct {
	index int
	scale tensorgame.Rat
}

type product struct {
	term  int // 1-based line of the term among the scheme's terms
	a, b  []coef
	alpha tensorgame.Rat
	out   int // C block for single-use products, else -1
	slot  int // temporary for shared products, else -1
	w     []coef
}

type output struct {
	chain []int
	sum   []coef // index: temporary slot
}

// compile turns a verified Z or Q scheme into a plan: each factor u and v is
// divided by its content (so that block sums have coprime integer
// coefficients and a lone block is used in place), the contents go to the
// product's alpha, and a product whose w has one non-zero is accumulated
// straight into that block of C with its coefficient folded into alpha.
// A scheme whose contents, normalised factors or alphas do not fit int64
// fractions (it may verify: Verify's sums are exact) is refused with an
// error wrapping tensorgame.ErrOverflow.
func compile(s *tensorgame.Scheme) (_ *plan, err error) {
	defer func() {
		if r := recover(); r != nil {
			if r != tensorgame.ErrOverflow {
				panic(r)
			}
			err = fmt.Errorf("coefficients overflow int64 fractions (normalising factors and alphas): %w", tensorgame.ErrOverflow)
		}
	}()
	switch s.Field {
	case tensorgame.Z, tensorgame.Q:
	case tensorgame.Z2:
		return nil, errors.New("field Z2: a mod-2 scheme does not multiply real matrices; lift it to Z first")
	default:
		return nil, fmt.Errorf("invalid field %v", s.Field)
	}
	if err := tensorgame.Verify(s); err != nil {
		return nil, fmt.Errorf("scheme does not verify: %w", err)
	}
	f := s.Format
	p := &plan{format: f, field: s.Field, outputs: make([]output, f.N*f.P)}
	for r, t := range s.Terms {
		a, ca := normalize(t.U)
		b, cb := normalize(t.V)
		w := nonzeros(t.W)
		if a == nil || b == nil || len(w) == 0 {
			p.dropped++
			continue
		}
		scale := ca.Mul(cb)
		pr := product{term: r + 1, a: a, b: b, out: -1, slot: -1, w: w}
		idx := len(p.products)
		if len(w) == 1 {
			pr.out = w[0].index
			pr.alpha = scale.Mul(w[0].scale)
			p.outputs[pr.out].chain = append(p.outputs[pr.out].chain, idx)
		} else {
			pr.slot = p.temps
			pr.alpha = scale
			for _, c := range w {
				o := &p.outputs[c.index]
				o.sum = append(o.sum, coef{index: pr.slot, scale: c.scale})
			}
			p.temps++
		}
		p.products = append(p.products, pr)
	}
	p.rank = len(p.products)
	for k, o := range p.outputs {
		if len(o.chain) == 0 && len(o.sum) == 0 {
			// Impossible for a verified scheme: C[k] would be missing.
			return nil, fmt.Errorf("internal error: block %d of C is never formed", k)
		}
	}
	return p, nil
}

// nonzeros returns the non-zero entries of x.
func nonzeros(x []tensorgame.Rat) []coef {
	var cs []coef
	for i, v := range x {
		if !v.IsZero() {
			cs = append(cs, coef{index: i, scale: v})
		}
	}
	return cs
}

// normalize returns the non-zero entries of x divided by their content c,
// and c: the entries of x/c are coprime integers whose first one is
// positive. It returns nil for a zero vector. The content (gcd of the
// numerators over lcm of the denominators) is computed exactly; normalize
// panics with tensorgame.ErrOverflow when c or an entry of x/c does not fit
// an int64 fraction.
func normalize(x []tensorgame.Rat) ([]coef, tensorgame.Rat) {
	cs := nonzeros(x)
	if len(cs) == 0 {
		return nil, tensorgame.Int(0)
	}
	g, l := new(big.Int), big.NewInt(1)
	var t big.Int
	for _, c := range cs {
		g.GCD(nil, nil, g, t.Abs(big.NewInt(c.scale.Num())))
		d := big.NewInt(c.scale.Den())
		l.Mul(l.Quo(l, t.GCD(nil, nil, l, d)), d)
	}
	content := new(big.Rat).SetFrac(g, l)
	if cs[0].scale.Sign() < 0 {
		content.Neg(content)
	}
	for i := range cs {
		v := big.NewRat(cs[i].scale.Num(), cs[i].scale.Den())
		cs[i].scale = ratOf(v.Quo(v, content))
	}
	return cs, ratOf(content)
}

// ratOf returns x as a tensorgame.Rat, panicking with ErrOverflow when it
// does not fit.
func ratOf(x *big.Rat) tensorgame.Rat {
	n, d := x.Num(), x.Denom()
	if !n.IsInt64() || !d.IsInt64() || n.Int64() == math.MinInt64 {
		panic(tensorgame.ErrOverflow)
	}
	return tensorgame.NewRat(n.Int64(), d.Int64())
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// stats summarises the work of one level of p, for the generated comments.
func (p *plan) stats() (adds, inPlace int) {
	for _, pr := range p.products {
		for _, c := range [][]coef{pr.a, pr.b} {
			if len(c) == 1 {
				inPlace++
			} else {
				adds += len(c) - 1
			}
		}
	}
	for _, o := range p.outputs {
		adds += len(o.sum) + len(o.chain) - 1
	}
	return adds, inPlace
}
