package tensorgame

import (
	"fmt"
	"maps"
	"math"
	"math/big"
	"math/bits"
	"math/rand/v2"
	"slices"
)

// VerifyError reports a scheme that fails the Brent equations. It names the
// first failing equation (A, B, C index of the tensor entry) and how far off
// it is; Count is the number of failing equations.
type VerifyError struct {
	Format    Format
	Field     Field
	A, B, C   int // tensor entry of the first failing equation
	Got, Want string
	Count     int
	Shape     error // non-nil when the scheme is malformed (wrong lengths, coefficients outside the field)
	// Sampled is set when the failure was found by evaluating the scheme on
	// random matrices (for schemes too costly to expand); then only C is
	// meaningful: the C index of a wrong output entry.
	Sampled bool
}

// Error names the first failing equation (the entries of A, B and C it
// couples), its sum and the wanted value, and how many equations fail.
func (e *VerifyError) Error() string {
	if e.Shape != nil {
		return "malformed scheme: " + e.Shape.Error()
	}
	f := e.Format
	if e.Sampled {
		return fmt.Sprintf("scheme computes a wrong C[%d][%d] on random matrices over %v (a Brent equation with C index %d fails; too many terms to list them)",
			e.C/f.P, e.C%f.P, e.Field, e.C)
	}
	i, j := e.A/f.M, e.A%f.M
	j2, k := e.B/f.P, e.B%f.P
	i2, k2 := e.C/f.P, e.C%f.P
	msg := fmt.Sprintf("Brent equation (%d,%d,%d) [A[%d][%d]·B[%d][%d] in C[%d][%d]] sums to %s over %v, want %s",
		e.A, e.B, e.C, i, j, j2, k, i2, k2, e.Got, e.Field, e.Want)
	if e.Count > 1 {
		msg += fmt.Sprintf(" (%d equations off in all)", e.Count)
	}
	return msg
}

// Verify checks the Brent equations of s exactly over its field: the terms
// must sum to the matmul tensor of s.Format (mod 2 over Z2). It returns nil
// or a *VerifyError naming the first failing equation in (A, B, C) index
// order. It exploits sparsity: the cost is about Σ_r nnz(u)·nnz(v)·nnz(w)
// plus n·m·p, in memory for one slice of the tensor. Schemes whose
// cost is far beyond any known scheme's are first evaluated on random
// matrices, so that a malformed file is rejected quickly.
func Verify(s *Scheme) error {
	if err := s.CheckShape(); err != nil {
		return &VerifyError{Format: s.Format, Field: s.Field, Shape: err}
	}
	if work(s) > sampleWork {
		if err := verifySampled(s); err != nil {
			return err
		}
	}
	if ok, err := verifyInt(s); ok {
		return err
	}
	return verifyBig(s)
}

const (
	// sampleWork is the work (Σ_r nnz(u)·nnz(v)·nnz(w)) above which Verify
	// first evaluates the scheme on random matrices. The largest published
	// scheme (11x12x12, rank 990) needs 4.7e6.
	sampleWork = 1 << 25
	// maxSlice bounds the dense int64 path (one B×C slice of the tensor in
	// memory); larger formats take the sparse path.
	maxSlice = 1 << 20
)

// work returns Σ_r nnz(u)·nnz(v)·nnz(w), saturating at 1<<62.
func work(s *Scheme) int64 {
	nnz := func(f []Rat) int64 {
		n := int64(0)
		for _, x := range f {
			if !x.IsZero() {
				n++
			}
		}
		return n
	}
	var w int64
	for _, t := range s.Terms {
		w += nnz(t.U) * nnz(t.V) * nnz(t.W)
		if w > 1<<62 {
			return 1 << 62
		}
	}
	return w
}

// verifyInt is the fast exact path: every coefficient is scaled by the lcm
// of the denominators of its mode into int64, and the tensor is summed one
// A slice at a time. ok is false, and err nil, when the values could
// overflow int64 or the format is too large for dense slices; then the
// caller takes the slow path.
func verifyInt(s *Scheme) (ok bool, err error) {
	_, nb, nc := s.Format.Dims()
	if int64(nb)*int64(nc) > maxSlice {
		return false, nil
	}
	lcm, ok := intScales(s)
	if !ok {
		return false, nil
	}
	if e := newIntTerms(s, lcm).check(s.Format, s.Field, lcm[0]*lcm[1]*lcm[2]); e != nil {
		return true, e
	}
	return true, nil
}

// intScales returns, for each mode, the lcm of the denominators of the
// coefficients of that mode, and whether the scaled coefficients are small
// enough that every sum verifyInt forms fits int64.
func intScales(s *Scheme) (lcm [3]int64, ok bool) {
	var maxAbs [3]float64
	for mode := range 3 {
		l := int64(1)
		for _, t := range s.Terms {
			for _, x := range t.Factor(mode) {
				d := x.Den()
				l = l / gcd(l, d) * d
				if l > 1<<20 {
					return lcm, false
				}
			}
		}
		lcm[mode] = l
		for _, t := range s.Terms {
			for _, x := range t.Factor(mode) {
				v := float64(x.Num()) * float64(l/x.Den())
				maxAbs[mode] = max(maxAbs[mode], math.Abs(v))
			}
		}
	}
	return lcm, maxAbs[0]*maxAbs[1]*maxAbs[2]*float64(len(s.Terms)+1) <= 1<<62
}

// nz is a non-zero scaled coefficient at index i.
type nz struct {
	i int32
	x int64
}

// intTerms holds a scheme's scaled coefficients sparsely: the non-zeros of
// v and w per term (term r's at vs[vOff[r]:vOff[r+1]], and so for w), and
// those of u bucketed by A index (index a's at us[uOff[a]:uOff[a+1]], with
// the term index as i).
type intTerms struct {
	na         int
	vOff, wOff []int32
	vs, ws     []nz
	uOff       []int32
	us         []nz
}

func newIntTerms(s *Scheme, lcm [3]int64) *intTerms {
	na, _, _ := s.Format.Dims()
	R := len(s.Terms)
	it := &intTerms{na: na, vOff: make([]int32, R+1), wOff: make([]int32, R+1), uOff: make([]int32, na+1)}
	for r, t := range s.Terms {
		for i, x := range t.V {
			if !x.IsZero() {
				it.vs = append(it.vs, nz{int32(i), x.Num() * (lcm[1] / x.Den())})
			}
		}
		for i, x := range t.W {
			if !x.IsZero() {
				it.ws = append(it.ws, nz{int32(i), x.Num() * (lcm[2] / x.Den())})
			}
		}
		it.vOff[r+1], it.wOff[r+1] = int32(len(it.vs)), int32(len(it.ws))
		for a, x := range t.U {
			if !x.IsZero() {
				it.uOff[a+1]++
			}
		}
	}
	for a := 0; a < na; a++ {
		it.uOff[a+1] += it.uOff[a]
	}
	it.us = make([]nz, it.uOff[na])
	fill := slices.Clone(it.uOff[:na])
	for r, t := range s.Terms {
		for a, x := range t.U {
			if !x.IsZero() {
				it.us[fill[a]] = nz{int32(r), x.Num() * (lcm[0] / x.Den())}
				fill[a]++
			}
		}
	}
	return it
}

// check sums the terms one A slice at a time and compares each slice with
// the matmul tensor of f times scale (mod 2 over Z2). It returns the first
// wrong entry, with the count of wrong entries, or nil.
func (it *intTerms) check(f Format, field Field, scale int64) *VerifyError {
	_, nb, nc := f.Dims()
	mod2 := field == Z2
	acc := make([]int64, nb*nc)
	rowSeen := make([]int32, nb) // a+1 when row b of slice a was touched
	rows := make([]int32, 0, nb)
	var first *VerifyError
	count := 0
	fail := func(a, idx int, got, want int64) {
		count++
		if first == nil || (a == first.A && idx < first.B*nc+first.C) {
			first = &VerifyError{Format: f, Field: field, A: a, B: idx / nc, C: idx % nc,
				Got: NewRat(got, scale).String(), Want: Int(want).String()}
		}
	}
	for a := 0; a < it.na; a++ {
		for _, u := range it.us[it.uOff[a]:it.uOff[a+1]] {
			r := u.i
			wr := it.ws[it.wOff[r]:it.wOff[r+1]]
			for _, v := range it.vs[it.vOff[r]:it.vOff[r+1]] {
				if rowSeen[v.i] != int32(a+1) {
					rowSeen[v.i] = int32(a + 1)
					rows = append(rows, v.i)
				}
				uv := u.x * v.x
				row := acc[int(v.i)*nc : int(v.i+1)*nc]
				for _, w := range wr {
					row[w.i] += uv * w.x
				}
			}
		}
		// Slice a = i*m+j holds the ones T[a][j*p+k][i*p+k]: check and clear
		// them, then every other entry of the touched rows must be zero.
		i, j := a/f.M, a%f.M
		for k := 0; k < f.P; k++ {
			idx := (j*f.P+k)*nc + i*f.P + k
			got := acc[idx]
			if mod2 {
				got &= 1
			}
			if got != scale {
				fail(a, idx, got, 1)
			}
			acc[idx] = 0
		}
		for _, b := range rows {
			row := acc[int(b)*nc : int(b+1)*nc]
			for c, x := range row {
				if x == 0 {
					continue
				}
				row[c] = 0
				if mod2 {
					x &= 1
				}
				if x != 0 {
					fail(a, int(b)*nc+c, x, 0)
				}
			}
		}
		rows = rows[:0]
	}
	if first != nil {
		first.Count = count
	}
	return first
}

// primeP is the prime 2⁶¹-1 that verifySampled computes modulo.
const primeP = 1<<61 - 1

// mulmod returns a·b mod primeP.
func mulmod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	_, rem := bits.Div64(hi, lo, primeP)
	return rem
}

// toMod maps x to num·den⁻¹ mod primeP; ok is false when primeP divides
// den.
func toMod(x Rat) (uint64, bool) {
	const p = primeP
	n, d := x.Num(), x.Den()
	if d%p == 0 {
		return 0, false
	}
	nm := uint64(n % p)
	if n < 0 {
		nm = uint64(n%p + p)
	}
	// Fermat: d⁻¹ = d^(p-2).
	inv, base, e := uint64(1), uint64(d%p), uint64(p-2)
	for ; e > 0; e >>= 1 {
		if e&1 != 0 {
			inv = mulmod(inv, base)
		}
		base = mulmod(base, base)
	}
	return mulmod(nm, inv), true
}

// randomVector returns n random words: 64 bit-sliced 0/1 vectors with
// mod2, else n values mod primeP.
func randomVector(rng *rand.Rand, n int, mod2 bool) []uint64 {
	v := make([]uint64, n)
	for i := range v {
		v[i] = rng.Uint64()
		if !mod2 {
			v[i] %= primeP
		}
	}
	return v
}

// verifySampled evaluates s on random matrices: 64 random 0/1 pairs at
// once (bit-sliced) over Z2, one random pair modulo the prime 2⁶¹-1 over Z
// and Q. A wrong output entry proves that s fails, and is reported as a
// sampled *VerifyError; nil means s is very likely correct.
func verifySampled(s *Scheme) error {
	f := s.Format
	na, nb, nc := f.Dims()
	rng := rand.New(rand.NewPCG(0x5eed, uint64(len(s.Terms))))
	const p = primeP
	mod2 := s.Field == Z2
	a, b := randomVector(rng, na, mod2), randomVector(rng, nb, mod2)
	got := make([]uint64, nc)
	dot := func(fac []Rat, x []uint64) (uint64, bool) {
		var sum uint64
		for i, c := range fac {
			if c.IsZero() {
				continue
			}
			if mod2 {
				sum ^= x[i] // c is 1
				continue
			}
			cm, ok := toMod(c)
			if !ok {
				return 0, false
			}
			sum = (sum + mulmod(cm, x[i])) % p
		}
		return sum, true
	}
	for _, t := range s.Terms {
		ua, ok1 := dot(t.U, a)
		vb, ok2 := dot(t.V, b)
		if !ok1 || !ok2 {
			return nil
		}
		var uv uint64
		if mod2 {
			uv = ua & vb
		} else {
			uv = mulmod(ua, vb)
		}
		for c, w := range t.W {
			if w.IsZero() {
				continue
			}
			if mod2 {
				got[c] ^= uv
				continue
			}
			wm, ok := toMod(w)
			if !ok {
				return nil
			}
			got[c] = (got[c] + mulmod(uv, wm)) % p
		}
	}
	for i := 0; i < f.N; i++ {
		for k := 0; k < f.P; k++ {
			var want uint64
			for j := 0; j < f.M; j++ {
				if mod2 {
					want ^= a[i*f.M+j] & b[j*f.P+k]
				} else {
					want = (want + mulmod(a[i*f.M+j], b[j*f.P+k])) % p
				}
			}
			if got[i*f.P+k] != want {
				return &VerifyError{Format: f, Field: s.Field, A: -1, B: -1, C: i*f.P + k, Sampled: true}
			}
		}
	}
	return nil
}

// verifyBig is the slow exact path for schemes whose coefficients do not fit
// the int64 fast path.
func verifyBig(s *Scheme) error {
	f := s.Format
	_, nb, nc := f.Dims()
	acc := map[int]*big.Rat{}
	for _, t := range s.Terms {
		for a, u := range t.U {
			if u.IsZero() {
				continue
			}
			for b, v := range t.V {
				if v.IsZero() {
					continue
				}
				for c, w := range t.W {
					if w.IsZero() {
						continue
					}
					p := new(big.Rat).SetFrac64(u.Num(), u.Den())
					p.Mul(p, new(big.Rat).SetFrac64(v.Num(), v.Den()))
					p.Mul(p, new(big.Rat).SetFrac64(w.Num(), w.Den()))
					idx := (a*nb+b)*nc + c
					if acc[idx] == nil {
						acc[idx] = new(big.Rat)
					}
					acc[idx].Add(acc[idx], p)
				}
			}
		}
	}
	want := func(idx int) int64 {
		a, b, c := idx/(nb*nc), (idx/nc)%nb, idx%nc
		i, j := a/f.M, a%f.M
		j2, k := b/f.P, b%f.P
		if j == j2 && c == i*f.P+k {
			return 1
		}
		return 0
	}
	var first *VerifyError
	count := 0
	report := func(idx int, got *big.Rat) {
		g := new(big.Rat).Set(got)
		if s.Field == Z2 && g.IsInt() {
			g.SetInt64(new(big.Int).And(g.Num(), big.NewInt(1)).Int64())
		}
		w := want(idx)
		if g.Cmp(new(big.Rat).SetInt64(w)) == 0 {
			return
		}
		count++
		if first == nil || idx < (first.A*nb+first.B)*nc+first.C {
			first = &VerifyError{Format: f, Field: s.Field, A: idx / (nb * nc), B: (idx / nc) % nb, C: idx % nc,
				Got: g.RatString(), Want: Int(w).String()}
		}
	}
	keys := slices.Sorted(maps.Keys(acc))
	for _, idx := range keys {
		report(idx, acc[idx])
	}
	for i := 0; i < f.N; i++ {
		for j := 0; j < f.M; j++ {
			for k := 0; k < f.P; k++ {
				idx := ((i*f.M+j)*nb+(j*f.P+k))*nc + i*f.P + k
				if acc[idx] == nil {
					report(idx, new(big.Rat))
				}
			}
		}
	}
	if first != nil {
		first.Count = count
		return first
	}
	return nil
}
