package tui

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// TestServerFollowsCurrentModelUntilPinned: after S, a new run becomes
// current and the server swaps to it (the header names the session by
// name and id); P pins, and a third run no longer moves the server.
func TestServerFollowsCurrentModelUntilPinned(t *testing.T) {
	store := newStore(t)
	app := newTestApp(t, Options{Store: store})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	waitFor(t, tm, "iris preview", contains("150 rows"))
	ids := func(n int) []string {
		t.Helper()
		for deadline := time.Now().Add(waitLong); ; time.Sleep(20 * time.Millisecond) {
			// Every session finished, not just the first listed: two runs
			// begun in the same second may list in either order, and q
			// pressed while one still trains asks first instead of quitting.
			es, _ := store.List()
			done := len(es) >= n
			for _, e := range es {
				done = done && e.Session != nil && e.Session.Status != "" && e.Session.Status != "running"
			}
			if done {
				var out []string
				for _, e := range es {
					out = append(out, e.ID)
				}
				return out // newest first
			}
			if time.Now().After(deadline) {
				t.Fatalf("no %d finished sessions", n)
			}
		}
	}
	train := func() {
		tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("3")})
		tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	}
	train()
	first := ids(1)[0]
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("S")})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("4")})
	waitFor(t, tm, "serving the first run", contains(shortID(first), "follows the current model"))
	train()
	second := ids(2)[0]
	if second == first {
		t.Fatal("the second run saved no new session")
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("4")})
	waitFor(t, tm, "the server followed the new run", contains(shortID(second), "follows the current model"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("P")})
	waitFor(t, tm, "pinned", contains(shortID(second), "· pinned"))
	train()
	third := ids(3)[0]
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("4")})
	waitFor(t, tm, "still the pinned session", contains(shortID(second), "· pinned"))
	if third == second {
		t.Fatal("the third run saved no new session")
	}
	quitServing(t, tm)
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
}

// TestServeAlsoAddsASecondModel: + on the Sessions pane asks the root to
// serve the selected session alongside; it answers on its own route and
// the Serve pane lists it; a session of the served name is refused.
func TestServeAlsoAddsASecondModel(t *testing.T) {
	store := newStore(t)
	other := trainQuick(t, store) // named "irisq"
	app := newTestApp(t, Options{Store: store})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	waitFor(t, tm, "iris preview", contains("150 rows"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("3")})
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor(t, tm, "finished", contains("finished"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("S")})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("4")})
	waitFor(t, tm, "serving", contains("follows the current model"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("5")})
	waitFor(t, tm, "listed", contains("sessions · 2"))
	// The newest (the run just trained) is selected; irisq is below it.
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("j")})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("+")})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("4")})
	waitFor(t, tm, "also served", contains("also served", other.Name))
	quitServing(t, tm)
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
}
