package engine

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func mustModel(t testing.TB, cfg Config) *Model {
	t.Helper()
	m, err := NewModel(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func mustLayers(t testing.TB, spec string) []LayerSpec {
	t.Helper()
	l, err := ParseLayers(spec)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func xorData() Data {
	return Data{
		X: mat.NewDense(4, 2, []float64{0, 0, 0, 1, 1, 0, 1, 1}),
		Y: mat.NewDense(4, 1, []float64{0, 1, 1, 0}),
	}
}

// spiral is the classic two-spiral set: two interleaved arms, one per class.
func spiral(n int, noise float64, seed uint64) Data {
	rng := rand.New(rand.NewPCG(seed, 1))
	x, y := mat.NewDense(2*n, 2, nil), mat.NewDense(2*n, 1, nil)
	for c := 0; c < 2; c++ {
		for i := 0; i < n; i++ {
			r := float64(i) / float64(n) * 5
			a := 1.75*float64(i)/float64(n)*2*math.Pi + float64(c)*math.Pi
			row := c*n + i
			x.Set(row, 0, r*math.Sin(a)+rng.NormFloat64()*noise)
			x.Set(row, 1, r*math.Cos(a)+rng.NormFloat64()*noise)
			y.Set(row, 0, float64(c))
		}
	}
	return Data{X: x, Y: y}
}

func TestFitLearnsXOR(t *testing.T) {
	m := mustModel(t, Config{Inputs: 2, Outputs: 2, Layers: mustLayers(t, "8:tanh"), Seed: 1})
	d := xorData()
	res, err := Fit(context.Background(), m, d, Data{}, FitOptions{Epochs: 500, BatchSize: 4, LearningRate: 0.05, Seed: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if acc := m.Evaluate(d).Accuracy; acc < 0.97 {
		t.Fatalf("XOR train accuracy %.3f after %d epochs, want >= 0.97", acc, len(res.History))
	}
}

func TestFitLearnsTwoSpirals(t *testing.T) {
	d := spiral(200, 0.05, 3)
	m := mustModel(t, Config{Inputs: 2, Outputs: 2, Layers: mustLayers(t, "64:relu,64:relu"), Seed: 2})
	_, err := Fit(context.Background(), m, d, Data{}, FitOptions{Epochs: 300, BatchSize: 32, LearningRate: 0.01, Seed: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if acc := m.Evaluate(d).Accuracy; acc < 0.97 {
		t.Fatalf("two-spiral train accuracy %.3f, want >= 0.97", acc)
	}
}

func TestFitRecoversLinearCoefficients(t *testing.T) {
	coef, bias := []float64{2, -3, 0.5}, 1.5
	rng := rand.New(rand.NewPCG(5, 5))
	n := 500
	x, y := mat.NewDense(n, 3, nil), mat.NewDense(n, 1, nil)
	for i := 0; i < n; i++ {
		v := bias
		for j, c := range coef {
			x.Set(i, j, rng.NormFloat64())
			v += c * x.At(i, j)
		}
		y.Set(i, 0, v+rng.NormFloat64()*0.1)
	}
	for _, opt := range Optimizers {
		t.Run(opt, func(t *testing.T) {
			m := mustModel(t, Config{Inputs: 3, Outputs: 1, Task: Regression, Seed: 1})
			lr := map[string]float64{"sgd": 0.05, "momentum": 0.02, "nesterov": 0.02, "rmsprop": 0.01, "adam": 0.05, "adamw": 0.05}[opt]
			opts := FitOptions{Epochs: 60, BatchSize: 16, Optimizer: opt, LearningRate: lr, WeightDecay: 1e-6, Seed: 1}
			if _, err := Fit(context.Background(), m, Data{X: x, Y: y}, Data{}, opts, nil); err != nil {
				t.Fatal(err)
			}
			l := m.DenseLayers()[0]
			for j, c := range coef {
				if got := l.W.At(j, 0); math.Abs(got-c) > 0.05 {
					t.Errorf("coefficient %d = %.4f, want %.4f ± 0.05", j, got, c)
				}
			}
			if math.Abs(l.B[0]-bias) > 0.05 {
				t.Errorf("intercept = %.4f, want %.4f ± 0.05", l.B[0], bias)
			}
			if r2 := m.Evaluate(Data{X: x, Y: y}).R2; r2 < 0.99 {
				t.Errorf("R² = %.4f, want >= 0.99", r2)
			}
		})
	}
}

func TestFitReproducibleFromSeed(t *testing.T) {
	forceShards(t)
	d := spiral(60, 0.1, 1)
	// Batch 7 runs unsharded; batch 37 runs in shards with a short last batch.
	for _, batch := range []int{7, 37} {
		train := func(modelSeed, fitSeed int64) []float64 {
			m := mustModel(t, Config{Inputs: 2, Outputs: 2, Layers: mustLayers(t, "16:relu,dropout:0.2,8:gelu"), Seed: modelSeed})
			if _, err := Fit(context.Background(), m, d, d, FitOptions{Epochs: 5, BatchSize: batch, Seed: fitSeed}, nil); err != nil {
				t.Fatal(err)
			}
			return m.impl.params
		}
		a, b := train(1, 1), train(1, 1)
		if !slices.Equal(a, b) {
			t.Errorf("batch %d: same seeds gave different weights", batch)
		}
		if slices.Equal(a, train(1, 2)) {
			t.Errorf("batch %d: a different fit seed gave identical weights", batch)
		}
		if slices.Equal(a, train(2, 1)) {
			t.Errorf("batch %d: a different model seed gave identical weights", batch)
		}
	}
}

func TestDropoutInactiveAtInference(t *testing.T) {
	m := mustModel(t, Config{Inputs: 3, Outputs: 2, Layers: mustLayers(t, "16:relu,dropout:0.5"), Seed: 1})
	x := mat.NewDense(5, 3, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 0, 1, 0, 1, 0})
	p1, p2 := m.Predict(x), m.Predict(x)
	if !mat.Equal(p1, p2) {
		t.Fatal("two predictions differ: dropout is active at inference")
	}
	// Same weights without the dropout layer must predict the same.
	plain := mustModel(t, Config{Inputs: 3, Outputs: 2, Layers: mustLayers(t, "16:relu"), Seed: 1})
	copy(plain.impl.params, m.impl.params)
	if !mat.EqualApprox(p1, plain.Predict(x), 0) {
		t.Fatal("a dropout layer changes predictions at inference")
	}
}

func TestEarlyStoppingRestoresBestEpoch(t *testing.T) {
	// Training on noise and validating on different noise: val loss soon
	// rises, so patience must stop the run and bring back the best epoch.
	rng := rand.New(rand.NewPCG(9, 9))
	noise := func(n int) Data {
		x, y := mat.NewDense(n, 5, nil), mat.NewDense(n, 1, nil)
		for i := 0; i < n; i++ {
			for j := 0; j < 5; j++ {
				x.Set(i, j, rng.NormFloat64())
			}
			y.Set(i, 0, float64(rng.IntN(2)))
		}
		return Data{X: x, Y: y}
	}
	train, val := noise(64), noise(64)
	for _, keepLast := range []bool{false, true} {
		m := mustModel(t, Config{Inputs: 5, Outputs: 2, Layers: mustLayers(t, "64:relu"), Seed: 1})
		res, err := Fit(context.Background(), m, train, val, FitOptions{Epochs: 300, BatchSize: 8, LearningRate: 0.01, Patience: 5, KeepLast: keepLast}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Reason != EarlyStopped {
			t.Fatalf("reason %s after %d epochs, want early_stopped", res.Reason, len(res.History))
		}
		last := res.History[len(res.History)-1]
		if last.Epoch-res.BestEpoch != 5 {
			t.Errorf("stopped at epoch %d with best %d, want 5 epochs of patience", last.Epoch, res.BestEpoch)
		}
		best := res.History[res.BestEpoch-1]
		got := m.Evaluate(val).Loss
		if want := best.ValLoss; !keepLast && got != want {
			t.Errorf("val loss after fit %.6f, want the best epoch's %.6f", got, want)
		}
		if want := last.ValLoss; keepLast && got != want {
			t.Errorf("KeepLast: val loss after fit %.6f, want the last epoch's %.6f", got, want)
		}
	}
}

func TestFitCancelMidEpochReturnsPromptly(t *testing.T) {
	d := spiral(2000, 0.1, 1)
	m := mustModel(t, Config{Inputs: 2, Outputs: 2, Layers: mustLayers(t, "32:relu"), Seed: 1})
	before := append([]float64(nil), m.impl.params...)
	ctx, cancel := context.WithCancel(context.Background())
	steps := 0
	res, err := Fit(ctx, m, d, Data{}, FitOptions{Epochs: 1000, BatchSize: 4, Progress: 1, KeepLast: true}, func(e Event) {
		if e.Kind == Progress {
			if steps++; steps == 3 {
				cancel()
			}
		}
	})
	if err != nil || res.Reason != Cancelled {
		t.Fatalf("err %v, reason %s; want nil, cancelled", err, res.Reason)
	}
	if len(res.History) != 0 {
		t.Errorf("%d epochs recorded; the cancel came mid-epoch 1", len(res.History))
	}
	if slices.Equal(before, m.impl.params) {
		t.Error("weights unchanged: a cancelled run must keep what it learned")
	}
}

func TestFitDivergenceKeepsLastGoodWeights(t *testing.T) {
	d := spiral(100, 0.1, 1)
	d.X.Scale(1e150, d.X)
	m := mustModel(t, Config{Inputs: 2, Outputs: 2, Layers: mustLayers(t, "8:relu"), Seed: 1})
	before := append([]float64(nil), m.impl.params...)
	res, err := Fit(context.Background(), m, d, Data{}, FitOptions{Epochs: 10, Optimizer: "sgd", LearningRate: 1e10}, nil)
	if !errors.Is(err, ErrDiverged) || res.Reason != Diverged {
		t.Fatalf("err %v, reason %s; want ErrDiverged, diverged", err, res.Reason)
	}
	for _, v := range m.impl.params {
		if !finite(v) {
			t.Fatal("non-finite weight kept after divergence")
		}
	}
	if !slices.Equal(before, m.impl.params) {
		t.Error("weights changed, want the last good ones (the initial weights)")
	}
}

func TestFitRejectsBadInput(t *testing.T) {
	m := mustModel(t, Config{Inputs: 2, Outputs: 2, Seed: 1})
	good := xorData()
	cases := []struct {
		name  string
		train Data
		opts  FitOptions
	}{
		{"no rows", Data{}, FitOptions{}},
		{"wrong columns", Data{X: mat.NewDense(1, 3, nil), Y: mat.NewDense(1, 1, nil)}, FitOptions{}},
		{"label out of range", Data{X: mat.NewDense(1, 2, nil), Y: mat.NewDense(1, 1, []float64{2})}, FitOptions{}},
		{"NaN feature", Data{X: mat.NewDense(1, 2, []float64{math.NaN(), 0}), Y: mat.NewDense(1, 1, nil)}, FitOptions{}},
		{"bad optimizer", good, FitOptions{Optimizer: "adamax"}},
		{"bad schedule", good, FitOptions{Schedule: "linear"}},
		{"negative lr", good, FitOptions{LearningRate: -1}},
	}
	for _, c := range cases {
		if _, err := Fit(context.Background(), m, c.train, Data{}, c.opts, nil); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

func TestPauseResume(t *testing.T) {
	d := spiral(50, 0.1, 1)
	m := mustModel(t, Config{Inputs: 2, Outputs: 2, Seed: 1})
	ctl := &Control{}
	paused := make(chan struct{})
	done := make(chan struct{})
	epochs, stepsWhilePaused := 0, 0
	var res Result
	go func() {
		defer close(done)
		res, _ = Fit(context.Background(), m, d, Data{}, FitOptions{Epochs: 4, Control: ctl, Progress: 1}, func(e Event) {
			if ctl.Paused() {
				stepsWhilePaused++
			}
			if e.Kind == EpochEnd {
				if epochs++; epochs == 2 {
					ctl.Pause()
					close(paused)
				}
			}
		})
	}()
	<-paused
	select {
	case <-done:
		t.Fatal("Fit finished while paused")
	default:
	}
	before := append([]float64(nil), m.impl.params...) // Fit is parked: no race
	ctl.Resume()
	<-done
	if len(res.History) != 4 || res.Reason != Completed {
		t.Fatalf("%d epochs, reason %s; want 4, completed", len(res.History), res.Reason)
	}
	if stepsWhilePaused > 1 { // only the epoch-end event that paused it
		t.Errorf("%d events while paused", stepsWhilePaused)
	}
	if slices.Equal(before, m.impl.params) {
		t.Error("no training after Resume")
	}
}

func TestPausedFitStopsOnCancel(t *testing.T) {
	m := mustModel(t, Config{Inputs: 2, Outputs: 2, Seed: 1})
	ctl := &Control{}
	ctl.Pause()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Fit(ctx, m, xorData(), Data{}, FitOptions{Epochs: 5, Control: ctl}, nil)
	if err != nil || res.Reason != Cancelled {
		t.Fatalf("err %v, reason %s; want cancelled", err, res.Reason)
	}
}

func TestRelayNeverDropsEpochEnd(t *testing.T) {
	r := NewRelay()
	for i := 1; i <= 100; i++ {
		r.Handle(Event{Kind: Progress, Epoch: i, Step: 1})
		r.Handle(Event{Kind: Progress, Epoch: i, Step: 2})
		r.Handle(Event{Kind: EpochEnd, Epoch: i})
	}
	r.Handle(Event{Kind: Progress, Epoch: 101, Step: 1})
	r.Handle(Event{Kind: Progress, Epoch: 101, Step: 2})
	r.Close()
	r.Handle(Event{Kind: EpochEnd, Epoch: 999}) // after Close: ignored
	var got []Event
	for {
		e, ok := r.Next(context.Background())
		if !ok {
			break
		}
		got = append(got, e)
	}
	if len(got) != 101 {
		t.Fatalf("got %d events, want 100 epoch ends and the newest progress", len(got))
	}
	for i, e := range got[:100] {
		if e.Kind != EpochEnd || e.Epoch != i+1 {
			t.Fatalf("event %d = %+v, want epoch end %d", i, e, i+1)
		}
	}
	if last := got[100]; last.Kind != Progress || last.Epoch != 101 || last.Step != 2 {
		t.Fatalf("last event %+v, want the newest progress", last)
	}
}

func TestRelayWithFitAndSlowListener(t *testing.T) {
	r := NewRelay()
	m := mustModel(t, Config{Inputs: 2, Outputs: 2, Seed: 1})
	// Fit runs to the end before anyone reads: Handle must not block.
	if _, err := Fit(context.Background(), m, xorData(), Data{}, FitOptions{Epochs: 50, Progress: 1}, r.Handle); err != nil {
		t.Fatal(err)
	}
	r.Close()
	n := 0
	for {
		e, ok := r.Next(context.Background())
		if !ok {
			break
		}
		if e.Kind == EpochEnd {
			if n++; e.Epoch != n {
				t.Fatalf("epoch end %d arrived as number %d", e.Epoch, n)
			}
		}
	}
	if n != 50 {
		t.Fatalf("%d epoch ends, want 50", n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, ok := NewRelay().Next(ctx); ok {
		t.Fatal("Next on a cancelled context reported an event")
	}
}

func TestEventsAndSchedules(t *testing.T) {
	d := spiral(40, 0.1, 1)
	for _, c := range []struct {
		opts FitOptions
		want []float64
	}{
		{FitOptions{Epochs: 4, LearningRate: 0.1, Optimizer: "sgd"}, []float64{0.1, 0.1, 0.1, 0.1}},
		{FitOptions{Epochs: 4, LearningRate: 0.1, Optimizer: "sgd", Schedule: "step", StepSize: 2, StepGamma: 0.5}, []float64{0.1, 0.1, 0.05, 0.05}},
		{FitOptions{Epochs: 4, LearningRate: 0.1, Optimizer: "sgd", Schedule: "cosine"}, []float64{0.1, 0.1 * 0.5 * (1 + math.Cos(math.Pi/4)), 0.05, 0.1 * 0.5 * (1 + math.Cos(3*math.Pi/4))}},
	} {
		m := mustModel(t, Config{Inputs: 2, Outputs: 2, Seed: 1})
		var lrs []float64
		res, err := Fit(context.Background(), m, d, d, c.opts, func(e Event) {
			if e.Kind == EpochEnd {
				lrs = append(lrs, e.LearningRate)
				if math.IsNaN(e.ValLoss) || e.SamplesPerSec <= 0 || e.Epochs != 4 {
					t.Errorf("epoch event %+v lacks val loss, speed or total", e)
				}
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		for i := range c.want {
			if math.Abs(lrs[i]-c.want[i]) > 1e-15 || res.History[i].LearningRate != lrs[i] {
				t.Errorf("%s: learning rates %v, want %v", c.opts.Schedule, lrs, c.want)
				break
			}
		}
	}
}

func TestReduceOnPlateau(t *testing.T) {
	d := spiral(40, 0.1, 1)
	m := mustModel(t, Config{Inputs: 2, Outputs: 2, Seed: 1})
	// A learning rate this small cannot improve the loss enough to matter,
	// but any rise triggers the plateau counter; use a huge rate instead so
	// the loss bounces and the plateau logic must cut the rate.
	res, err := Fit(context.Background(), m, d, d, FitOptions{Epochs: 40, Optimizer: "sgd", LearningRate: 5, ReduceOnPlateau: true, PlateauPatience: 2, PlateauFactor: 0.1, KeepLast: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	first, last := res.History[0].LearningRate, res.History[len(res.History)-1].LearningRate
	if !(last < first) {
		t.Fatalf("learning rate went %g → %g, want it reduced on plateau", first, last)
	}
}
