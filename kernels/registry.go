package kernels

import (
	"fmt"
	"strings"
)

// Plans returns the shipped plans, one per generated scheme file, in
// registry order. The plans are shared: they must not be modified.
func Plans() []*Plan { return shippedPlans() }

// LookupPlan returns the shipped plan with the given name.
func LookupPlan(name string) (*Plan, bool) {
	for _, p := range shippedPlans() {
		if p.Name == name {
			return p, true
		}
	}
	return nil, false
}

// Kernels returns one Kernel per shipped plan, with default Levels, Cutoff
// and Workers, in registry order.
func Kernels() []Kernel {
	plans := shippedPlans()
	ks := make([]Kernel, len(plans))
	for i, p := range plans {
		ks[i] = Kernel{Plans: []*Plan{p}}
	}
	return ks
}

// Lookup returns the kernel with the given name, with default settings:
// "gemm" for plain Gemm, a plan name such as "strassen", or plan names
// joined by "+", applied level by level with the last one repeating, such
// as "5x5x5-r93+winograd".
func Lookup(name string) (Kernel, error) {
	if name == "gemm" {
		return Kernel{}, nil
	}
	parts := strings.Split(name, "+")
	k := Kernel{Plans: make([]*Plan, len(parts))}
	for i, part := range parts {
		p, ok := LookupPlan(part)
		if !ok {
			return Kernel{}, fmt.Errorf("kernel %q: no plan named %q", name, part)
		}
		k.Plans[i] = p
	}
	return k, nil
}
