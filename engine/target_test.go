package engine

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// priceData is a house-price-like set: targets near N(100000, 20000²),
// linear in four standardised features plus a little noise.
func priceData(n int, seed uint64) Data {
	rng := rand.New(rand.NewPCG(seed, 77))
	coef := []float64{12000, -8000, 9000, 6000} // sd of the signal ≈ 19,400
	x, y := mat.NewDense(n, len(coef), nil), mat.NewDense(n, 1, nil)
	for i := 0; i < n; i++ {
		v := 100000.0
		for j, c := range coef {
			f := rng.NormFloat64()
			x.Set(i, j, f)
			v += c * f
		}
		y.Set(i, 0, v+rng.NormFloat64()*3000)
	}
	return Data{X: x, Y: y}
}

// targetMoments is what sessions.Prepare computes: per-column mean and
// population std (1 for a constant column).
func targetMoments(y *mat.Dense) (mean, std []float64) {
	r, c := y.Dims()
	mean, std = make([]float64, c), make([]float64, c)
	for j := 0; j < c; j++ {
		col := mat.Col(nil, j, y)
		for _, v := range col {
			mean[j] += v / float64(r)
		}
		for _, v := range col {
			std[j] += (v - mean[j]) * (v - mean[j]) / float64(r)
		}
		if std[j] = math.Sqrt(std[j]); std[j] == 0 {
			std[j] = 1
		}
	}
	return mean, std
}

func TestTargetScaleConfigValidates(t *testing.T) {
	reg := func(mean, std []float64) Config {
		return Config{Inputs: 2, Outputs: 2, Task: Regression, TargetMean: mean, TargetStd: std}
	}
	cases := []struct {
		name string
		cfg  Config
		want string // "" = valid
	}{
		{"identity", reg(nil, nil), ""},
		{"set", reg([]float64{1e5, -3}, []float64{2e4, 0.5}), ""},
		{"classification", Config{Inputs: 2, Outputs: 2, TargetMean: []float64{0, 0}, TargetStd: []float64{1, 1}}, "regression only"},
		{"mean only", reg([]float64{1, 2}, nil), "TargetStd has 0 values, want 2"},
		{"std only", reg(nil, []float64{1, 2}), "TargetMean has 0 values, want 2"},
		{"short mean", reg([]float64{1}, []float64{1, 2}), "TargetMean has 1 values, want 2"},
		{"long std", reg([]float64{1, 2}, []float64{1, 2, 3}), "TargetStd has 3 values, want 2"},
		{"zero std", reg([]float64{1, 2}, []float64{1, 0}), "TargetStd[1] is 0"},
		{"negative std", reg([]float64{1, 2}, []float64{-1, 1}), "TargetStd[0] is -1"},
		{"NaN std", reg([]float64{1, 2}, []float64{1, math.NaN()}), "TargetStd[1] is NaN"},
		{"Inf std", reg([]float64{1, 2}, []float64{math.Inf(1), 1}), "TargetStd[0] is +Inf"},
		{"NaN mean", reg([]float64{math.NaN(), 2}, []float64{1, 1}), "TargetMean[0] is NaN"},
		{"Inf mean", reg([]float64{1, math.Inf(-1)}, []float64{1, 1}), "TargetMean[1] is -Inf"},
	}
	for _, c := range cases {
		_, err := NewModel(c.cfg)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

// The model owns its scaling: neither the caller's slices nor Config()'s
// copies reach it, and Clone carries it.
func TestTargetScaleIsCopied(t *testing.T) {
	mean, std := []float64{10}, []float64{2}
	m := mustModel(t, Config{Inputs: 1, Outputs: 1, Task: Regression, TargetMean: mean, TargetStd: std, Seed: 3})
	x := mat.NewDense(1, 1, []float64{0.7})
	before := m.Predict(x).At(0, 0)
	mean[0], std[0] = -99, 99
	c := m.Config()
	c.TargetMean[0], c.TargetStd[0] = -99, 99
	if got := m.Predict(x).At(0, 0); got != before {
		t.Fatalf("changing the caller's or Config()'s slices changed Predict: %v, then %v", before, got)
	}
	cl := m.Clone()
	if cc := cl.Config(); !slices.Equal(cc.TargetMean, []float64{10}) || !slices.Equal(cc.TargetStd, []float64{2}) {
		t.Errorf("clone's scaling %v/%v, want [10]/[2]", cc.TargetMean, cc.TargetStd)
	}
	if got := cl.Predict(x).At(0, 0); got != before {
		t.Errorf("clone predicts %v, original %v", got, before)
	}
	if id := mustModel(t, Config{Inputs: 1, Outputs: 1, Task: Regression}).Config(); id.TargetMean != nil || id.TargetStd != nil {
		t.Errorf("identity model reports scaling %v/%v", id.TargetMean, id.TargetStd)
	}
}

// A scaled model is its identity twin (same seed, so same weights) with
// outputs mapped by y = out·std + mean; Evaluate's MSE/MAE/R² are in y's
// units and its Loss in the standardised ones; DenseLayers alone compute
// Predict.
func TestTargetScalePredictEvaluateDenseLayers(t *testing.T) {
	mean, std := []float64{100000, -5}, []float64{20000, 0.25}
	base := Config{Inputs: 3, Outputs: 2, Task: Regression, Layers: mustLayers(t, "6:tanh,dropout:0.3,4:relu"), Seed: 9}
	twin := mustModel(t, base)
	cfg := base
	cfg.TargetMean, cfg.TargetStd = mean, std
	m := mustModel(t, cfg)

	rng := rand.New(rand.NewPCG(1, 2))
	n := 300 // more than one predict chunk
	x, y := mat.NewDense(n, 3, nil), mat.NewDense(n, 2, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < 3; j++ {
			x.Set(i, j, rng.NormFloat64())
		}
		y.Set(i, 0, mean[0]+std[0]*rng.NormFloat64())
		y.Set(i, 1, mean[1]+std[1]*rng.NormFloat64())
	}
	got, raw := m.Predict(x), twin.Predict(x)
	dst := mat.NewDense(n, 2, nil)
	m.PredictTo(dst, x)
	if !mat.Equal(got, dst) {
		t.Error("PredictTo differs from Predict")
	}
	for i := 0; i < n; i++ {
		for j := range mean {
			if want := raw.At(i, j)*std[j] + mean[j]; got.At(i, j) != want {
				t.Fatalf("row %d output %d = %v, want %v (twin's %v · %v + %v)", i, j, got.At(i, j), want, raw.At(i, j), std[j], mean[j])
			}
		}
	}

	// Metrics by hand, in y's units.
	var sse, sae, tot float64
	for j := range mean {
		col := mat.Col(nil, j, y)
		avg := 0.0
		for _, v := range col {
			avg += v / float64(n)
		}
		for i, v := range col {
			e := got.At(i, j) - v
			sse, sae, tot = sse+e*e, sae+math.Abs(e), tot+(v-avg)*(v-avg)
		}
	}
	met := m.Evaluate(Data{X: x, Y: y})
	rel := func(a, b float64) float64 { return math.Abs(a-b) / math.Max(math.Abs(b), 1e-300) }
	if w := sse / float64(2*n); rel(met.MSE, w) > 1e-9 {
		t.Errorf("MSE %v, want %v", met.MSE, w)
	}
	if w := sae / float64(2*n); rel(met.MAE, w) > 1e-9 {
		t.Errorf("MAE %v, want %v", met.MAE, w)
	}
	if w := 1 - sse/tot; math.Abs(met.R2-w) > 1e-9 {
		t.Errorf("R² %v, want %v", met.R2, w)
	}
	// Loss is the twin's loss on standardised targets.
	ys := mat.NewDense(n, 2, nil)
	ys.Apply(func(i, j int, v float64) float64 { return (v - mean[j]) / std[j] }, y)
	if w := twin.Evaluate(Data{X: x, Y: ys}).Loss; rel(met.Loss, w) > 1e-12 {
		t.Errorf("Loss %v, want the standardised loss %v", met.Loss, w)
	}

	// The layers alone (what ONNX and JSON exports carry) compute Predict.
	out := denseForwardRef(t, x, m.DenseLayers())
	for i := 0; i < n; i++ {
		for j := range mean {
			if e := math.Abs(out.At(i, j) - got.At(i, j)); e > 1e-9*math.Max(1, math.Abs(got.At(i, j))) {
				t.Fatalf("DenseLayers row %d output %d = %v, Predict %v", i, j, out.At(i, j), got.At(i, j))
			}
		}
	}
}

// denseForwardRef is an exporter's view of DenseLayers: plain x·W + b and
// the activation by name, with no knowledge of the engine's internals.
func denseForwardRef(t *testing.T, x *mat.Dense, layers []DenseParams) *mat.Dense {
	t.Helper()
	a := mat.DenseCopyOf(x)
	for _, l := range layers {
		var z mat.Dense
		z.Mul(a, l.W)
		z.Apply(func(i, j int, v float64) float64 {
			v += l.B[j]
			switch l.Activation {
			case "tanh":
				return math.Tanh(v)
			case "relu":
				return math.Max(v, 0)
			case "linear":
				return v
			}
			t.Fatalf("reference forward: activation %q not covered", l.Activation)
			return 0
		}, &z)
		a = &z
	}
	return a
}

// The user's case: prices near 100,000 with the default optimizer and
// learning rate. Standardised targets learn them; the same model without
// scaling (logged for contrast) starts 100,000 away and barely moves.
func TestTargetScaleLearnsPrices(t *testing.T) {
	train, test := priceData(800, 1), priceData(400, 2)
	mean, std := targetMoments(train.Y)
	if math.Abs(mean[0]-100000) > 3000 || math.Abs(std[0]-20000) > 2500 {
		t.Fatalf("test setup: targets have mean %v, std %v", mean[0], std[0])
	}
	fit := func(mean, std []float64) Metrics {
		m := mustModel(t, Config{Inputs: 4, Outputs: 1, Task: Regression, Layers: mustLayers(t, "16:relu"), Seed: 1, TargetMean: mean, TargetStd: std})
		// The engine's defaults: adam, lr 0.001, batch 32, 100 epochs.
		if _, err := Fit(context.Background(), m, train, Data{}, FitOptions{Seed: 1}, nil); err != nil {
			t.Fatal(err)
		}
		return m.Evaluate(test)
	}
	got := fit(mean, std)
	t.Logf("test R² %.4f with target scaling, %.4f without", got.R2, fit(nil, nil).R2)
	if got.R2 < 0.9 {
		t.Errorf("test R² %.4f with target scaling, want >= 0.9 (MAE %.0f)", got.R2, got.MAE)
	}
}

// Fit's loss and val_loss are in the same (standardised) units, and
// val_loss is Evaluate's Loss while R² is Evaluate's R².
func TestTargetScaleFitEventsConsistent(t *testing.T) {
	d := priceData(256, 3)
	mean, std := targetMoments(d.Y)
	m := mustModel(t, Config{Inputs: 4, Outputs: 1, Task: Regression, Seed: 2, TargetMean: mean, TargetStd: std})
	var last Event
	res, err := Fit(context.Background(), m, d, d, FitOptions{Epochs: 30, LearningRate: 0.01, KeepLast: true, Seed: 2}, func(e Event) {
		if e.Kind == EpochEnd {
			last = e
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	met := m.Evaluate(d)
	if last.ValLoss != met.Loss || last.ValAccuracy != met.R2 {
		t.Errorf("last epoch val_loss %v, val R² %v; Evaluate on the same rows: loss %v, R² %v", last.ValLoss, last.ValAccuracy, met.Loss, met.R2)
	}
	// Validation on the training rows: after 30 epochs the epoch-average
	// training loss is within a small factor of val_loss; units differing
	// by std² = 4e8 could not be.
	if r := last.Loss / last.ValLoss; !(r > 0.5 && r < 3) || last.ValLoss > 1 {
		t.Errorf("loss %v, val_loss %v: not in the same standardised units", last.Loss, last.ValLoss)
	}
	if len(res.History) != 30 || res.History[29].ValLoss != last.ValLoss {
		t.Errorf("history %d epochs, last val_loss %v", len(res.History), res.History[len(res.History)-1].ValLoss)
	}
	if d.Y.At(0, 0) < 1000 {
		t.Error("Fit changed the caller's targets")
	}
}

func TestTargetScaleSafetensors(t *testing.T) {
	mean, std := []float64{123456.789, -0.1}, []float64{20000.5, 1.0 / 3}
	m := mustModel(t, Config{Inputs: 3, Outputs: 2, Task: Regression, Layers: mustLayers(t, "5:gelu"), Seed: 4, TargetMean: mean, TargetStd: std})
	var buf bytes.Buffer
	if err := m.WriteSafetensors(&buf, nil); err != nil {
		t.Fatal(err)
	}
	file := buf.Bytes()
	got, _, err := ReadSafetensors(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if c := got.Config(); !slices.Equal(c.TargetMean, mean) || !slices.Equal(c.TargetStd, std) {
		t.Errorf("loaded scaling %v/%v, want %v/%v (bit for bit)", c.TargetMean, c.TargetStd, mean, std)
	}
	x := mat.NewDense(3, 3, []float64{0.1, -2, 3, 4, 5, -6, 0, 0, 0})
	if !mat.Equal(m.Predict(x), got.Predict(x)) {
		t.Error("loaded model predicts differently")
	}

	// A model without scaling writes format 1 and loads as identity, as
	// files from before target scaling do.
	id := mustModel(t, Config{Inputs: 3, Outputs: 2, Task: Regression, Seed: 4})
	var ib bytes.Buffer
	if err := id.WriteSafetensors(&ib, nil); err != nil {
		t.Fatal(err)
	}
	if h := header(t, ib.Bytes()); !strings.Contains(h, `"workbench.format":"1"`) || strings.Contains(h, "target") {
		t.Errorf("identity model's header %s", h)
	}
	if l, _, err := ReadSafetensors(bytes.NewReader(ib.Bytes())); err != nil || l.Config().TargetStd != nil {
		t.Errorf("identity round trip: %v", err)
	}

	h := header(t, file)
	rewrite := func(old, new string) []byte {
		nh := strings.Replace(h, old, new, 1)
		if nh == h {
			t.Fatalf("test setup: %q not in header %s", old, h)
		}
		n := binary.LittleEndian.Uint64(file)
		out := binary.LittleEndian.AppendUint64(nil, uint64(len(nh)))
		return append(append(out, nh...), file[8+n:]...)
	}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"missing std", rewrite(`"workbench.target_std"`, `"workbench.target_sd"`), "workbench.target_std"},
		{"not an array", rewrite(`"workbench.target_mean":"[`, `"workbench.target_mean":"x[`), "JSON array"},
		{"null", rewrite(`"workbench.target_std":"[20000.5,0.3333333333333333]"`, `"workbench.target_std":"null"`), "JSON array"},
		{"short", rewrite(`"workbench.target_std":"[20000.5,`, `"workbench.target_std":"[`), "TargetStd has 1 values"},
		{"negative std", rewrite(`"workbench.target_std":"[20000.5`, `"workbench.target_std":"[-20000.5`), "TargetStd[0]"},
		{"zero std", rewrite(`,0.3333333333333333]`, `,0]`), "TargetStd[1] is 0"},
	}
	for _, c := range cases {
		_, _, err := ReadSafetensors(bytes.NewReader(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
}

func header(t *testing.T, file []byte) string {
	t.Helper()
	n := binary.LittleEndian.Uint64(file)
	var h map[string]json.RawMessage
	if err := json.Unmarshal(file[8:8+n], &h); err != nil {
		t.Fatal(err)
	}
	return string(file[8 : 8+n])
}
