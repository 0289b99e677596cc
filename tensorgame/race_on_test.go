//go:build race

package tensorgame

// raceEnabled is true under the race detector, where the tests that repeat
// exact checks on the large published schemes check only the smaller ones.
const raceEnabled = true
