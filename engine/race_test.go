//go:build race

package engine

// raceEnabled: the race detector drops sync.Pool items on purpose, so
// allocation counts are not the code's own.
const raceEnabled = true
