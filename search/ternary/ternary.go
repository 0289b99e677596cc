package ternary

import (
	"github.com/alphamat/alphamat/search/ternary/internal/wide"
	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/tensorgame"
)

// New returns a walker for format f seeded with seed, with factors of one,
// two or four 64-bit words per sign as f needs (tensorgame.Words): a
// *Walker for formats with n·m, m·p and n·p <= 64, the same walker
// generic over its width above (internal/wide). It returns the error of
// Supports for a format it does not support.
func New(f tensorgame.Format, seed uint64, opts Options) (walkkit.Walker, error) {
	return walkkit.NewWide("ternary", f, seed, opts, walkkit.Adapt(NewWalker), walkkit.Adapt(wide.NewWalker[[2]uint64]), walkkit.Adapt(wide.NewWalker[[4]uint64]))
}

// MaxFactor is the most coefficients a factor may have: four 64-bit words
// per sign, enough for every format up to 16x16x16.
const MaxFactor = tensorgame.MaxWideFactor

// Supports returns an error unless the walker supports format f: a valid
// format whose factors have at most MaxFactor coefficients.
func Supports(f tensorgame.Format) error {
	return walkkit.CheckFactors("ternary", f, MaxFactor)
}
