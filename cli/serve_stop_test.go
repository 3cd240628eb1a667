package cli

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while runServe writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs runServe in the background on a free loopback port and
// returns its address once it prints it.
func startServe(t *testing.T, ctx context.Context, o serveOptions) (addr string, stdout, stderr *syncBuffer, done chan error) {
	t.Helper()
	o.addr, o.maxBody, o.maxRows, o.logLevel, o.logFormat = "127.0.0.1:0", 1<<20, 100, "info", "text"
	o.maxConns, o.maxInflight = 64, 8<<20
	stdout, stderr, done = new(syncBuffer), new(syncBuffer), make(chan error, 1)
	go func() { done <- runServe(ctx, stdout, stderr, o) }()
	addrRe := regexp.MustCompile(`on http://(127\.0\.0\.1:\d+)`)
	for deadline := time.Now().Add(20 * time.Second); addr == ""; time.Sleep(10 * time.Millisecond) {
		if m := addrRe.FindStringSubmatch(stdout.String()); m != nil {
			addr = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s %s", stdout.String(), stderr.String())
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended: %v; %s", err, stderr.String())
		default:
		}
	}
	return addr, stdout, stderr, done
}

// TestServeStopCutsSlowRequestAndSucceeds: a request that outlasts the
// shutdown grace is cut and logged, and serve still ends without error
// (exit 0), as the README promises; it used to return "context deadline
// exceeded" (exit 1).
func TestServeStopCutsSlowRequestAndSucceeds(t *testing.T) {
	defer func(g time.Duration) { stopGrace = g }(stopGrace)
	stopGrace = 200 * time.Millisecond
	home := t.TempDir()
	sess := trainExportSession(t, home, "iris", "4:relu")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, stdout, stderr, done := startServe(t, ctx, serveOptions{sessions: []string{sess.ID}, home: home})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A body that never finishes: the request stays in flight.
	fmt.Fprintf(conn, "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"input_data\"")
	time.Sleep(50 * time.Millisecond) // let the server start reading it
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve ended with %v; want success after cutting the slow request", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(stderr.String(), "were cut") {
		t.Errorf("the cut request is not logged: %q", stderr.String())
	}
	if !strings.Contains(stdout.String(), "stopped after") {
		t.Errorf("no summary line: %q", stdout.String())
	}
}

func TestServeToken(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good, blank := write("good", "  s3cret\n"), write("blank", " \n")
	for _, tc := range []struct {
		name, flag, file, env, want, err string
	}{
		{"flag", "s3cret", "", "other", "s3cret", ""},
		{"env", "", "", "fromenv", "fromenv", ""},
		{"none", "", "", "", "", ""},
		{"file trimmed", "", good, "other", "s3cret", ""},
		{"flag padded", " x ", "", "", "", "--token: the token \" x \" starts or ends with whitespace"},
		{"env padded", "", "", "x\n", "", "$WORKBENCH_TOKEN: the token"},
		{"inner space", "a b", "", "", "", "a bearer token is one word"},
		{"both", "x", good, "", "", "both given"},
		{"blank file", "", blank, "", "", "is empty"},
		{"missing file", "", filepath.Join(dir, "nope"), "", "", "no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("WORKBENCH_TOKEN", tc.env)
			got, err := serveToken(tc.flag, tc.file)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("token %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
