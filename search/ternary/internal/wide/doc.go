// Package wide is the walker of search/ternary for factors of more than 64
// coefficients: the same walk, index and moves, generic over the width of
// its sign masks (two or four 64-bit words; one word too, which the tests
// use to check that it walks exactly as search/ternary's one-word walker).
// search/ternary's New returns it for the formats that need it.
//
// The one-word walker stays separate because this code is slower on one
// word: Go's inliner prices every branch of a test of the width, so the
// hot helpers (add, canon, the table probe) either loop over their one
// word, which keeps registers busy, or stop inlining (the ternary lines of
// docs/experiments.md, "Generic walkers").
package wide
