//go:build race

package serve

// raceEnabled skips allocation counts, which the race detector changes.
const raceEnabled = true
