package main

import (
	"context"
	"errors"
	"io"
)

// runSSH is a placeholder until its issue lands.
func runSSH(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("ssh: not available yet")
}
