package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// saveGrace is how long a second interrupt waits for the clean stop the
// first one started: saving a session takes milliseconds, so a Ctrl-C
// pressed twice in a row still ends with the session saved as the screen
// says.
const saveGrace = 5 * time.Second

// MainWithSignals is the program: Main under the process's signals.
//
// SIGINT (Ctrl-C), SIGTERM and SIGHUP (the terminal or SSH connection
// closed) all ask for the same clean stop: ctx is cancelled, training
// saves the session as stopped with its best weights, and the TUI gives
// back the terminal. A second signal waits up to saveGrace for that stop to
// finish; a third, or the grace running out, quits at once and says the
// session may be left interrupted, so nothing on screen claims a save that
// did not happen.
func MainWithSignals(args []string, stdout, stderr io.Writer) int {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	return underSignals(sigs, stderr, saveGrace, func(ctx context.Context) int { return Main(ctx, args, stdout, stderr) })
}

// underSignals runs main with a context the first of sigs cancels (see
// MainWithSignals); grace is how long a second signal waits.
func underSignals(sigs <-chan os.Signal, stderr io.Writer, grace time.Duration, main func(context.Context) int) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- main(ctx) }()

	var graceOver <-chan time.Time
	signals := 0
	for {
		select {
		case code := <-done:
			return code
		case sig := <-sigs:
			signals++
			switch signals {
			case 1:
				cancel()
			case 2:
				fmt.Fprintf(stderr, "\r\nworkbench: still stopping cleanly; waiting up to %s for the save (interrupt again to quit now)\r\n", grace)
				graceOver = time.After(grace)
			default:
				return quitNow(stderr, sig)
			}
		case <-graceOver:
			return quitNow(stderr, syscall.SIGINT)
		}
	}
}

// quitNow gives up on the clean stop; the exit code is the shell's for
// death by sig.
func quitNow(stderr io.Writer, sig os.Signal) int {
	fmt.Fprint(stderr, "\r\nworkbench: quit before stopping cleanly; a training run still in progress is left interrupted (its last snapshot, saved every 2 s); continue it with workbench train --session ID\r\n")
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 130
}
