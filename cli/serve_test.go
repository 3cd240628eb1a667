package cli

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// TestServeProcs: on a small machine the serve command triples GOMAXPROCS;
// a GOMAXPROCS from the environment is the user's and is left alone.
func TestServeProcs(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, tc := range []struct {
		name, env   string
		procs, want int
	}{
		{"default on 2", "", 2, 6},
		{"default on 1", "", 1, 3},
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

// TestTuneGC: with a small live heap the serve command raises GOGC so the
// heap goal is about gcHeadroom over it; a GOGC from the environment wins.
func TestTuneGC(t *testing.T) {
	for _, tc := range []struct {
		name, env string
		raised    bool
	}{
		// The user's case first: once tuneGC has run, its finalizer
		// keeps re-tuning after every collection for the process's life.
		{"user GOGC", "100", false},
		{"default", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOGC", tc.env)
			debug.SetGCPercent(100)
			tuneGC()
			got := debug.SetGCPercent(100)
			if tc.raised && got <= 100 {
				t.Errorf("GOGC after tuneGC = %d, want it raised over 100 for a small heap", got)
			}
			if !tc.raised && got != 100 {
				t.Errorf("GOGC after tuneGC = %d, want the user's 100 left alone", got)
			}
		})
	}
}
