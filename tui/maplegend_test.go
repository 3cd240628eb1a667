package tui

import (
	"strings"
	"testing"

	"workbench/datasets"
	"workbench/sessions"
)

// mapApp is a finished spiral run in the Train pane with a made-up
// decision map (left half arm 1, right half arm 2, unsure in the middle):
// deterministic, for goldens.
func mapApp(t testing.TB, w, h int) (*App, *trainPane) {
	a := newTestApp(t, Options{})
	size(a, w, h)
	press(a, "3")
	tp := fillHistory(a, 60)
	ds, err := datasets.Load("spiral?n=200&seed=1", datasets.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tp.ds, tp.task, tp.classes = ds, ds.Task, ds.ClassNames
	tp.test.Confusion = [][]int{{18, 2}, {3, 17}}
	tp.split = sessions.SplitInfo{Val: 0.2, Test: 0.2, Seed: 1}
	if w < 120 {
		press(a, "v") // charts → map
	}
	_ = a.View() // lays the map out
	gw, gh := tp.mapW, tp.mapH
	g := &sessions.Grid{W: gw, H: gh, Bounds: sessions.PlaneBounds(ds), Class: make([]int, gw*gh), Conf: make([]float64, gw*gh)}
	for r := range gh {
		for c := range gw {
			i := r*gw + c
			g.Class[i], g.Conf[i] = 0, 0.9
			if c >= gw/2 {
				g.Class[i] = 1
			}
			if c >= gw/2-1 && c <= gw/2 {
				g.Conf[i] = 0.55
			}
		}
	}
	tp.grid, tp.gridEpoch = &boundaryGrid{w: gw, h: gh, Grid: g}, 60
	return a, tp
}

// TestMapGoldens pins the decision map with its legend at 80×24 (the map
// view) and 200×50 (beside the charts): the map takes the pane's height,
// the legend names the classes, shades and marks, and points on the wrong
// side are crossed out.
func TestMapGoldens(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {200, 50}} {
		a, tp := mapApp(t, sz[0], sz[1])
		v := a.View()
		checkFits(t, v, sz[0], sz[1])
		for _, want := range []string{"● arm 1", "◆ arm 2", "✗"} {
			if !strings.Contains(v, want) {
				t.Errorf("%v: the map lacks %q", sz, want)
			}
		}
		if sz[0] >= 120 {
			if tp.mapH < sz[1]*3/4 || tp.mapW < sz[0]*2/5 {
				t.Errorf("%v: the map is %d×%d cells, want most of the pane", sz, tp.mapW, tp.mapH)
			}
			for _, want := range []string{"predicted", "under 60% sure", "misclassified", "all points"} {
				if !strings.Contains(v, want) {
					t.Errorf("%v: the legend lacks %q", sz, want)
				}
			}
		}
		golden(t, "train-map-"+itoa(sz[0])+"x"+itoa(sz[1])+".golden", v)
	}
}

// TestMapPointsToggle: o cycles the map's points through the train and
// test splits (as the session split them) to none.
func TestMapPointsToggle(t *testing.T) {
	a, tp := mapApp(t, 200, 50)
	count := func() int {
		v := a.View()
		return strings.Count(v, "●") + strings.Count(v, "◆") + strings.Count(v, "✗") - 3 // less the legend's ● ◆ ✗
	}
	all := count()
	press(a, "o")
	train := count()
	if !strings.Contains(a.View(), "train points") || tp.mapPoints().Rows() != 120 {
		t.Fatalf("o did not show the train split (%d rows)", tp.mapPoints().Rows())
	}
	press(a, "o")
	test := count()
	if tp.mapPoints().Rows() != 40 {
		t.Fatalf("test split of %d rows, want 40", tp.mapPoints().Rows())
	}
	press(a, "o")
	if n := count(); n != 0 || !strings.Contains(a.View(), "no points") {
		t.Errorf("no points shows %d", n)
	}
	if !(all > train && train > test && test > 0) {
		t.Errorf("points drawn: all %d, train %d, test %d", all, train, test)
	}
}

// BenchmarkTrainViewMap is one full View() of the Train pane at 160×48
// with a spiral's decision map and legend beside the charts, charts
// re-rendered every time, smoothing on (its raw lines drawn too).
func BenchmarkTrainViewMap(b *testing.B) {
	a, tp := mapApp(b, 160, 48)
	press(a, "s", "s", "s")
	b.ReportAllocs()
	for b.Loop() {
		tp.invalidate()
		_ = a.View()
	}
}
