package serve

import (
	"math/bits"
	"sync"
	"sync/atomic"
	"time"
)

// stats keeps what the TUI's Serve pane shows. Recording is lock-free
// except for the short copy into the ring of recent requests.
type stats struct {
	requests, errors, rows atomic.Int64

	// perSec[t%len] packs the second t (low 32 bits of Unix time, high
	// half) and its request count (low half) in one word, so a bucket is
	// claimed for a new second and counted with one CAS, never reset under
	// a racing increment.
	perSec [64]atomic.Uint64

	// lat holds latency histograms of 10-second windows; p50/p99 cover the
	// last minute. rotate serialises the rare clearing of a reused window.
	lat    [7]latWindow
	rotate sync.Mutex

	mu   sync.Mutex
	ring [recentLen]RequestLog
	next uint64 // requests written to ring
}

const recentLen = 20

// latBuckets is a log-linear histogram over nanoseconds: 8 sub-buckets per
// power of two (≤ 6.25% error), from 1 ns to beyond an hour.
const (
	latSub     = 3
	latBuckets = (64-latSub)*(1<<latSub) + (1 << latSub)
)

type latWindow struct {
	epoch  atomic.Int64 // Unix seconds / 10 this window counts
	counts [latBuckets]atomic.Uint64
}

func newStats() *stats { return &stats{} }

func latIndex(ns int64) int {
	if ns < 1<<latSub {
		if ns < 0 {
			return 0
		}
		return int(ns)
	}
	shift := bits.Len64(uint64(ns)) - 1 - latSub
	return (shift+1)<<latSub + int(uint64(ns)>>shift) - 1<<latSub
}

// latValue is the middle of bucket i, in nanoseconds.
func latValue(i int) time.Duration {
	if i < 1<<latSub {
		return time.Duration(i)
	}
	shift := i>>latSub - 1
	mant := int64(i&(1<<latSub-1) + 1<<latSub)
	return time.Duration(mant<<shift + (int64(1)<<shift)/2)
}

func (st *stats) record(at time.Time, method, path string, status, rows int, dur time.Duration, errMsg string) {
	st.requests.Add(1)
	if status >= 400 {
		st.errors.Add(1)
	}
	sec := at.Unix()
	b := &st.perSec[sec%int64(len(st.perSec))]
	tag := uint64(uint32(sec)) << 32
	for {
		old := b.Load()
		nv := tag | 1
		if old&^(1<<32-1) == tag {
			nv = old + 1
		}
		if b.CompareAndSwap(old, nv) {
			break
		}
	}

	epoch := sec / 10
	w := &st.lat[epoch%int64(len(st.lat))]
	if w.epoch.Load() != epoch {
		st.rotate.Lock()
		if w.epoch.Load() != epoch {
			for i := range w.counts {
				w.counts[i].Store(0)
			}
			w.epoch.Store(epoch)
		}
		st.rotate.Unlock()
	}
	w.counts[latIndex(int64(dur))].Add(1)

	st.mu.Lock()
	st.ring[st.next%recentLen] = RequestLog{
		Time: at, Method: method, Path: path, Status: status, Rows: rows, Duration: dur, Error: errMsg,
	}
	st.next++
	st.mu.Unlock()
}

func (st *stats) snapshot(now time.Time) Stats {
	out := Stats{
		Requests: st.requests.Load(),
		Errors:   st.errors.Load(),
		Rows:     st.rows.Load(),
	}
	// Whole seconds only: the current one is still counting.
	sec := now.Unix()
	out.PerSecond = make([]float64, 60)
	for i := range out.PerSecond {
		t := sec - 60 + int64(i)
		v := st.perSec[t%int64(len(st.perSec))].Load()
		if v>>32 == uint64(uint32(t)) {
			out.PerSecond[i] = float64(v & (1<<32 - 1))
		}
	}

	var counts [latBuckets]uint64
	var total uint64
	epoch := sec / 10
	for w := range st.lat {
		win := &st.lat[w]
		if e := win.epoch.Load(); e > epoch-int64(len(st.lat)) && e <= epoch {
			for i := range counts {
				c := win.counts[i].Load()
				counts[i] += c
				total += c
			}
		}
	}
	out.P50 = quantile(&counts, total, 0.50)
	out.P99 = quantile(&counts, total, 0.99)

	st.mu.Lock()
	n := min(st.next, recentLen)
	out.Recent = make([]RequestLog, 0, n)
	for k := uint64(1); k <= n; k++ {
		out.Recent = append(out.Recent, st.ring[(st.next-k)%recentLen])
	}
	st.mu.Unlock()
	return out
}

func quantile(counts *[latBuckets]uint64, total uint64, q float64) time.Duration {
	if total == 0 {
		return 0
	}
	rank := uint64(q*float64(total-1)) + 1
	var seen uint64
	for i, c := range counts {
		seen += c
		if seen >= rank {
			return latValue(i)
		}
	}
	return 0
}
