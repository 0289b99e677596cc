//go:build race

package kernels_test

// raceEnabled reports whether the race detector is on; sync.Pool drops
// items at random under it, so allocation counts are not meaningful.
const raceEnabled = true
