package spin

import (
	"testing"
	"time"
)

func TestRecv(t *testing.T) {
	c := make(chan int, 1)
	// A value sent while the receiver polls, one sent after it parked.
	for _, delay := range []time.Duration{0, 5 * time.Millisecond} {
		for _, polls := range []int{0, 1000, 1 << 20} {
			go func() {
				time.Sleep(delay)
				c <- 7
			}()
			if v, ok := Recv(c, polls); v != 7 || !ok {
				t.Fatalf("delay %v, polls %d: got %d, %v; want 7, true", delay, polls, v, ok)
			}
		}
	}
	close(c)
	if v, ok := Recv(c, 100); v != 0 || ok {
		t.Fatalf("closed channel: got %d, %v; want 0, false", v, ok)
	}
}
