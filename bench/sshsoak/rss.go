package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// sampler reads a process's resident memory every second.
type sampler struct {
	first, peak, last int64 // KiB
	n                 int
	series            []int64 // every sample, KiB
	quit, done        chan struct{}
}

func newSampler(pid int) *sampler {
	s := &sampler{quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		if pid <= 0 {
			return
		}
		for {
			if kb := rssKiB(pid); kb > 0 {
				if s.n == 0 {
					s.first = kb
				}
				s.n++
				s.peak, s.last = max(s.peak, kb), kb
				s.series = append(s.series, kb)
			}
			select {
			case <-s.quit:
				return
			case <-time.After(time.Second):
			}
		}
	}()
	return s
}

func (s *sampler) stop() { close(s.quit); <-s.done }

func rssKiB(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb
			}
		}
	}
	return 0
}

func mib(kb int64) string { return fmt.Sprintf("%.1f MiB", float64(kb)/1024) }
