package tui

// Placeholder for the implementation type; the package's files replace it.
type app struct{}
