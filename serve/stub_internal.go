package serve

// Placeholder for the implementation type; the package's files replace it.
type server struct{}
