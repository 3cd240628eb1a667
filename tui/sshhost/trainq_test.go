package sshhost

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// queued is one run waiting in a trainQueue, driven by a test.
type queued struct {
	user    string
	cancel  context.CancelFunc
	got     chan func() // the release func, once granted
	err     chan error
	mu      sync.Mutex
	places  []int
	release func()
}

// waitPlace waits until r was last told place want; it returns the last place.
func (r *queued) waitPlace(want int) int {
	deadline := time.Now().Add(5 * time.Second)
	for r.lastPlace() != want && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	return r.lastPlace()
}

func (r *queued) lastPlace() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.places) == 0 {
		return 0
	}
	return r.places[len(r.places)-1]
}

// enqueue starts an acquire for user and waits until it is granted,
// refused or queued (its first place reported).
func enqueue(t *testing.T, q *trainQueue, user string) *queued {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	r := &queued{user: user, cancel: cancel, got: make(chan func(), 1), err: make(chan error, 1)}
	told := make(chan struct{}, 1)
	go func() {
		rel, err := q.acquire(ctx, user, func(p int) {
			r.mu.Lock()
			r.places = append(r.places, p)
			r.mu.Unlock()
			select {
			case told <- struct{}{}:
			default:
			}
		})
		if err != nil {
			r.err <- err
			return
		}
		r.got <- rel
	}()
	select {
	case rel := <-r.got:
		r.release = rel
	case err := <-r.err:
		r.err <- err
	case <-told:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: acquire neither returned nor queued", user)
	}
	return r
}

// granted reports whether r got its turn, waiting up to d for it.
func (r *queued) granted(d time.Duration) bool {
	if r.release != nil {
		return true
	}
	select {
	case rel := <-r.got:
		r.release = rel
		return true
	case <-time.After(d):
		return false
	}
}

func wantCounts(t *testing.T, q *trainQueue, running, waiting int) {
	t.Helper()
	if r, w := q.counts(); r != running || w != waiting {
		t.Fatalf("queue holds %d running and %d waiting, want %d and %d", r, w, running, waiting)
	}
}

// TestTrainQueueRoundRobin: with one slot, a user with many queued runs
// and a user who has had fewer turns alternate; each user's runs keep
// their order.
func TestTrainQueueRoundRobin(t *testing.T) {
	q := newTrainQueue(1, 5, 5)
	a0 := enqueue(t, q, "A")
	if !a0.granted(0) {
		t.Fatal("first run did not start on a free slot")
	}
	a1, a2, a3 := enqueue(t, q, "A"), enqueue(t, q, "A"), enqueue(t, q, "A")
	b1 := enqueue(t, q, "B")
	b2 := enqueue(t, q, "B")
	wantCounts(t, q, 1, 5)
	if p := b1.waitPlace(1); p != 1 {
		t.Errorf("B's first run is told place %d, want 1 (A has had a turn, B none)", p)
	}
	if p := a1.waitPlace(2); p != 2 {
		t.Errorf("A's second run is told place %d, want 2", p)
	}
	order := []*queued{b1, a1, b2, a2, a3}
	cur := a0
	for i, next := range order {
		cur.release()
		if !next.granted(5 * time.Second) {
			t.Fatalf("turn %d: %s's run was not granted", i+1, next.user)
		}
		for _, other := range order[i+1:] {
			if other.granted(0) {
				t.Fatalf("turn %d: %s's run got a slot out of turn", i+1, other.user)
			}
		}
		cur = next
	}
	cur.release()
	cur.release() // twice is harmless
	wantCounts(t, q, 0, 0)
}

// TestTrainQueueUserCaps: a user over their running cap waits even with a
// slot free (which another user takes at once), and over their queued cap
// is refused with a message saying so.
func TestTrainQueueUserCaps(t *testing.T) {
	q := newTrainQueue(2, 1, 1)
	a1 := enqueue(t, q, "A")
	a2 := enqueue(t, q, "A")
	if !a1.granted(0) || a2.granted(100*time.Millisecond) {
		t.Fatal("want A's first run training and the second waiting (one running per user)")
	}
	a3 := enqueue(t, q, "A")
	select {
	case err := <-a3.err:
		if !strings.Contains(err.Error(), "per-user limit: 1 training, 1 waiting") {
			t.Errorf("refusal %q does not say the user's share is full", err)
		}
	default:
		t.Fatal("A's third run was not refused")
	}
	b1 := enqueue(t, q, "B")
	if !b1.granted(0) {
		t.Fatal("B did not get the free slot while A was at her cap")
	}
	wantCounts(t, q, 2, 1)
	b1.release()
	if a2.granted(100 * time.Millisecond) {
		t.Fatal("A's waiting run started while A already trains at her cap")
	}
	a1.release()
	if !a2.granted(5 * time.Second) {
		t.Fatal("A's waiting run did not start when her first ended")
	}
	a2.release()
	wantCounts(t, q, 0, 0)

	none := newTrainQueue(1, 1, 0)
	c1 := enqueue(t, none, "C")
	d1 := enqueue(t, none, "D")
	if !c1.granted(0) {
		t.Fatal("no slot on an empty queue")
	}
	select {
	case err := <-d1.err:
		if !strings.Contains(err.Error(), "may not wait") {
			t.Errorf("refusal %q does not say runs may not wait", err)
		}
	default:
		t.Fatal("with no waiting allowed, a run on a full host was not refused")
	}
	c1.release()
	wantCounts(t, none, 0, 0)
}

// TestTrainQueueCancel: a run stopped while waiting leaves the queue, the
// places of those behind it move up, and no slot is kept by anyone gone,
// even when the stop races the turn.
func TestTrainQueueCancel(t *testing.T) {
	q := newTrainQueue(1, 5, 5)
	a0 := enqueue(t, q, "A")
	b1, c1 := enqueue(t, q, "B"), enqueue(t, q, "C")
	if p := c1.waitPlace(2); p != 2 {
		t.Fatalf("C told place %d, want 2", p)
	}
	b1.cancel()
	if err := <-b1.err; err == nil {
		t.Fatal("a stopped wait returned no error")
	}
	if p := c1.waitPlace(1); p != 1 {
		t.Errorf("C still told place %d after B left, want 1", p)
	}
	wantCounts(t, q, 1, 1)
	a0.release()
	if !c1.granted(5 * time.Second) {
		t.Fatal("C did not get the slot B left")
	}
	c1.release()
	wantCounts(t, q, 0, 0)

	// Stops racing releases: whatever wins, nothing leaks.
	q = newTrainQueue(2, 2, 3)
	var wg sync.WaitGroup
	for i := 0; i < 1000; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			user := []string{"A", "B", "C"}[i%3]
			go func() { time.Sleep(time.Duration(i%7) * 100 * time.Microsecond); cancel() }()
			rel, err := q.acquire(ctx, user, func(int) {})
			if err == nil {
				time.Sleep(time.Duration(i%5) * 50 * time.Microsecond)
				rel()
			}
		}(i)
	}
	wg.Wait()
	wantCounts(t, q, 0, 0)
}
