package ternary

//go:generate go run ../walkkit/widen -widths 2,4 -tmpl tern.go.tmpl walker.go moves.go index.go

import (
	"github.com/alphamat/alphamat/search/ternary/internal/wide2"
	"github.com/alphamat/alphamat/search/ternary/internal/wide4"
	"github.com/alphamat/alphamat/search/walkkit"
	"github.com/alphamat/alphamat/tensorgame"
)

// New returns a walker for format f seeded with seed, with factors of one,
// two or four 64-bit words per sign as f needs (tensorgame.Words): a
// *Walker for formats with n·m, m·p and n·p <= 64, the same walker
// generated for wider factors above. It returns the error of Supports for
// a format it does not support.
func New(f tensorgame.Format, seed uint64, opts Options) (walkkit.Walker, error) {
	return walkkit.NewWide("ternary", f, seed, opts, walkkit.Adapt(NewWalker), walkkit.Adapt(wide2.NewWalker), walkkit.Adapt(wide4.NewWalker))
}

// MaxFactor is the most coefficients a factor may have: four 64-bit words
// per sign, enough for every format up to 16x16x16.
const MaxFactor = tensorgame.MaxWideFactor

// Supports returns an error unless the walker supports format f: a valid
// format whose factors have at most MaxFactor coefficients.
func Supports(f tensorgame.Format) error {
	return walkkit.CheckFactors("ternary", f, MaxFactor)
}
