package cli

// End-to-end tests of how the process ends: every signal that asks it to
// stop (Ctrl-C, SIGTERM, SIGHUP when the terminal closes) saves the
// session as stopped with its best epoch, in `workbench train` and in the
// TUI on a terminal, and a second Ctrl-C does not undo what the screen says.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// startLongTrain starts `workbench train` on digits for far more epochs
// than a test lasts, JSON lines on the returned scanner, stderr in the
// buffer.
func startLongTrain(t *testing.T, home string, extra ...string) (*exec.Cmd, *bufio.Scanner, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(workbenchBin, append([]string{"train", "--data", "digits", "--epochs", "100000", "--patience", "0", "--home", home}, extra...)...)
	stderr := new(bytes.Buffer)
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewScanner(out), stderr
}

// startOnPTY starts cmd on a new pseudo-terminal of 140×40 whose output
// the returned screen keeps (answering the queries a terminal answers).
func startOnPTY(t *testing.T, cmd *exec.Cmd) (*os.File, *sshScreen) {
	t.Helper()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 140})
	if err != nil {
		t.Fatal(err)
	}
	scr := &sshScreen{}
	scr.cond = sync.NewCond(&scr.mu)
	go scr.pump(tty)
	return tty, scr
}

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
			cmd, sc, stderr := startLongTrain(t, home)
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
	long, sc, _ := startLongTrain(t, home)
	sc.Scan()
	long.Process.Signal(syscall.SIGINT)
	for sc.Scan() {
	}
	if err := long.Wait(); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(workbenchBin, "--home", home, "--session", "latest")
	cmd.Env = append(os.Environ(), "TERM=dumb")
	tty, scr := startOnPTY(t, cmd)
	defer tty.Close()
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
	at := scr.waitRaw(0, "\x1b[?1049h")
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
	if scr.waitRaw(at, "\x1b[?1049l") < 0 {
		t.Errorf("the terminal was not given back (no exit from the alternate screen)")
	}
	checkStoppedWithBest(t, home, "TUI after SIGHUP")
}

// waitRaw waits until the terminal's raw output after byte from contains
// seq, returning where it ends; -1 after sshE2EWait.
func (s *sshScreen) waitRaw(from int, seq string) int {
	end := -1
	s.until(func(raw string) bool {
		if i := strings.Index(raw[from:], seq); i >= 0 {
			end = from + i + len(seq)
		}
		return end >= 0
	})
	return end
}

// processState is the state letter of pid in /proc (T = stopped).
func processState(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "?"
	}
	// pid (comm) S ...: the state follows the last ')'.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

// TestTUISuspendResume: kill -TSTP gives the terminal back (leaves the
// alternate screen) and stops the process; SIGCONT (what fg sends) takes
// the screen again and keys act at once, one by one, not after Enter.
func TestTUISuspendResume(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("needs /proc to see the process stopped")
	}
	home := t.TempDir()
	cmd := exec.Command(workbenchBin, "--home", home)
	cmd.Env = append(os.Environ(), "TERM=dumb")
	tty, scr := startOnPTY(t, cmd)
	defer func() {
		cmd.Process.Signal(syscall.SIGCONT)
		cmd.Process.Kill()
		cmd.Wait()
		tty.Close()
	}()
	if !scr.waitFor("Data") {
		t.Fatalf("TUI did not draw:\n%s", scr.text())
	}
	at := scr.waitRaw(0, "\x1b[?1049h")
	cmd.Process.Signal(syscall.SIGTSTP)
	if at = scr.waitRaw(at, "\x1b[?1049l"); at < 0 {
		t.Fatalf("SIGTSTP did not give the terminal back:\n%q", scr.text())
	}
	deadline := time.Now().Add(sshE2EWait)
	for processState(cmd.Process.Pid) != "T" {
		if time.Now().After(deadline) {
			t.Fatalf("process not stopped after SIGTSTP: state %s", processState(cmd.Process.Pid))
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGCONT)
	if at = scr.waitRaw(at, "\x1b[?1049h"); at < 0 {
		t.Fatalf("SIGCONT did not take the screen again")
	}
	tty.WriteString("5") // no Enter: in line mode it would never arrive
	if scr.waitRaw(at, "sessions · 0") < 0 {
		t.Fatalf("a key after resuming did not act:\n%s", scr.text())
	}
}
