package cli

import (
	"context"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// noteWriter keeps what was written and wakes a waiter on each write.
type noteWriter struct {
	mu    sync.Mutex
	b     strings.Builder
	wrote chan struct{}
}

func (w *noteWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b.Write(p)
	select {
	case w.wrote <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (w *noteWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestSecondSignalWaitsForTheSave: a second Ctrl-C while the clean stop
// is saving waits for it (the exit code is the program's, 0, so "saved as
// stopped" stays true, where the second one used to kill the process
// halfway through the save); a third quits at once with 130 and says the
// session may be left interrupted.
func TestSecondSignalWaitsForTheSave(t *testing.T) {
	for _, tc := range []struct {
		name    string
		signals int
		want    int
		says    string
	}{
		{"second waits for the save", 2, 0, "waiting up to 1m0s for the save"},
		{"third quits now", 3, 130, "left interrupted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sigs := make(chan os.Signal, 4) // as signal.Notify's: a send never blocks
			stderr := &noteWriter{wrote: make(chan struct{}, 1)}
			saving, release := make(chan struct{}), make(chan struct{})
			code := make(chan int, 1)
			go func() {
				code <- underSignals(sigs, stderr, time.Minute, func(ctx context.Context) int {
					<-ctx.Done()
					close(saving) // the first signal arrived: the save starts
					<-release     // and lasts until the test says
					return 0
				})
			}()
			sigs <- syscall.SIGINT
			<-saving
			sigs <- syscall.SIGINT
			<-stderr.wrote // the second one was taken (and said so)
			if tc.signals == 3 {
				sigs <- syscall.SIGINT
			} else {
				close(release)
			}
			got := <-code
			if tc.signals == 3 {
				close(release)
			}
			if got != tc.want || !strings.Contains(stderr.String(), tc.says) {
				t.Errorf("exit %d, stderr %q; want %d and %q", got, stderr.String(), tc.want, tc.says)
			}
		})
	}
}
