package sshhost

import (
	"strings"
	"testing"
	"time"
)

// TestSilentTerminal: a client whose terminal never answers a query (x/crypto
// ssh with a PTY, nothing written back) gets its first frame with no query
// sent before it — so nothing can wait on a timeout — and its first key,
// sent before that frame, is acted on rather than eaten by a query reader.
func TestSilentTerminal(t *testing.T) {
	ts := startServer(t, realTUI)
	tm := openTermAnswering(t, ts.mustDial(t, "alice", ts.alice), "xterm-256color", nil, 120, 36, false)
	start := time.Now()
	tm.send("5") // at once: before the first frame
	tm.waitFor("sessions · 0, newest first")
	t.Logf("first key acted on after %v", time.Since(start)) // a figure for the report, not a check
	tm.mu.Lock()
	out := tm.out.String()
	tm.mu.Unlock()
	for _, q := range []string{"\x1b]11;?", "\x1b]10;?", "\x1b[c"} {
		if strings.Contains(out, q) {
			t.Errorf("the server queried the terminal (%q): a silent client would wait for it", q)
		}
	}
	tm.send("q")
	if err, _, _ := tm.waitExit(); err != nil {
		t.Errorf("exit after q: %v", err)
	}
}

// TestDarkBackground reads COLORFGBG as terminals set it.
func TestDarkBackground(t *testing.T) {
	for in, want := range map[string]bool{"": true, "15;0": true, "0;15": false, "0;default;7": false, "12;8": true, "junk": true} {
		if got := darkBackground(in); got != want {
			t.Errorf("darkBackground(%q) = %v, want %v", in, got, want)
		}
	}
}
