package agent

import "github.com/alphamat/alphamat/tensorgame"

// flatAction returns u, v and w end to end.
func flatAction(a tensorgame.Action) []int8 {
	out := make([]int8, 0, len(a.U)+len(a.V)+len(a.W))
	return append(append(append(out, a.U...), a.V...), a.W...)
}

// demoExample turns a demonstration into a training example: the target
// is any one of its terms (the order of a decomposition is arbitrary, so
// every term is a correct first move), the value its number of terms, and
// slack extra steps are left beyond that.
func demoExample(d *Demo, slack int) *example {
	e := &example{resid: d.Tensor, stepsLeft: d.Rank() + slack, value: float64(d.Rank())}
	for _, t := range d.Terms {
		e.actions = append(e.actions, flatAction(t))
		e.weights = append(e.weights, 1)
	}
	return e
}
