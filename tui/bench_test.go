package tui

import (
	"math"
	"testing"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/linechart"

	"workbench/engine"
)

// BenchmarkTrainView is one full View() of the Train pane at 160×48 with
// 200 epochs of history, charts re-rendered every time (no cache).
func BenchmarkTrainView(b *testing.B) {
	a := newTestApp(b, Options{})
	size(a, 160, 48)
	press(a, "3")
	tp := fillHistory(a, 200)
	b.ReportAllocs()
	for b.Loop() {
		tp.invalidate()
		_ = a.View()
	}
}

// BenchmarkTrainEventCycle is the UI's whole cost of one epoch event:
// Update with the event (charts re-rendered) and the View that follows.
func BenchmarkTrainEventCycle(b *testing.B) {
	a := newTestApp(b, Options{})
	size(a, 160, 48)
	press(a, "3")
	tp := fillHistory(a, 200)
	tp.state = trainRunning
	tp.runID = 7
	e := engine.Event{Kind: engine.EpochEnd, Epoch: 201, Epochs: 400, Loss: 0.1, Accuracy: 0.9, ValLoss: 0.2, ValAccuracy: 0.88, LearningRate: 0.01, SamplesPerSec: 1e5}
	b.ReportAllocs()
	for b.Loop() {
		tp.history = tp.history[:200]
		tp.lastRender = tp.lastRender.AddDate(-1, 0, 0) // past the redraw gap: render now
		a.Update(trainEventMsg{run: 7, e: e})
		_ = a.View()
	}
}

// BenchmarkNtchartsLineView measures ntcharts' linechart (braille lines,
// per-cell rendering) at the size of one Train pane chart, for comparison
// with lineChart.
func BenchmarkNtchartsLineView(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		lc := linechart.New(78, 20, 1, 200, 0, 1.2)
		for i := 1; i < 200; i++ {
			x0, x1 := float64(i), float64(i+1)
			lc.DrawBrailleLine(canvas.Float64Point{X: x0, Y: 1.1 * math.Exp(-x0/15)}, canvas.Float64Point{X: x1, Y: 1.1 * math.Exp(-x1/15)})
		}
		lc.DrawXYAxisAndLabel()
		_ = lc.View()
	}
}

// BenchmarkLineChart is our chart alone at the same size.
func BenchmarkLineChart(b *testing.B) {
	st := DefaultStyles(asciiRenderer())
	ys := make([]float64, 200)
	for i := range ys {
		ys[i] = 1.1 * math.Exp(-float64(i)/15)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = lineChart(chartSpec{w: 78, h: 20, series: []series{{ys: ys, x0: 1, style: st.Train}}, xMin: 1, xMax: 200, yMin: 0, yMax: math.NaN(), axis: st.Axis})
	}
}
