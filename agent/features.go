package agent

import "github.com/alphamat/alphamat/tensorgame"

// The token heads see features of the anchor (a non-zero entry (a, b, c)
// of the residual every drawn factor must be non-zero at) and of the
// factors already drawn. Vectors and grids use the network's padded axes.
//
// The contractions with the drawn factors are taken over the integers and
// normalised, Σ_a u[a]·R[a][b][c] / (u·u) and so on, so that for a single
// term they return the next factor exactly. (Reduced mod 2 they would
// vanish whenever u has an even number of ones.)

// featUSize is the length of u's features: the fibre R[·][b][c] and the
// one-hot of a.
func featUSize(c Config) int { return 2 * c.A }

// featVSize is the length of v's features: the contraction Σ_a u[a]·R[a]
// (a B×C grid) and the one-hot of b.
func featVSize(c Config) int { return c.B*c.C + c.B }

// featWSize is the length of w's features: the contraction
// Σ_a Σ_b u[a]·v[b]·R[a][b] and the one-hot of c.
func featWSize(c Config) int { return 2 * c.C }

func (n *Net) featValue(s int32) float32 {
	if n.cfg.Field == tensorgame.Z2 {
		return float32(s & 1)
	}
	return float32(min(max(s, -2), 2)) / 2
}

// featU writes u's features for the anchor into dst (featUSize).
func (n *Net) featU(dst []float32, r *tensorgame.Tensor, anchor [3]int) {
	clear(dst)
	b, c := anchor[1], anchor[2]
	for a := range r.A {
		dst[a] = n.featValue(r.Data[(a*r.B+b)*r.C+c])
	}
	dst[n.cfg.A+anchor[0]] = 1
}

// contraction returns s/norm clipped to ±2: a normalised contraction.
func contraction(s, norm int32) float32 {
	if norm == 0 {
		return 0
	}
	return min(max(float32(s)/float32(norm), -2), 2)
}

func sqNorm(f []int8) int32 {
	var s int32
	for _, x := range f {
		s += int32(x) * int32(x)
	}
	return s
}

// featV writes v's features for u and the anchor into dst (featVSize).
func (n *Net) featV(dst []float32, r *tensorgame.Tensor, u []int8, anchor [3]int) {
	clear(dst)
	C := n.cfg.C
	norm := sqNorm(u)
	for b := range r.B {
		for c := range r.C {
			var s int32
			for a, x := range u {
				if x != 0 {
					s += int32(x) * r.Data[(a*r.B+b)*r.C+c]
				}
			}
			dst[b*C+c] = contraction(s, norm)
		}
	}
	dst[n.cfg.B*C+anchor[1]] = 1
}

// featW writes w's features for u, v and the anchor into dst (featWSize).
func (n *Net) featW(dst []float32, r *tensorgame.Tensor, u, v []int8, anchor [3]int) {
	clear(dst)
	norm := sqNorm(u) * sqNorm(v)
	for c := range r.C {
		var s int32
		for a, x := range u {
			if x == 0 {
				continue
			}
			for b, y := range v {
				if y != 0 {
					s += int32(x) * int32(y) * r.Data[(a*r.B+b)*r.C+c]
				}
			}
		}
		dst[c] = contraction(s, norm)
	}
	dst[n.cfg.C+anchor[2]] = 1
}

// anchorFor returns a non-zero entry of r covered by the term act (u, v, w
// end to end), drawn uniformly, and false if the term covers none (the
// anchored policy cannot propose it).
func anchorFor(rng interface{ IntN(int) int }, r *tensorgame.Tensor, act []int8) ([3]int, bool) {
	u, v, w := act[:r.A], act[r.A:r.A+r.B], act[r.A+r.B:]
	var cand [3]int
	seen := 0
	for a, x := range u {
		if x == 0 {
			continue
		}
		for b, y := range v {
			if y == 0 {
				continue
			}
			for c, z := range w {
				if z == 0 || r.Data[(a*r.B+b)*r.C+c] == 0 {
					continue
				}
				// Reservoir sampling over the covered non-zero entries.
				seen++
				if rng.IntN(seen) == 0 {
					cand = [3]int{a, b, c}
				}
			}
		}
	}
	return cand, seen > 0
}
