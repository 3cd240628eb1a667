package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"

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

// TestCompareZoomAndPan: + zooms the overlay to half the epoch axis (the
// later half: the view starts at the end, as the Train pane's does), <
// pans earlier, - goes back to all of it; the title says what is shown.
func TestCompareZoomAndPan(t *testing.T) {
	store := newStore(t)
	trainRuns(t, store, runSpec{"a", 0.01, 40}, runSpec{"b", 0.01, 40})
	app := newTestApp(t, Options{Store: store})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	typeText(tm, "5")
	waitFor(t, tm, "listed", contains("sessions · 2, newest first"))
	for _, k := range []string{"m", "j", "m", "="} {
		typeText(tm, k)
	}
	waitFor(t, tm, "compare", contains("compare · 2 runs"))
	typeText(tm, "+")
	waitFor(t, tm, "zoomed", contains("showing 50–100% of the epoch axis"))
	typeText(tm, "<")
	waitFor(t, tm, "panned", contains("showing 38–88% of the epoch axis"))
	typeText(tm, "-")
	waitFor(t, tm, "whole", func(s string) bool { return contains("compare · 2 runs")(s) && !contains("showing")(s) })
	typeText(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
}

// TestMarkChartWindow: the window keeps the epochs inside it and the y
// range follows what is shown.
func TestMarkChartWindow(t *testing.T) {
	ys := make([]float64, 100)
	for i := range ys {
		ys[i] = float64(100 - i) // 100 … 1
	}
	whole := markChart([]runCurve{{ys: ys, mark: '●'}}, xAbsolute, [2]float64{0, 1}, 60, 12, lipgloss.NewStyle(), false)
	late := markChart([]runCurve{{ys: ys, mark: '●'}}, xAbsolute, [2]float64{0.5, 1}, 60, 12, lipgloss.NewStyle(), false)
	// y ticks read "80│": the whole run reaches 100, its later half 50.
	if !strings.Contains(whole, "80│") || strings.Contains(late, "80│") || !strings.Contains(late, "50│") {
		t.Fatalf("the later half's y axis does not follow what it shows:\n%s\n%s", whole, late)
	}
}
