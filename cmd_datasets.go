package main

import (
	"context"
	"errors"
	"io"
)

// runDatasets is a placeholder until its issue lands.
func runDatasets(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("datasets: not available yet")
}
