package cli

// End-to-end tests of how the process ends: every signal that asks it to
// stop (Ctrl-C, SIGTERM, SIGHUP when the terminal closes) saves the
// session as stopped with its best epoch, in `workbench train` and in the
// TUI on a terminal, and a second Ctrl-C does not undo what the screen says.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// lastSession is `sessions --json`'s newest entry.
func lastSession(t *testing.T, home string) map[string]any {
	t.Helper()
	var list []map[string]any
	if err := json.Unmarshal([]byte(mustWB(t, "", "sessions", "--json", "--home", home)), &list); err != nil || len(list) == 0 {
		t.Fatalf("sessions --json: %v %v", list, err)
	}
	return list[0]
}

// checkStoppedWithBest fails unless the newest session is stopped with a
// best epoch kept (not interrupted, not a best of "-").
func checkStoppedWithBest(t *testing.T, home, what string) {
	t.Helper()
	s := lastSession(t, home)
	if s["status"] != "stopped" {
		t.Errorf("%s: session status %v, want stopped: %v", what, s["status"], s)
	}
	if be, _ := s["best_epoch"].(float64); be < 1 || s["best_val_loss"] == nil {
		t.Errorf("%s: no best epoch kept: %v", what, s)
	}
}

// TestCLITrainSignalsSaveStopped: SIGHUP and SIGTERM stop `workbench train`
// like Ctrl-C, and Ctrl-C pressed twice at once still ends with the save
// done (exit 0, stopped) rather than a kill halfway through it.
func TestCLITrainSignalsSaveStopped(t *testing.T) {
	for _, tc := range []struct {
		name string
		sigs []syscall.Signal
	}{
		{"SIGHUP", []syscall.Signal{syscall.SIGHUP}},
		{"SIGTERM", []syscall.Signal{syscall.SIGTERM}},
		{"double Ctrl-C", []syscall.Signal{syscall.SIGINT, syscall.SIGINT}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			cmd := exec.Command(workbenchBin, "train", "--data", "digits", "--epochs", "100000", "--patience", "0", "--home", home)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(out)
			for n := 0; n < 2; n++ {
				if !sc.Scan() {
					t.Fatalf("no epoch line; stderr %s", stderr.String())
				}
			}
			for _, s := range tc.sigs {
				cmd.Process.Signal(s)
			}
			for sc.Scan() {
			}
			if err := cmd.Wait(); err != nil {
				t.Fatalf("exit after %s: %v; stderr %s", tc.name, err, stderr.String())
			}
			if !strings.Contains(stderr.String(), "saved as stopped") {
				t.Errorf("stderr does not say it was saved: %s", stderr.String())
			}
			checkStoppedWithBest(t, home, tc.name)
		})
	}
}

// TestTUIHangupSavesStopped runs the TUI on a pseudo-terminal, starts
// training, then sends SIGHUP as a closing terminal does: exit 0 and the
// session saved as stopped with its best epoch.
func TestTUIHangupSavesStopped(t *testing.T) {
	home := t.TempDir()
	// A session of many epochs, stopped after its first, so the TUI's run
	// continues it for longer than the test takes.
	long := exec.Command(workbenchBin, "train", "--data", "digits", "--epochs", "100000", "--patience", "0", "--home", home)
	out, err := long.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := long.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	sc.Scan()
	long.Process.Signal(syscall.SIGINT)
	for sc.Scan() {
	}
	if err := long.Wait(); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(workbenchBin, "--home", home, "--session", "latest")
	cmd.Env = append(os.Environ(), "TERM=dumb")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 140})
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	scr := &sshScreen{}
	scr.cond = sync.NewCond(&scr.mu)
	go scr.pump(tty)
	if !scr.waitFor("Data") {
		t.Fatalf("TUI did not draw:\n%s", scr.text())
	}
	tty.WriteString("3")
	if !scr.waitFor("space") {
		t.Fatalf("no Train pane:\n%s", scr.text())
	}
	tty.WriteString(" ")
	if !scr.waitFor("best epoch") {
		t.Fatalf("training did not start:\n%s", scr.text())
	}
	cmd.Process.Signal(syscall.SIGHUP)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("TUI exit after SIGHUP: %v\n%s", err, scr.text())
		}
	case <-time.After(sshE2EWait):
		cmd.Process.Kill()
		t.Fatalf("TUI still running after SIGHUP:\n%s", scr.text())
	}
	checkStoppedWithBest(t, home, "TUI after SIGHUP")
}
