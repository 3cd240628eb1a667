package cli

// How the long-running servers (serve, ssh) tune the Go runtime: more Ps
// than cores, and a garbage collector paced for request traffic. A
// GOMAXPROCS or GOGC set in the environment always wins.

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// serveProcs runs the server with three times as many Ps as the default
// on a small machine, unless GOMAXPROCS is set in the environment. A serve
// process shares its few cores with its clients (a load generator, the
// TUI, other programs): with one P per core, a request whose P's thread the
// OS has just descheduled waits out the time slice, and the Linux
// scheduler, fair per thread, gives the server only 2 of the 4 busy threads
// when wrk -t2 runs on 2 cores. Measured with bench/serve.sh's load (wrk
// -t2 -c32, 1 row, 2 cores): p99 17-20 ms at GOMAXPROCS=2, 9-11 ms at 3,
// 5.6-6.2 ms at 4, 3.5-4.2 ms at 6 (8: no better), with requests/s within
// a few percent throughout. Large machines keep the default.
func serveProcs() {
	raiseProcs(func(n int) int {
		if n < 8 {
			return 3 * n
		}
		return n
	})
}

// gcHeadroom is the heap the serve command lets requests allocate between
// two collections. At the default GOGC=100 the goal is twice the live heap
// (about 8 MB under load with a small model), and the ~2 KB net/http
// allocates per request made ~12 collections a second at 45,000
// requests/s, each stopping all Ps twice. 32 MiB of headroom makes that
// ~2 a second while the heap still fits in cache: measured +3.5%
// requests/s and p99 5.5 ms instead of 6.0 (bench/serve.sh's load, after
// serveProcs). GC was not the main tail: the bare handler runs 4x more
// collections at p99 7 ms.
const gcHeadroom = 32 << 20

// tuneGC keeps the heap goal at the live heap plus gcHeadroom, re-tuned
// after every collection (a finalizer on a sentinel runs once per cycle):
// GOGC is raised while the live heap is small, and stays at the default
// 100 once it is over gcHeadroom (a large model, or many 4 MB bodies in
// flight): the heap goal is the live heap plus max(gcHeadroom, live). A
// GOGC set in the environment is the user's choice and wins; GOMEMLIMIT
// still caps the heap as usual.
func tuneGC() {
	if os.Getenv("GOGC") != "" {
		return
	}
	retuneGC(&gcSentinel{})
}

// gcSentinel holds a pointer so that it is not tiny-allocated alongside
// objects that live longer, which would delay its finalizer.
type gcSentinel struct{ _ *int }

func retuneGC(s *gcSentinel) {
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(live)
	if live[0].Value.Kind() == metrics.KindUint64 {
		live := max(live[0].Value.Uint64(), 1<<20)
		debug.SetGCPercent(int(max(100, gcHeadroom*100/live)))
	}
	runtime.SetFinalizer(s, retuneGC) // s was unreachable: re-arm for the next cycle
}

// morePs runs addPsForInteractivity once per process (tests call runSSH
// many times).
var morePs sync.Once

// addPsForInteractivity gives the SSH host a few Ps more than cores. A
// training run keeps every P busy (parallel shards and matrix multiplies),
// so another user's keystroke waited for Go's 10 ms preemption at each hop
// (SSH read, update, render, encrypt). A few Ps more than cores let those
// goroutines run at once on a thread the kernel schedules fairly: on 2
// cores (4 Ps) key-to-screen p50 went from 47–72 ms to 17–19 ms (the 60 fps
// frame) with no training slowdown measurable. Capped at 4 extra so big
// machines are not oversubscribed.
func addPsForInteractivity() {
	raiseProcs(func(n int) int { return n + min(n, 4) })
}

// raiseProcs sets GOMAXPROCS to more(n) of its default n, unless
// GOMAXPROCS is set in the environment: that is the user's choice and wins.
// An unchanged n is not set: setting GOMAXPROCS at all ends the runtime's
// own updates of it when the container's CPU limit changes.
func raiseProcs(more func(n int) int) {
	if os.Getenv("GOMAXPROCS") != "" {
		return
	}
	if n := runtime.GOMAXPROCS(0); more(n) != n {
		runtime.GOMAXPROCS(more(n))
	}
}
