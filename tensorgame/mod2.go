package tensorgame

import "fmt"

// ReduceMod2 returns the scheme over Z2 that s (over Z or Q) reduces to: a
// coefficient p/q becomes p mod 2 (q must be odd). If s verifies, so does
// the result. Its Origin is Derive(MoveMod2, s); s is not modified.
func ReduceMod2(s *Scheme) (*Scheme, error) {
	out := s.Clone()
	out.Field = Z2
	for r, t := range out.Terms {
		for mode := range 3 {
			f := t.Factor(mode)
			for i, x := range f {
				if x.Den()%2 == 0 {
					return nil, fmt.Errorf("cannot reduce mod 2: term %d factor %c entry %d is %v, with an even denominator",
						r+1, "uvw"[mode], i, x)
				}
				f[i] = Int(x.Num() & 1)
			}
		}
	}
	out.Origin = Derive(MoveMod2, s)
	return out, nil
}
