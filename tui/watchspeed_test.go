package tui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// TestStepByStep: w down to step mode holds the run after each epoch;
// n lets one more epoch train; w back to full speed lets it finish.
func TestStepByStep(t *testing.T) {
	app := newTestApp(t, Options{})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	typeText(tm, "3")
	for range 4 {
		typeText(tm, "w") // 20/s, 5/s, 1/s, step
	}
	waitFor(t, tm, "step mode", contains("ready", "step by step"))
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor(t, tm, "held after epoch 1", contains("step by step", "epoch 1/8"))
	typeText(tm, "n")
	waitFor(t, tm, "epoch 2", contains("epoch 2/8"))
	typeText(tm, "n")
	waitFor(t, tm, "epoch 3", contains("epoch 3/8"))
	typeText(tm, "w") // full speed
	waitFor(t, tm, "finished", contains("finished", "epoch 8/8"))
	typeText(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
}

// TestPacedRunHolds: the run controller holds a stepped run between
// epochs and lets go when the pace changes (no engine change needed).
func TestPacedRunHolds(t *testing.T) {
	c := &runController{}
	c.setPace(stepOnly)
	_, r := c.newRun()
	if r.pace.Load() != stepOnly {
		t.Fatal("a new run does not start at the chosen pace")
	}
	r.keepPace(t.Context())
	if !r.ctl.Paused() || !r.held.Load() {
		t.Fatal("step mode did not hold the run after an epoch")
	}
	c.stepOne()
	if r.ctl.Paused() {
		t.Fatal("n did not let the run go on")
	}
	r.keepPace(t.Context())
	c.setPace(0)
	if r.ctl.Paused() {
		t.Fatal("full speed left the run held")
	}
}
