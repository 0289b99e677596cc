//go:build race

package ternary

// raceEnabled is true under the race detector, which slows the walks of the
// longer tests tenfold.
const raceEnabled = true
