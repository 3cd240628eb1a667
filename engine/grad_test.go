package engine

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
)

// gradCase builds a small network whose analytic gradient (backward) is
// compared with central differences of the loss it computes (forward).
type gradCase struct {
	name   string
	task   Task
	loss   string
	layers string
	l1, l2 float64
}

func TestGradLayersActivationsLosses(t *testing.T) {
	cases := []gradCase{
		{name: "dense/softmax_cross_entropy", task: Classification},
		{name: "dense/mse", task: Regression, loss: "mse"},
		{name: "dense/huber", task: Regression, loss: "huber"},
		{name: "dropout", task: Classification, layers: "6:tanh,dropout:0.4,5:sigmoid"},
		{name: "input_dropout", task: Regression, layers: "dropout:0.3,5:tanh"},
		{name: "l1_l2_penalties", task: Regression, layers: "5:tanh", l1: 0.01, l2: 0.03},
	}
	for _, act := range Activations {
		cases = append(cases,
			gradCase{name: "activation/" + act, task: Classification, layers: "6:" + act + ",5:" + act},
			gradCase{name: "activation/" + act + "/regression", task: Regression, layers: "6:" + act})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkGradient(t, c) })
	}
}

func checkGradient(t *testing.T, c gradCase) {
	layers, err := ParseLayers(c.layers)
	if err != nil {
		t.Fatal(err)
	}
	outputs := 3
	cfg := Config{Inputs: 4, Outputs: outputs, Task: c.task, Layers: layers, Loss: c.loss, Seed: 3}
	mm, err := NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m := mm.impl
	src := rand.New(rand.NewPCG(7, 7))
	for i := range m.params {
		m.params[i] = src.NormFloat64() * 0.7 // non-zero biases too
	}
	const rows = 7
	x := newGeneral[float64](rows, cfg.Inputs)
	for i := range x.Data {
		x.Data[i] = src.NormFloat64() * 1.5 // Huber needs residuals on both sides of delta
	}
	var y general[float64]
	if c.task == Classification {
		y = newGeneral[float64](rows, 1)
		for i := range y.Data {
			y.Data[i] = float64(src.IntN(outputs))
		}
	} else {
		y = newGeneral[float64](rows, outputs)
		for i := range y.Data {
			y.Data[i] = src.NormFloat64() * 2
		}
	}
	ws := newWorkspace[float64](m, rows, true)
	// The same dropout stream for every evaluation fixes the mask, so the
	// loss is a smooth function of the parameters.
	loss := func(p []float64, grad bool) float64 {
		rng := rand.New(rand.NewPCG(11, 13))
		out := m.forward(p, ws, x, true, rng)
		var d general[float64]
		if grad {
			d = view(ws.d[len(m.layers)-1], rows)
		}
		var s float64
		if c.task == Classification {
			s, _ = softmaxCrossEntropy(out, y, d, 1.0/rows)
		} else {
			s = regressionLoss(c.loss == "huber", out, y, d, rows)
		}
		return s/rows + penalty(p[:m.nWeights], c.l1, c.l2)
	}
	loss(m.params, true)
	analytic := make([]float64, len(m.params))
	m.backward(m.params, analytic, ws, x, nil, false)
	addPenalties(m.params[:m.nWeights], analytic, c.l1, c.l2)

	numeric := fd.Gradient(nil, func(p []float64) float64 { return loss(p, false) },
		append([]float64(nil), m.params...), &fd.Settings{Formula: fd.Central, Step: 1e-6})
	worst, at := 0.0, -1
	for i := range numeric {
		diff := math.Abs(analytic[i]-numeric[i]) / math.Max(1, math.Abs(numeric[i]))
		if diff > worst {
			worst, at = diff, i
		}
	}
	if worst > 1e-6 {
		t.Errorf("largest gradient difference %.3g at parameter %d: analytic %.9g, numeric %.9g",
			worst, at, analytic[at], numeric[at])
	}
}

// Hand-computed reference values, one per op, so a gradient check cannot
// pass on a forward pass that is consistently wrong.
func TestOpReferenceValues(t *testing.T) {
	z := general[float64]{Rows: 1, Cols: 3, Stride: 3, Data: []float64{1, 2, 3}}
	y := general[float64]{Rows: 1, Cols: 1, Stride: 1, Data: []float64{0}}
	// -log(e/(e+e²+e³)) = log(1+e+e²)
	if s, _ := softmaxCrossEntropy(z, y, general[float64]{}, 0); math.Abs(s-math.Log(1+math.E+math.E*math.E)) > 1e-12 {
		t.Errorf("cross-entropy = %v", s)
	}
	big := general[float64]{Rows: 1, Cols: 2, Stride: 2, Data: []float64{1000, 0}}
	if s, _ := softmaxCrossEntropy(big, y, general[float64]{}, 0); s != 0 {
		t.Errorf("cross-entropy of logits (1000, 0), label 0 = %v, want 0 (stable log-sum-exp)", s)
	}
	out := general[float64]{Rows: 1, Cols: 2, Stride: 2, Data: []float64{3, 0.5}}
	tgt := general[float64]{Rows: 1, Cols: 2, Stride: 2, Data: []float64{1, 0}}
	if s := regressionLoss(false, out, tgt, general[float64]{}, 1); s != (4+0.25)/2 {
		t.Errorf("mse = %v, want 2.125", s)
	}
	if s := regressionLoss(true, out, tgt, general[float64]{}, 1); s != (1.5+0.125)/2 {
		t.Errorf("huber = %v, want 0.8125", s)
	}
	acts := []struct {
		name    string
		in, out float64
	}{
		{"relu", -2, 0}, {"relu", 2, 2}, {"leaky_relu", -2, -0.02}, {"elu", -1, math.Exp(-1) - 1},
		{"gelu", 1, 0.8413447460685429}, {"tanh", 0.5, math.Tanh(0.5)}, {"sigmoid", 0, 0.5},
		{"sigmoid", -800, 0}, {"linear", -3, -3},
	}
	for _, name := range Activations {
		act, _ := activationByName(name)
		got := []float64{0}
		act.forward([]float64{math.NaN()}, got)
		if !math.IsNaN(got[0]) {
			t.Errorf("%s(NaN) = %v: a NaN must propagate so divergence is caught", name, got[0])
		}
	}
	for _, a := range acts {
		act, _ := activationByName(a.name)
		got := []float64{0}
		act.forward([]float64{a.in}, got)
		if math.Abs(got[0]-a.out) > 1e-12 {
			t.Errorf("%s(%v) = %v, want %v", a.name, a.in, got[0], a.out)
		}
	}
}
