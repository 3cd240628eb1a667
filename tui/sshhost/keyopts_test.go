package sshhost

import (
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// TestAuthorizedKeysOptions: from= and no-pty are honoured, a key with an
// option the host does not support is refused, and the log says why
// (issue 14 item 14).
func TestAuthorizedKeysOptions(t *testing.T) {
	ts := startServer(t, nil)
	alice := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(ts.alice.PublicKey())))
	bob := string(gossh.MarshalAuthorizedKey(ts.bob.PublicKey()))
	write := func(aliceLine string) {
		t.Helper()
		if err := os.WriteFile(ts.akPath, []byte(aliceLine+"\n"+bob), 0o600); err != nil {
			t.Fatal(err)
		}
		// Size and time differ from the last version, so it is re-read.
		future := time.Now().Add(time.Duration(len(aliceLine)) * time.Second)
		os.Chtimes(ts.akPath, future, future)
	}
	for _, tt := range []struct {
		name, line string
		login      bool
		log        string
	}{
		{"the issue's line", `from="10.9.9.9",no-pty,command="/bin/false" ` + alice, false, "command is not supported"},
		{"from elsewhere", `from="10.9.9.9" ` + alice, false, "not in its from= list"},
		{"negated", `from="127.0.0.0/8,!127.0.0.1" ` + alice, false, "not in its from= list"},
		{"from here", `from="10.9.9.9,127.0.0.*" ` + alice, true, ""},
		{"cidr", `from="127.0.0.0/8",no-port-forwarding ` + alice, true, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			write(tt.line)
			c, err := ts.dial("alice", gossh.PublicKeys(ts.alice))
			if c != nil {
				c.Close()
			}
			if (err == nil) != tt.login {
				t.Errorf("login %v (%v), want %v", err == nil, err, tt.login)
			}
			if tt.log != "" && !strings.Contains(ts.log.String(), tt.log) {
				t.Errorf("the log does not say %q:\n%s", tt.log, ts.log.String())
			}
		})
	}

	// no-pty: the key logs in, but gets the no-terminal message, no program.
	write("no-pty " + alice)
	c := ts.mustDial(t, "alice", ts.alice)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	sess.Stderr = &stderr
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- sess.Wait() }()
	select {
	case err = <-waited:
	case <-time.After(5 * time.Second):
		sess.Close()
		t.Fatal("no-pty key: the session got a program instead of the no-terminal message")
	}
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || strings.TrimSpace(stderr.String()) != msgNeedTerminal {
		t.Errorf("no-pty key: exit %v, stderr %q; want %q", err, stderr.String(), msgNeedTerminal)
	}
	if n := len(ts.fakes.all()); n != 0 {
		t.Errorf("%d programs started for a no-pty key", n)
	}
	// Bob's plain line is untouched by all this.
	ts.mustDial(t, "bob", ts.bob).Close()
}

func TestFromPatterns(t *testing.T) {
	addr := func(s string) net.Addr { a, _ := net.ResolveTCPAddr("tcp", s); return a }
	for _, tt := range []struct {
		from []string
		addr string
		ok   bool
	}{
		{nil, "1.2.3.4:5", true},
		{[]string{"1.2.3.4"}, "1.2.3.4:5", true},
		{[]string{"1.2.3.*"}, "1.2.3.9:5", true},
		{[]string{"1.2.3.?"}, "1.2.3.10:5", false},
		{[]string{"10.0.0.0/8"}, "10.200.1.1:5", true},
		{[]string{"10.0.0.0/8", "!10.1.*"}, "10.1.1.1:5", false},
		{[]string{"!10.1.*"}, "1.1.1.1:5", false},
		{[]string{"::1"}, "[::1]:5", true},
	} {
		if got := (keyOptions{from: tt.from}).allowsFrom(addr(tt.addr)); got != tt.ok {
			t.Errorf("from %v at %s: %v, want %v", tt.from, tt.addr, got, tt.ok)
		}
	}
}

// TestMaxUserSessions: one key cannot take every --max-sessions slot; the
// others still get in (issue 14 item 4, SSH part: connections).
func TestMaxUserSessions(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxSessions = 4; c.MaxUserSessions = 2 })
	for range 2 {
		open(t, ts.mustDial(t, "alice", ts.alice), true, 80, 24).waitFor("fake user=[alice")
	}
	third := open(t, ts.mustDial(t, "alice", ts.alice), true, 80, 24)
	err, _, stderr := third.waitExit()
	var exit *gossh.ExitError
	if !errors.As(err, &exit) || !strings.Contains(stderr, "already have 2 sessions open") {
		t.Errorf("alice's third session: exit %v, stderr %q", err, stderr)
	}
	open(t, ts.mustDial(t, "bob", ts.bob), true, 80, 24).waitFor("fake user=[bob")
}
