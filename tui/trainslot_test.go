package tui

import (
	"log/slog"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/sessions"
)

// TestPausedRunGivesBackItsSlot: pausing a run frees its training slot for
// others at once; resuming queues for a slot again (the run stays paused
// while someone else holds it) and goes on when one frees; stopping frees
// it for good.
func TestPausedRunGivesBackItsSlot(t *testing.T) {
	slots := make(chan struct{}, 1)
	c := &runController{store: newStore(t), gate: chanGate(slots), log: slog.New(slog.DiscardHandler)}
	c.start(sessions.Plan{DataRef: "iris", Layers: "4:relu", Hyper: sessions.Hyper{Epochs: 1_000_000, Seed: 1}}, nil)
	r := c.run
	msgs := make(chan tea.Msg, 4096)
	go func() {
		for m := range r.msgs {
			msgs <- m
		}
		close(msgs)
	}()
	next := func(what string, want func(tea.Msg) bool) {
		t.Helper()
		deadline := time.After(20 * time.Second)
		for {
			select {
			case m, ok := <-msgs:
				if !ok {
					t.Fatalf("the run ended before %s", what)
				}
				if want(m) {
					return
				}
			case <-deadline:
				t.Fatalf("no %s", what)
			}
		}
	}
	until := func(what string, cond func() bool) {
		t.Helper()
		for end := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
			if time.Now().After(end) {
				t.Fatal(what)
			}
		}
	}
	next("epoch", func(m tea.Msg) bool { _, ok := m.(trainEventMsg); return ok })
	if len(slots) != 1 {
		t.Fatalf("a training run holds %d slots, want 1", len(slots))
	}

	c.pause(false)
	until("the paused run kept its training slot", func() bool { return len(slots) == 0 })

	slots <- struct{}{} // another run takes the free slot
	c.pause(true)
	next("place in the queue", func(m tea.Msg) bool { w, ok := m.(trainWaitingMsg); return ok && w.place == 1 })
	time.Sleep(50 * time.Millisecond)
	if !r.ctl.Paused() {
		t.Fatal("the resumed run trains without a slot")
	}
	<-slots // the other run ends
	next("running again", func(m tea.Msg) bool { _, ok := m.(trainRunningMsg); return ok })
	until("the resumed run is still paused", func() bool { return !r.ctl.Paused() })
	if len(slots) != 1 {
		t.Fatalf("the resumed run holds %d slots, want 1", len(slots))
	}

	// Paused again, and resumed while another holds the slot, then
	// stopped while it waits: nothing is left held.
	c.pause(false)
	until("the paused run kept its training slot", func() bool { return len(slots) == 0 })
	slots <- struct{}{}
	c.pause(true)
	next("place in the queue", func(m tea.Msg) bool { _, ok := m.(trainWaitingMsg); return ok })
	c.stop()
	next("end", func(m tea.Msg) bool { _, ok := m.(trainDoneMsg); return ok })
	<-slots
	time.Sleep(50 * time.Millisecond)
	if len(slots) != 0 {
		t.Fatalf("a stopped run left %d slots held", len(slots))
	}
}
