package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"time"
)

// trainerData is what the two extra users train during the latency window:
// large enough that neither run ends inside it.
const trainerData = "spiral?n=1000000"

// trainer is an extra user keeping one training slot busy.
type trainer struct {
	tm   *term
	mark int // where its training started
	stop func()
}

// startTrainers connects users n and n+1, opens trainerData in each and
// starts training it, and returns once both runs report an epoch.
func startTrainers(ctx context.Context, addr string, n int) ([]*trainer, error) {
	var ts []*trainer
	epochRe := regexp.MustCompile(`epoch ([1-9][0-9]*)/[0-9]+`)
	for u := n; u < n+2; u++ {
		c, tm, err := connect(addr, u)
		if err != nil {
			return ts, err
		}
		t := &trainer{tm: tm, stop: func() { tm.send("q"); tm.waitExit(5 * time.Second); tm.sess.Close(); c.Close() }} //nolint:errcheck // leaving
		ts = append(ts, t)
		for _, s := range []struct{ keys, want string }{{"", "1 Data"}, {"1", ""}, {"o", ""}, {trainerData + "\r", ""}, {"3", "train " + trainerData}} {
			if err := tm.step(ctx, s.keys, s.want, 30*time.Second); err != nil {
				return ts, err
			}
		}
		t.mark = tm.mark()
		tm.send(" ")
	}
	for _, t := range ts {
		if err := t.tm.waitAfter(ctx, t.mark, epochRe, time.Minute); err != nil {
			return ts, fmt.Errorf("training %s did not start: %w", trainerData, err)
		}
	}
	return ts, nil
}

// probeTimeout is how long a key press may wait for its screen; a press
// that waits longer counts as this long.
const probeTimeout = 5 * time.Second

// probe presses 5 (Sessions pane) and 1 (Data pane) in turn for d, every
// 200–300 ms, and times each press until the text only the new pane shows
// has arrived: the key-to-frame latency the user sees, SSH included.
func probe(ctx context.Context, tm *term, u int, d time.Duration) (lat []time.Duration, fails int) {
	panes := []struct {
		key string
		re  *regexp.Regexp
	}{{"5", regexp.MustCompile(`newest first`)}, {"1", regexp.MustCompile(`datasets`)}}
	rng := rand.New(rand.NewPCG(uint64(u), 1))
	// Start from the Train pane, untimed: a press of the pane already on
	// screen draws nothing, and the previous window may have ended on 5.
	tm.send("3")
	time.Sleep(500*time.Millisecond + time.Duration(rng.IntN(300))*time.Millisecond) // users out of step
	for i, end := 0, time.Now().Add(d); time.Now().Before(end) && ctx.Err() == nil; i++ {
		p := panes[i%2]
		mark := tm.mark()
		start := time.Now()
		tm.send(p.key)
		if err := tm.waitAfter(ctx, mark, p.re, probeTimeout); err != nil {
			fails++
			lat = append(lat, probeTimeout)
			// A stall shows its frame late; a frame that never comes is
			// another fault. Say which, so the p99 can be read.
			if tm.waitAfter(ctx, mark, p.re, probeTimeout) == nil {
				fmt.Fprintf(os.Stderr, "user%d: key %q: the screen came after %.1f s\n", u, p.key, time.Since(start).Seconds())
			} else {
				fmt.Fprintf(os.Stderr, "user%d: key %q: no %q within %s; last screen text %.300q\n", u, p.key, p.re, 2*probeTimeout, tail(tm.textAfter(mark), 300))
			}
			continue
		}
		lat = append(lat, time.Since(start))
		time.Sleep(200*time.Millisecond + time.Duration(rng.IntN(100))*time.Millisecond)
	}
	return lat, fails
}

// quantile of sorted durations, nearest rank.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func (r *capResult) print() {
	per := func(kb int64) string { return mib(kb / int64(r.n)) }
	fmt.Printf("N=%d users (+2 training %s during the latency window)\n", r.n, trainerData)
	fmt.Printf("  host RSS before anyone connects: %s\n", mib(r.base.median))
	for _, p := range []struct {
		name string
		s    rssStats
	}{{"idle after connect", r.idle}, {"while training digits (peak)", r.training}, {"while serving (median)", r.serve}} {
		v := p.s.median
		if p.name == "while training digits (peak)" {
			v = p.s.peak
		}
		fmt.Printf("  host RSS %-30s %s total, %s per user (÷N), %s per user above the empty host\n",
			p.name+":", mib(v), per(v), per(v-r.base.median))
	}
	fmt.Printf("  host RSS during the latency window: median %s, peak %s\n", mib(r.duringLatency.median), mib(r.duringLatency.peak))
	busy := "both trainings ran through the window"
	if !r.trainersBusy {
		busy = "WARNING: a training was not running through the whole window"
	}
	fmt.Printf("  key-to-frame latency with no training, %d presses: median %.1f ms, p99 %.1f ms\n",
		len(r.latQuiet), ms(quantile(r.latQuiet, 0.5)), ms(quantile(r.latQuiet, 0.99)))
	fmt.Printf("  key-to-frame latency while two train, %d presses (%d over %s): median %.1f ms, p99 %.1f ms, max %.1f ms; %s\n",
		len(r.lat), r.probeFails, probeTimeout, ms(quantile(r.lat, 0.5)), ms(quantile(r.lat, 0.99)), ms(quantile(r.lat, 1)), busy)
	fmt.Printf("  failures: %d\n", len(r.failures))
	for _, f := range r.failures {
		fmt.Println("    " + f)
	}
	// One line for bench/capacity.sh's table.
	cell := func(kb int64) string {
		return fmt.Sprintf("%.1f_MiB_(%.1f_÷N,_+%.1f)", mb(kb), mb(kb)/float64(r.n), mb(kb-r.base.median)/float64(r.n))
	}
	fmt.Printf("ROW %d %s %s %s %.1f/%.1f %.1f %.1f %d %d %d %t\n", r.n, cell(r.idle.median), cell(r.training.peak), cell(r.serve.median),
		ms(quantile(r.latQuiet, 0.5)), ms(quantile(r.latQuiet, 0.99)), ms(quantile(r.lat, 0.5)), ms(quantile(r.lat, 0.99)), len(r.lat), r.probeFails, len(r.failures), r.trainersBusy)
}

func mb(kb int64) float64 { return float64(kb) / 1024 }
