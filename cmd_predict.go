package main

import (
	"context"
	"errors"
	"io"
)

// runPredict is a placeholder until its issue lands.
func runPredict(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("predict: not available yet")
}
