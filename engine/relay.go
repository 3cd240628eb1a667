package engine

import (
	"context"
	"sync"
)

// Relay decouples Fit from a slow listener: Handle never blocks; epoch ends
// are queued (never lost), a pending Progress is replaced by a newer one.
//
// It queues every epoch end and keeps only the newest progress event,
// which is always newer than every queued epoch end: an epoch end discards
// the pending progress of the epoch it closes.
type Relay struct {
	mu       sync.Mutex
	epochs   []Event
	progress Event
	pending  bool
	closed   bool
	notify   chan struct{} // capacity 1: "something changed"
	done     chan struct{} // closed by close, so every waiter wakes
}

// NewRelay returns an empty relay.
func NewRelay() *Relay {
	r := &Relay{}
	r.init()
	return r
}

// init makes the channels; called under mu (or before sharing) so that a
// zero Relay works too.
func (r *Relay) init() {
	if r.notify == nil {
		r.notify = make(chan struct{}, 1)
		r.done = make(chan struct{})
	}
}

// Handle is passed to Fit as onEvent.
func (r *Relay) Handle(e Event) {
	r.mu.Lock()
	r.init()
	if r.closed {
		r.mu.Unlock()
		return
	}
	if e.Kind == EpochEnd {
		r.epochs = append(r.epochs, e)
		r.pending = false
	} else {
		r.progress, r.pending = e, true
	}
	notify := r.notify
	r.mu.Unlock()
	select {
	case notify <- struct{}{}:
	default:
	}
}

// Next blocks until an event is available, the relay is closed and drained
// (ok false), or ctx ends (ok false).
func (r *Relay) Next(ctx context.Context) (Event, bool) {
	for {
		r.mu.Lock()
		r.init()
		notify, done := r.notify, r.done
		switch {
		case len(r.epochs) > 0:
			e := r.epochs[0]
			r.epochs[0] = Event{}
			r.epochs = r.epochs[1:]
			r.mu.Unlock()
			return e, true
		case r.pending:
			r.pending = false
			e := r.progress
			r.mu.Unlock()
			return e, true
		case r.closed:
			r.mu.Unlock()
			return Event{}, false
		}
		r.mu.Unlock()
		select {
		case <-notify:
		case <-done:
		case <-ctx.Done():
			return Event{}, false
		}
	}
}

// Close ends the stream; Next drains what is queued, then reports ok false.
func (r *Relay) Close() {
	r.mu.Lock()
	r.init()
	if !r.closed {
		r.closed = true
		close(r.done)
	}
	r.mu.Unlock()
}

// Forward calls fn with every event from a goroutine of its own until the
// relay is closed and drained or ctx ends. The returned stop closes the
// relay and waits until fn has returned for the last time, so a caller's
// cleanup reads: train with r.Handle, then stop().
func (r *Relay) Forward(ctx context.Context, fn func(Event)) (stop func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			e, ok := r.Next(ctx)
			if !ok {
				return
			}
			fn(e)
		}
	}()
	return func() {
		r.Close()
		<-done
	}
}
