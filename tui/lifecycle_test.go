package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/textinput"
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

// TestPasteIsCapped: a 1 MB paste into the open-file prompt is cut to the
// path cap and the screen says so; esc clears the prompt, so the next o
// opens it empty.
func TestPasteIsCapped(t *testing.T) {
	app := newTestApp(t, Options{})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("o")})
	waitFor(t, tm, "open prompt", contains("path:"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(strings.Repeat("a", 1<<20)), Paste: true})
	waitFor(t, tm, "told of the cut", contains("pasted text cut: a path takes at most 4096 characters"))
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("o")})
	waitFor(t, tm, "prompt empty again", contains("./data.csv or ./train-images-idx3-ubyte.gz"))
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
	if n := len(app.impl.panes[paneData].(*dataPane).path.Value()); n != 0 {
		t.Errorf("open prompt holds %d bytes after esc", n)
	}
}

// TestFieldCaps: each kind of field keeps at most its cap of a paste and
// says so.
func TestFieldCaps(t *testing.T) {
	for _, k := range []fieldKind{pathField, nameField, valueField, filterField} {
		ti := textinput.New()
		capField(&ti, k)
		ti.Focus()
		ti, _, note := updateField(ti, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(strings.Repeat("x", 1<<20)), Paste: true}, k)
		if n := len([]rune(ti.Value())); n != k.limit || !strings.Contains(note, "cut") || !strings.Contains(note, k.what) {
			t.Errorf("%s: kept %d runes, note %q; want %d and a note", k.what, n, note, k.limit)
		}
		_, _, note = updateField(ti, tea.KeyMsg{Type: tea.KeyBackspace}, k)
		if note != "" {
			t.Errorf("%s: note %q on backspace", k.what, note)
		}
	}
}

// TestCtrlZ: ctrl+z calls Options.Suspend (the cli's SIGTSTP) where there
// is one, even while a text field has the keys; without one (over SSH) the
// footer says why it is not available and the app goes on.
func TestCtrlZ(t *testing.T) {
	called := make(chan struct{}, 1)
	app := newTestApp(t, Options{Suspend: func() { called <- struct{}{} }})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("o")}) // the open-file prompt has the keys
	waitFor(t, tm, "open prompt", contains("path:"))
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlZ})
	select {
	case <-called:
	case <-time.After(waitLong):
		t.Fatal("ctrl+z did not suspend")
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))

	ssh := newTestApp(t, Options{})
	tm = teatest.NewTestModel(t, ssh, teatest.WithInitialTermSize(160, 48))
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlZ})
	waitFor(t, tm, "told it is not available", contains("ctrl+z is not available here"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
}

// TestBackgroundFlip: B flips the palette between dark and light
// backgrounds (over SSH the client is never asked) and says which.
func TestBackgroundFlip(t *testing.T) {
	app := newTestApp(t, Options{})
	size(app, 160, 48)
	r := app.impl.st.r
	r.SetHasDarkBackground(true)
	press(app, "B")
	if r.HasDarkBackground() || !strings.Contains(app.View(), "colours for a light background") {
		t.Fatalf("after B: dark %v, footer:\n%s", r.HasDarkBackground(), app.View())
	}
	press(app, "B")
	if !r.HasDarkBackground() {
		t.Fatal("a second B did not flip back to dark")
	}
}
