package sshhost

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"workbench/tui"
)

// trainQueue shares the host's training slots between users: at most slots
// runs train at once, each user at most perUser of them and with at most
// queued more waiting; a run over those caps is refused. A free slot goes
// to the waiting user whose last turn is oldest (never = oldest of all),
// ties to the run that has waited longest; within one user, runs keep
// their order. So a user who queues many runs cannot keep another from
// the next slot.
type trainQueue struct {
	slots, perUser, queued int

	mu      sync.Mutex
	running int
	seq     uint64 // orders arrivals and turns
	users   map[string]*queueUser
}

// queueUser is one user's share of the queue. Users stay in the map (one
// per authorized key that ever trained) so their last turn is remembered.
type queueUser struct {
	running  int
	waiting  []*waiter // FIFO
	lastTurn uint64    // seq of the user's last turn; 0 = never
}

// waiter is one queued run.
type waiter struct {
	seq     uint64
	granted bool          // under mu
	turn    chan struct{} // closed when granted
	place   chan int      // the latest place, for the waiting goroutine
	last    int           // the place last sent
}

func newTrainQueue(slots, perUser, queued int) *trainQueue {
	return &trainQueue{slots: slots, perUser: perUser, queued: queued, users: map[string]*queueUser{}}
}

// gate is the tui.TrainGate of one user (a key fingerprint).
func (q *trainQueue) gate(user string) tui.TrainGate { return userGate{q, user} }

type userGate struct {
	q    *trainQueue
	user string
}

func (g userGate) Acquire(ctx context.Context, waiting func(int)) (func(), error) {
	return g.q.acquire(ctx, g.user, waiting)
}

// refusal says why a run over the user's caps may not queue. It is shown
// in the Train pane's status line, so it is short and says the way out.
func (q *trainQueue) refusal() error {
	if q.queued == 0 {
		return errors.New("every slot is busy and runs may not wait here; try again later")
	}
	return fmt.Errorf("per-user limit: %d training, %d waiting; stop one or wait", q.perUser, q.queued)
}

func (q *trainQueue) acquire(ctx context.Context, user string, waiting func(int)) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	q.mu.Lock()
	u := q.users[user]
	if u == nil {
		u = &queueUser{}
		q.users[user] = u
	}
	// Nobody waits for a slot this user could take (dispatch leaves no
	// grantable waiter, this user's included), so taking it now is fair.
	if q.running < q.slots && u.running < q.perUser {
		q.grant(u)
		q.mu.Unlock()
		return q.releaser(u), nil
	}
	if len(u.waiting) >= q.queued {
		err := q.refusal()
		q.mu.Unlock()
		return nil, err
	}
	q.seq++
	w := &waiter{seq: q.seq, turn: make(chan struct{}), place: make(chan int, 1)}
	u.waiting = append(u.waiting, w)
	q.tellPlaces()
	q.mu.Unlock()

	for {
		select {
		case <-w.turn:
			return q.releaser(u), nil
		case p := <-w.place:
			if waiting != nil {
				waiting(p)
			}
		case <-ctx.Done():
			q.mu.Lock()
			if w.granted { // the turn came with the cancel: give it back
				q.mu.Unlock()
				q.releaser(u)()
				return nil, ctx.Err()
			}
			for i, x := range u.waiting {
				if x == w {
					u.waiting = append(u.waiting[:i], u.waiting[i+1:]...)
					break
				}
			}
			q.tellPlaces()
			q.mu.Unlock()
			return nil, ctx.Err()
		}
	}
}

// grant gives u a turn; mu held.
func (q *trainQueue) grant(u *queueUser) {
	q.running++
	u.running++
	q.seq++
	u.lastTurn = q.seq
}

// releaser returns u's give-back function, effective once.
func (q *trainQueue) releaser(u *queueUser) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			q.mu.Lock()
			q.running--
			u.running--
			q.dispatch()
			q.mu.Unlock()
		})
	}
}

// next is the waiting user to serve first among those under their running
// cap (all of them if ignoreCaps), by the order in trainQueue's doc; nil
// when none. mu held.
func (q *trainQueue) next(last map[*queueUser]uint64, heads map[*queueUser]int, ignoreCaps bool) *queueUser {
	var best *queueUser
	for _, u := range q.users {
		h := heads[u]
		if h >= len(u.waiting) || (!ignoreCaps && u.running >= q.perUser) {
			continue
		}
		if best == nil || last[u] < last[best] ||
			(last[u] == last[best] && u.waiting[h].seq < best.waiting[heads[best]].seq) {
			best = u
		}
	}
	return best
}

// dispatch hands free slots to waiting runs, then tells the rest their
// places; mu held.
func (q *trainQueue) dispatch() {
	for q.running < q.slots {
		last := map[*queueUser]uint64{}
		for _, u := range q.users {
			last[u] = u.lastTurn
		}
		u := q.next(last, nil, false)
		if u == nil {
			break
		}
		w := u.waiting[0]
		u.waiting = u.waiting[1:]
		q.grant(u)
		w.granted = true
		close(w.turn)
	}
	q.tellPlaces()
}

// tellPlaces works out each waiting run's place (the order turns would go
// in if nothing else changed, running caps aside) and tells those whose
// place changed; mu held.
func (q *trainQueue) tellPlaces() {
	last := map[*queueUser]uint64{}
	heads := map[*queueUser]int{}
	n := 0
	for _, u := range q.users {
		last[u] = u.lastTurn
		n += len(u.waiting)
	}
	turn := q.seq
	for place := 1; place <= n; place++ {
		u := q.next(last, heads, true)
		w := u.waiting[heads[u]]
		heads[u]++
		turn++
		last[u] = turn
		if w.last != place {
			w.last = place
			select { // keep only the latest place
			case <-w.place:
			default:
			}
			w.place <- place
		}
	}
}

// counts reports slots in use and runs waiting, for tests and logs.
func (q *trainQueue) counts() (running, waiting int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, u := range q.users {
		waiting += len(u.waiting)
	}
	return q.running, waiting
}
