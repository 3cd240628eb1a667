package engine

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
)

// benchNets are the two networks the issue compares with peers: inputs,
// hidden spec, classes, batch size; the larger one also with the L2
// penalty `workbench train` uses by default (suffix _l2).
var benchNets = []struct {
	inputs  int
	hidden  string
	classes int
	batch   int
	l2      float64
}{
	{64, "64:relu,64:relu", 10, 32, 0},
	{784, "256:relu,128:relu", 10, 128, 0},
	{784, "256:relu,128:relu", 10, 128, 1e-3},
	{784, "256:relu,128:relu", 10, 32, 0}, // the CLI's default batch
}

// cpuTime is the process's user+system CPU seconds.
func cpuTime() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return math.NaN()
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func benchName(inputs int, hidden string, classes int) string {
	layers, _ := ParseLayers(hidden)
	s := fmt.Sprint(inputs)
	for _, l := range layers {
		s += fmt.Sprintf("-%d", l.Units)
	}
	return s + fmt.Sprintf("-%d", classes)
}

func randomData(rows, inputs, classes int, seed uint64) (x, y general[float64]) {
	rng := rand.New(rand.NewPCG(seed, 0))
	x, y = newGeneral[float64](rows, inputs), newGeneral[float64](rows, 1)
	for i := range x.Data {
		x.Data[i] = rng.NormFloat64()
	}
	for i := range y.Data {
		y.Data[i] = float64(rng.IntN(classes))
	}
	return x, y
}

// BenchmarkTrainStep measures one steady-state Adam step (gather, forward,
// loss, backward, update), as Fit runs it, in float64 and (suffix _f32)
// float32.
func BenchmarkTrainStep(b *testing.B) {
	for _, n := range benchNets {
		name := fmt.Sprintf("%s_b%d", benchName(n.inputs, n.hidden, n.classes), n.batch)
		if n.l2 > 0 {
			name += "_l2"
		}
		b.Run(name, func(b *testing.B) { benchTrainStep[float64](b, n.inputs, n.hidden, n.classes, n.batch, n.l2) })
		b.Run(name+"_f32", func(b *testing.B) { benchTrainStep[float32](b, n.inputs, n.hidden, n.classes, n.batch, n.l2) })
	}
}

func benchTrainStep[T float](b *testing.B, inputs int, hidden string, classes, batch int, l2 float64) {
	dt := Float64
	if is32[T]() {
		dt = Float32
	}
	m := mustModel(b, Config{Inputs: inputs, Outputs: classes, Layers: mustLayers(b, hidden), Seed: 1, DType: dt})
	opts, _ := FitOptions{L2: l2}.withDefaults()
	t := newTrainer[T](m.impl, opts, batch, rand.New(rand.NewPCG(1, 1)))
	defer t.close()
	const rows = 1024
	x, y := randomData(rows, inputs, classes, 1)
	fx := &denseFeatures{x} // once, as Fit wraps X once per call
	idx := make([]int, rows)
	for i := range idx {
		idx[i] = (i * 7919) % rows
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		s := (i * batch) % (rows - batch)
		t.gather(fx, y, idx[s:s+batch])
		t.step(batch, 1e-3)
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "samples/s")
	// On a shared machine wall time depends on the neighbours;
	// CPU time per sample says what the code costs.
	b.ReportMetric(float64(b.N*batch)/(cpuTime()-cpu0), "samples/cpu-s")
}

// BenchmarkPredict measures inference on the larger network through
// PredictTo (no allocation); PredictNew adds Predict's result allocation.
func BenchmarkPredict(b *testing.B) {
	for _, dt := range []DType{Float64, Float32} {
		m := mustModel(b, Config{Inputs: 784, Outputs: 10, Layers: mustLayers(b, "256:relu,128:relu"), Seed: 1, DType: dt})
		prefix := ""
		if dt == Float32 {
			prefix = "f32/"
		}
		for _, rows := range []int{1, 256} {
			xg, _ := randomData(rows, 784, 10, 2)
			x := mat.NewDense(rows, 784, xg.Data)
			dst := mat.NewDense(rows, 10, nil)
			name := fmt.Sprintf("%drows", rows)
			if rows == 1 {
				name = "1row"
			}
			b.Run(prefix+name, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					m.PredictTo(dst, x)
				}
				b.ReportMetric(float64(b.N*rows)/b.Elapsed().Seconds(), "rows/s")
			})
			b.Run(prefix+"New/"+name, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					m.Predict(x)
				}
				b.ReportMetric(float64(b.N*rows)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}

// BenchmarkFitEpoch is one whole epoch through Fit (shuffle, gather,
// steps, events, a validation pass on a quarter as many rows).
func BenchmarkFitEpoch(b *testing.B) {
	for _, n := range benchNets {
		name := fmt.Sprintf("%s_b%d", benchName(n.inputs, n.hidden, n.classes), n.batch)
		if n.l2 > 0 {
			name += "_l2"
		}
		b.Run(name, func(b *testing.B) {
			const rows = 4096
			xg, yg := randomData(rows, n.inputs, n.classes, 3)
			vg, vy := randomData(rows/4, n.inputs, n.classes, 4)
			train := Data{X: mat.NewDense(rows, n.inputs, xg.Data), Y: mat.NewDense(rows, 1, yg.Data)}
			val := Data{X: mat.NewDense(rows/4, n.inputs, vg.Data), Y: mat.NewDense(rows/4, 1, vy.Data)}
			m := mustModel(b, Config{Inputs: n.inputs, Outputs: n.classes, Layers: mustLayers(b, n.hidden), Seed: 1})
			b.ResetTimer()
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				if _, err := Fit(context.Background(), m, train, val, FitOptions{Epochs: 1, BatchSize: n.batch, KeepLast: true, L2: n.l2}, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*rows)/b.Elapsed().Seconds(), "samples/s")
			b.ReportMetric(float64(b.N*rows)/(cpuTime()-cpu0), "samples/cpu-s")
		})
	}
}

// BenchmarkPredictDigits is serving's case: single rows through the
// 64-64-64-64-10 network of serve's benchmarks, where the fixed cost of a
// call (workspace, products, softmax) is most of the work.
func BenchmarkPredictDigits(b *testing.B) {
	m := mustModel(b, Config{Inputs: 64, Outputs: 10, Layers: mustLayers(b, "64:relu,64:relu,64:relu"), Seed: 1})
	for _, rows := range []int{1, 8} {
		xg, _ := randomData(rows, 64, 10, 2)
		x := mat.NewDense(rows, 64, xg.Data)
		dst := mat.NewDense(rows, 10, nil)
		b.Run(fmt.Sprintf("%drows", rows), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m.PredictTo(dst, x)
			}
		})
	}
}
