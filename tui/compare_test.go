package tui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"workbench/sessions"
)

// runSpec is a session for trainRuns to train.
type runSpec struct {
	name   string
	lr     float64
	epochs int
}

// trainRuns saves one iris session per spec into store.
func trainRuns(t *testing.T, store *sessions.Store, runs ...runSpec) {
	t.Helper()
	for _, r := range runs {
		h := sessions.DefaultHyper()
		h.LearningRate, h.Epochs = r.lr, r.epochs
		pr, err := sessions.Prepare(sessions.Plan{Name: r.name, DataRef: "iris", Layers: "8:relu", Hyper: h})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.Train(t.Context(), pr, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCompareThreeRuns marks three sessions and overlays them: each run has
// its own glyph in the chart and in the legend rows, the settings that
// differ (lr, epochs) are columns and the shared ones are collapsed; y and
// x cycle the metric and the epoch axis.
func TestCompareThreeRuns(t *testing.T) {
	store := newStore(t)
	trainRuns(t, store, runSpec{"slow", 0.001, 3}, runSpec{"mid", 0.01, 6}, runSpec{"fast", 0.1, 12})
	app := newTestApp(t, Options{Store: store})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	typeText(tm, "5")
	waitFor(t, tm, "listed", contains("sessions · 3, newest first"))
	for _, k := range []string{"m", "j", "m", "j", "m"} {
		typeText(tm, k)
	}
	waitFor(t, tm, "three marked", contains("3 marked"))
	typeText(tm, "=")
	waitFor(t, tm, "compare", contains("compare · 3 runs", "loss · epochs", "absolute", "● fast", "▲ mid", "■ slow",
		"lr", "epochs", "same for all: ", "optimizer adam"))
	typeText(tm, "y")
	waitFor(t, tm, "accuracy", contains("accuracy · epochs"))
	typeText(tm, "x")
	waitFor(t, tm, "normalised", contains("normalised", "100%"))
	typeText(tm, "x")
	waitFor(t, tm, "log", contains("epochs x log"))
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitFor(t, tm, "back", contains("= compare"))
	typeText(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
}
