package tui

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"

	"workbench/serve"
	"workbench/sessions"
)

// twoPorts holds a listener on a port p whose next port p+1 is free now.
func twoPorts(t *testing.T) (net.Listener, int) {
	t.Helper()
	for range 50 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := l.Addr().(*net.TCPAddr).Port
		if l2, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p+1)); err == nil {
			l2.Close()
			return l, p
		}
		l.Close()
	}
	t.Skip("no two adjacent free ports on this machine")
	return nil, 0
}

// A predict server given a range skips a taken port for the next, and
// says so when every one is taken.
func TestStartInPortRangeSkipsTakenPorts(t *testing.T) {
	sess := trainQuick(t, mustStore(t))
	taken, p := twoPorts(t)
	defer taken.Close()
	ports := PortRange{Lo: p, Hi: p + 1}

	first := serve.New(sess, serve.Options{})
	addr, err := startIn(first, "127.0.0.1:"+strconv.Itoa(p), ports)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Stop(context.Background())
	if want := "127.0.0.1:" + strconv.Itoa(p+1); addr != want {
		t.Errorf("bound %s, want %s (the range's free port)", addr, want)
	}

	second := serve.New(sess, serve.Options{})
	_, err = startIn(second, "127.0.0.1:"+strconv.Itoa(p), ports)
	if want := "every port from " + strconv.Itoa(p) + " to " + strconv.Itoa(p+1) + " is taken"; err == nil || inUse(err) || !strings.Contains(err.Error(), want) {
		t.Errorf("all taken: %v; want the range named", err)
	}
}

func mustStore(t *testing.T) *sessions.Store {
	t.Helper()
	st, err := sessions.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return st
}
