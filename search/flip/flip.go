package flip

import (
	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/tensorgame"
)

// MaxFactor is the most coefficients a factor may have: four 64-bit words,
// enough for every format up to 16x16x16.
const MaxFactor = tensorgame.MaxWideFactor

// Supports returns an error unless the walker supports format f: a valid
// format whose factors have at most MaxFactor coefficients.
func Supports(f tensorgame.Format) error {
	return walkkit.CheckFactors("flip", f, MaxFactor)
}

// New returns a walker for format f seeded with seed, with factors of one,
// two or four 64-bit words as f needs (tensorgame.Words): a
// *Walker[[1]uint64] for formats with n·m, m·p and n·p <= 64, a
// *Walker[[2]uint64] or *Walker[[4]uint64] above. It returns the error of
// Supports for a format it does not support.
func New(f tensorgame.Format, seed uint64, opts Options) (walkkit.Walker, error) {
	return walkkit.NewWide("flip", f, seed, opts, walkkit.Adapt(NewWalker[[1]uint64]), walkkit.Adapt(NewWalker[[2]uint64]), walkkit.Adapt(NewWalker[[4]uint64]))
}
