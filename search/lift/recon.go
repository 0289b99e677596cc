package lift

import (
	"slices"

	"github.com/alphamat/alphamat/tensorgame"
)

// recon turns 2-adic approximations of the unknowns into candidate schemes
// over Z (symmetric representatives) and Q (rational reconstruction) and
// checks them exactly. It remembers the last candidates it rejected, so an
// approximation that did not change is not checked twice.
type recon struct {
	l        *lifter
	ints     []int64 // last integer candidate checked
	intsOK   bool
	nums     []int64 // last rational candidate checked
	dens     []int64
	ratsOK   bool
	cand     []int64
	cnum     []int64
	cden     []int64
	resid    []uint64
	scratchX []uint64
}

func newRecon(l *lifter) *recon {
	return &recon{
		l:        l,
		cand:     make([]int64, l.nv),
		cnum:     make([]int64, l.nv),
		cden:     make([]int64, l.nv),
		resid:    make([]uint64, len(l.target)),
		scratchX: make([]uint64, l.nv),
	}
}

// try looks for a scheme in x, known mod 2^K. It returns a verified scheme
// or nil.
func (rc *recon) try(x []uint64, K int, opts Options) *tensorgame.Scheme {
	mod := uint64(1) << K
	half := mod >> 1
	bound := min(int64(maxIntRep), int64(1)<<((K-2)/2))
	small := true
	for i, v := range x {
		v &= mod - 1
		s := int64(v)
		if v > half {
			s = int64(v) - int64(mod)
		}
		rc.cand[i] = s
		if s > bound || s < -bound {
			small = false
		}
	}
	if small && !(rc.intsOK && slices.Equal(rc.cand, rc.ints)) {
		rc.ints = append(rc.ints[:0], rc.cand...)
		rc.intsOK = true
		for i, s := range rc.cand {
			rc.scratchX[i] = uint64(s)
		}
		// |coefficients| <= 2^16 and rank < 2^10 keep the sum within int64,
		// so zero mod 2^64 is zero.
		rc.l.residual(rc.resid, rc.scratchX)
		if allZero(rc.resid) {
			if s := rc.l.scheme(rc.cand, nil); tensorgame.Verify(s) == nil {
				return s
			}
		}
	}
	if opts.IntegerOnly || K < 8 {
		return nil
	}
	n := int64(1)<<((K-1)/2) - 1
	for i, v := range x {
		p, q, ok := ratRecon(int64(v&(mod-1)), int64(mod), n)
		if !ok {
			return nil
		}
		rc.cnum[i], rc.cden[i] = p, q
	}
	if rc.ratsOK && slices.Equal(rc.cnum, rc.nums) && slices.Equal(rc.cden, rc.dens) {
		return nil
	}
	rc.nums = append(rc.nums[:0], rc.cnum...)
	rc.dens = append(rc.dens[:0], rc.cden...)
	rc.ratsOK = true
	s := rc.l.scheme(rc.cnum, rc.cden)
	if tensorgame.Verify(s) == nil {
		return s
	}
	return nil
}

func allZero(d []uint64) bool {
	for _, v := range d {
		if v != 0 {
			return false
		}
	}
	return true
}

// scheme builds the scheme with coefficients num[i]/den[i] (den nil: all
// 1); its field is Z when every coefficient is an integer, else Q.
func (l *lifter) scheme(num, den []int64) *tensorgame.Scheme {
	s := &tensorgame.Scheme{Format: l.f, Field: tensorgame.Z}
	coef := func(i int) tensorgame.Rat {
		if den == nil || den[i] == 1 {
			return tensorgame.Int(num[i])
		}
		s.Field = tensorgame.Q
		return tensorgame.NewRat(num[i], den[i])
	}
	for r := range l.nterms {
		base := r * l.stride
		t := tensorgame.Term{U: make([]tensorgame.Rat, l.na), V: make([]tensorgame.Rat, l.nb), W: make([]tensorgame.Rat, l.nc)}
		for i := range l.na {
			t.U[i] = coef(base + i)
		}
		for i := range l.nb {
			t.V[i] = coef(base + l.na + i)
		}
		for i := range l.nc {
			t.W[i] = coef(base + l.na + l.nb + i)
		}
		s.Terms = append(s.Terms, t)
	}
	return s
}

// ratRecon finds p/q with |p|, |q| <= n, q odd and p ≡ a·q mod m (m a power
// of two with 2n² < m), by Wang's half extended Euclidean algorithm. Such
// p/q is unique when it exists.
func ratRecon(a, m, n int64) (p, q int64, ok bool) {
	r0, r1 := m, a
	t0, t1 := int64(0), int64(1)
	for r1 > n {
		k := r0 / r1
		r0, r1 = r1, r0-k*r1
		t0, t1 = t1, t0-k*t1
	}
	if t1 < 0 {
		r1, t1 = -r1, -t1
	}
	if t1 == 0 || t1 > n || t1%2 == 0 || gcd(abs(r1), t1) != 1 {
		return 0, 0, false
	}
	return r1, t1, true
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
