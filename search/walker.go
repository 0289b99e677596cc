package search

import "github.com/alphamat/alphamat/search/walkkit"

// Walker is one random walk on the flip graph of a format over one field,
// owned by one goroutine of the driver. The driver ([Run]) calls Walk in
// chunks of a few thousand flips, reads the counters between chunks and
// publishes them atomically for the status line, reports schemes to the
// shared pool, and restarts the walker from pool schemes; a Walker itself is
// not safe for concurrent use and never touches the pool.
//
// The method signatures use only built-in and tensorgame types, so a package
// can implement Walker without importing search (search imports the
// implementations: search/flip over Z2, search/ternary over Z, and the
// symmetric search/cyclic and search/transpose). The interface is declared
// in search/walkkit, the kit the walkers share, and its contract suite is
// search/walkkit/walktest.
//
// # Plugging in a walker
//
// A walker over another field (search/ternary: coefficients in {-1, 0, 1},
// field Z) implements these six methods on its own bit-packed state and
// converts to and from *tensorgame.Scheme only in Start and Scheme. The
// driver gets it from a constructor of the form
//
//	func New(f tensorgame.Format, seed uint64, opts Options) (walkkit.Walker, error)
//
// (walkkit.Options: plus-transition limit, room above the start rank; the
// walker of the factor width f needs, see walkkit.NewWide), and a function
// Supports(tensorgame.Format) error that validates a format without
// building a walker, and runs it exactly like the Z2 walker: the schemes it
// returns from Scheme carry its field, are verified by the pool before
// they are stored, and land in the run directory as
// <n>x<m>x<p>_r<R>_<FIELD>.txt.
//
// # Contract
//
//   - Start(s) makes a copy of s the current scheme and starts a new
//     plateau; it returns an error (and keeps its previous state) when s is
//     of another format or field, does not fit the representation, or does
//     not verify. A walker must be started before Walk is called.
//   - Walk(flips, report, ceiling) makes at most flips flips, each followed
//     by the reductions it enables, and plus transitions when a plateau gets
//     too long, and returns the number of flips made. It returns early, right
//     after the reduction, when the rank falls to report or below (report <= 0
//     disables this), so that the driver can store an improvement at once.
//     A plus transition never raises the rank above ceiling. Walk allocates
//     nothing.
//   - Rank is the rank of the current scheme; Scheme returns a fresh copy of
//     it, which verifies (the walk keeps the scheme exact at every step).
//   - Counts returns cumulative flips, reductions and plus transitions since
//     the walker was made, and the current plateau length: flips since the
//     last reduction or Start.
//   - SetPlusAfter sets the plateau length (flips without a reduction) after
//     which Walk makes a plus transition; negative: never, 0: the walker's
//     default. The driver switches plus transitions on and off per walk.
type Walker = walkkit.Walker
