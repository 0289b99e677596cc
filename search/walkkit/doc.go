// Package walkkit is the scaffolding that the flip-graph walkers
// (search/flip and search/ternary, and the symmetric search/cyclic and
// search/transpose) share, so that they agree on what the search.Walker
// contract says: their options and defaults, their counters, the checks of
// Start, the walk loop (Walk counts flips made, never attempts), and the
// parts of the symmetric walkers: their orbits (IDs) and the
// entry-to-group index (Index), over factors of one, two or four 64-bit
// words (Factor: a walker generic over it compiles once per width).
//
// What makes a walker fast stays in the walker: its bit-packed terms, its
// flips, reductions and plus transitions. Walk is generic over them (a
// Mover): a walker passes a small struct holding a pointer to itself, which
// the compiler instantiates once per walker, so the walker's moves inline
// into the loop as if it were written out in the walker's own package.
//
// The package walktest holds the contract suite every walker runs.
package walkkit
