package agent

import (
	"hash/maphash"
	"math/bits"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/alphamat/alphamat/internal/gf2"
	"github.com/alphamat/alphamat/tensorgame"
)

// Demo is a synthetic demonstration: a tensor built as the sum of Rank
// random terms (mod 2 over Z2), which are a decomposition of it.
type Demo struct {
	Format tensorgame.Format // the format whose axes the tensor has
	Tensor *tensorgame.Tensor
	Terms  []tensorgame.Action
}

// Rank returns the number of terms (an upper bound of the tensor's rank).
func (d *Demo) Rank() int { return len(d.Terms) }

// randomFactor fills f with a sparse random non-zero factor: 1 + Bin(len-1,
// density) non-zero coefficients at random places, ±1 (rarely ±2 over Z).
func randomFactor(rng *rand.Rand, f []int8, field tensorgame.Field, density float64) {
	clear(f)
	k := 1
	for range len(f) - 1 {
		if rng.Float64() < density {
			k++
		}
	}
	for _, i := range rng.Perm(len(f))[:k] {
		x := int8(1)
		if field != tensorgame.Z2 {
			if rng.IntN(8) == 0 {
				x = 2
			}
			if rng.IntN(2) == 0 {
				x = -x
			}
		}
		f[i] = x
	}
}

// RandomDemo returns a demonstration of the given rank on the axes of
// format f: rank sparse random terms (each factor's density drawn per demo)
// summed into a tensor.
func RandomDemo(rng *rand.Rand, f tensorgame.Format, field tensorgame.Field, rank int) *Demo {
	a, b, c := f.Dims()
	return RandomSubDemo(rng, f, field, rank, [3]int{a, b, c})
}

// RandomSubDemo is RandomDemo with every factor supported on the first
// sub[i] coordinates of its axis (sub[i] clamped to 1..axis length): a
// tensor whose slice spans are smaller than its axes, as the residuals of a
// matmul tensor's sub-problems are (T(2,2,2) inside the axes of 2×2×3).
// A random change of basis then moves the subspaces anywhere.
func RandomSubDemo(rng *rand.Rand, f tensorgame.Format, field tensorgame.Field, rank int, sub [3]int) *Demo {
	a, b, c := f.Dims()
	for i, n := range [3]int{a, b, c} {
		sub[i] = min(max(sub[i], 1), n)
	}
	d := &Demo{Format: f, Tensor: tensorgame.NewTensor(a, b, c)}
	density := [3]float64{0.05 + 0.4*rng.Float64(), 0.05 + 0.4*rng.Float64(), 0.05 + 0.4*rng.Float64()}
	neg := make([]int32, max(a, b, c))
	for range rank {
		t := tensorgame.Action{U: make([]int8, a), V: make([]int8, b), W: make([]int8, c)}
		randomFactor(rng, t.U[:sub[0]], field, density[0])
		randomFactor(rng, t.V[:sub[1]], field, density[1])
		randomFactor(rng, t.W[:sub[2]], field, density[2])
		d.Terms = append(d.Terms, t)
		// Add the term: subtract its negation.
		for i, x := range t.U {
			neg[i] = -int32(x)
		}
		d.Tensor.SubTerm(neg[:a], int8To32(t.V), int8To32(t.W), field == tensorgame.Z2)
	}
	return d
}

func int8To32(f []int8) []int32 {
	out := make([]int32, len(f))
	for i, x := range f {
		out[i] = int32(x)
	}
	return out
}

// transform returns d under the change of basis bs (terms mapped, tensor
// mapped); ok is false when a mapped coefficient leaves TensorGame's set.
func (d *Demo) transform(bs *tensorgame.TensorBasis) (*Demo, bool) {
	out := &Demo{Format: d.Format, Tensor: bs.Tensor(d.Tensor)}
	for _, t := range d.Terms {
		m := bs.Map(t)
		for _, f := range [3][]int8{m.U, m.V, m.W} {
			for _, x := range f {
				if x < -2 || x > 2 {
					return nil, false
				}
			}
		}
		out.Terms = append(out.Terms, m)
	}
	return out, true
}

// Guard keeps matmul tensors and a held-out set out of the training data.
//
// A demonstration is a decomposition of its tensor, so a demo whose tensor
// is the matmul tensor T(n,m,p), or any image of it under a change of basis
// (the targets the agent is later played on), would hand the network a
// known scheme. Guard rejects every tensor whose change-of-basis invariant
// matches a matmul tensor's: for each axis, the multiset of the ranks (mod
// 2) of all non-zero matrices in the span of the slices along that axis.
// These spans and ranks are unchanged by any change of basis (and the mod-2
// reduction of an integer change of basis is one mod 2), and the check
// compares the three axes' multisets as a set, so axis permutations
// (the cyclic and transpose symmetries) are caught too. It rejects some
// innocent tensors as well; that only costs a redraw. Tensors of the
// held-out evaluation set are rejected by their hash.
type Guard struct {
	mu       sync.Mutex
	profiles map[[3]int][]profile // by sorted axis lengths
	seed     maphash.Seed
	heldOut  map[uint64]bool
	rejected int
}

// profile is a tensor's invariant: per axis, the span dimension and the
// rank histogram of the span's non-zero elements, sorted over the axes.
type profile [3][]int

// NewGuard returns a guard that also rejects the tensors in heldOut.
func NewGuard(heldOut []*tensorgame.Tensor) *Guard {
	g := &Guard{profiles: map[[3]int][]profile{}, seed: maphash.MakeSeed(), heldOut: map[uint64]bool{}}
	for _, t := range heldOut {
		g.heldOut[g.key(t)] = true
	}
	return g
}

func (g *Guard) key(t *tensorgame.Tensor) uint64 {
	h := t.Hash(g.seed)
	return h ^ uint64(t.A)<<58 ^ uint64(t.B)<<52 ^ uint64(t.C)<<46
}

// Rejected returns how many tensors Allowed has refused.
func (g *Guard) Rejected() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.rejected
}

// Allowed reports whether t may appear in training data: it is not in the
// held-out set and its invariant differs from that of every matmul tensor
// whose axes have the same lengths.
func (g *Guard) Allowed(t *tensorgame.Tensor) bool {
	ok := !g.heldOut[g.key(t)] && !g.matmulLike(t)
	if !ok {
		g.mu.Lock()
		g.rejected++
		g.mu.Unlock()
	}
	return ok
}

func sortedDims(a, b, c int) [3]int {
	d := [3]int{a, b, c}
	slices.Sort(d[:])
	return d
}

// matmulLike reports whether t's invariant equals that of a matmul tensor.
func (g *Guard) matmulLike(t *tensorgame.Tensor) bool {
	key := sortedDims(t.A, t.B, t.C)
	g.mu.Lock()
	targets, ok := g.profiles[key]
	if !ok {
		for _, f := range formatsWithDims(key) {
			targets = append(targets, *invariant(tensorgame.MatMul(f), nil))
		}
		g.profiles[key] = targets
	}
	g.mu.Unlock()
	for _, p := range targets {
		if q := invariant(t, &p); q != nil && equalProfile(*q, p) {
			return true
		}
	}
	return false
}

// formatsWithDims lists the formats whose axis lengths, sorted, are d.
func formatsWithDims(d [3]int) []tensorgame.Format {
	var out []tensorgame.Format
	for n := 1; n <= d[2]; n++ {
		for m := 1; m <= d[2]; m++ {
			for p := 1; p <= d[2]; p++ {
				f := tensorgame.Format{N: n, M: m, P: p}
				a, b, c := f.Dims()
				if sortedDims(a, b, c) == d {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

func equalProfile(p, q profile) bool {
	for i := range p {
		if !slices.Equal(p[i], q[i]) {
			return false
		}
	}
	return true
}

// invariant computes t's profile. When want is given, it gives up (nil)
// as soon as t cannot match it: a span dimension differs or a rank count
// exceeds want's.
func invariant(t *tensorgame.Tensor, want *profile) *profile {
	var p profile
	var axes [3][]int
	for mode := range 3 {
		h := spanRanks(t, mode, want)
		if h == nil {
			return nil
		}
		axes[mode] = h
	}
	slices.SortFunc(axes[:], slices.Compare)
	copy(p[:], axes[:])
	return &p
}

// spanRanks returns [dim, count of rank 1, count of rank 2, ...] for the
// span (mod 2) of t's slices along mode, or nil when it cannot appear in
// want (a profile, any axis order).
func spanRanks(t *tensorgame.Tensor, mode int, want *profile) []int {
	var count, rows, cols int
	switch mode {
	case 0:
		count, rows, cols = t.A, t.B, t.C
	case 1:
		count, rows, cols = t.B, t.A, t.C
	default:
		count, rows, cols = t.C, t.A, t.B
	}
	// Slices as bit matrices: slice s row r is a cols-bit word.
	sl := make([][]uint64, count)
	for s := range count {
		sl[s] = make([]uint64, rows)
		for r := range rows {
			for c := range cols {
				var x int32
				switch mode {
				case 0:
					x = t.At(s, r, c)
				case 1:
					x = t.At(r, s, c)
				default:
					x = t.At(r, c, s)
				}
				if x&1 != 0 {
					sl[s][r] |= 1 << c
				}
			}
		}
	}
	// Basis of the span by elimination on the flattened slices.
	basis := gf2.Basis(sl)
	dim := len(basis)
	if want != nil && !anyAxis(want, func(h []int) bool { return h[0] == dim }) {
		return nil
	}
	if dim > 16 {
		// Too large to enumerate; fall back to the dimension alone.
		return []int{dim}
	}
	hist := make([]int, 1+min(rows, cols)+1)
	hist[0] = dim
	cur := make([]uint64, rows)
	tmp := make([]uint64, rows)
	for i := uint(1); i < 1<<dim; i++ {
		// Gray code: flip the basis element of the lowest set bit of i.
		j := bits.TrailingZeros(i)
		for r := range rows {
			cur[r] ^= basis[j][r]
		}
		copy(tmp, cur)
		rk := gf2.Rank(tmp)
		hist[rk+1]++
		if want != nil && !anyAxis(want, func(h []int) bool {
			return h[0] == dim && len(h) == len(hist) && hist[rk+1] <= h[rk+1]
		}) {
			return nil
		}
	}
	return hist
}

func anyAxis(p *profile, ok func([]int) bool) bool {
	for _, h := range p {
		if ok(h) {
			return true
		}
	}
	return false
}

// HeldOutSeed seeds the held-out evaluation set. Training never draws from
// it, and the Guard rejects its tensors by hash besides.
const HeldOutSeed = 20221005

// HeldOutFormats are the formats of the held-out set.
var heldOutFormats = []tensorgame.Format{
	{N: 2, M: 2, P: 2}, {N: 2, M: 2, P: 3}, {N: 2, M: 3, P: 2}, {N: 3, M: 2, P: 2},
	{N: 2, M: 3, P: 3}, {N: 3, M: 2, P: 3}, {N: 3, M: 3, P: 2}, {N: 3, M: 3, P: 3},
}

// HeldOut returns the held-out evaluation set: count demonstrations over
// field, cycling through the formats 2×2×2 … 3×3×3 and the ranks 3..10,
// drawn from HeldOutSeed. Demos whose tensor is matmul-like (see Guard) are
// redrawn, so the set, too, contains no matmul target.
func HeldOut(count int, field tensorgame.Field) []*Demo {
	rng := rand.New(rand.NewPCG(HeldOutSeed, 1))
	g := NewGuard(nil)
	out := make([]*Demo, 0, count)
	for len(out) < count {
		f := heldOutFormats[len(out)%len(heldOutFormats)]
		rank := 3 + (len(out)/len(heldOutFormats))%8
		d := RandomDemo(rng, f, field, rank)
		if d.Tensor.IsZero() || g.matmulLike(d.Tensor) {
			continue
		}
		out = append(out, d)
	}
	return out
}
