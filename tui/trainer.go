package tui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
	"workbench/engine"
	"workbench/sessions"
)

// snapshot is a copy of a session taken between epochs, so the UI (maps)
// and the predict server can use weights while training continues.
type snapshot struct {
	sess  *sessions.Session
	epoch int
}

// trainRun is one background training run. The UI goroutine owns the
// fields above the line (through the runController); the training
// goroutine publishes snapshots through the atomics.
type trainRun struct {
	id      int
	ctl     *engine.Control
	slot    *trainSlot // the run's training turn; pause gives it back
	cancel  context.CancelFunc
	msgs    chan tea.Msg
	abandon chan struct{} // closed by App.Close: stop delivering messages
	done    chan struct{} // closed when the run returned and its session is saved
	once    sync.Once

	info *sessions.Session // model-less copy, set by trainStartedMsg
	ds   *datasets.Dataset // the run's raw data, set by trainStartedMsg

	// ---- shared with the training goroutine ----
	wantMap   atomic.Bool
	pace      atomic.Int64 // watch speed: 0 full, n epochs/s, stepOnly
	held      atomic.Bool  // paused by step mode, not by the user
	serveSnap atomic.Pointer[snapshot]
	mapSnap   atomic.Pointer[snapshot]

	// training goroutine only
	lastMapped time.Time
	lastEpoch  time.Time
	event      func(engine.Event) // a sweep's current run's event handler
}

// snapshot gaps keep cloning well under the 10% training-cost budget even
// for datasets whose epochs take a fraction of a millisecond.
const (
	mapSnapGap = 200 * time.Millisecond
)

// wait is the re-armed command that forwards the run's next message.
func (r *trainRun) wait() tea.Cmd {
	return func() tea.Msg {
		m, ok := <-r.msgs
		if !ok {
			return nil
		}
		return m
	}
}

func (r *trainRun) send(m tea.Msg) {
	select {
	case r.msgs <- m:
	case <-r.abandon:
	}
}

// sendPlace reports the run's place in the queue for a training slot.
func (r *trainRun) sendPlace(place int) { r.send(trainWaitingMsg{run: r.id, place: place}) }

// pause holds the run and gives its training slot back; resume queues for
// a slot again and goes on when it comes (trainSlot says why).
func (r *trainRun) pause() { r.slot.pause() }

func (r *trainRun) resume() {
	r.slot.resume(r.sendPlace, func() { r.send(trainRunningMsg{run: r.id}) })
}

// stop asks the run to end; the session is saved as stopped.
func (r *trainRun) stop() {
	r.held.Store(false)
	if r.ctl.Paused() {
		r.ctl.Resume()
	}
	r.cancel()
}

// close stops the run, stops delivering messages and waits for the save.
func (r *trainRun) close() {
	r.once.Do(func() {
		r.cancel()
		if r.ctl.Paused() {
			r.ctl.Resume()
		}
		close(r.abandon)
	})
	<-r.done
}

// loop prepares, queues for a slot, trains and saves; it reports each
// step as a message and closes msgs when it returns.
func (r *trainRun) loop(ctx context.Context, store *sessions.Store, fl files, log *slog.Logger, p sessions.Plan, cont *sessions.Session) {
	defer close(r.done)
	defer close(r.msgs)
	defer r.cancel() // a run that ends by itself releases its context too
	var prep *sessions.Prepared
	err := safely(func() error {
		// The data is read as this process's account: over SSH it must
		// come from the user's own folder, whatever the session says.
		ref := p.DataRef
		if cont != nil {
			ref = cont.Data.Ref
		}
		if _, err := fl.checkRef(ref); err != nil {
			return fmt.Errorf("dataset: %w", err)
		}
		var err error
		if cont != nil {
			prep, err = sessions.ReprepareWith(cont, fl.loadOptions(datasets.LoadOptions{}))
		} else {
			p.Load = fl.loadOptions(p.Load)
			prep, err = sessions.Prepare(p)
		}
		return err
	})
	if err != nil {
		r.send(trainDoneMsg{run: r.id, err: err})
		return
	}
	info := *prep.Session
	info.Model = nil
	info.History = append([]engine.EpochStats(nil), prep.Session.History...)
	r.send(trainStartedMsg{run: r.id, info: &info, ds: prep.Dataset})

	// The slot is given back as soon as training ends, before the UI hears
	// of it, so whoever waits can start at once.
	if err := r.slot.take(r.sendPlace); err != nil {
		if ctx.Err() != nil {
			err = errors.New("stopped while waiting for a training slot")
		}
		r.send(trainDoneMsg{run: r.id, err: err})
		return
	}
	defer r.slot.finish()
	r.send(trainRunningMsg{run: r.id})

	relay := engine.NewRelay()
	stopRelay := relay.Forward(context.Background(), func(e engine.Event) {
		r.send(trainEventMsg{run: r.id, e: e})
	})
	onEvent := func(e engine.Event) {
		if e.Kind == engine.EpochEnd {
			r.snapshot(prep.Session, e)
		}
		relay.Handle(e)
		if e.Kind == engine.EpochEnd {
			r.keepPace(ctx)
		}
	}
	var sess *sessions.Session
	err = safely(func() error {
		var err error
		sess, err = store.Train(ctx, prep, onEvent, r.ctl)
		return err
	})
	r.slot.finish()
	stopRelay()
	if err != nil {
		log.Error("training", "err", err)
	}
	r.send(trainDoneMsg{run: r.id, sess: sess, err: err})
}

// snapshot runs on the training goroutine between epochs, the only time
// the model may be cloned.
func (r *trainRun) snapshot(s *sessions.Session, e engine.Event) {
	if s == nil || s.Model == nil {
		return
	}
	now := time.Now()
	isBest := e.BestEpoch == e.Epoch // the engine's rule: the weights a stop keeps
	// Every best epoch, even before S is pressed: S on a paused run, or
	// on one past its best epoch, must serve the best weights now, not at
	// a next best epoch that may never come (a throttle here served epoch
	// 1 of a run whose best was epoch 5). Cloning the weights costs less
	// than the epoch that computed them; the history, which grows with
	// every epoch, is left out (the server does not read it).
	if isBest {
		c := *s
		c.History, c.Model = nil, s.Model.Clone()
		r.serveSnap.Store(&snapshot{sess: &c, epoch: e.Epoch})
	}
	// A watched run (slowed or stepped) maps every epoch it shows.
	if r.wantMap.Load() && (now.Sub(r.lastMapped) >= mapSnapGap || r.pace.Load() != 0) {
		r.mapSnap.Store(&snapshot{sess: copySession(s, s.Model.Clone()), epoch: e.Epoch})
		r.lastMapped = now
	}
}

// copySession returns a model-owning copy of s that shares nothing mutable.
func copySession(s *sessions.Session, m *engine.Model) *sessions.Session {
	c := *s
	c.History = append([]engine.EpochStats(nil), s.History...)
	c.Model = m
	return &c
}

// safely turns a panic in upstream code into an error so that no panic
// reaches the user's terminal.
func safely(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: %v", p)
		}
	}()
	return f()
}
