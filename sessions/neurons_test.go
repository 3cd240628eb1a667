package sessions

import (
	"context"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats"
)

// TestNeuronGridsFeedTheDecisionMap: the last hidden layer's grids, put
// through the output layer by hand, give DecisionGrid's prediction in
// every cell: the grids are in its cell order and at its (scaled) inputs.
func TestNeuronGridsFeedTheDecisionMap(t *testing.T) {
	st := openStore(t)
	pr := prepare(t, Plan{DataRef: "spiral", Layers: "5:tanh,dropout:0.1,4:relu", Hyper: Hyper{Epochs: 5, Seed: 2}})
	s, err := st.Train(context.Background(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if h := s.HiddenLayers(); len(h) != 2 || h[0].Units != 5 || h[1].Activation != "relu" {
		t.Fatalf("hidden layers %+v", h)
	}
	if h := (&Session{Layers: s.Layers}).HiddenLayers(); len(h) != 2 || h[1].Units != 4 {
		t.Fatalf("a model-less session's hidden layers %+v (spec %q)", h, s.Layers)
	}
	const w, h = 9, 6
	g, err := s.DecisionGrid(pr.Dataset, w, h)
	if err != nil {
		t.Fatal(err)
	}
	first, err := s.NeuronGrids(pr.Dataset, 0, w, h)
	if err != nil || len(first) != 5 || len(first[0]) != w*h {
		t.Fatalf("layer 0: %d grids, %v", len(first), err)
	}
	last, err := s.NeuronGrids(pr.Dataset, 1, w, h)
	if err != nil || len(last) != 4 {
		t.Fatalf("layer 1: %d grids, %v", len(last), err)
	}
	out := s.Model.DenseLayers()[2]
	for i := 0; i < w*h; i++ {
		logits := make([]float64, len(out.B))
		for k := range logits {
			logits[k] = out.B[k]
			for j := range last {
				logits[k] += last[j][i] * out.W.At(j, k)
			}
			if last[0][i] < 0 {
				t.Fatalf("cell %d: a relu neuron is %v", i, last[0][i])
			}
		}
		if k := floats.MaxIdx(logits); k != g.Class[i] {
			t.Fatalf("cell %d: the neurons give class %d, the decision map %d", i, k, g.Class[i])
		}
		for j := range first {
			if math.Abs(first[j][i]) > 1 {
				t.Fatalf("cell %d: a tanh neuron is %v", i, first[j][i])
			}
		}
	}
	for _, c := range []struct {
		layer, w int
		want     string
	}{{2, w, "hidden layer 2 does not exist; the model has 2"}, {-1, w, "hidden layer -1"}, {0, 0, "positive size"}} {
		if _, err := s.NeuronGrids(pr.Dataset, c.layer, c.w, h); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("layer %d, width %d: got %v, want %q", c.layer, c.w, err, c.want)
		}
	}
}

// TestNeuronCurvesFeedTheFitCurve: the hidden layer's curves through the
// output layer are the fitted curve, point for point.
func TestNeuronCurvesFeedTheFitCurve(t *testing.T) {
	st := openStore(t)
	pr := prepare(t, Plan{DataRef: "sine", Layers: "6:tanh", Hyper: Hyper{Epochs: 5, Seed: 2}})
	s, err := st.Train(context.Background(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	xs, ys, err := s.FitCurve(pr.Dataset, 11)
	if err != nil {
		t.Fatal(err)
	}
	cx, curves, err := s.NeuronCurves(pr.Dataset, 0, 11)
	if err != nil || len(curves) != 6 || len(curves[0]) != 11 {
		t.Fatalf("%d curves, %v", len(curves), err)
	}
	out := s.Model.DenseLayers()[1]
	for i := range xs {
		y := out.B[0]
		for j := range curves {
			y += curves[j][i] * out.W.At(j, 0)
		}
		if cx[i] != xs[i] || math.Abs(y-ys[i]) > 1e-6 { // float32 models sum in float32
			t.Fatalf("point %d: x %v/%v, neurons give %v, the fit %v", i, cx[i], xs[i], y, ys[i])
		}
	}
	if _, err := s.NeuronGrids(pr.Dataset, 0, 4, 4); err == nil || !strings.Contains(err.Error(), "2 feature") {
		t.Fatalf("a plane of a 1-feature model: %v", err)
	}
}
