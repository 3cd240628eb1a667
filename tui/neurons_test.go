package tui

import (
	"io"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"context"
	"math"
	"strings"
	"testing"

	"workbench/datasets"
	"workbench/engine"
	"workbench/sessions"
)

// spiral3x8 is the hidden layers of `--layers 8:tanh,8:tanh,8:tanh`.
var spiral3x8 = []engine.LayerSpec{
	{Kind: "dense", Units: 8, Activation: "tanh"},
	{Kind: "dense", Units: 8, Activation: "tanh"},
	{Kind: "dense", Units: 8, Activation: "tanh"},
}

// neuronApp is mapApp with the neurons shown (u) and a made-up map and
// made-up neuron pictures (neuron k a tanh ramp at 45°·k) at the sizes
// the layout chose: deterministic, for goldens.
func neuronApp(t testing.TB, w, h int) (*App, *trainPane) {
	a, tp := mapApp(t, w, h)
	tp.neurons.hidden = spiral3x8
	press(a, "u")
	_ = a.View() // lays the map and the neurons out
	fakeMap(tp)
	return a, tp
}

// fakeMap fills tp's map and neurons for the layout on screen.
func fakeMap(tp *trainPane) {
	gw, gh := tp.mapW, tp.mapH
	g := &sessions.Grid{W: gw, H: gh, Bounds: sessions.PlaneBounds(tp.ds), Class: make([]int, gw*gh), Conf: make([]float64, gw*gh)}
	for i := range g.Class {
		g.Class[i], g.Conf[i] = 0, 0.9
		if i%gw >= gw/2 {
			g.Class[i] = 1
		}
	}
	req := tp.neuronReq()
	set := &neuronSet{act: "tanh"}
	for k := range tp.units() {
		th := float64(k) * math.Pi / 4
		v := make([]float64, req.tw*req.th)
		for r := range req.th {
			for c := range req.tw {
				x, y := (float64(c)+0.5)/float64(req.tw)*2-1, 1-(float64(r)+0.5)/float64(req.th)*2
				v[r*req.tw+c] = math.Tanh(2 * (math.Cos(th)*x + math.Sin(th)*y))
			}
		}
		set.grids = append(set.grids, v)
	}
	tp.grid, tp.gridEpoch = &boundaryGrid{w: gw, h: gh, Grid: g, req: req, neurons: set}, 60
}

// TestNeuronGridGolden pins the neuron grid of a spiral with 3×8 tanh
// hidden layers at 200×50: one layer's 8 neurons at a time below the map,
// shaded both ways from 0, with the layer named.
func TestNeuronGridGolden(t *testing.T) {
	a, tp := neuronApp(t, 200, 50)
	v := a.View()
	checkFits(t, v, 200, 50)
	if tp.neurons.perPage < 8 || tp.pages() != 1 {
		t.Errorf("at 200×50 a layer of 8 takes %d pages of %d", tp.pages(), tp.neurons.perPage)
	}
	for _, want := range []string{"neurons · layer 1/3 (8 tanh)", "█", "#", "decision boundary"} {
		if !strings.Contains(v, want) {
			t.Errorf("the view lacks %q", want)
		}
	}
	golden(t, "train-neurons-200x50.golden", v)
}

// TestNeuronPaging: ] and [ walk every layer's pages in turn and back, u
// hides the box and the map takes its room again.
func TestNeuronPaging(t *testing.T) {
	a, tp := neuronApp(t, 80, 24)
	title := func() string {
		v := a.View()
		i := strings.Index(v, "neurons · ")
		if i < 0 {
			return ""
		}
		return v[i : i+strings.Index(v[i:], ")")+1]
	}
	if got := title(); got != "neurons · layer 1/3 (8 tanh)" {
		t.Fatalf("80×24: %q", got)
	}
	pages := tp.pages()
	var seen []int
	for i := 0; i <= 3*pages; i++ {
		seen = append(seen, tp.neurons.layer*10+tp.neurons.page)
		if i < 3*pages {
			press(a, "]")
		}
	}
	if seen[len(seen)-1] != 0 || seen[pages] != 10 || seen[2*pages] != 20 {
		t.Fatalf("] went through layer·10+page %v (%d pages a layer)", seen, pages)
	}
	press(a, "[")
	if tp.neurons.layer != 2 || tp.neurons.page != pages-1 {
		t.Fatalf("[ from the first page: layer %d page %d", tp.neurons.layer, tp.neurons.page)
	}
	if got := title(); !strings.Contains(got, "layer 3/3") {
		t.Fatalf("after [: %q", got)
	}
	w := tp.mapW
	press(a, "u")
	if got := title(); got != "" || tp.neuronReq().on {
		t.Fatalf("u did not hide the neurons: %q", got)
	}
	if _ = a.View(); tp.mapW < w {
		t.Fatalf("the map shrank from %d to %d columns with the neurons hidden", w, tp.mapW)
	}
}

// TestComputeBoundaryBringsTheNeurons: the map's command computes the
// neurons asked for on the snapshot's model, and the pane shows them only
// while they are of the layer and size on screen.
func TestComputeBoundaryBringsTheNeurons(t *testing.T) {
	st := newStore(t)
	pr, err := sessions.Prepare(sessions.Plan{DataRef: "spiral?n=100&seed=1", Layers: "8:tanh,8:tanh,8:tanh", Hyper: sessions.Hyper{Epochs: 2, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := st.Train(context.Background(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	req := neuronReq{on: true, layer: 2, tw: 10, th: 5}
	msg := computeBoundary(&snapshot{sess: s, epoch: 2}, pr.Dataset, sessions.SplitInfo{}, 20, 10, req)().(boundaryMsg)
	set := msg.grid.neurons
	if set == nil || len(set.grids) != 8 || len(set.grids[0]) != 50 || set.act != "tanh" || msg.grid.req != req {
		t.Fatalf("neurons %+v", set)
	}
	want, _ := s.NeuronGrids(pr.Dataset, 2, 10, 5)
	if set.grids[7][49] != want[7][49] {
		t.Fatalf("neuron 7's last cell %v, sessions says %v", set.grids[7][49], want[7][49])
	}
	msg = computeBoundary(&snapshot{sess: s, epoch: 2}, pr.Dataset, sessions.SplitInfo{}, 20, 10, neuronReq{})().(boundaryMsg)
	if msg.grid.neurons != nil {
		t.Fatal("neurons computed though none were asked for")
	}
	tp := &trainPane{ds: pr.Dataset, task: datasets.Classification, grid: &boundaryGrid{req: req, neurons: set}}
	tp.neurons = neuronState{on: true, layer: 1, hidden: spiral3x8, tw: 10, th: 5}
	if tp.shownNeurons() != nil {
		t.Fatal("layer 3's pictures were shown as layer 2's")
	}
	tp.neurons.layer = 2
	if tp.shownNeurons() != set {
		t.Fatal("the pictures of the layer on screen were not shown")
	}
}

// BenchmarkTrainViewNeurons is BenchmarkTrainViewMap with the neurons
// shown (spiral, 3×8 tanh hidden): one full View() of the Train pane at
// 160×48, charts re-rendered every time, smoothing on; in the tests' plain
// profile and with true colour (every shade styled).
func BenchmarkTrainViewNeurons(b *testing.B) {
	for _, colour := range []bool{false, true} {
		name := "ascii"
		if colour {
			name = "truecolor"
		}
		b.Run(name, func(b *testing.B) {
			a, tp := neuronApp(b, 160, 48)
			if colour {
				r := lipgloss.NewRenderer(io.Discard)
				r.SetColorProfile(termenv.TrueColor)
				r.SetHasDarkBackground(true)
				tp.st = DefaultStyles(r)
			}
			press(a, "s", "s", "s")
			if v := a.View(); !strings.Contains(v, "neurons · layer 1/3") {
				b.Fatal("no neurons on screen")
			}
			b.ReportAllocs()
			for b.Loop() {
				tp.invalidate()
				_ = a.View()
			}
		})
	}
}

// TestNeuronCurvesOfAFit: a 1-D regression's neurons come as one curve a
// neuron over the fit's x range, in a box below the fit plot.
func TestNeuronCurvesOfAFit(t *testing.T) {
	st := newStore(t)
	pr, err := sessions.Prepare(sessions.Plan{DataRef: "sine?n=80", Layers: "5:tanh,3:relu", Hyper: sessions.Hyper{Epochs: 2, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := st.Train(context.Background(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, Options{Store: st, SessionID: s.ID})
	size(a, 160, 48)
	press(a, "3")
	tp := a.impl.panes[paneTrain].(*trainPane)
	tp.ds = pr.Dataset
	press(a, "u", "]")
	_ = a.View()
	req := tp.neuronReq()
	if !req.on || req.layer != 1 {
		t.Fatalf("u then ]: %+v", req)
	}
	set := neuronsOf(s, pr.Dataset, req)
	if set == nil || len(set.grids) != 3 || len(set.xs) != req.tw || len(set.grids[0]) != req.tw || set.act != "relu" {
		t.Fatalf("curves %+v for %+v", set, req)
	}
	tp.grid = &boundaryGrid{w: tp.mapW, h: tp.mapH, req: req, neurons: set}
	v := a.View()
	checkFits(t, v, 160, 48)
	fit, neurons := strings.Index(v, "╭─ fit"), strings.Index(v, "neurons · layer 2/2 (3 relu)")
	if fit < 0 || neurons < fit {
		t.Fatalf("want the neurons' curves below the fit plot:\n%s", v)
	}
}

// TestNeuronsAskedWhileAMapComputes: u pressed while a finished session's
// map is being computed gets its neurons when that map arrives (the
// layout changed under it), from the session's model.
func TestNeuronsAskedWhileAMapComputes(t *testing.T) {
	st := newStore(t)
	pr, err := sessions.Prepare(sessions.Plan{DataRef: "spiral?n=100&seed=1", Layers: "8:tanh,8:tanh,8:tanh", Hyper: sessions.Hyper{Epochs: 2, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := st.Train(context.Background(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, Options{Store: st, SessionID: s.ID})
	size(a, 200, 50)
	press(a, "3")
	tp := a.impl.panes[paneTrain].(*trainPane)
	tp.ds, tp.state = pr.Dataset, trainDone
	_ = a.View()
	tp.computing = true // a map without neurons is on its way
	old := &boundaryGrid{w: tp.mapW, h: tp.mapH, Grid: &sessions.Grid{}}
	press(a, "u")
	cmd := tp.Update(boundaryMsg{epoch: 2, grid: old})
	if cmd == nil {
		t.Fatal("the map that arrived has no neurons, and none were asked for")
	}
	tp.Update(cmd())
	if set := tp.shownNeurons(); set == nil || len(set.grids) != 8 {
		t.Fatalf("neurons on screen: %+v", set)
	}
	if v := a.View(); !strings.Contains(v, "neurons · layer 1/3 (8 tanh)") || strings.Contains(v, "computing…") {
		t.Fatalf("the neuron box:\n%s", v)
	}
}

// TestMapMarksPointsByTheirOwnPrediction: the map's command brings each
// point's predicted class (all points, the train and the test split), and
// a point is crossed exactly when its own prediction is wrong, whatever
// class its cell shows.
func TestMapMarksPointsByTheirOwnPrediction(t *testing.T) {
	st := newStore(t)
	pr, err := sessions.Prepare(sessions.Plan{DataRef: "moons?n=200&seed=2", Layers: "4:tanh", Hyper: sessions.Hyper{Epochs: 3, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := st.Train(context.Background(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	split := s.Split
	msg := computeBoundary(&snapshot{sess: s, epoch: 3}, pr.Dataset, split, 30, 12, neuronReq{})().(boundaryMsg)
	g := msg.grid
	if len(g.pred[pointsAll]) != pr.Dataset.Rows() || len(g.pred[pointsTest]) != s.Data.TestRows || len(g.pred[pointsTrain]) != s.Data.TrainRows {
		t.Fatalf("predictions for %d/%d/%d points", len(g.pred[pointsAll]), len(g.pred[pointsTrain]), len(g.pred[pointsTest]))
	}
	// Claim every point right: no cross, though 3 epochs leave the grid
	// disagreeing with many labels.
	ds := pr.Dataset
	right := make([]int, ds.Rows())
	for i := range right {
		right[i] = int(ds.Y.At(i, 0))
	}
	st2 := DefaultStyles(asciiRenderer())
	if out := st2.plot2d(ds, ds, g, right, 30, 12); strings.Contains(out, "✗") {
		t.Fatalf("a point predicted right is crossed:\n%s", out)
	}
	wrong := append([]int(nil), right...)
	wrong[0] = 1 - wrong[0]
	if out := st2.plot2d(ds, ds, g, wrong, 30, 12); !strings.Contains(out, "✗") {
		t.Fatalf("the point predicted wrong is not crossed:\n%s", out)
	}
}
