package main

import (
	"context"
	"errors"
	"io"
)

// runExport is a placeholder until its issue lands.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("export: not available yet")
}
