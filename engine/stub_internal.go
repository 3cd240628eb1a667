package engine

import "errors"

// Placeholders for the implementation types; the engine's files replace them.
type model struct{}
type control struct{}
type relay struct{}

var errDiverged = errors.New("training diverged: the loss became NaN or Inf; try a lower learning rate")
