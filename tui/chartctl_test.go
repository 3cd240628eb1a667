package tui

import (
	"math"
	"strings"
	"testing"

	"workbench/engine"
	"workbench/sessions"
)

// TestChartWindow: zooming halves the epochs shown, panning moves the
// window within the run and never past its ends.
func TestChartWindow(t *testing.T) {
	for _, c := range []struct {
		zoom     int
		pan      float64
		from, to float64
	}{
		{0, 1, 1, 201},
		{1, 1, 101, 201},
		{1, 0, 1, 101},
		{2, 0.5, 76, 126},
		{10, 1, 197, 201}, // never fewer than 4 epochs
	} {
		a, b := chartCtl{zoom: c.zoom, pan: c.pan}.window(1, 201)
		if math.Abs(a-c.from) > 1e-9 || math.Abs(b-c.to) > 1e-9 {
			t.Errorf("zoom %d pan %v: window %v–%v, want %v–%v", c.zoom, c.pan, a, b, c.from, c.to)
		}
	}
	c := chartCtl{zoom: 1, pan: 1}
	for range 10 {
		c.pan = math.Max(0, c.pan-c.panStep())
	}
	if a, _ := c.window(1, 201); a != 1 {
		t.Errorf("panning left 10 times stops at %v, want the first epoch", a)
	}
}

// TestChartControls drives the Train pane's chart keys: each setting
// shows in the chart's title and changes what is drawn.
func TestChartControls(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 160, 48)
	press(a, "3")
	tp := fillHistory(a, 200)
	plain := a.View()
	tp.lossChart = ""
	for _, c := range []struct {
		key, want string
	}{
		{"s", "loss · smooth 0.6"},
		{"L", "loss · smooth 0.6 · log y"},
		{"+", "epochs 101–200"},
		{"<", "epochs 76–175"},
		{"T", "train hidden"},
		{"V", "train, val hidden"},
		{"l", "┄ lr 0.01"},
	} {
		press(a, c.key)
		v := a.View()
		if !strings.Contains(v, c.want) {
			t.Fatalf("after %s the view lacks %q:\n%s", c.key, c.want, v)
		}
	}
	if n := strings.Count(a.View(), "┄ lr"); n != 1 {
		t.Errorf("the learning rate is in %d legends, want the loss chart's only", n)
	}
	if strings.Contains(a.View(), "accuracy · smooth 0.6 · log y") {
		t.Error("the accuracy chart claims a log axis")
	}
	press(a, "T", "V", "l", "-", "L", "s", "s", "s", "s", "s")
	if v := a.View(); v != plain {
		t.Errorf("the settings cycled back do not give the plain view:\n%s", v)
	}
}

// TestSmoothingRedraws: s redraws the loss chart (the smoothed line over
// the raw one), not just its title.
func TestSmoothingRedraws(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 160, 48)
	press(a, "3")
	tp := fillHistory(a, 200)
	for i := range tp.history {
		tp.history[i].Loss = 1 + 0.5*math.Sin(float64(i)*1.7)
	}
	tp.invalidate()
	_ = a.View()
	before := tp.lossChart
	press(a, "s", "s", "s")
	_ = a.View()
	if tp.lossChart == before {
		t.Error("smoothing 0.9 left the loss chart as it was")
	}
}

// BenchmarkTrainView100kSmoothed is BenchmarkTrainView100k with smoothing
// 0.9: each curve is averaged from epoch 1 before its envelope is taken.
func BenchmarkTrainView100kSmoothed(b *testing.B) {
	a := newTestApp(b, Options{})
	size(a, 160, 48)
	press(a, "3")
	tp := fillHistory(a, 100_000)
	press(a, "s", "s", "s")
	b.ReportAllocs()
	for b.Loop() {
		tp.invalidate()
		_ = a.View()
	}
}

// TestSmoothCacheFollowsSession: a session of the same length opened after
// another is smoothed afresh, not drawn from the first one's cache.
func TestSmoothCacheFollowsSession(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 160, 48)
	press(a, "3")
	tp := fillHistory(a, 50)
	press(a, "s")
	_ = a.View()
	first := tp.lossChart
	other := make([]engine.EpochStats, 50)
	for i := range other {
		other[i] = tp.history[i]
		other[i].Loss = 2 - tp.history[i].Loss
	}
	tp.loadSession(&sessions.Session{History: other, Status: sessions.Finished})
	tp.invalidate()
	_ = a.View()
	ys := make([]float64, len(other))
	for i, e := range other {
		ys[i] = e.Loss
	}
	want := sessions.Smooth(ys, 0.6)
	if got := tp.smoothCache["loss"].ys; tp.lossChart == first || len(got) != len(want) || got[10] != want[10] {
		t.Error("the second session's loss is drawn smoothed from the first one's")
	}
}
