//go:build unix

package cli

import (
	"os"
	"os/signal"
	"syscall"

	tea "github.com/charmbracelet/bubbletea"
)

// suspendSelf is the TUI's ctrl+z: the same SIGTSTP `kill -TSTP` sends,
// so both take one path (handleSuspend).
func suspendSelf() { _ = syscall.Kill(os.Getpid(), syscall.SIGTSTP) }

// handleSuspend makes SIGTSTP (ctrl+z, or kill -TSTP from elsewhere)
// suspend p properly: without it the process stopped with the terminal
// still raw, and after fg the TUI was left in line mode.
//
// A SIGTSTP asks p to suspend (tea.SuspendMsg). Bubble Tea then gives the
// terminal back and sends SIGTSTP to the process group, expecting it to
// stop; as this handler catches SIGTSTP (the Go runtime does not restore
// the stop action once a signal was caught), that second SIGTSTP is its cue
// to stop the group with SIGSTOP, which a shell reports as a stopped job
// just the same. On fg (SIGCONT) Bubble Tea takes the terminal again, raw,
// and redraws. stop ends the handler.
func handleSuspend(p *tea.Program) (stop func()) {
	tstp := make(chan os.Signal, 2)
	done := make(chan struct{})
	signal.Notify(tstp, syscall.SIGTSTP)
	go func() {
		released := false // the SuspendMsg was sent; the next SIGTSTP is Bubble Tea's
		for {
			select {
			case <-done:
				return
			case <-tstp:
			}
			if released {
				released = false
				_ = syscall.Kill(0, syscall.SIGSTOP) // returns after fg
				continue
			}
			released = true
			go p.Send(tea.SuspendMsg{})
		}
	}()
	return func() {
		close(done)
		signal.Stop(tstp)
	}
}
