package engine

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// A sharded step must apply the gradient of the whole batch: compare one
// SGD step (lr 1, so Δparams = −gradient) with a single-pass gradient. The
// first layer's weight gradient is computed in the reduce phase (split0),
// with or without clipping (a norm too large to scale anything), for a
// full batch of 40 and short last batches: 37 rows of 40, and 13 of 20
// (too few rows to split, more than one shard's buffers hold).
func TestShardedStepMatchesWholeBatchGradient(t *testing.T) {
	forceShards(t)
	for _, task := range []Task{Classification, Regression} {
		for _, clip := range []float64{0, 1e9} {
			for _, rows := range []int{40, 37, 13} {
				outputs := 3
				// No hidden layer: the first layer is the output layer.
				layers := []LayerSpec(nil)
				if rows != 37 {
					layers = mustLayers(t, "12:relu,7:tanh")
				}
				m := mustModel(t, Config{Inputs: 5, Outputs: outputs, Task: task, Layers: layers, Seed: 4})
				x, y := randomData(rows, 5, outputs, 3)
				if task == Regression {
					y = newGeneral[float64](rows, outputs)
					for i := range y.Data {
						y.Data[i] = math.Sin(float64(i))
					}
				}
				ws := newWorkspace[float64](m.impl, rows, true)
				out := m.impl.forward(m.impl.params, ws, x, true, nil)
				d := view(ws.d[len(m.impl.layers)-1], rows)
				if task == Classification {
					softmaxCrossEntropy(out, y, d, 1.0/float64(rows))
				} else {
					regressionLoss(false, out, y, d, rows)
				}
				want := make([]float64, len(m.impl.params))
				m.impl.backward(m.impl.params, want, ws, x, nil, false)

				opts, _ := FitOptions{Optimizer: "sgd", LearningRate: 1, ClipNorm: clip}.withDefaults()
				batch := 40
				if rows < 16 {
					batch = 20
				}
				tr := newTrainer[float64](m.impl, opts, batch, rand.New(rand.NewPCG(1, 1)))
				if len(tr.shards) != 2 || tr.split0 == nativeGemm[float64]() {
					t.Fatalf("%d shards (split0 %v) for a batch of %d, want 2 (split0 %v)", len(tr.shards), tr.split0, batch, !nativeGemm[float64]())
				}
				idx := make([]int, rows)
				for i := range idx {
					idx[i] = i
				}
				tr.gather(&denseFeatures{x}, y, idx)
				before := append([]float64(nil), m.impl.params...)
				tr.step(rows, 1)
				tr.close()
				got := make([]float64, len(before))
				floats.SubTo(got, before, m.impl.params)
				if !floats.EqualApprox(got, want, 1e-12) {
					t.Errorf("%s, clip %g, %d rows: sharded step gradient differs from the whole-batch gradient (max |Δ| %g)", task, clip, rows, maxAbsDiff(got, want))
				}
			}
		}
	}
}

func maxAbsDiff(a, b []float64) float64 {
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

func TestGradientClipping(t *testing.T) {
	m := mustModel(t, Config{Inputs: 2, Outputs: 2, Layers: mustLayers(t, "8:relu"), Seed: 1})
	d := spiral(20, 0.1, 1)
	d.X.Scale(100, d.X) // large inputs, large gradients
	before := append([]float64(nil), m.impl.params...)
	if _, err := Fit(context.Background(), m, d, Data{}, FitOptions{Epochs: 1, BatchSize: 40, Optimizer: "sgd", LearningRate: 1, ClipNorm: 0.01}, nil); err != nil {
		t.Fatal(err)
	}
	step := make([]float64, len(before))
	floats.SubTo(step, m.impl.params, before)
	if n := floats.Norm(step, 2); n > 0.01+1e-12 || n < 0.009 {
		t.Errorf("one clipped SGD step moved the weights by %g, want 0.01", n)
	}
}

func TestPenaltiesAndWeightDecayShrinkWeights(t *testing.T) {
	d := spiral(50, 0.2, 1)
	norm := func(opts FitOptions) float64 {
		m := mustModel(t, Config{Inputs: 2, Outputs: 2, Layers: mustLayers(t, "16:relu"), Seed: 1})
		opts.Epochs, opts.KeepLast = 30, true
		if _, err := Fit(context.Background(), m, d, Data{}, opts, nil); err != nil {
			t.Fatal(err)
		}
		return floats.Norm(m.impl.params[:m.impl.nWeights], 2)
	}
	plain := norm(FitOptions{LearningRate: 0.01})
	for name, o := range map[string]FitOptions{
		"l2":    {LearningRate: 0.01, L2: 0.05},
		"l1":    {LearningRate: 0.01, L1: 0.01},
		"adamw": {LearningRate: 0.01, Optimizer: "adamw", WeightDecay: 0.5},
	} {
		if got := norm(o); got >= plain*0.95 {
			t.Errorf("%s: weight norm %.3f, want well below the unpenalised %.3f", name, got, plain)
		}
	}
}

func TestHuberFitsDespiteOutliers(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	n := 300
	x, y := mat.NewDense(n, 1, nil), mat.NewDense(n, 1, nil)
	for i := 0; i < n; i++ {
		v := rng.NormFloat64()
		x.Set(i, 0, v)
		target := 3 * v
		if i%10 == 0 {
			target += 50 // outliers pull an MSE fit, barely a Huber one
		}
		y.Set(i, 0, target)
	}
	slope := func(loss string) float64 {
		m := mustModel(t, Config{Inputs: 1, Outputs: 1, Task: Regression, Loss: loss, Seed: 1})
		if _, err := Fit(context.Background(), m, Data{X: x, Y: y}, Data{}, FitOptions{Epochs: 200, LearningRate: 0.05, KeepLast: true}, nil); err != nil {
			t.Fatal(err)
		}
		return m.DenseLayers()[0].B[0]
	}
	if h, s := slope("huber"), slope("mse"); math.Abs(h) >= math.Abs(s) {
		t.Errorf("intercept under outliers: huber %.3f, mse %.3f; want huber's closer to 0", h, s)
	}
}

// The shard count follows the batch, not the machine: one core and two
// give the same bits.
func TestFitSameBitsOnAnyCoreCount(t *testing.T) {
	forceShards(t)
	d := spiral(200, 0.1, 1)
	// Clipping adds the per-part squared norms, in part order.
	for _, clip := range []float64{0, 0.5} {
		train := func() []float64 {
			m := mustModel(t, Config{Inputs: 2, Outputs: 2, Layers: mustLayers(t, "32:relu,dropout:0.1,16:relu"), Seed: 1})
			if _, err := Fit(context.Background(), m, d, d, FitOptions{Epochs: 3, BatchSize: 64, Seed: 1, ClipNorm: clip}, nil); err != nil {
				t.Fatal(err)
			}
			return m.impl.params
		}
		prev := runtime.GOMAXPROCS(1)
		one := train()
		runtime.GOMAXPROCS(max(prev, 2))
		two := train()
		runtime.GOMAXPROCS(prev)
		if !slices.Equal(one, two) {
			t.Errorf("clip %g: GOMAXPROCS 1 and 2 trained different weights", clip)
		}
	}
}

// A relay fed by Fit on one goroutine and drained on another delivers every
// epoch end in order, and Next returns when the relay is closed.
func TestRelayConcurrentConsumer(t *testing.T) {
	r := NewRelay()
	got := make(chan []int)
	go func() {
		var epochs []int
		for {
			e, ok := r.Next(context.Background())
			if !ok {
				got <- epochs
				return
			}
			if e.Kind == EpochEnd {
				epochs = append(epochs, e.Epoch)
			}
		}
	}()
	m := mustModel(t, Config{Inputs: 2, Outputs: 2, Seed: 1})
	if _, err := Fit(context.Background(), m, spiral(50, 0.1, 1), Data{}, FitOptions{Epochs: 30, BatchSize: 4, Progress: 1, StartEpoch: 10}, r.Handle); err != nil {
		t.Fatal(err)
	}
	r.Close()
	epochs := <-got
	if len(epochs) != 30 || epochs[0] != 11 || epochs[29] != 40 || !slices.IsSorted(epochs) {
		t.Fatalf("epoch ends %v, want 11..40 in order", epochs)
	}
}

// forceShards makes tiny test networks train in shards and split the
// optimizer step, as large ones do, so that those paths stay tested. Not
// for parallel tests.
func forceShards(t testing.TB) {
	prevWork, prevParams := minShardWork, minParallelParams
	minShardWork, minParallelParams = 0, 0
	t.Cleanup(func() { minShardWork, minParallelParams = prevWork, prevParams })
}
