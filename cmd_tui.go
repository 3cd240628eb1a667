package main

import (
	"context"
	"errors"
	"io"
)

// runTUI is a placeholder until its issue lands.
func runTUI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("tui: not available yet")
}
