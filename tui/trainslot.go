package tui

import (
	"context"
	"sync"
	"time"

	"workbench/engine"
)

// trainSlot is a run's hold on its TrainGate turn, and its pause.
//
// A paused run gives its turn back at once and queues again when resumed.
// The gate's slots bound the CPU that training takes (the SSH host shares
// them between users), and a paused run takes none: holding its slot would
// keep everyone queued behind it waiting for nothing, for as long as its
// user leaves it paused. A timeout would only shorten that waste, and
// stopping the run at the timeout would end work the user meant to keep.
// Resuming waits for a turn like any other run (the Train pane shows the
// place); the run's weights and history stay in memory meanwhile.
//
// Without a gate (the local TUI) pause and resume are the Control's alone.
type trainSlot struct {
	gate TrainGate
	ctl  *engine.Control
	ctx  context.Context // the run's: ends when it is stopped

	mu      sync.Mutex
	release func()             // the turn held; nil when none
	queued  context.CancelFunc // ends the resume waiting for a turn; nil when none
	ended   bool               // training is over: no more turns
	wg      sync.WaitGroup     // the resume waiting for a turn
}

// take waits for the run's first turn; waiting hears its place in the
// queue.
func (s *trainSlot) take(waiting func(place int)) error {
	if s.gate == nil {
		return nil
	}
	rel, err := s.gate.Acquire(s.ctx, waiting)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.release = rel
	s.mu.Unlock()
	return nil
}

// next readies the slot for the next run of a sweep (which trains its runs
// one after another on one slot, each run finishing it): training is not
// over any more, and the run's first turn is to be taken.
func (s *trainSlot) next() {
	s.mu.Lock()
	s.ended = false
	s.mu.Unlock()
}

// finish gives the turn back for good once training is over, and waits
// for a resume still queued to give up (it must not report after the
// run's last message).
func (s *trainSlot) finish() {
	s.mu.Lock()
	s.ended = true
	s.mu.Unlock()
	s.drop(false)
	s.wg.Wait()
}

// drop gives back the turn held, if any, and ends a resume waiting for one.
// With hold, the run is paused first, in the same step: while the lock is
// held, a run with a gate is paused exactly when it holds no turn, so a
// turn granted as the user pauses cannot set the run going without one.
func (s *trainSlot) drop(hold bool) {
	s.mu.Lock()
	if hold {
		s.ctl.Pause()
	}
	rel := s.release
	s.release = nil
	if s.queued != nil {
		s.queued()
		s.queued = nil
	}
	s.mu.Unlock()
	if rel != nil {
		rel()
	}
}

// pause holds the run before its next batch and gives its turn back; a
// resume still waiting for a turn gives up.
func (s *trainSlot) pause() {
	if s.gate == nil {
		s.ctl.Pause()
		return
	}
	s.drop(true)
}

// resume lets the run go on once it has a turn again. The wait is on its
// own goroutine: waiting hears the place in the queue (0 while the gate
// refuses, e.g. the user's queue is full: it asks again every second), and
// running, when the run had to wait, that the turn came and training goes
// on. (Without a wait the Train pane already shows it training; a late
// "running" could overwrite a pause pressed just after.)
func (s *trainSlot) resume(waiting func(place int), running func()) {
	if s.gate == nil {
		s.ctl.Resume()
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended || s.release != nil { // nothing to wait for
		s.ctl.Resume()
		return
	}
	if s.queued != nil { // already waiting
		return
	}
	ctx, cancel := context.WithCancel(s.ctx)
	s.queued = cancel
	s.wg.Add(1)
	go s.requeue(ctx, cancel, waiting, running)
}

func (s *trainSlot) requeue(ctx context.Context, cancel context.CancelFunc, waiting func(int), running func()) {
	defer s.wg.Done()
	defer cancel()
	waited := false
	tell := func(place int) { waited = true; waiting(place) }
	for {
		rel, err := s.gate.Acquire(ctx, tell)
		if err == nil {
			s.mu.Lock()
			if ctx.Err() != nil || s.ended { // paused again or over meanwhile
				s.mu.Unlock()
				rel()
				return
			}
			s.release, s.queued = rel, nil
			s.ctl.Resume()
			s.mu.Unlock()
			if waited {
				running()
			}
			return
		}
		if ctx.Err() != nil {
			return
		}
		tell(0)
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}
