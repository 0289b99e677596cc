package ternary_test

import (
	"github.com/alphamat/alphamat/search"
	"github.com/alphamat/alphamat/search/ternary"
)

// The search driver runs ternary walkers through its Walker interface.
var _ search.Walker = (*ternary.Walker)(nil)
