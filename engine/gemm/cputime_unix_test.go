//go:build unix

package gemm

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used, so that benchmarks can
// report work per CPU-second, which time-sharing on a busy machine distorts
// far less than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
