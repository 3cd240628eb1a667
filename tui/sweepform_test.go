package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// TestSweepFromModelPane fills the sweep form (a bad value is named and
// counts nothing; a 2 × 3 grid counts 6 runs before it starts), runs it
// on the Train pane with its progress and leaderboard, and ends on the
// Sessions pane filtered to the sweep, best first by its metric.
func TestSweepFromModelPane(t *testing.T) {
	store := newStore(t)
	app := newTestApp(t, Options{Store: store})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	waitFor(t, tm, "iris", contains("150 rows"))
	typeText(tm, "2")
	typeText(tm, "w")
	waitFor(t, tm, "form", contains("sweep · iris", "values to try", "type the values to try"))
	typeText(tm, "8:relu|16:relu")
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	typeText(tm, "0.1|fast")
	waitFor(t, tm, "bad value named", contains(`fast`, "lr"))
	for range 4 {
		tm.Send(tea.KeyMsg{Type: tea.KeyBackspace})
	}
	typeText(tm, "0.01|0.001")
	waitFor(t, tm, "count", contains("6 runs of iris"))
	for range 5 { // optimizer, batch, l2, dropout, epochs
		tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	}
	typeText(tm, "3")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "sweep running", contains("sweep iris-sweep · run ", " of 6 · ", "leaderboard · "))
	waitFor(t, tm, "sessions pane on the sweep", contains("sessions · 6 of 6, sorted by -val_metric · /sweep=iris-sweep", "best val▼"))
	typeText(tm, "H") // what the sweep varied and its metric, from its record
	waitFor(t, tm, "metric vs setting", contains("metric vs setting · sweep iris-sweep", "best_val_accuracy · 6 runs", "layers", "lr", "16:relu", "0.001"))
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	typeText(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))

	es, err := store.List()
	if err != nil || len(es) != 6 {
		t.Fatalf("sessions %d, %v; want the 6 runs", len(es), err)
	}
	for _, e := range es {
		if e.Session.Sweep != "iris-sweep" || !strings.HasPrefix(e.Session.Name, "iris-sweep-") || e.Session.Hyper.Epochs != 3 {
			t.Errorf("run %s: sweep %q, %d epochs", e.Session.Name, e.Session.Sweep, e.Session.Hyper.Epochs)
		}
	}
	a := tm.FinalModel(t).(*App).impl
	sp := a.panes[paneSessions].(*sessionsPane)
	if r, ok := sp.selected(); !ok || a.current == nil || r.ID != a.current.ID {
		t.Errorf("the cursor is not on the current session (the sweep's best)")
	}
}

// TestSweepStops: x during a sweep stops it as Ctrl-C stops the CLI's: the
// run training is saved as stopped, the rest never start, and the Sessions
// pane shows what was kept.
func TestSweepStops(t *testing.T) {
	store := newStore(t)
	app := newTestApp(t, Options{Store: store})
	app.impl.plan.Hyper.Patience = 0
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	waitFor(t, tm, "iris", contains("150 rows"))
	typeText(tm, "2")
	typeText(tm, "w")
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	typeText(tm, "0.01|0.001|0.0001")
	for range 5 {
		tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	}
	typeText(tm, "1000000")
	waitFor(t, tm, "count", contains("3 runs of iris"))
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "first run training", contains("run 1 of 3", "samples/s"))
	typeText(tm, "x")
	waitFor(t, tm, "the kept run listed", contains("sessions · 1 of 1, sorted by -val_metric · /sweep=iris-sweep", "stopped"))
	typeText(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
	es, err := store.List()
	if err != nil || len(es) != 1 || es[0].Session.Status != "stopped" || es[0].Session.Sweep != "iris-sweep" {
		t.Fatalf("want one stopped run of iris-sweep, got %d sessions (%v)", len(es), err)
	}
}
