package agent

import (
	"fmt"

	"github.com/alphamat/alphamat/tensorgame"
)

// Config fixes the shape of a network. A network reads residuals of axes up
// to A×B×C (smaller ones are padded with zeros at the end of each axis), so
// one network serves every format whose axes fit (the 9×9×9 network plays
// 2×2×2 to 3×3×3).
type Config struct {
	// Field is Z2 or Z: the coefficient set of the actions.
	Field tensorgame.Field
	// A, B, C are the padded axis lengths.
	A, B, C int
	// Hidden is the width of the torso and Layers its number of layers
	// (the first maps the input, the others are residual blocks).
	Hidden, Layers int
	// Head is the width of the value head and of each token head.
	Head int
}

// Validate returns an error if c cannot describe a network: a field other
// than Z2 or Z, axes outside 1..64, or sizes outside 1..maxHidden (hidden),
// 1..maxLayers (layers) and 1..maxHead (head).
func (c Config) Validate() error {
	if c.Field != tensorgame.Z2 && c.Field != tensorgame.Z {
		return fmt.Errorf("agent: field %v: want Z2 or Z", c.Field)
	}
	if c.A < 1 || c.B < 1 || c.C < 1 || c.A > 64 || c.B > 64 || c.C > 64 {
		return fmt.Errorf("agent: axes %d×%d×%d: want 1..64 each", c.A, c.B, c.C)
	}
	if c.Hidden < 1 || c.Layers < 1 || c.Head < 1 || c.Hidden > maxHidden || c.Layers > maxLayers || c.Head > maxHead {
		return fmt.Errorf("agent: hidden %d, layers %d, head %d: want 1..%d, 1..%d and 1..%d", c.Hidden, c.Layers, c.Head, maxHidden, maxLayers, maxHead)
	}
	return nil
}

// Fits reports whether residuals of axes a, b, c fit the network.
func (c Config) Fits(a, b, cc int) bool { return a <= c.A && b <= c.B && cc <= c.C }

// ConfigFor returns the default network for the formats with axes up to
// those of f over field: the size used for the shipped models.
func ConfigFor(f tensorgame.Format, field tensorgame.Field) Config {
	a, b, c := f.Dims()
	return DefaultConfig(a, b, c, field)
}

// DefaultConfig returns the default network for residuals with axes up to
// a, b, c over field.
func DefaultConfig(a, b, c int, field tensorgame.Field) Config {
	hidden := 256
	if a*b*c > 200 {
		hidden = 384
	}
	return Config{Field: field, A: a, B: b, C: c, Hidden: hidden, Layers: 3, Head: 128}
}

// maxStepsLeft caps the steps-left one-hot of the input.
const maxStepsLeft = 32

// valueWeight weighs the value loss, a squared error in ranks, against
// the policy loss, a sum of cross-entropies over the tokens.
// It is small: the value's gradients are noisy (a demonstration's term
// count is only an upper bound of its rank) and a larger weight swamps the
// policy's learning in the shared torso (measured: action accuracy 0.2%
// instead of 10% after 1000 steps at weight 0.25).
const valueWeight = 0.02

// valueScale bounds the value head: it predicts the remaining rank as
// valueScale·sigmoid(z), so its output and its gradients stay bounded (an
// unbounded linear output diverged in training).
const valueScale = 48

// featScale is the unit of the rank features of the input.
const featScale = 8

// inputSize is the length of the input vector: the residual, the one-hot
// of the steps left (capped), the axis lengths of the actual format, and
// six invariants of the residual that bound its rank: the ranks of its
// three flattenings (lower bounds) and the sums of its slice ranks along
// each axis (upper bounds).
func (c Config) inputSize() int { return c.A*c.B*c.C + maxStepsLeft + 1 + 3 + 6 }

// token is one step of the autoregressive policy: a run of coefficients of
// one factor, whose values are the digits of the token in base q (the
// first coefficient the least significant digit).
type token struct {
	mode  int // 0 u, 1 v, 2 w
	start int // first coefficient of the factor covered
	n     int // coefficients covered
	vocab int // q^n
	last  bool
	off   int // offset of this token's one-hot in the concatenated prefix
}

// layout is the token sequence of a network: u's tokens, then v's, then w's.
type layout struct {
	q      int    // coefficient count |F|
	coefs  []int8 // value of each digit
	zero   int    // digit of coefficient 0
	tokens []token
	prefix int // total one-hot length of all tokens
	// nonzero[i][k][v] reports whether digit k of value v of token i is a
	// non-zero coefficient.
	nonzero [][][]bool
	// digits[i][v·n : (v+1)·n] are the n coefficients of value v of token
	// i, as decode writes them.
	digits [][]int8
}

// newLayout splits each factor into tokens of at most 4 coefficients over
// Z2 (vocabulary ≤ 16) and 2 over Z (≤ 25), as even as possible.
func newLayout(c Config) layout {
	l := layout{coefs: tensorgame.Coefficients(c.Field)}
	l.q = len(l.coefs)
	for i, x := range l.coefs {
		if x == 0 {
			l.zero = i
		}
	}
	per := 4
	if c.Field != tensorgame.Z2 {
		per = 2
	}
	for mode, n := range [3]int{c.A, c.B, c.C} {
		k := (n + per - 1) / per
		start := 0
		for t := range k {
			size := n / k
			if t < n%k {
				size++
			}
			v := 1
			for range size {
				v *= l.q
			}
			l.tokens = append(l.tokens, token{mode: mode, start: start, n: size, vocab: v, last: t == k-1, off: l.prefix})
			l.prefix += v
			start += size
		}
	}
	for _, t := range l.tokens {
		nz := make([][]bool, t.n)
		for k := range t.n {
			nz[k] = make([]bool, t.vocab)
			for v := range t.vocab {
				d := v
				for range k {
					d /= l.q
				}
				nz[k][v] = d%l.q != l.zero
			}
		}
		l.nonzero = append(l.nonzero, nz)
		ds := make([]int8, t.vocab*t.n)
		for v := range t.vocab {
			x := v
			for k := range t.n {
				ds[v*t.n+k] = l.coefs[x%l.q]
				x /= l.q
			}
		}
		l.digits = append(l.digits, ds)
	}
	return l
}

// encode returns the value of token t for a factor f (padded with zeros
// beyond its length).
func (l *layout) encode(t token, f []int8) int {
	v, p := 0, 1
	for i := range t.n {
		d := l.zero
		if j := t.start + i; j < len(f) {
			d = l.digit(f[j])
		}
		v += d * p
		p *= l.q
	}
	return v
}

func (l *layout) digit(x int8) int {
	for i, y := range l.coefs {
		if x == y {
			return i
		}
	}
	panic(fmt.Sprintf("agent: coefficient %d outside the field's set", x))
}

// decode writes the coefficients of value v of token t into f (those
// beyond len(f) must be zero and are skipped).
func (l *layout) decode(t token, v int, f []int8) {
	for i := range t.n {
		if j := t.start + i; j < len(f) {
			f[j] = l.coefs[v%l.q]
		}
		v /= l.q
	}
}

// masks holds, for the actual axes of a state, which values each token
// may take: coefficients beyond the actual axis (padding) must be 0.
// Factors are never zero: the policy is anchored at a non-zero entry of
// the residual and each factor's coefficient at the anchor must be
// non-zero (see nonzeroDigit).
type masks struct {
	allowed [][]bool // [token][value]
	// legal[i][ad+1] lists the values of token i that layout.legal allows
	// when the anchor falls on digit ad (-1: not in the token), in
	// increasing order: the values whose logits the policy computes.
	legal [][][]int
}

func (l *layout) masks(a, b, c int) *masks {
	dims := [3]int{a, b, c}
	m := &masks{allowed: make([][]bool, len(l.tokens))}
	for i, t := range l.tokens {
		real := dims[t.mode] - t.start // real coefficients in this token
		m.allowed[i] = make([]bool, t.vocab)
		for v := range t.vocab {
			ok, x := true, v
			for k := range t.n {
				if k >= real && x%l.q != l.zero {
					ok = false
				}
				x /= l.q
			}
			m.allowed[i][v] = ok
		}
	}
	m.legal = make([][][]int, len(l.tokens))
	for i, t := range l.tokens {
		m.legal[i] = make([][]int, t.n+1)
		for ad := -1; ad < t.n; ad++ {
			for v := range t.vocab {
				if l.legal(m, i, v, ad) {
					m.legal[i][ad+1] = append(m.legal[i][ad+1], v)
				}
			}
		}
	}
	return m
}

// anchorDigit returns the digit of token i that holds coefficient pos of
// its factor, or -1 when the token does not cover it.
func (l *layout) anchorDigit(i, pos int) int {
	t := l.tokens[i]
	if pos < t.start || pos >= t.start+t.n {
		return -1
	}
	return pos - t.start
}

// legal reports whether value v of token i is allowed for a state with
// masks m when the anchor falls on digit ad of the token (-1: not in it).
func (l *layout) legal(m *masks, i, v, ad int) bool {
	return m.allowed[i][v] && (ad < 0 || l.nonzero[i][ad][v])
}

// Upper bounds of Config (see Validate): far above the shipped models
// (hidden 256 or 384, head 128, 3 layers), low enough that a hostile
// model file cannot claim an absurd network.
const (
	maxHidden = 4096
	maxHead   = 4096
	maxLayers = 64
)
