package tui

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/linechart"

	"workbench/engine"
	"workbench/sessions"
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

// benchTraining trains digits for a few epochs through sessions.Store.Train,
// optionally with a consumer doing the UI's work for every event (Update
// and View of the Train pane at 160×48), to measure what watching costs the
// training. Compare BenchmarkTrainingHeadless with BenchmarkTrainingWatched.
func benchTraining(b *testing.B, watched bool) {
	store := newStore(b)
	a := newTestApp(b, Options{Store: store})
	size(a, 160, 48)
	press(a, "3")
	tp := a.impl.panes[paneTrain].(*trainPane)
	h := sessions.DefaultHyper()
	h.Epochs, h.Patience = 10, 0
	plan := sessions.Plan{DataRef: "digits", Layers: "64:relu", Hyper: h}
	var uiTime time.Duration
	events := 0
	for b.Loop() {
		b.StopTimer()
		p, err := sessions.Prepare(plan)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		var onEvent func(engine.Event)
		done := make(chan struct{})
		relay := engine.NewRelay()
		if watched {
			onEvent = relay.Handle
			tp.state, tp.runID = trainRunning, 99
			go func() {
				defer close(done)
				for {
					e, ok := relay.Next(context.Background())
					if !ok {
						return
					}
					t0 := time.Now()
					a.Update(trainEventMsg{run: 99, e: e})
					_ = a.View()
					uiTime += time.Since(t0)
					events++
				}
			}()
		} else {
			close(done)
		}
		if _, err := store.Train(context.Background(), p, onEvent, nil); err != nil {
			b.Fatal(err)
		}
		relay.Close()
		<-done
	}
	if watched {
		// the UI's busy time per run: the CPU watching takes from training
		b.ReportMetric(float64(uiTime.Microseconds())/float64(b.N)/1000, "ui-ms/op")
		b.ReportMetric(float64(events)/float64(b.N), "events/op")
	}
}

func BenchmarkTrainingHeadless(b *testing.B) { benchTraining(b, false) }
func BenchmarkTrainingWatched(b *testing.B)  { benchTraining(b, true) }

// BenchmarkTrainView100k is BenchmarkTrainView with 100,000 epochs of
// history: the charts draw the history's envelope, not every point.
func BenchmarkTrainView100k(b *testing.B) {
	a := newTestApp(b, Options{})
	size(a, 160, 48)
	press(a, "3")
	tp := fillHistory(a, 100_000)
	b.ReportAllocs()
	for b.Loop() {
		tp.invalidate()
		_ = a.View()
	}
}

// BenchmarkSessionsView1000 draws the runs table of 1,000 sessions at
// 160×48 (its layout measures every row's values once, not every frame).
func BenchmarkSessionsView1000(b *testing.B) {
	a := newTestApp(b, Options{})
	var es []sessions.Entry
	for i := range 1000 {
		id := fmt.Sprintf("s%04d", i)
		es = append(es, sessions.Entry{ID: id, Session: &sessions.Session{ID: id, Name: id, Hyper: sessions.DefaultHyper(), Created: time.Now(),
			Layers: "64:relu,64:relu", Status: sessions.Finished, BestEpoch: 1, Data: sessions.DataInfo{Ref: "digits", Classes: []string{"a", "b"}},
			History: []engine.EpochStats{{Epoch: 1, Loss: 1, ValLoss: 1, ValAccuracy: 0.5}}}})
	}
	size(a, 160, 48)
	press(a, "5")
	a.Update(sessionsListedMsg{entries: es})
	b.ResetTimer()
	for range b.N {
		_ = a.View()
	}
}
