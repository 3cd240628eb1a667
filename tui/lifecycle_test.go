package tui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// TestOpenRemovedSession: a session removed by another process after the
// Sessions pane listed it is said to be gone when opened, the list is
// refreshed, and the Train pane is not shown with the previous session.
func TestOpenRemovedSession(t *testing.T) {
	store := newStore(t)
	app := newTestApp(t, Options{Store: store})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("3")})
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor(t, tm, "finished", contains("finished"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("5")})
	waitFor(t, tm, "listed", contains("sessions · 1, newest first"))
	es, err := store.List()
	if err != nil || len(es) != 1 {
		t.Fatalf("List: %v %v", es, err)
	}
	if err := store.Delete(es[0].ID); err != nil { // as `workbench sessions rm` in another shell
		t.Fatal(err)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "told it is gone, list refreshed", contains("is gone", "sessions · 0, newest first"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
	if a := app.impl; a.active != paneSessions {
		t.Errorf("active pane %d after a failed open, want the Sessions pane", a.active)
	}
}
