//go:build !race

package ternary

// raceEnabled is true under the race detector.
const raceEnabled = false
