package mcts

import (
	"context"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"unsafe"

	"github.com/alphamat/alphamat/tensorgame"
)

// Policy is a distribution over the legal actions of one state.
type Policy interface {
	// Sample draws k actions independently from the distribution and adds
	// them to s (which it does not reset), merging equal actions into one
	// entry with the number of draws. Every action is legal for the state
	// the policy was computed for (tensorgame.Game.LegalAction). Sample is
	// called from one goroutine at a time.
	Sample(rng *rand.Rand, k int, s *Samples)
}

// Evaluator evaluates a batch of states. For each state it returns a
// policy and a value: the predicted remaining rank, the number of further
// steps (plus the terminal penalty) the state will cost, at least 0.
// Evaluate must not keep the states after it returns; the policies it
// returns must not refer to them. It is safe for concurrent use.
type Evaluator interface {
	Evaluate(ctx context.Context, states []tensorgame.State) (policies []Policy, values []float64, err error)
}

// StateEvaluator evaluates one state, blocking until the result is ready.
// It is what a search goroutine calls; it is safe for concurrent use.
type StateEvaluator interface {
	EvaluateState(ctx context.Context, state tensorgame.State) (Policy, float64, error)
}

// Direct adapts an Evaluator to a StateEvaluator without batching: each
// call evaluates a batch of one.
type Direct struct{ Evaluator Evaluator }

// EvaluateState evaluates state alone.
func (d Direct) EvaluateState(ctx context.Context, state tensorgame.State) (Policy, float64, error) {
	ps, vs, err := d.Evaluator.Evaluate(ctx, []tensorgame.State{state})
	if err != nil {
		return nil, 0, err
	}
	return ps[0], vs[0], nil
}

// Samples is a list of distinct actions, each with a count, stored flat:
// action i is Coef[i*Len:(i+1)*Len], its u, v and w laid end to end.
type Samples struct {
	// A, B and C are the factor lengths; Len = A+B+C.
	A, B, C, Len int
	Coef         []int8
	Count        []int
	hash         []uint64
}

// Reset empties s and sets the factor lengths; it keeps the memory.
func (s *Samples) Reset(a, b, c int) {
	s.A, s.B, s.C, s.Len = a, b, c, a+b+c
	s.Coef = s.Coef[:0]
	s.Count = s.Count[:0]
	s.hash = s.hash[:0]
}

// N returns the number of distinct actions.
func (s *Samples) N() int { return len(s.Count) }

// Total returns the sum of the counts.
func (s *Samples) Total() int {
	t := 0
	for _, c := range s.Count {
		t += c
	}
	return t
}

// Coefs returns the coefficients of action i (u, v, w end to end). The
// slice aliases s.
func (s *Samples) Coefs(i int) []int8 { return s.Coef[i*s.Len : (i+1)*s.Len] }

// Action returns action i as a tensorgame.Action whose factors alias s.
func (s *Samples) Action(i int) tensorgame.Action {
	c := s.Coefs(i)
	return tensorgame.Action{U: c[:s.A:s.A], V: c[s.A : s.A+s.B : s.A+s.B], W: c[s.A+s.B:]}
}

// Add adds count draws of the action coef (u, v, w end to end), merging it
// with an equal action already in s.
func (s *Samples) Add(coef []int8, count int) {
	h := hashCoefs(coef)
	for i, x := range s.hash {
		if x == h && slices.Equal(s.Coefs(i), coef) {
			s.Count[i] += count
			return
		}
	}
	s.hash = append(s.hash, h)
	s.Coef = append(s.Coef, coef...)
	s.Count = append(s.Count, count)
}

// hashCoefs returns the 64-bit FNV-1a hash of c's bytes.
func hashCoefs(c []int8) uint64 {
	h := fnv.New64a() // inlined and devirtualized: no allocation
	// An int8 and a byte have the same size; reading c as bytes copies nothing.
	h.Write(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(c))), len(c)))
	return h.Sum64()
}

// Uniform is the evaluator without a network: the uniform distribution
// over the legal actions (each factor uniform over the non-zero vectors with
// coefficients in tensorgame.Coefficients) and value 0.
type Uniform struct{}

// Evaluate returns uniform policies and zero values.
func (Uniform) Evaluate(ctx context.Context, states []tensorgame.State) ([]Policy, []float64, error) {
	ps := make([]Policy, len(states))
	for i, st := range states {
		ps[i] = UniformPolicy{A: st.Residual.A, B: st.Residual.B, C: st.Residual.C, Field: st.Game.Field}
	}
	return ps, make([]float64, len(states)), ctx.Err()
}

// EvaluateState is Evaluate for one state.
func (u Uniform) EvaluateState(ctx context.Context, state tensorgame.State) (Policy, float64, error) {
	return UniformPolicy{A: state.Residual.A, B: state.Residual.B, C: state.Residual.C, Field: state.Game.Field}, 0, ctx.Err()
}

// UniformPolicy is the uniform distribution over the legal actions of a
// tensor with axes A, B, C over Field.
type UniformPolicy struct {
	A, B, C int
	Field   tensorgame.Field
}

// maxUniformLen bounds the factor buffer of UniformPolicy.Sample.
const maxUniformLen = 3 * 64

// Sample draws k uniform legal actions into s.
func (p UniformPolicy) Sample(rng *rand.Rand, k int, s *Samples) {
	n := p.A + p.B + p.C
	var buf [maxUniformLen]int8
	var coef []int8
	if n <= maxUniformLen {
		coef = buf[:n]
	} else {
		coef = make([]int8, n)
	}
	lo, span := int8(0), 2
	if p.Field != tensorgame.Z2 {
		lo, span = -2, 5
	}
	for range k {
		off := 0
		for _, l := range [3]int{p.A, p.B, p.C} {
			f := coef[off : off+l]
			for {
				zero := true
				for i := range f {
					f[i] = lo + int8(rng.IntN(span))
					zero = zero && f[i] == 0
				}
				if !zero {
					break
				}
			}
			off += l
		}
		s.Add(coef, 1)
	}
}

var (
	_ Evaluator      = Uniform{}
	_ StateEvaluator = Uniform{}
	_ StateEvaluator = Direct{}
	_ Policy         = UniformPolicy{}
)
