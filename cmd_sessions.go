package main

import (
	"context"
	"errors"
	"io"
)

// runSessions is a placeholder until its issue lands.
func runSessions(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("sessions: not available yet")
}
