//go:build !race

package lift

// raceEnabled is true under the race detector.
const raceEnabled = false
