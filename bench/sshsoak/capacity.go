package main

// The capacity run (bench/capacity.sh): how many users one `workbench ssh`
// host holds. N users connect and sit idle, each trains digits, each
// serves it and answers predict requests, and then, while two more users
// train a large model, every one of the N presses keys and times how long
// its screen takes to show the pane the key asked for. Each phase samples
// the host's resident memory.

import (
	"context"
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// capUser is one connected user.
type capUser struct {
	u    int
	tm   *term
	port string
	err  error
	stop func()
}

func capacityMain(args []string) int {
	fs := flag.NewFlagSet("capacity", flag.ExitOnError)
	addr := fs.String("addr", "", "the host's 127.0.0.1:PORT")
	users := fs.Int("users", 4, "users measured (N); two more connect to train during the latency window")
	pid := fs.Int("pid", 0, "the host's process id, for its resident memory")
	window := fs.Duration("window", 20*time.Second, "how long the users time their key presses while two trainings run")
	budget := fs.Duration("budget", 100*time.Second, "the whole run ends after this long, finished or not")
	fs.Parse(args) //nolint:errcheck // ExitOnError
	if !strings.HasPrefix(*addr, "127.0.0.1:") || *users < 1 || *pid <= 0 {
		fmt.Fprintln(os.Stderr, "sshsoak capacity: need -addr 127.0.0.1:PORT (loopback only), -users ≥ 1 and -pid of the host")
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), *budget)
	defer cancel()
	r := capacityRun(ctx, *addr, *users, *pid, *window)
	r.print()
	if len(r.failures) > 0 {
		return 1
	}
	return 0
}

// capResult is one N's figures; memory in KiB.
type capResult struct {
	n                           int
	base, idle, training, serve rssStats
	duringLatency               rssStats
	lat                         []time.Duration // sorted, while two trainings run
	latQuiet                    []time.Duration // sorted, with no training
	probeFails                  int
	trainersBusy                bool
	failures                    []string
}

// rssStats summarises the samples of one phase.
type rssStats struct{ median, peak int64 }

func capacityRun(ctx context.Context, addr string, n, pid int, window time.Duration) *capResult {
	r := &capResult{n: n}
	var mu sync.Mutex
	fail := func(u int, format string, args ...any) {
		mu.Lock()
		r.failures = append(r.failures, fmt.Sprintf("user%d: ", u)+fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	r.base = sampleFor(pid, time.Second)

	// Connect: every user's TUI on screen, nothing loaded.
	us := make([]*capUser, n)
	each(n, func(i int) {
		time.Sleep(time.Duration(i) * 50 * time.Millisecond) // not all handshakes in one instant
		us[i] = &capUser{u: i}
		c, tm, err := connect(addr, i)
		if err != nil {
			us[i].err = err
			return
		}
		us[i].tm, us[i].stop = tm, func() { tm.send("q"); tm.waitExit(5 * time.Second); tm.sess.Close(); c.Close() } //nolint:errcheck // leaving
		us[i].err = tm.step(ctx, "", "1 Data", 30*time.Second)
	})
	defer func() {
		each(n, func(i int) {
			if us[i].stop != nil {
				us[i].stop()
			}
		})
	}()
	ok := func(i int) bool { return us[i].err == nil }
	time.Sleep(2 * time.Second)
	r.idle = sampleFor(pid, 2*time.Second)

	// Train: every user chooses digits and trains it (the host's
	// --max-training slots queue the rest).
	r.training = sampleWhile(pid, func() {
		each(n, func(i int) {
			if !ok(i) {
				return
			}
			tm := us[i].tm
			if err := chooseDigits(ctx, tm); err != nil {
				us[i].err = err
				return
			}
			mark := tm.mark()
			tm.send(" ")
			if err := tm.waitAfter(ctx, mark, regexp.MustCompile(`finished`), time.Minute); err != nil {
				us[i].err = fmt.Errorf("training did not finish: %w", err)
			}
		})
	})

	// Serve: every user serves their model and sends predict requests.
	r.serve = sampleWhile(pid, func() {
		var tl tally
		each(n, func(i int) {
			if !ok(i) {
				return
			}
			port, err := serveNow(ctx, us[i].tm)
			if err == nil {
				us[i].port = port
				err = predictFor(ctx, "http://127.0.0.1:"+port+"/predict", 5*time.Second, &tl)
			}
			us[i].err = err
		})
	})

	// Latency with no training anywhere: what the machine's other load
	// and the N users alone cost, to set the figures below against.
	r.latQuiet, _ = probeAll(ctx, us, ok, window/2)

	// Latency: two more users train a large model for the whole window,
	// while the N (still serving) time their key presses.
	trainers, err := startTrainers(ctx, addr, n)
	for _, t := range trainers {
		defer t.stop()
	}
	if err != nil {
		fail(n, "trainer: %v", err)
	}
	r.duringLatency = sampleWhile(pid, func() { r.lat, r.probeFails = probeAll(ctx, us, ok, window) })
	r.trainersBusy = err == nil
	for _, t := range trainers {
		if strings.Contains(t.tm.textAfter(t.mark), "finished") {
			r.trainersBusy = false
		}
	}
	for i, u := range us {
		if u.err != nil {
			fail(i, "%v", u.err)
		}
	}
	return r
}

// probeAll has every user that is still ok probe for d, and returns all
// their latencies sorted and how many presses timed out.
func probeAll(ctx context.Context, us []*capUser, ok func(int) bool, d time.Duration) ([]time.Duration, int) {
	var mu sync.Mutex
	var lat []time.Duration
	fails := 0
	each(len(us), func(i int) {
		if !ok(i) {
			return
		}
		l, f := probe(ctx, us[i].tm, i, d)
		mu.Lock()
		lat = append(lat, l...)
		fails += f
		mu.Unlock()
	})
	slices.Sort(lat)
	return lat, fails
}

// each runs f(0..n-1) at once and waits for them all.
func each(n int, f func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); f(i) }()
	}
	wg.Wait()
}

// sampleFor samples the host's memory every 200 ms for d.
func sampleFor(pid int, d time.Duration) rssStats {
	return sampleWhile(pid, func() { time.Sleep(d) })
}

// sampleWhile samples the host's memory every 200 ms while f runs.
func sampleWhile(pid int, f func()) rssStats {
	done := make(chan struct{})
	var got []int64
	go func() {
		defer close(done)
		f()
	}()
	for {
		if kb := rssKiB(pid); kb > 0 {
			got = append(got, kb)
		}
		select {
		case <-done:
			if kb := rssKiB(pid); kb > 0 {
				got = append(got, kb)
			}
			slices.Sort(got)
			if len(got) == 0 {
				return rssStats{}
			}
			return rssStats{median: got[len(got)/2], peak: got[len(got)-1]}
		case <-time.After(200 * time.Millisecond):
		}
	}
}
