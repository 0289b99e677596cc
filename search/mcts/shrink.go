package mcts

import (
	"context"
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"

	"github.com/alphamat/alphamat/tensorgame"
)

// ShrinkConfig sets Shrink and ShrinkTerms. Zero fields take their
// defaults.
type ShrinkConfig struct {
	// K is the number of terms Shrink takes out of the scheme (default 6,
	// at most the scheme's rank; ShrinkTerms ignores it).
	K int
	// Candidates is the number of K-term subsets Shrink draws (default 16).
	Candidates int
	// Games is the number of tree-search games played on each subset whose
	// rank bounds allow fewer terms (default 2): the first in the
	// compressed residual's own basis, the others under random changes of
	// basis.
	Games int
	// Axes are the axes of the tensors the evaluator plays. The compressed
	// residual is padded with zeros to them (a network trained on 4×4×4
	// tensors then sees a 4×4×4 one), and subsets whose compressed residual
	// does not fit are skipped. Zero: no padding, axes up to 64.
	Axes [3]int
	// Search sets the games' tree search; StopOnSolve is always set.
	Search Config
	// Seed seeds the choice of subsets, the changes of basis and the games.
	Seed uint64
}

// ShrinkResult is the outcome of Shrink or ShrinkTerms.
type ShrinkResult struct {
	// Scheme is the smaller scheme, verified, or nil if none was found.
	Scheme *tensorgame.Scheme
	// Removed lists (ascending) the indices in the input scheme of the terms
	// replaced, and Added is the number of terms that replaced them (both
	// empty when Scheme is nil). Scheme holds the kept terms in their order,
	// then the added ones.
	Removed []int
	Added   int
	// Candidates counts the subsets examined, Searched those whose rank
	// bounds allowed fewer terms (and that fit Axes), Games the games
	// played on them.
	Candidates, Searched, Games int
	// Search counts the tree search's work.
	Search Stats
}

func (c ShrinkConfig) withDefaults() ShrinkConfig {
	if c.K <= 0 {
		c.K = 6
	}
	if c.Candidates <= 0 {
		c.Candidates = 16
	}
	if c.Games <= 0 {
		c.Games = 2
	}
	c.Search.StopOnSolve = true
	return c
}

// Shrink looks for a scheme of lower rank by replacing K terms of the
// verified Z2 scheme s with fewer: it draws Candidates subsets of K terms
// (greedily, each next term the one that adds the fewest new dimensions to
// the spans of the chosen factors), compresses each subset's sum R to the
// spans of its unfoldings, an a×b×c tensor whose rank is that of R, and,
// when max(a, b, c) < K (the largest unfolding rank is a lower bound of the
// rank), lets the tree search decompose it in fewer than K terms. A
// decomposition found is mapped back through the bases, substituted for
// the subset and the new scheme verified. Shrink returns the first success
// (Scheme nil if none); it ends early with ctx's error.
func Shrink(ctx context.Context, s *tensorgame.Scheme, ev StateEvaluator, cfg ShrinkConfig) (ShrinkResult, error) {
	cfg = cfg.withDefaults()
	terms, dims, err := bitTerms(s)
	if err != nil {
		return ShrinkResult{}, err
	}
	k := min(cfg.K, len(terms))
	var res ShrinkResult
	if k < 2 {
		return res, nil
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5e1f))
	seen := make(map[string]bool)
	for range cfg.Candidates {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		idx := greedySubset(rng, terms, k)
		key := fmt.Sprint(idx)
		if seen[key] {
			continue
		}
		seen[key] = true
		if err := shrinkSubset(ctx, s, terms, dims, idx, ev, cfg, rng, &res); err != nil || res.Scheme != nil {
			return res, err
		}
	}
	return res, nil
}

// ShrinkTerms is Shrink on one given subset of the terms of s: idx holds
// distinct indices into s.Terms (at least two).
func ShrinkTerms(ctx context.Context, s *tensorgame.Scheme, idx []int, ev StateEvaluator, cfg ShrinkConfig) (ShrinkResult, error) {
	cfg = cfg.withDefaults()
	terms, dims, err := bitTerms(s)
	if err != nil {
		return ShrinkResult{}, err
	}
	idx = slices.Clone(idx)
	slices.Sort(idx)
	if len(idx) < 2 {
		return ShrinkResult{}, fmt.Errorf("mcts: shrink %d terms: want at least 2", len(idx))
	}
	for i, x := range idx {
		if x < 0 || x >= len(terms) || (i > 0 && idx[i-1] == x) {
			return ShrinkResult{}, fmt.Errorf("mcts: shrink: term index %d out of range or repeated (rank %d)", x, len(terms))
		}
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5e1f))
	var res ShrinkResult
	err = shrinkSubset(ctx, s, terms, dims, idx, ev, cfg, rng, &res)
	return res, err
}

// bitTerm is a Z2 term with bit i of word m coefficient i of factor m.
type bitTerm [3]uint64

// bitTerms checks that s is a verified Z2 scheme with factors of at most 64
// coefficients and returns its terms as bit words and its axes.
func bitTerms(s *tensorgame.Scheme) ([]bitTerm, [3]int, error) {
	a, b, c := s.Format.Dims()
	dims := [3]int{a, b, c}
	if s.Field != tensorgame.Z2 {
		return nil, dims, fmt.Errorf("mcts: shrink a scheme over %v: want Z2", s.Field)
	}
	if a > 64 || b > 64 || c > 64 {
		return nil, dims, fmt.Errorf("mcts: shrink %v: factors of %d, %d, %d coefficients, at most 64 supported", s.Format, a, b, c)
	}
	if err := tensorgame.Verify(s); err != nil {
		return nil, dims, fmt.Errorf("mcts: shrink: input scheme: %w", err)
	}
	out := make([]bitTerm, len(s.Terms))
	for r, t := range s.Terms {
		out[r] = tensorgame.TermBits(t)
	}
	return out, dims, nil
}

// span is a subspace of Z2^n (n ≤ 64) held in reduced row echelon form:
// vec[i] has bit piv[i] set and every other vector has it clear, so the
// coordinates of a vector of the span are its bits at the pivots.
type span struct {
	vec []uint64
	piv []int
}

// reduce returns x minus its component in the span (0 iff x is in it).
func (sp *span) reduce(x uint64) uint64 {
	for i, b := range sp.vec {
		if x>>sp.piv[i]&1 != 0 {
			x ^= b
		}
	}
	return x
}

// add adds x to the span and reports whether it was new.
func (sp *span) add(x uint64) bool {
	x = sp.reduce(x)
	if x == 0 {
		return false
	}
	p := bits.TrailingZeros64(x)
	for i := range sp.vec {
		if sp.vec[i]>>p&1 != 0 {
			sp.vec[i] ^= x
		}
	}
	sp.vec = append(sp.vec, x)
	sp.piv = append(sp.piv, p)
	return true
}

// dim returns the dimension of the span.
func (sp *span) dim() int { return len(sp.vec) }

// expand returns Σ coef[t]·vec[t] over t < dim (coefficients beyond the
// span's dimension, from padding, are dropped: a projection).
func (sp *span) expand(coef []int8) uint64 {
	var x uint64
	for t, b := range sp.vec {
		if t < len(coef) && coef[t]&1 != 0 {
			x ^= b
		}
	}
	return x
}

// greedySubset draws k distinct term indices: a random first term, then
// each next the one adding the fewest new dimensions to the three factor
// spans (ties broken at random). The indices are returned sorted.
func greedySubset(rng *rand.Rand, terms []bitTerm, k int) []int {
	var sp [3]span
	in := make([]bool, len(terms))
	idx := make([]int, 0, k)
	take := func(i int) {
		in[i] = true
		idx = append(idx, i)
		for m := range 3 {
			sp[m].add(terms[i][m])
		}
	}
	take(rng.IntN(len(terms)))
	for len(idx) < k {
		best, bestCost, ties := -1, 4, 0
		for i, t := range terms {
			if in[i] {
				continue
			}
			cost := 0
			for m := range 3 {
				if sp[m].reduce(t[m]) != 0 {
					cost++
				}
			}
			switch {
			case cost < bestCost:
				best, bestCost, ties = i, cost, 1
			case cost == bestCost:
				ties++
				if rng.IntN(ties) == 0 {
					best = i
				}
			}
		}
		take(best)
	}
	slices.Sort(idx)
	return idx
}

// shrunk is the sum of a subset of terms in the bases of its unfoldings'
// column spaces.
type shrunk struct {
	sp     [3]span
	tensor *tensorgame.Tensor // axes sp[m].dim(), or padded
}

// compressTerms sums the terms idx into a residual R over dims and returns
// it in the bases of its three unfoldings' column spaces (see spanCoords).
// The tensor is padded with zeros to axes where those are larger.
func compressTerms(terms []bitTerm, dims [3]int, idx []int, axes [3]int) *shrunk {
	B := dims[1]
	// rows[i*B+j] holds R[i][j][·] as bits over k.
	rows := make([]uint64, dims[0]*B)
	for _, r := range idx {
		t := terms[r]
		for u := t[0]; u != 0; u &= u - 1 {
			i := bits.TrailingZeros64(u)
			for v := t[1]; v != 0; v &= v - 1 {
				rows[i*B+bits.TrailingZeros64(v)] ^= t[2]
			}
		}
	}
	cp := &shrunk{sp: unfoldingSpans(rows, dims)}
	var ax [3]int
	for m := range 3 {
		ax[m] = max(cp.sp[m].dim(), axes[m], 1)
	}
	cp.tensor = tensorgame.NewTensor(ax[0], ax[1], ax[2])
	spanCoords(cp.tensor, rows, B, cp.sp)
	return cp
}

// shrinkSubset compresses the subset idx and, if its bounds allow fewer
// terms, plays cfg.Games games on it; on success it fills res.
func shrinkSubset(ctx context.Context, s *tensorgame.Scheme, terms []bitTerm, dims [3]int, idx []int, ev StateEvaluator, cfg ShrinkConfig, rng *rand.Rand, res *ShrinkResult) error {
	res.Candidates++
	k := len(idx)
	cp := compressTerms(terms, dims, idx, cfg.Axes)
	lower := max(cp.sp[0].dim(), cp.sp[1].dim(), cp.sp[2].dim())
	if lower == 0 {
		// The terms sum to zero: drop them all.
		return res.substitute(s, idx, nil)
	}
	if lower >= k {
		return nil // the unfolding rank bound rules out fewer terms
	}
	for m := range 3 {
		if cfg.Axes[m] > 0 && cp.sp[m].dim() > cfg.Axes[m] {
			return nil // does not fit the evaluator
		}
	}
	res.Searched++
	t := cp.tensor
	for g := range cfg.Games {
		if err := ctx.Err(); err != nil {
			return err
		}
		bs := IdentityBasis(t.A, t.B, t.C, tensorgame.Z2)
		if g > 0 {
			bs = RandomBasis(rng, t.A, t.B, t.C, tensorgame.Z2, -1)
		}
		game := &tensorgame.Game{Target: bs.Tensor(t), Field: tensorgame.Z2, MaxSteps: k - 1}
		grng := rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))
		out, err := NewSearch(game, ev, cfg.Search, grng).Play(ctx)
		res.Games++
		if out != nil {
			res.Search.Add(out.Stats)
		}
		if err != nil {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			return fmt.Errorf("mcts: shrink game: %w", err)
		}
		if out.Best == nil || len(out.Best) >= k {
			continue
		}
		var added []bitTerm
		for _, act := range out.Best {
			act = bs.Unmap(act)
			x := bitTerm{cp.sp[0].expand(act.U), cp.sp[1].expand(act.V), cp.sp[2].expand(act.W)}
			if x[0] != 0 && x[1] != 0 && x[2] != 0 {
				added = append(added, x)
			}
		}
		return res.substitute(s, idx, added)
	}
	return nil
}

// substitute sets res.Scheme to s with the terms idx (sorted) replaced by
// added, and verifies it.
func (res *ShrinkResult) substitute(s *tensorgame.Scheme, idx []int, added []bitTerm) error {
	out := &tensorgame.Scheme{Format: s.Format, Field: s.Field, Comments: slices.Clone(s.Comments)}
	j := 0
	for r, t := range s.Terms {
		if j < len(idx) && idx[j] == r {
			j++
			continue
		}
		out.Terms = append(out.Terms, t.Clone())
	}
	for _, x := range added {
		out.Terms = append(out.Terms, tensorgame.BitTerm(s.Format, x))
	}
	if err := tensorgame.Verify(out); err != nil {
		return fmt.Errorf("mcts: shrunk scheme does not verify: %w", err)
	}
	res.Scheme = out
	res.Removed = slices.Clone(idx)
	res.Added = len(added)
	return nil
}
