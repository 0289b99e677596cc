//go:build race

package lift

// raceEnabled is true under the race detector, which makes the 5x5x5
// eliminations (15625 × 7200 bits) too slow for the test budget.
const raceEnabled = true
