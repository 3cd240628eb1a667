package main

import (
	"runtime"
	"testing"
)

// TestServeProcs: on a small machine the serve command doubles GOMAXPROCS;
// a GOMAXPROCS from the environment is the user's and is left alone.
func TestServeProcs(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, tc := range []struct {
		name, env   string
		procs, want int
	}{
		{"default on 2", "", 2, 4},
		{"default on 1", "", 1, 2},
		{"large machine", "", 16, 16},
		{"user GOMAXPROCS", "2", 2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOMAXPROCS", tc.env)
			runtime.GOMAXPROCS(tc.procs)
			serveProcs()
			if got := runtime.GOMAXPROCS(0); got != tc.want {
				t.Errorf("GOMAXPROCS after serveProcs = %d, want %d", got, tc.want)
			}
		})
	}
}
