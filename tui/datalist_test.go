package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// TestCursorPreviews: moving the cursor shows the dataset under it without
// choosing it; the plan keeps iris until enter.
func TestCursorPreviews(t *testing.T) {
	app := newTestApp(t, Options{})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "iris", contains("150 rows"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("j")})
	waitFor(t, tm, "wine previewed", contains("wine — 178 rows", "preview · enter chooses it"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
	if ref := tm.FinalModel(t).(*App).impl.plan.DataRef; ref != "iris" {
		t.Errorf("moving the cursor chose %q; only enter chooses", ref)
	}
}

// TestFilterOneEnter: / then a name then one enter loads it.
func TestFilterOneEnter(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 80, 24)
	press(a, "/", "d", "i", "g")
	msg, ok := loadAfter(a, tea.KeyMsg{Type: tea.KeyEnter}).(dataLoadedMsg)
	if !ok || msg.ref != "digits" {
		t.Fatalf("one enter after /dig loaded %+v, want digits", msg)
	}
}

// TestListJumpsAndWords: g/G jump to the ends; kinds read as words.
func TestListJumpsAndWords(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 80, 24)
	dp := a.impl.panes[paneData].(*dataPane)
	press(a, "G")
	if dp.cursor != len(dp.visible)-1 {
		t.Errorf("G: cursor %d, want the last row %d", dp.cursor, len(dp.visible)-1)
	}
	press(a, "g")
	if dp.cursor != 0 {
		t.Errorf("g: cursor %d, want 0", dp.cursor)
	}
	v := a.View()
	if strings.Contains(v, " inst ") || strings.Contains(v, " regr ") || !strings.Contains(v, "regression") || !strings.Contains(v, "2-D points") {
		t.Errorf("list kinds are not words:\n%s", v)
	}
}

// TestLoadedFileMarked: a CSV the plan trains on shows in the list, ticked.
func TestLoadedFileMarked(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 80, 24)
	ds := a.impl.data
	a.Update(dataLoadedMsg{ref: "/tmp/somewhere/houses.csv", ds: ds})
	if v := a.View(); !strings.Contains(v, "houses.csv (file) ✓") {
		t.Errorf("the loaded CSV is not marked in the list:\n%s", v)
	}
}
