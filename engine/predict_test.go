package engine

import (
	"context"
	"math"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	fastgemm "workbench/engine/gemm"
)

func TestPredictConcurrentMatchesSerial(t *testing.T) {
	d := spiral(300, 0.1, 1) // 600 rows: several chunks, a partial one last
	m := mustModel(t, Config{Inputs: 2, Outputs: 2, Layers: mustLayers(t, "16:elu,dropout:0.1,8:sigmoid"), Seed: 1})
	want := m.Predict(d.X)
	for i := 0; i < want.RawMatrix().Rows; i++ {
		if s := mat.Sum(want.RowView(i)); math.Abs(s-1) > 1e-12 {
			t.Fatalf("row %d probabilities sum to %v", i, s)
		}
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Go(func() {
			for k := 0; k < 5; k++ {
				if got := m.Predict(d.X); !mat.Equal(got, want) {
					t.Error("concurrent Predict differs from serial")
					return
				}
			}
		})
	}
	wg.Wait()
	// Evaluate (parallel over chunks) agrees with Predict.
	met := m.Evaluate(d)
	correct, loss := 0, 0.0
	for i := 0; i < 600; i++ {
		label := int(d.Y.At(i, 0))
		if argmax(want.RawRowView(i)) == label {
			correct++
		}
		loss -= math.Log(want.At(i, label))
	}
	if met.Accuracy != float64(correct)/600 || math.Abs(met.Loss-loss/600) > 1e-12 {
		t.Errorf("Evaluate: accuracy %v, loss %v; from Predict %v, %v", met.Accuracy, met.Loss, float64(correct)/600, loss/600)
	}
	n := 0
	for _, row := range met.Confusion {
		for _, c := range row {
			n += c
		}
	}
	if n != 600 || met.Confusion[0][0]+met.Confusion[1][1] != correct {
		t.Errorf("confusion %v does not count 600 rows with %d correct", met.Confusion, correct)
	}
	// Row by row gives the same numbers as the batch.
	dst := mat.NewDense(1, 2, nil)
	for _, i := range []int{0, 255, 256, 599} {
		m.PredictTo(dst, mat.NewDense(1, 2, d.X.RawRowView(i)))
		if !mat.Equal(dst, want.Slice(i, i+1, 0, 2)) {
			t.Errorf("row %d alone predicts %v, in the batch %v", i, dst.RawRowView(0), want.RawRowView(i))
		}
	}
}

func TestCloneServesWhileOriginalTrains(t *testing.T) {
	d := spiral(100, 0.1, 1)
	m := mustModel(t, Config{Inputs: 2, Outputs: 2, Layers: mustLayers(t, "16:relu"), Seed: 1})
	c := m.Clone()
	want := c.Predict(d.X)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := Fit(context.Background(), m, d, Data{}, FitOptions{Epochs: 20}, nil); err != nil {
			t.Error(err)
		}
	}()
	for k := 0; k < 20; k++ {
		if !mat.Equal(c.Predict(d.X), want) {
			t.Fatal("the clone changed while the original trained")
		}
	}
	<-done
	if mat.Equal(m.Predict(d.X), want) {
		t.Error("the original did not train")
	}
}

func TestEvaluate(t *testing.T) {
	m := mustModel(t, Config{Inputs: 1, Outputs: 2, Seed: 1})
	// w = (-1, 1), b = 0: class 1 iff x > 0.
	copy(m.impl.params, []float64{-1, 1, 0, 0})
	d := Data{X: mat.NewDense(4, 1, []float64{-2, -1, 1, 3}), Y: mat.NewDense(4, 1, []float64{0, 1, 1, 1})}
	got := m.Evaluate(d)
	if got.Accuracy != 0.75 {
		t.Errorf("accuracy %v, want 0.75", got.Accuracy)
	}
	want := [][]int{{1, 0}, {1, 2}}
	for i := range want {
		for j := range want[i] {
			if got.Confusion[i][j] != want[i][j] {
				t.Fatalf("confusion %v, want %v", got.Confusion, want)
			}
		}
	}
	// -log softmax: rows with margin 2|x| → log(1+e^{-2|x|}), wrong row +2.
	l := (math.Log1p(math.Exp(-4)) + (2 + math.Log1p(math.Exp(-2))) + math.Log1p(math.Exp(-2)) + math.Log1p(math.Exp(-6))) / 4
	if math.Abs(got.Loss-l) > 1e-12 {
		t.Errorf("loss %v, want %v", got.Loss, l)
	}

	r := mustModel(t, Config{Inputs: 1, Outputs: 1, Task: Regression, Seed: 1})
	copy(r.impl.params, []float64{2, 1}) // ŷ = 2x + 1
	rd := Data{X: mat.NewDense(4, 1, []float64{0, 1, 2, 3}), Y: mat.NewDense(4, 1, []float64{1, 3, 5, 9})}
	rm := r.Evaluate(rd)
	// Residuals 0,0,0,-2: MSE 1, MAE 0.5, SStot = Σ(y-4.5)² = 35.
	if rm.MSE != 1 || rm.MAE != 0.5 || math.Abs(rm.R2-(1-4.0/35)) > 1e-12 || rm.Loss != 1 {
		t.Errorf("regression metrics %+v", rm)
	}
}

// Views with a stride wider than their columns (mat.Dense.Slice) work in
// Fit, Predict and Evaluate exactly as compact copies do.
func TestStridedViews(t *testing.T) {
	d := spiral(40, 0.1, 1)
	wide := mat.NewDense(80, 4, nil)
	wide.Slice(0, 80, 1, 3).(*mat.Dense).Copy(d.X)
	wide.Slice(0, 80, 3, 4).(*mat.Dense).Copy(d.Y)
	view := Data{X: wide.Slice(0, 80, 1, 3).(*mat.Dense), Y: wide.Slice(0, 80, 3, 4).(*mat.Dense)}
	train := func(data Data) *Model {
		m := mustModel(t, Config{Inputs: 2, Outputs: 2, Layers: mustLayers(t, "8:relu"), Seed: 1})
		if _, err := Fit(context.Background(), m, data, data, FitOptions{Epochs: 3, BatchSize: 16}, nil); err != nil {
			t.Fatal(err)
		}
		return m
	}
	a, b := train(d), train(view)
	if !mat.Equal(a.Predict(d.X), b.Predict(view.X)) || a.Evaluate(d).Loss != b.Evaluate(view).Loss {
		t.Error("training or predicting on a strided view differs from a compact copy")
	}
	dst := mat.NewDense(80, 5, nil)
	b.PredictTo(dst.Slice(0, 80, 1, 3).(*mat.Dense), view.X)
	if !mat.Equal(dst.Slice(0, 80, 1, 3), a.Predict(d.X)) {
		t.Error("PredictTo into a view differs")
	}
}

// A row's prediction must not depend on the rows sent with it: the server
// answers one-row requests and `workbench predict` whole files, and both
// must give the engine's answer bit for bit. Every kernel this CPU can run
// is checked, since each multiplies few rows with kernels of its own; the
// 784-input net is deeper than every kernel's k block, the others have
// widths that are not multiples of any register tile.
func TestPredictRowAloneEqualsBatch(t *testing.T) {
	t.Cleanup(func() { fastgemm.Install() }) // after the last Setenv is undone
	nets := []Config{
		{Inputs: 784, Outputs: 10, Layers: mustLayers(t, "256:relu,128:relu")},
		{Inputs: 30, Outputs: 3, Layers: mustLayers(t, "100:tanh,dropout:0.2,7:elu")},
		{Inputs: 5, Outputs: 2, Task: Regression, Layers: mustLayers(t, "6:gelu,6:sigmoid,3:leaky_relu"),
			TargetMean: []float64{100, -3}, TargetStd: []float64{20, 0.5}},
		{Inputs: 3, Outputs: 4},
	}
	for _, kernel := range fastgemm.Kernels() {
		t.Setenv(fastgemm.EnvVar, kernel)
		if got := fastgemm.Install(); got != kernel {
			t.Fatalf("installing %s gave %s", kernel, got)
		}
		for _, cfg := range nets {
			cfg.Seed = 3
			m := mustModel(t, cfg)
			const rows = 600 // several predictChunks, the last one partial
			xg, _ := randomData(rows, cfg.Inputs, 2, 5)
			x := mat.NewDense(rows, cfg.Inputs, xg.Data)
			batch := m.Predict(x)
			one := mat.NewDense(1, cfg.Outputs, nil)
			for i := 0; i < rows; i++ {
				m.PredictTo(one, x.Slice(i, i+1, 0, cfg.Inputs).(*mat.Dense))
				if !mat.Equal(one, batch.Slice(i, i+1, 0, cfg.Outputs)) {
					t.Fatalf("%s, %d inputs: row %d alone predicts %v, in a batch of %d %v",
						kernel, cfg.Inputs, i, one.RawRowView(0), rows, batch.RawRowView(i))
				}
			}
			for n := 2; n <= 2*gemvRows+1; n++ {
				s := (n * 37) % (rows - n)
				if got := m.Predict(x.Slice(s, s+n, 0, cfg.Inputs).(*mat.Dense)); !mat.Equal(got, batch.Slice(s, s+n, 0, cfg.Outputs)) {
					t.Fatalf("%s, %d inputs: rows %d..%d in a batch of %d differ from the batch of %d", kernel, cfg.Inputs, s, s+n-1, n, rows)
				}
			}
		}
	}
}
