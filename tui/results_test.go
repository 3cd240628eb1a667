package tui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"workbench/datasets"
	"workbench/sessions"
)

// TestResultsShowClassReport: a finished classifier's results carry the
// per-class precision/recall/F1/support and the macro and weighted
// averages, at 160×48 beside the charts and at 80×24 in the results view.
func TestResultsShowClassReport(t *testing.T) {
	for _, sz := range [][2]int{{160, 48}, {80, 24}} {
		a := newTestApp(t, Options{})
		size(a, sz[0], sz[1])
		press(a, "3")
		fillHistory(a, 60)
		if sz[0] < 120 {
			press(a, "v") // charts → results (iris has no map)
		}
		v := a.View()
		checkFits(t, v, sz[0], sz[1])
		for _, want := range []string{"PRECISION", "RECALL", "versicolor     1.0000  0.9000  0.9474       10", "macro avg", "weighted avg"} {
			if !strings.Contains(v, want) {
				t.Errorf("%v: results lack %q:\n%s", sz, want, v)
			}
		}
	}
}

// TestRegressionPredictedVsActual trains a regression end to end and waits
// for the test split's predicted-vs-actual plot, computed by a command
// after the session is saved.
func TestRegressionPredictedVsActual(t *testing.T) {
	app := newTestApp(t, Options{})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	ds, err := datasets.Load("diabetes", datasets.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tm.Send(dataLoadedMsg{ref: "diabetes", ds: ds})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("3")})
	waitFor(t, tm, "train pane ready", contains("ready", "diabetes"))
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor(t, tm, "the predicted-vs-actual plot", contains("finished", "predicted (y) against actual (x)"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
}

// TestOpenedRegressionShowsPairs: a regression session opened with
// --session gets its predicted-vs-actual plot too (the command opening it
// asked for was dropped while New had no program to run it).
func TestOpenedRegressionShowsPairs(t *testing.T) {
	st := newStore(t)
	pr, err := sessions.Prepare(sessions.Plan{DataRef: "sine?n=120", Hyper: sessions.Hyper{Epochs: 3, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := st.Train(context.Background(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	app := newTestApp(t, Options{Store: st, SessionID: s.ID})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	waitFor(t, tm, "the predicted-vs-actual plot", contains("predicted (y) against actual (x)"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
}
