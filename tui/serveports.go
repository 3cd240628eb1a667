package tui

import (
	"fmt"
	"net"
	"strconv"

	"workbench/serve"
)

// PortRange is the ports a program's predict server may take (the SSH
// host's --port-range), both ends included; the zero value means the
// port of Options.ServeAddr as given.
type PortRange struct{ Lo, Hi int }

// IsZero reports whether no range was given.
func (r PortRange) IsZero() bool { return r == PortRange{} }

func (r PortRange) String() string { return fmt.Sprintf("%d-%d", r.Lo, r.Hi) }

// startIn starts srv on want or, with a range, on the first port of it
// that is free on want's host: a taken port is skipped (another user's
// server, another program), and every one taken is an error that says so.
func startIn(srv *serve.Server, want string, ports PortRange) (string, error) {
	if ports.IsZero() {
		return srv.Start(want)
	}
	host, _, err := net.SplitHostPort(want)
	if err != nil {
		return "", err
	}
	for p := ports.Lo; p <= ports.Hi; p++ {
		addr, err := srv.Start(net.JoinHostPort(host, strconv.Itoa(p)))
		if err == nil || !inUse(err) {
			return addr, err
		}
	}
	return "", fmt.Errorf("every port from %d to %d is taken (the SSH server's --port-range): stop another of your predict servers or ask the admin for more ports", ports.Lo, ports.Hi)
}
