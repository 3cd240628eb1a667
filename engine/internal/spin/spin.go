// Package spin hands values between goroutines that expect each other
// within microseconds: a parked goroutine woken through the OS took tens
// of microseconds on a 2-core VM, a large share of a training step or of
// a Dgemm split in two. Used by the engine's shard workers and by
// engine/gemm's parallel blocks. It imports no package of the project, so
// both can use it.
package spin

import "runtime"

// Recv receives from c, polling it up to polls times (about 7 ns each)
// before it blocks. It yields its P every 256 polls, so that a runnable
// goroutine (the other side's work) is not kept waiting for the spin to
// end. Pass 0 polls with GOMAXPROCS 1: the spinner would hold the one P
// the other side needs.
func Recv[T any](c chan T, polls int) (T, bool) {
	for i := range polls {
		select {
		case v, ok := <-c:
			return v, ok
		default:
		}
		if i%256 == 255 {
			runtime.Gosched()
		}
	}
	v, ok := <-c
	return v, ok
}
