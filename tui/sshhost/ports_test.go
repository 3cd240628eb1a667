package sshhost

import (
	"strings"
	"testing"

	"workbench/tui"
)

func TestParsePortRange(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want tui.PortRange
		err  string
	}{
		{"9000-9049", tui.PortRange{Lo: 9000, Hi: 9049}, ""},
		{" 9000 - 9000 ", tui.PortRange{Lo: 9000, Hi: 9000}, ""},
		{"9000", tui.PortRange{Lo: 9000, Hi: 9000}, ""},
		{"1024-65535", tui.PortRange{Lo: 1024, Hi: 65535}, ""},
		{"9001-9000", tui.PortRange{}, "the first port is above the last"},
		{"1023-2000", tui.PortRange{}, "ports must be from 1024 to 65535"},
		{"60000-65536", tui.PortRange{}, "ports must be from 1024 to 65535"},
		{"a-b", tui.PortRange{}, "want LO-HI"},
		{"", tui.PortRange{}, "want LO-HI"},
		{"9000-", tui.PortRange{}, "want LO-HI"},
	} {
		got, err := ParsePortRange(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParsePortRange(%q) error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParsePortRange(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

// Each user's program gets the range, and an address on its first port;
// without one, any free loopback port.
func TestUsersGetThePortRange(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.ServePorts = tui.PortRange{Lo: 9000, Hi: 9009} })
	tm := open(t, ts.mustDial(t, "alice", ts.alice), true, 100, 30)
	tm.waitFor("fake user=")
	apps := ts.fakes.all()
	if len(apps) != 1 || apps[0].opts.ServeAddr != "127.0.0.1:9000" || apps[0].opts.ServePorts != (tui.PortRange{Lo: 9000, Hi: 9009}) {
		t.Fatalf("program options %+v", apps[0].opts)
	}
	if _, err := New(Config{Home: t.TempDir(), AuthorizedKeys: ts.akPath, ServePorts: tui.PortRange{Lo: 10, Hi: 20}}); err == nil {
		t.Error("New took ports below 1024")
	}
}
