package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"workbench/datasets"
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

// TestDataPaneRescans: entering the Data pane scans the catalogue again,
// so a set installed meanwhile appears; a missing Fashion-MNIST says how
// to get it.
func TestDataPaneRescans(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 80, 24)
	dp := a.impl.panes[paneData].(*dataPane)
	full := len(dp.cat)
	dp.cat = dp.cat[:full-1] // as if the last one were not installed at start
	dp.refilter()
	a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("2")})
	_, cmd := a.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("1")})
	if cmd == nil {
		t.Fatal("entering the Data pane asked for nothing")
	}
	a.Update(rescanCatalog())
	if len(dp.cat) != full {
		t.Errorf("after entering Data the catalogue has %d sets, want %d", len(dp.cat), full)
	}
	size(a, 160, 48)
	dp.cat = nil // nothing installed, and no built-ins either: only the line matters here
	dp.refilter()
	if v := a.View(); !contains("fashion-mnist is not installed", "apt-get", "install dataset-fashion-mnist")(v) {
		t.Errorf("no line on how to get Fashion-MNIST when it is missing:\n%s", v)
	}
}

// TestDroppedRowsCounted: rows dropped for missing values are counted in
// the preview, as the CLI counts them.
func TestDroppedRowsCounted(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 100, 30)
	path := filepath.Join(t.TempDir(), "gaps.csv")
	if err := os.WriteFile(path, []byte("a,b,y\n1,2,x\n3,,y\n5,6,x\n7,8,y\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := datasets.LoadOptions{DropMissing: true}
	ds, err := loadDataset(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	a.Update(dataLoadedMsg{ref: path, opts: opts, ds: ds})
	if v := a.View(); !strings.Contains(v, "1 row dropped for missing values") {
		t.Errorf("the preview does not count the dropped row:\n%s", v)
	}
}
