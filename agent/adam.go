package agent

import "math"

// adam is the Adam optimizer with decoupled weight decay (AdamW) and
// gradient clipping by global norm, applied in place to the weights. Its
// moments are part of a checkpoint, so training resumes exactly.
type adam struct {
	LR, Beta1, Beta2, Eps, Decay, Clip float64
	T                                  int64
	M, V                               [][]float32
}

func newAdam(w *weights, lr float64) *adam {
	a := &adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Decay: 1e-4, Clip: 1e4}
	for _, p := range w.list {
		a.M = append(a.M, make([]float32, len(p.data)))
		a.V = append(a.V, make([]float32, len(p.data)))
	}
	return a
}

// step applies one update with learning rate lr·scale. It returns the
// gradient norm before clipping.
func (a *adam) step(w *weights, grads [][]float32, scale float64) float64 {
	norm := 0.0
	for _, g := range grads {
		for _, x := range g {
			norm += float64(x) * float64(x)
		}
	}
	norm = math.Sqrt(norm)
	clip := 1.0
	if a.Clip > 0 && norm > a.Clip {
		clip = a.Clip / norm
	}
	a.T++
	b1, b2 := a.Beta1, a.Beta2
	c1 := 1 - math.Pow(b1, float64(a.T))
	c2 := 1 - math.Pow(b2, float64(a.T))
	for i, p := range w.list {
		lr := a.LR * scale
		m, v, g := a.M[i], a.V[i], grads[i]
		decay := float32(1 - lr*a.Decay)
		for j := range p.data {
			gj := float64(g[j]) * clip
			mj := b1*float64(m[j]) + (1-b1)*gj
			vj := b2*float64(v[j]) + (1-b2)*gj*gj
			m[j], v[j] = float32(mj), float32(vj)
			p.data[j] = p.data[j]*decay - float32(lr*(mj/c1)/(math.Sqrt(vj/c2)+a.Eps))
		}
	}
	return norm
}
