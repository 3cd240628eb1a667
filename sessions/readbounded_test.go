package sessions

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSessionFileBounded: a session.json that is huge, or a FIFO, is
// refused without reading it in (or blocking) — issue 14 item 1's rule for
// session files — and the store still lists and loads the others.
func TestSessionFileBounded(t *testing.T) {
	st := openStore(t)
	huge := trained(t, st, "huge", 1)
	fifo := trained(t, st, "fifo", 1)
	good := trained(t, st, "good", 1)

	hugePath := filepath.Join(st.Dir, huge.ID, metaFile)
	f, err := os.OpenFile(hugePath, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(200 << 20); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	fifoPath := filepath.Join(st.Dir, fifo.ID, metaFile)
	os.Remove(fifoPath)
	if err := syscall.Mkfifo(fifoPath, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	done := make(chan error, 2)
	go func() {
		_, err := st.Load(huge.ID)
		done <- err
	}()
	go func() {
		_, err := st.Load(fifo.ID)
		done <- err
	}()
	for range 2 {
		select {
		case err := <-done:
			if err == nil {
				t.Error("a damaged session.json loaded")
			} else if !strings.Contains(err.Error(), "more than") && !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("error %q does not say what is wrong", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("loading a FIFO session.json blocked")
		}
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
		t.Errorf("refusing a 200 MiB session.json allocated %d bytes", got)
	}
	if _, err := st.Load(good.ID); err != nil {
		t.Errorf("the good session no longer loads: %v", err)
	}
}
