package sshhost

import (
	"context"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// waitCounts polls until the host's queue holds running and waiting runs.
func waitCounts(t *testing.T, q *trainQueue, running, waiting int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if r, w := q.counts(); r == running && w == waiting {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	r, w := q.counts()
	t.Fatalf("queue holds %d running and %d waiting, want %d and %d", r, w, running, waiting)
}

// TestTrainingTurnsAlternateBetweenUsers: alice trains and queues runs from
// her other connections; bob, queueing after her, still gets the next slot,
// and a run whose connection closes leaves the queue.
func TestTrainingTurnsAlternateBetweenUsers(t *testing.T) {
	ts := startServer(t, func(c *Config) { c.MaxTraining = 1; c.MaxUserQueued = 3 })
	var terms []*terminal
	for _, u := range []struct {
		name string
		key  gossh.Signer
	}{{"alice", ts.alice}, {"alice", ts.alice}, {"alice", ts.alice}, {"bob", ts.bob}} {
		tm := open(t, ts.mustDial(t, u.name, u.key), true, 80, 24)
		tm.waitFor("fake user=[" + u.name)
		terms = append(terms, tm)
	}
	apps := ts.fakes.all()
	// Each connection's gate, used as its program would, with the
	// connection's context.
	type result struct {
		i   int
		rel func()
		err error
	}
	got := make(chan result, len(apps))
	places := make([]chan int, len(apps))
	acquire := func(i int) {
		places[i] = make(chan int, 8)
		go func() {
			rel, err := apps[i].opts.TrainGate.Acquire(apps[i].opts.Context, func(p int) { places[i] <- p })
			got <- result{i, rel, err}
		}()
	}
	acquire(0) // alice trains
	first := <-got
	if first.err != nil || first.i != 0 {
		t.Fatalf("alice's first run: %+v", first)
	}
	acquire(1)
	<-places[1]
	acquire(2)
	<-places[2]
	acquire(3) // bob, last to ask
	if p := <-places[3]; p != 1 {
		t.Errorf("bob told place %d, want 1: alice has had a turn, bob none", p)
	}
	waitCounts(t, ts.train, 1, 3)
	first.rel()
	select {
	case r := <-got:
		if r.i != 3 || r.err != nil {
			t.Fatalf("the freed slot went to connection %d (err %v), want bob's", r.i, r.err)
		}
		defer r.rel()
	case <-time.After(10 * time.Second):
		t.Fatal("nobody got the freed slot")
	}
	// alice closes the connection of her last queued run: it leaves.
	terms[2].send("q")
	terms[2].waitExit()
	if r := <-got; r.i != 2 || r.err == nil {
		t.Fatalf("closing a connection did not end its wait: %+v", r)
	}
	waitCounts(t, ts.train, 1, 1)
}

// TestTrainingOverUserShareRefused: a run beyond the user's share of
// running and queued trainings is refused, and the Train pane says why.
func TestTrainingOverUserShareRefused(t *testing.T) {
	ts := startServer(t, func(c *Config) { realTUI(c); c.MaxTraining = 2 })
	alice := gossh.FingerprintSHA256(ts.alice.PublicKey())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rel, err := ts.train.acquire(ctx, alice, nil) // alice trains elsewhere
	if err != nil {
		t.Fatal(err)
	}
	defer rel()
	go ts.train.acquire(ctx, alice, nil) // and has one run waiting
	waitCounts(t, ts.train, 1, 1)
	tm := open(t, ts.mustDial(t, "alice", ts.alice), true, 140, 36)
	tm.waitFor("Train")
	tm.send("3")
	tm.waitFor("press space")
	tm.send(" ")
	tm.waitFor("failed: per-user limit: 1 training, 1 waiting; stop one or wait")
	waitCounts(t, ts.train, 1, 1)
}

// TestQueuedRunLeavesWithItsConnection: a run waiting for a slot whose
// connection drops gives up its place; nothing is kept.
func TestQueuedRunLeavesWithItsConnection(t *testing.T) {
	ts := startServer(t, func(c *Config) { realTUI(c); c.MaxTraining = 1 })
	rel, err := ts.train.acquire(context.Background(), "someone else", nil)
	if err != nil {
		t.Fatal(err)
	}
	client := ts.mustDial(t, "alice", ts.alice)
	tm := open(t, client, true, 120, 36)
	tm.waitFor("Train")
	tm.send("3")
	tm.waitFor("press space")
	tm.send(" ")
	tm.waitFor("waiting for a training slot")
	waitCounts(t, ts.train, 1, 1)
	client.Close()
	waitCounts(t, ts.train, 1, 0)
	rel()
	waitCounts(t, ts.train, 0, 0)
}
