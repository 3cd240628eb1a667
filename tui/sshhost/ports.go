package sshhost

import (
	"fmt"
	"strconv"
	"strings"

	"workbench/tui"
)

// Ports a user's predict server may be given: not the privileged ones
// below 1024, which the server's account could not bind anyway.
const (
	MinServePort = 1024
	MaxServePort = 65535
)

// ParsePortRange reads --port-range, "LO-HI" (both included, LO <= HI,
// within MinServePort..MaxServePort); a single port "P" is P-P.
func ParsePortRange(s string) (tui.PortRange, error) {
	lo, hi, found := strings.Cut(strings.TrimSpace(s), "-")
	if !found {
		hi = lo
	}
	var r tui.PortRange
	var err error
	if r.Lo, err = strconv.Atoi(strings.TrimSpace(lo)); err != nil {
		return r, fmt.Errorf("port range %q: want LO-HI, e.g. 9000-9099", s)
	}
	if r.Hi, err = strconv.Atoi(strings.TrimSpace(hi)); err != nil {
		return r, fmt.Errorf("port range %q: want LO-HI, e.g. 9000-9099", s)
	}
	return r, checkPortRange(r)
}

// checkPortRange refuses a range that is empty or reaches outside the
// ports a user's server may take.
func checkPortRange(r tui.PortRange) error {
	switch {
	case r.Lo > r.Hi:
		return fmt.Errorf("port range %s: the first port is above the last", r)
	case r.Lo < MinServePort || r.Hi > MaxServePort:
		return fmt.Errorf("port range %s: ports must be from %d to %d", r, MinServePort, MaxServePort)
	}
	return nil
}

// serveAddr is where a user's predict server listens: loopback, on the
// first free port of the range, or any free port without one.
func (s *Server) serveAddr() string {
	if s.cfg.ServePorts.IsZero() {
		return "127.0.0.1:0"
	}
	return "127.0.0.1:" + strconv.Itoa(s.cfg.ServePorts.Lo)
}
