package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"workbench/sessions"
)

// TestFirstMinuteHint: a new user sees the next step where the eye is, on
// each pane, and the hint goes once they have trained.
func TestFirstMinuteHint(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 80, 24)
	v := a.View()
	if !strings.Contains(v, "press 3, then space to train iris (enter on a dataset: train it now)") {
		t.Fatalf("the first screen does not say what to do next:\n%s", v)
	}
	checkFits(t, v, 80, 24)
	press(a, "3")
	if v := a.View(); !strings.Contains(v, "press space to train on iris") {
		t.Errorf("the Train pane does not say space trains:\n%s", v)
	}
	// A store with sessions in it belongs to someone who has trained.
	a.Update(sessionsListedMsg{entries: make([]sessions.Entry, 1)})
	v = a.View()
	if strings.Contains(v, "→ next") {
		t.Errorf("the hint stays once the user has trained:\n%s", v)
	}
	checkFits(t, v, 80, 24)
}

// TestEnterOffersTraining: enter on a dataset loads it and offers to train
// it; y switches to Train and trains, and the hint is gone after.
func TestEnterOffersTraining(t *testing.T) {
	app := newTestApp(t, Options{})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "iris", contains("150 rows"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("j")}) // wine or the next built-in
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "the offer", contains("now? y/enter train"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("y")})
	waitFor(t, tm, "trained", contains("finished", "epoch 8/8"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
	a := tm.FinalModel(t).(*App).impl
	if a.active != paneTrain || a.current == nil || a.current.Data.Ref == "iris" {
		t.Errorf("after y: pane %d, current %+v; want the Train pane and a session on the chosen data", a.active, a.current)
	}
	if a.hint() != "" {
		t.Errorf("hint %q after training", a.hint())
	}
}
