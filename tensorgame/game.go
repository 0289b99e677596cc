package tensorgame

import (
	"fmt"
	"slices"
)

// Action is one move of TensorGame: a rank-one term u ⊗ v ⊗ w with small
// integer coefficients, laid out like a Term (u over the A axis, v over B, w
// over C).
type Action struct {
	U, V, W []int8
}

// Clone returns a deep copy of a.
func (a Action) Clone() Action {
	return Action{U: slices.Clone(a.U), V: slices.Clone(a.V), W: slices.Clone(a.W)}
}

// Equal reports whether a and b have the same coefficients.
func (a Action) Equal(b Action) bool {
	return slices.Equal(a.U, b.U) && slices.Equal(a.V, b.V) && slices.Equal(a.W, b.W)
}

// Term returns a as a scheme term.
func (a Action) Term() Term {
	conv := func(f []int8) []Rat {
		out := make([]Rat, len(f))
		for i, x := range f {
			out[i] = Int(int64(x))
		}
		return out
	}
	return Term{U: conv(a.U), V: conv(a.V), W: conv(a.W)}
}

// ActionOf returns the action with the coefficients of t. It fails when a
// coefficient is not an integer in -128..127.
func ActionOf(t Term) (Action, error) {
	var a Action
	for mode, f := range [3][]Rat{t.U, t.V, t.W} {
		out := make([]int8, len(f))
		for i, x := range f {
			if !x.IsInt() || x.Num() < -128 || x.Num() > 127 {
				return Action{}, fmt.Errorf("factor %c entry %d: coefficient %v is not a small integer", "uvw"[mode], i, x)
			}
			out[i] = int8(x.Num())
		}
		*[]*[]int8{&a.U, &a.V, &a.W}[mode] = out
	}
	return a, nil
}

// Coefficients returns the coefficient set F of TensorGame actions over
// field: {0, 1} for Z2 and {-2, -1, 0, 1, 2} for Z (and Q), as in Fawzi et
// al. The slice is new on each call.
func Coefficients(field Field) []int8 {
	if field == Z2 {
		return []int8{0, 1}
	}
	return []int8{-2, -1, 0, 1, 2}
}

// Game is TensorGame (Fawzi et al., Nature 2022) on one target tensor: a
// state is the residual tensor and the number of steps played; each action
// subtracts a rank-one term u ⊗ v ⊗ w from the residual (mod 2 over Z2) and
// earns reward -1. The episode ends when the residual is zero (the actions
// played are then a decomposition of Target with rank = steps) or after
// MaxSteps steps; in the latter case the last step earns the extra reward
// -RankBound(residual, Field), an upper bound of the rank still missing.
// A game with a zero target is over before it starts.
//
// A Game is immutable once play starts and may be shared by any number of
// states and goroutines.
type Game struct {
	// Target is the tensor to decompose; over Z2 its entries must be 0 or 1.
	Target *Tensor
	// Format is the matmul format when Target is MatMul(Format), else the
	// zero Format; Scheme needs it.
	Format Format
	// Field is Z2 or Z: the arithmetic of the residual and the coefficient
	// set of the actions (see Coefficients).
	Field Field
	// MaxSteps is the step limit, at least 1.
	MaxSteps int
}

// NewGame returns the game on the matmul tensor T(f) over field with the
// given step limit.
func NewGame(f Format, field Field, maxSteps int) *Game {
	return &Game{Target: MatMul(f), Format: f, Field: field, MaxSteps: maxSteps}
}

// State is a position of a Game: the residual still to decompose and the
// number of steps played. States are values: copy one with Clone (or
// CopyFrom to reuse memory); a plain assignment shares the residual.
type State struct {
	Game     *Game
	Residual *Tensor
	Steps    int
}

// Start returns the initial state: the residual is a copy of the target.
func (g *Game) Start() State {
	return State{Game: g, Residual: g.Target.Clone()}
}

// Clone returns a deep copy of s (the Game is shared).
func (s State) Clone() State {
	return State{Game: s.Game, Residual: s.Residual.Clone(), Steps: s.Steps}
}

// CopyFrom makes s a copy of src without allocating when s already holds a
// residual of the same shape.
func (s *State) CopyFrom(src State) {
	s.Game, s.Steps = src.Game, src.Steps
	if s.Residual == nil || s.Residual.A != src.Residual.A || s.Residual.B != src.Residual.B || s.Residual.C != src.Residual.C {
		s.Residual = src.Residual.Clone()
		return
	}
	s.Residual.CopyFrom(src.Residual)
}

// Solved reports whether the residual is zero.
func (s *State) Solved() bool { return s.Residual.IsZero() }

// Done reports whether the episode is over: the residual is zero or the
// step limit is reached.
func (s *State) Done() bool { return s.Steps >= s.Game.MaxSteps || s.Solved() }

// Apply plays a: it subtracts u ⊗ v ⊗ w from the residual (mod 2 over Z2)
// and counts a step. The reward is -1, and additionally
// -RankBound(residual) when this step reaches the step limit with a non-zero
// residual. done reports whether the episode is over. Apply allocates
// nothing except when computing that terminal penalty. It panics with
// ErrLength if a factor's length does not match the target, and with
// ErrGameOver if the episode is already over; it does not check the
// coefficient set (see LegalAction).
func (s *State) Apply(a Action) (reward float64, done bool) {
	if s.Done() {
		panic(ErrGameOver)
	}
	s.Residual.SubAction(a, s.Game.Field == Z2)
	s.Steps++
	reward = -1
	if s.Solved() {
		return reward, true
	}
	if s.Steps >= s.Game.MaxSteps {
		return reward - float64(RankBound(s.Residual, s.Game.Field)), true
	}
	return reward, false
}

// LegalAction returns nil if a is a legal move of g: its factors have the
// lengths of the target's axes, every coefficient is in
// Coefficients(g.Field), and no factor is zero (a zero term is a wasted
// step). The error names the first violation.
func (g *Game) LegalAction(a Action) error {
	t := g.Target
	want := [3]int{t.A, t.B, t.C}
	lo, hi := int8(-2), int8(2)
	if g.Field == Z2 {
		lo, hi = 0, 1
	}
	for mode, f := range [3][]int8{a.U, a.V, a.W} {
		if len(f) != want[mode] {
			return fmt.Errorf("illegal action: factor %c has %d coefficients, want %d", "uvw"[mode], len(f), want[mode])
		}
		zero := true
		for i, x := range f {
			if x < lo || x > hi {
				return fmt.Errorf("illegal action: factor %c entry %d is %d, outside %d..%d (field %v)", "uvw"[mode], i, x, lo, hi, g.Field)
			}
			zero = zero && x == 0
		}
		if zero {
			return fmt.Errorf("illegal action: factor %c is zero", "uvw"[mode])
		}
	}
	return nil
}

// Scheme returns the scheme whose terms are actions, in order, for g's
// Format and Field. It fails when g has no matmul Format or an action does
// not fit it. The scheme is not verified: it decomposes T(Format) exactly
// when playing the actions from Start solves the game.
func (g *Game) Scheme(actions []Action) (*Scheme, error) {
	if !g.Format.Valid() {
		return nil, fmt.Errorf("game has no matmul format")
	}
	a, b, c := g.Format.Dims()
	s := &Scheme{Format: g.Format, Field: g.Field, Terms: make([]Term, len(actions))}
	for r, act := range actions {
		if len(act.U) != a || len(act.V) != b || len(act.W) != c {
			return nil, fmt.Errorf("action %d: factor lengths %d, %d, %d do not fit format %v", r+1, len(act.U), len(act.V), len(act.W), g.Format)
		}
		s.Terms[r] = act.Term()
	}
	return s, nil
}

// SubAction subtracts the outer product of a's factors from t, reducing mod
// 2 when mod2 is set. It allocates nothing, and panics with ErrLength when
// a's factors do not fit t's axes.
func (t *Tensor) SubAction(a Action, mod2 bool) {
	if len(a.U) != t.A || len(a.V) != t.B || len(a.W) != t.C {
		panic(ErrLength)
	}
	for i, x := range a.U {
		if x == 0 {
			continue
		}
		for j, y := range a.V {
			if y == 0 {
				continue
			}
			xy := int32(x) * int32(y)
			row := t.Data[(i*t.B+j)*t.C : (i*t.B+j+1)*t.C]
			for k, z := range a.W {
				if z == 0 {
					continue
				}
				row[k] -= xy * int32(z)
				if mod2 {
					row[k] &= 1
				}
			}
		}
	}
}
