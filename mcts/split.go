package mcts

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/alphamat/alphamat/tensorgame"
)

// maxBlocks bounds the components a split enumerates the groupings of
// (2^(c-1) - 1 bipartitions for c components); a tensor with more
// components along an axis pair is not split along it.
const maxBlocks = 8

// maxTargets bounds the sub-targets of one split Play.
const maxTargets = 4096

// Blocks returns the components of the support of t along the axis pair
// (x, y), 0 ≤ x < y ≤ 2: the finest partition of t's non-zero entries into
// parts no two of which share a coordinate of axis x or of axis y. Each
// part is the list of its entries' indices into t.Data, in increasing
// order; the parts are in the order of their first entry. The parts sum
// to t, and since they lie on disjoint coordinates of x and of
// y, any decompositions of the parts together decompose t: the rank of t
// is at most the sum of theirs. A zero t has no parts.
func Blocks(t *tensorgame.Tensor, x, y int) [][]int {
	dims := [3]int{t.A, t.B, t.C}
	// Union-find over the coordinates of axis x (0..dims[x]-1) and of
	// axis y (dims[x]..): each entry joins its two coordinates.
	parent := make([]int, dims[x]+dims[y])
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	coord := func(e int) [3]int {
		return [3]int{e / (t.B * t.C), e / t.C % t.B, e % t.C}
	}
	for e, v := range t.Data {
		if v == 0 {
			continue
		}
		c := coord(e)
		a, b := find(c[x]), find(dims[x]+c[y])
		if a != b {
			parent[a] = b
		}
	}
	var parts [][]int
	index := map[int]int{}
	for e, v := range t.Data {
		if v == 0 {
			continue
		}
		r := find(coord(e)[x])
		p, ok := index[r]
		if !ok {
			p = len(parts)
			index[r] = p
			parts = append(parts, nil)
		}
		parts[p] = append(parts[p], e)
	}
	return parts
}

// target is a tensor a split Play decomposes: the matmul tensor itself or
// a sum of blocks of it, in the root's coordinates.
type target struct {
	t     *tensorgame.Tensor
	nnz   int
	idx   [3][]int // the coordinates of its support on each axis
	class int      // its cropped tensor's class
	// splits are pairs of targets (by index) that sum to t on disjoint
	// coordinates of two axes.
	splits [][2]int
}

// class is the cropped tensor (a target on its support) that one or more
// targets share: the game a split Play plays for all of them.
type class struct {
	crop *tensorgame.Tensor
	// lower is the largest rank of its unfoldings, a lower bound of its
	// rank; upper is tensorgame.RankBound, an upper one.
	lower, upper int
	playable     bool
	limit        int                 // step limit of its next games
	games        int                 // games handed out
	done         int                 // games finished
	spent        time.Duration       // wall time of the finished games
	best         []tensorgame.Action // in the crop's axes
	root         bool                // the class of target 0
}

// splitter holds the targets of a split Play and the best decomposition
// of each that their games and splits give.
type splitter struct {
	field   tensorgame.Field
	targets []*target
	classes []*class
	byHash  map[uint64][]int // targets by their tensor's hash
	byCrop  map[uint64][]int // classes by their crop's hash
	order   []int            // targets by non-zero entries, fewest first
	comb    []int            // best rank of each target, from its class or splits (0: none)
	how     []int            // -1: its class's best; else the index of its split
}

// newSplitter returns the splitter of root: root is target 0, followed by
// every sum of blocks reachable by splitting (Blocks) along any axis pair.
// playable reports which targets games may be played on (nil: all).
func newSplitter(root *tensorgame.Tensor, field tensorgame.Field, split bool, playable func(*tensorgame.Tensor) bool) (*splitter, error) {
	s := &splitter{field: field, byHash: map[uint64][]int{}, byCrop: map[uint64][]int{}}
	if _, err := s.add(root, split, playable); err != nil {
		return nil, err
	}
	s.order = make([]int, len(s.targets))
	for i := range s.order {
		s.order[i] = i
	}
	slices.SortStableFunc(s.order, func(a, b int) int { return s.targets[a].nnz - s.targets[b].nnz })
	s.comb = make([]int, len(s.targets))
	s.how = make([]int, len(s.targets))
	s.recombine()
	return s, nil
}

// add registers t (and, with split, the sums of its blocks) and returns
// its index.
func (s *splitter) add(t *tensorgame.Tensor, split bool, playable func(*tensorgame.Tensor) bool) (int, error) {
	h := residualHash(t)
	for _, i := range s.byHash[h] {
		if s.targets[i].t.Equal(t) {
			return i, nil
		}
	}
	if len(s.targets) >= maxTargets {
		return 0, fmt.Errorf("mcts: split: more than %d sub-targets", maxTargets)
	}
	tg := &target{t: t, nnz: t.NonZeros()}
	var c *tensorgame.Tensor
	tg.idx, c = crop(t)
	tg.class = s.classOf(c, playable)
	id := len(s.targets)
	s.targets = append(s.targets, tg)
	s.byHash[h] = append(s.byHash[h], id)
	if !split {
		return id, nil
	}
	for _, p := range [3][2]int{{0, 1}, {0, 2}, {1, 2}} {
		parts := Blocks(t, p[0], p[1])
		if len(parts) < 2 || len(parts) > maxBlocks {
			continue
		}
		// Every bipartition: the parts in mask (which holds part 0) and
		// the rest.
		full := 1<<len(parts) - 1
		for mask := 1; mask < full; mask += 2 {
			a, err := s.add(sumParts(t, parts, mask), true, playable)
			if err != nil {
				return 0, err
			}
			b, err := s.add(sumParts(t, parts, full^mask), true, playable)
			if err != nil {
				return 0, err
			}
			s.targets[id].splits = append(s.targets[id].splits, [2]int{a, b})
		}
	}
	return id, nil
}

// classOf returns the index of the class of crop c, made if new.
func (s *splitter) classOf(c *tensorgame.Tensor, playable func(*tensorgame.Tensor) bool) int {
	h := residualHash(c) ^ uint64(c.A)<<48 ^ uint64(c.B)<<40 ^ uint64(c.C)<<32
	for _, i := range s.byCrop[h] {
		if x := s.classes[i].crop; x.A == c.A && x.B == c.B && x.C == c.C && x.Equal(c) {
			return i
		}
	}
	cl := &class{crop: c, root: len(s.classes) == 0}
	cl.lower = unfoldingLower(c, s.field)
	cl.upper = tensorgame.RankBound(c, s.field)
	cl.limit = cl.upper
	cl.playable = playable == nil || playable(c)
	s.classes = append(s.classes, cl)
	s.byCrop[h] = append(s.byCrop[h], len(s.classes)-1)
	return len(s.classes) - 1
}

// sumParts returns the tensor of t's shape with t's entries in the parts
// selected by mask.
func sumParts(t *tensorgame.Tensor, parts [][]int, mask int) *tensorgame.Tensor {
	u := tensorgame.NewTensor(t.A, t.B, t.C)
	for i, p := range parts {
		if mask>>i&1 == 0 {
			continue
		}
		for _, e := range p {
			u.Data[e] = t.Data[e]
		}
	}
	return u
}

// crop returns the coordinates of t's support on each axis and t
// restricted to them.
func crop(t *tensorgame.Tensor) ([3][]int, *tensorgame.Tensor) {
	var used [3][]bool
	dims := [3]int{t.A, t.B, t.C}
	for m := range 3 {
		used[m] = make([]bool, dims[m])
	}
	for e, v := range t.Data {
		if v != 0 {
			used[0][e/(t.B*t.C)] = true
			used[1][e/t.C%t.B] = true
			used[2][e%t.C] = true
		}
	}
	var idx [3][]int
	for m := range 3 {
		for i, u := range used[m] {
			if u {
				idx[m] = append(idx[m], i)
			}
		}
	}
	c := tensorgame.NewTensor(max(len(idx[0]), 1), max(len(idx[1]), 1), max(len(idx[2]), 1))
	for i, a := range idx[0] {
		for j, b := range idx[1] {
			for k, cc := range idx[2] {
				c.Set(i, j, k, t.At(a, b, cc))
			}
		}
	}
	return idx, c
}

// unfoldingLower returns the largest rank of t's three unfoldings, a
// lower bound of its tensor rank.
func unfoldingLower(t *tensorgame.Tensor, field tensorgame.Field) int {
	lo := 0
	dims := [3]int{t.A, t.B, t.C}
	for m := range 3 {
		rows, cols := dims[m], t.A*t.B*t.C/dims[m]
		data := make([]int32, rows*cols)
		col := make([]int, rows)
		for e, v := range t.Data {
			c := [3]int{e / (t.B * t.C), e / t.C % t.B, e % t.C}
			r := c[m]
			if field == tensorgame.Z2 {
				v &= 1
			}
			data[r*cols+col[r]] = v
			col[r]++
		}
		lo = max(lo, tensorgame.MatrixRank(rows, cols, data, field))
	}
	return lo
}

// uncrop maps an action of target tg's cropped game to the root's axes.
func (tg *target) uncrop(a tensorgame.Action) tensorgame.Action {
	out := tensorgame.Action{U: make([]int8, tg.t.A), V: make([]int8, tg.t.B), W: make([]int8, tg.t.C)}
	for m, f := range [3][]int8{a.U, a.V, a.W} {
		dst := [3][]int8{out.U, out.V, out.W}[m]
		for i, x := range f {
			dst[tg.idx[m][i]] = x
		}
	}
	return out
}

// pick returns the open class that has had the least time: games handed
// out times its mean game time (the mean over all classes for a class
// with no game finished yet), the smallest class first among equals; -1
// if none is open.
func (s *splitter) pick() int {
	var all time.Duration
	n := 0
	for _, cl := range s.classes {
		all += cl.spent
		n += cl.done
	}
	mean := func(cl *class) float64 {
		switch {
		case cl.done > 0:
			return float64(cl.spent) / float64(cl.done)
		case n > 0:
			return float64(all) / float64(n)
		}
		return 1
	}
	id, score := -1, 0.0
	for _, i := range s.order {
		c := s.targets[i].class
		cl := s.classes[c]
		if !s.open(c) {
			continue
		}
		if sc := float64(cl.games) * mean(cl); id < 0 || sc < score {
			id, score = c, sc
		}
	}
	return id
}

// open reports whether class i is still worth games: it is playable and
// its step limit is not below its lower bound.
func (s *splitter) open(i int) bool {
	cl := s.classes[i]
	return cl.playable && cl.limit >= max(cl.lower, 1)
}

// solved records actions (in its crop's axes) that decompose class i and
// reports whether they improve its best; the caller recombines.
func (s *splitter) solved(i int, acts []tensorgame.Action) (bool, error) {
	cl := s.classes[i]
	if cl.best != nil && len(acts) >= len(cl.best) {
		return false, nil
	}
	r := cl.crop.Clone()
	for _, a := range acts {
		r.SubAction(a, s.field == tensorgame.Z2)
	}
	if !r.IsZero() {
		return false, fmt.Errorf("mcts: split: a game's %d actions do not decompose its sub-target", len(acts))
	}
	cl.best = acts
	return true, nil
}

// recombine recomputes every target's best rank from its class's best and
// its splits (children first: they have fewer entries), and sets the step
// limit of every class but the root's to one below the largest best rank
// of its targets.
func (s *splitter) recombine() {
	want := make([]int, len(s.classes))
	for _, i := range s.order {
		tg := s.targets[i]
		cl := s.classes[tg.class]
		s.comb[i], s.how[i] = 0, -1
		if cl.best != nil {
			s.comb[i] = len(cl.best)
		}
		for k, sp := range tg.splits {
			a, b := s.comb[sp[0]], s.comb[sp[1]]
			if a == 0 || b == 0 {
				continue
			}
			if s.comb[i] == 0 || a+b < s.comb[i] {
				s.comb[i], s.how[i] = a+b, k
			}
		}
		if s.comb[i] == 0 {
			want[tg.class] = math.MaxInt
		} else {
			want[tg.class] = max(want[tg.class], s.comb[i]-1)
		}
	}
	for c, cl := range s.classes {
		if !cl.root {
			cl.limit = min(cl.upper, want[c])
		}
	}
}

// actions returns the best decomposition of target i, in the root's axes.
func (s *splitter) actions(i int) []tensorgame.Action {
	if s.comb[i] == 0 {
		return nil
	}
	tg := s.targets[i]
	if s.how[i] < 0 {
		out := make([]tensorgame.Action, len(s.classes[tg.class].best))
		for k, a := range s.classes[tg.class].best {
			out[k] = tg.uncrop(a)
		}
		return out
	}
	sp := tg.splits[s.how[i]]
	return append(s.actions(sp[0]), s.actions(sp[1])...)
}
