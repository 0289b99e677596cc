package lift

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/alphamat/alphamat/tensorgame"
)

var (
	// ErrNotLiftable means the scheme provably has no lift: the Brent
	// equations have no solution mod 4 that reduces to it mod 2, so no
	// scheme over Z, or over Q with odd denominators, reduces to it.
	ErrNotLiftable = errors.New("not liftable")
	// ErrUndecided means lifting found no scheme over Z or Q, but did not
	// prove that none exists (a later step failed, or the 2-adic solution
	// was not recognised as a small rational within the precision).
	ErrUndecided = errors.New("undecided")
)

// Options tune Lift. The zero value gives the defaults.
type Options struct {
	// MaxBits is the 2-adic precision at which lifting gives up: it solves
	// the Brent equations mod 2^MaxBits at most (default and maximum 62).
	MaxBits int
	// Attempts is the number of choices of free variables (column orders)
	// tried (default 8). The first is deterministic; the others shuffle the
	// order within its classes, seeded by Seed. Lifting stops at the first
	// scheme over Z with coefficients in {-1, 0, 1}.
	Attempts int
	// Seed seeds the shuffled attempts.
	Seed uint64
	// Order chooses the free variables (default OrderZerosFree).
	Order Order
	// SignNodes bounds the search for signs of the free ones when step 2
	// fails (default 20000 nodes; negative: no search).
	SignNodes int
	// IntegerOnly rejects schemes with rational coefficients: a lift to Q
	// counts as undecided.
	IntegerOnly bool
}

func (o Options) withDefaults() Options {
	if o.MaxBits <= 0 || o.MaxBits > maxBits {
		o.MaxBits = maxBits
	}
	if o.Attempts <= 0 {
		o.Attempts = 8
	}
	return o
}

// Order is a strategy for choosing the free variables of the linear system
// solved at each lifting step: the free variables keep their value mod 2
// (0 or 1) for good, the pivots change.
type Order int

const (
	// OrderZerosFree makes the zeros free, so that they stay zero, and the
	// ones pivots, so that they can become -1; it keeps the first 1 of u and
	// of v in each term for last among the ones (a term's sign symmetry
	// makes them +1 in any lift).
	OrderZerosFree Order = iota
	// OrderNatural takes the unknowns in their natural order (term by term,
	// u then v then w). It is the naive choice, kept for comparison: it
	// lifts fewer schemes to Z.
	OrderNatural
)

func (o Options) signNodes() int {
	if o.SignNodes == 0 {
		return 20000
	}
	return max(o.SignNodes, 0)
}

// maxBits is the highest 2-adic precision: residuals are computed in uint64
// arithmetic, exact mod 2^64, and a step reads bit k of them.
const maxBits = 62

// maxIntRep bounds the integer candidates tried by reconstruction, so that
// their exact check fits int64.
const maxIntRep = 1 << 16

// Mod2 returns the reduction mod 2 of the scheme s, verified, after
// verifying s: where a lift starts, and what the search walks from a start
// over Z. It returns an error when either does not verify.
func Mod2(s *tensorgame.Scheme) (*tensorgame.Scheme, error) {
	if err := tensorgame.Verify(s); err != nil {
		return nil, fmt.Errorf("%v scheme of rank %d over %v fails verification: %w", s.Format, s.Rank(), s.Field, err)
	}
	z2, err := tensorgame.ReduceMod2(s)
	if err != nil {
		return nil, err
	}
	if err := tensorgame.Verify(z2); err != nil {
		return nil, fmt.Errorf("%v scheme does not hold mod 2: %w", s.Field, err)
	}
	return z2, nil
}

// Lift lifts a scheme over Z2 to a scheme over Z (or Q with odd
// denominators) that reduces to it mod 2, and verifies the result exactly.
// A scheme over Z or Q is first reduced mod 2 (it needs odd denominators).
// It returns an error wrapping ErrNotLiftable when the scheme provably does
// not lift (the equations mod 4 are inconsistent), one wrapping ErrUndecided
// when no lift was found without a proof that none exists, and ctx.Err()
// when ctx is done. The input is not modified.
func Lift(ctx context.Context, s *tensorgame.Scheme, opts Options) (*tensorgame.Scheme, error) {
	opts = opts.withDefaults()
	z2, err := Mod2(s)
	if err != nil {
		return nil, fmt.Errorf("lift: input: %w", err)
	}
	l := newLifter(z2)
	rng := rand.New(rand.NewPCG(opts.Seed, 0x6c696674))
	var best *tensorgame.Scheme
	var last error
	for a := range opts.Attempts {
		got, err := l.attempt(ctx, l.order(a, rng, opts.Order), opts)
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr
		}
		if err != nil {
			if errors.Is(err, ErrNotLiftable) {
				return nil, err
			}
			last = err
			continue
		}
		if best == nil || better(got, best) {
			best = got
		}
		if isTernaryZ(best) {
			break
		}
	}
	if best == nil {
		if opts.Attempts > 1 {
			return nil, fmt.Errorf("%w (the last of %d attempts)", last, opts.Attempts)
		}
		return nil, last
	}
	best.Comments = append(append([]string(nil), s.Comments...), best.Comments...)
	if err := tensorgame.Verify(best); err != nil {
		// Every candidate is verified before it is kept; this is a bug.
		return nil, fmt.Errorf("lift: internal error, lifted scheme does not verify: %w", err)
	}
	return best, nil
}

// better orders lifted schemes: Z before Q, then smaller coefficients, then
// fewer non-zeros.
func better(a, b *tensorgame.Scheme) bool {
	if a.Field != b.Field {
		return a.Field == tensorgame.Z
	}
	an, ad := a.MaxAbs()
	bn, bd := b.MaxAbs()
	if ad != bd {
		return ad < bd
	}
	if an != bn {
		return an < bn
	}
	return a.NonZeros() < b.NonZeros()
}

// lifter holds a Z2 scheme as a vector of unknowns: term r's u, v and w
// coefficients are x[r*stride:], u first.
type lifter struct {
	src            *tensorgame.Scheme
	f              tensorgame.Format
	na, nb, nc     int
	stride, nterms int
	nv             int
	x0             []uint64 // 0 or 1
	target         []uint64 // the matmul tensor, (a*nb+b)*nc+c
	us, vs, ws     []nz     // scratch of residual
}

func newLifter(s *tensorgame.Scheme) *lifter {
	na, nb, nc := s.Format.Dims()
	l := &lifter{src: s, f: s.Format, na: na, nb: nb, nc: nc, stride: na + nb + nc, nterms: s.Rank()}
	l.nv = l.stride * l.nterms
	l.x0 = make([]uint64, l.nv)
	l.us, l.vs, l.ws = make([]nz, 0, na), make([]nz, 0, nb), make([]nz, 0, nc)
	for r, t := range s.Terms {
		for mode, off := range [3]int{0, na, na + nb} {
			for i, x := range t.Factor(mode) {
				l.x0[r*l.stride+off+i] = uint64(x.Num() & 1)
			}
		}
	}
	T := tensorgame.MatMul(s.Format)
	l.target = make([]uint64, len(T.Data))
	for i, v := range T.Data {
		l.target[i] = uint64(v)
	}
	return l
}

// order returns the column position of every unknown: the Gaussian
// elimination prefers low positions as pivots, and pivots are the unknowns
// that lifting changes, the others (free) keep their value.
//
// Class 0, first: unknowns that are 1 mod 2, except the two below. Class 1:
// for every term the first 1 of u and the first 1 of v; the sign symmetry
// (u, v, w) -> (-u, -v, w), (-u, v, -w) of a term can make both +1 in any
// lift, so fixing them loses nothing, and free variables are best spent
// there. Class 2, last: the zeros, which thus stay 0 whenever they can.
// Attempt 0 keeps the natural order within each class; later attempts
// shuffle within classes.
func (l *lifter) order(attempt int, rng *rand.Rand, strategy Order) []int32 {
	if strategy == OrderNatural {
		pos := make([]int32, l.nv)
		for v := range pos {
			pos[v] = int32(v)
		}
		if attempt > 0 {
			rng.Shuffle(len(pos), func(i, j int) { pos[i], pos[j] = pos[j], pos[i] })
		}
		return pos
	}
	var classes [3][]int32
	for r := range l.nterms {
		base := r * l.stride
		for mode, off := range [3]int{0, l.na, l.na + l.nb} {
			n := [3]int{l.na, l.nb, l.nc}[mode]
			first := true
			for i := range n {
				v := int32(base + off + i)
				switch {
				case l.x0[v] == 0:
					classes[2] = append(classes[2], v)
				case first && mode < 2:
					classes[1] = append(classes[1], v)
					first = false
				default:
					classes[0] = append(classes[0], v)
				}
			}
		}
	}
	pos := make([]int32, l.nv)
	p := int32(0)
	for _, c := range classes {
		if attempt > 0 {
			rng.Shuffle(len(c), func(i, j int) { c[i], c[j] = c[j], c[i] })
		}
		for _, v := range c {
			pos[v] = p
			p++
		}
	}
	return pos
}

// jacobian returns the Jacobian of the Brent equations mod 2 at x0, one row
// per equation (a*nb+b)*nc+c, one column per unknown at its position pos.
func (l *lifter) jacobian(pos []int32) []uint64 {
	rw := words(l.nv)
	m := make([]uint64, len(l.target)*rw)
	set := func(a, b, c int, v int) {
		row := (a*l.nb+b)*l.nc + c
		col := int(pos[v])
		m[row*rw+col>>6] |= 1 << (col & 63)
	}
	var su, sv, sw []int
	for r := range l.nterms {
		base := r * l.stride
		su = support(su[:0], l.x0[base:base+l.na])
		sv = support(sv[:0], l.x0[base+l.na:base+l.na+l.nb])
		sw = support(sw[:0], l.x0[base+l.na+l.nb:base+l.stride])
		for a := range l.na {
			for _, b := range sv {
				for _, c := range sw {
					set(a, b, c, base+a)
				}
			}
		}
		for b := range l.nb {
			for _, a := range su {
				for _, c := range sw {
					set(a, b, c, base+l.na+b)
				}
			}
		}
		for c := range l.nc {
			for _, a := range su {
				for _, b := range sv {
					set(a, b, c, base+l.na+l.nb+c)
				}
			}
		}
	}
	return m
}

func support(dst []int, x []uint64) []int {
	for i, v := range x {
		if v != 0 {
			dst = append(dst, i)
		}
	}
	return dst
}

// nz is a non-zero coefficient of a factor.
type nz struct {
	i int
	v uint64
}

// residual sets d to T - Σ_r u_r ⊗ v_r ⊗ w_r, computed mod 2^64 (exact for
// any x as two's-complement integers when the true value fits int64). It
// allocates nothing.
func (l *lifter) residual(d, x []uint64) {
	copy(d, l.target)
	collect := func(dst []nz, f []uint64) []nz {
		dst = dst[:0]
		for i, v := range f {
			if v != 0 {
				dst = append(dst, nz{i, v})
			}
		}
		return dst
	}
	for r := range l.nterms {
		base := r * l.stride
		l.us = collect(l.us, x[base:base+l.na])
		l.vs = collect(l.vs, x[base+l.na:base+l.na+l.nb])
		l.ws = collect(l.ws, x[base+l.na+l.nb:base+l.stride])
		for _, u := range l.us {
			for _, v := range l.vs {
				uv := u.v * v.v
				row := d[(u.i*l.nb+v.i)*l.nc:]
				for _, w := range l.ws {
					row[w.i] -= uv * w.v
				}
			}
		}
	}
}

// attempt lifts with the column order pos. When step 2 fails, it looks for
// signs of the free ones that let it pass (see solveSigns) and lifts from
// up to maxSignTries of them, keeping the best result.
func (l *lifter) attempt(ctx context.Context, pos []int32, opts Options) (*tensorgame.Scheme, error) {
	m := l.jacobian(pos)
	g, err := factorGF2(ctx, m, len(l.target), l.nv)
	if err != nil {
		return nil, err
	}
	x := append([]uint64(nil), l.x0...)
	s, k, err := l.run(ctx, g, pos, x, opts)
	if k != 2 || opts.signNodes() == 0 {
		return s, err
	}
	free := l.freeOnes(g, pos)
	var best *tensorgame.Scheme
	tries := 0
	l.solveSigns(ctx, g, pos, free, opts.signNodes(), func(neg []int) bool {
		copy(x, l.x0)
		for _, i := range neg {
			x[free[i]] = ^uint64(0)
		}
		got, _, e := l.run(ctx, g, pos, x, opts)
		tries++
		if got != nil && (best == nil || better(got, best)) {
			best = got
		}
		if e != nil && best == nil {
			err = e
		}
		return isTernaryZ(best) || tries >= maxSignTries || ctx.Err() != nil
	})
	if best != nil {
		return best, nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if tries == 0 {
		err = fmt.Errorf("%w: no solution mod 8 with this choice of free variables, for any signs of the %d free ones (the lift mod 4 exists)",
			ErrUndecided, len(free))
	}
	return nil, err
}

// maxSignTries bounds the sign patterns of the free ones that attempt
// lifts from.
const maxSignTries = 8

// isTernaryZ reports whether s is a scheme over Z with coefficients in
// {-1, 0, 1}.
func isTernaryZ(s *tensorgame.Scheme) bool {
	if s == nil || s.Field != tensorgame.Z {
		return false
	}
	n, d := s.MaxAbs()
	return n <= 1 && d == 1
}

// run lifts x, a solution mod 2, step by step, trying reconstruction after
// each. It returns the scheme found, or the step k (lifting from 2^k to
// 2^(k+1)) at which the linear system was inconsistent (0 if none) and an
// error.
func (l *lifter) run(ctx context.Context, g *gf2, pos []int32, x []uint64, opts Options) (*tensorgame.Scheme, int, error) {
	d := make([]uint64, len(l.target))
	b := make([]uint64, g.bw)
	sol := make([]uint64, g.rw)
	rc := newRecon(l)
	for k := 1; k < opts.MaxBits; k++ {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		if !l.step(g, pos, k, x, d, b, sol) {
			if k == 1 {
				return nil, k, fmt.Errorf("%w: the Brent equations have no solution mod 4 over this scheme (Jacobian rank %d of %d unknowns, %d equations)",
					ErrNotLiftable, g.rank, l.nv, len(l.target))
			}
			return nil, k, fmt.Errorf("%w: no solution mod 2^%d with this choice of free variables (the lift mod 2^%d exists)",
				ErrUndecided, k+1, k)
		}
		if s := rc.try(x, k+1, opts); s != nil {
			s.Comments = []string{fmt.Sprintf("lifted: Hensel lifting of a %v rank-%d scheme over Z2 to %v (2-adic precision 2^%d; Jacobian rank %d of %d unknowns)",
				l.f, l.nterms, s.Field, k+1, g.rank, l.nv)}
			return s, 0, nil
		}
	}
	return nil, 0, fmt.Errorf("%w: the 2-adic solution is not an integer or a small rational at precision 2^%d",
		ErrUndecided, opts.MaxBits)
}

// step lifts x from a solution mod 2^k to one mod 2^(k+1): with the
// residual d = T - B(x) (divisible by 2^k), it solves J y = d/2^k mod 2 and
// adds 2^k y to x. It reports false, leaving x as it was, when the system is
// inconsistent. b and sol are scratch bitsets over the equations and the
// columns. It allocates nothing.
func (l *lifter) step(g *gf2, pos []int32, k int, x, d, b, sol []uint64) bool {
	l.residual(d, x)
	clear(b)
	low := uint64(1)<<k - 1
	for e, v := range d {
		if v&low != 0 {
			panic(fmt.Sprintf("lift: internal error: equation %d is off mod 2^%d", e, k))
		}
		b[e>>6] |= (v >> k & 1) << (e & 63)
	}
	if !g.solve(b, sol) {
		return false
	}
	for v := range l.nv {
		p := pos[v]
		x[v] += (sol[p>>6] >> (p & 63) & 1) << k
	}
	return true
}

// freeOnes returns the unknowns that are 1 mod 2, free in the elimination g
// and not the first one of u or v in their term (those are +1 in some lift
// by the sign symmetry of the term).
func (l *lifter) freeOnes(g *gf2, pos []int32) []int {
	piv := make([]bool, l.nv)
	for _, c := range g.pivCol {
		piv[c] = true
	}
	var out []int
	for r := range l.nterms {
		base := r * l.stride
		for mode, off := range [3]int{0, l.na, l.na + l.nb} {
			n := [3]int{l.na, l.nb, l.nc}[mode]
			first := mode < 2
			for i := range n {
				v := base + off + i
				if l.x0[v] == 0 {
					continue
				}
				if !first && !piv[pos[v]] {
					out = append(out, v)
				}
				first = false
			}
		}
	}
	return out
}
