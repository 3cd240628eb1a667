package engine

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// clusters is a classification set shaped like one of the built-in data
// sets (rows, features, classes): each class a Gaussian cloud around its
// own centre, spread so that the classes overlap and accuracy stays below
// 1, with features on unequal scales as real data has. The engine may not
// import datasets; datasets' own test checks the real files.
func clusters(rows, features, classes int, spread float64, seed uint64) (train, test Data) {
	rng := rand.New(rand.NewPCG(seed, 7))
	centre := make([][]float64, classes)
	for c := range centre {
		centre[c] = make([]float64, features)
		for j := range centre[c] {
			centre[c][j] = rng.NormFloat64()
		}
	}
	make1 := func(n int) Data {
		x, y := mat.NewDense(n, features, nil), mat.NewDense(n, 1, nil)
		for i := range n {
			c := rng.IntN(classes)
			y.Set(i, 0, float64(c))
			for j := range features {
				x.Set(i, j, (centre[c][j]+spread*rng.NormFloat64())*(1+float64(j%3)))
			}
		}
		return Data{X: x, Y: y}
	}
	return make1(rows * 4 / 5), make1(rows - rows*4/5)
}

// TestFloat32MatchesFloat64 trains the same network from the same seed in
// both types on sets shaped like iris, wine, breast cancer and digits:
// the test accuracy must agree within noise (a few test rows) and the loss
// curves must stay close epoch by epoch. Float32 starts from the float64
// draws rounded, so the runs differ only by rounding.
func TestFloat32MatchesFloat64(t *testing.T) {
	for _, c := range []struct {
		name                    string
		rows, features, classes int
		spread                  float64
		hidden                  string
		epochs                  int
	}{
		{"iris", 150, 4, 3, 0.6, "16:relu", 60},
		{"wine", 178, 13, 3, 1.2, "32:relu", 40},
		{"breast_cancer", 569, 30, 2, 2.5, "32:relu,dropout:0.1", 20},
		{"digits", 1797, 64, 10, 2.2, "64:relu,64:tanh", 15},
	} {
		t.Run(c.name, func(t *testing.T) {
			train, test := clusters(c.rows, c.features, c.classes, c.spread, 11)
			res := map[DType]Result{}
			acc := map[DType]float64{}
			for _, dt := range []DType{Float64, Float32} {
				m := mustModel(t, Config{Inputs: c.features, Outputs: c.classes, Layers: mustLayers(t, c.hidden), Seed: 3, DType: dt})
				r, err := Fit(context.Background(), m, train, Data{}, FitOptions{Epochs: c.epochs, BatchSize: 32, Seed: 5, LearningRate: 3e-3, KeepLast: true}, nil)
				if err != nil {
					t.Fatal(err)
				}
				res[dt], acc[dt] = r, m.Evaluate(test).Accuracy
			}
			nTest, _ := test.X.Dims()
			if d := math.Abs(acc[Float32] - acc[Float64]); d > 3/float64(nTest)+0.02 {
				t.Errorf("test accuracy float32 %.4f, float64 %.4f: apart by more than noise", acc[Float32], acc[Float64])
			}
			if acc[Float64] < 0.6 || acc[Float64] > 0.995 {
				t.Logf("note: float64 accuracy %.3f (the set is meant to be learnable but not trivial)", acc[Float64])
			}
			h64, h32 := res[Float64].History, res[Float32].History
			for i := range h64 {
				l64, l32 := h64[i].Loss, h32[i].Loss
				if math.Abs(l32-l64) > 0.02*l64+2e-3 {
					t.Errorf("epoch %d: loss float32 %.5f, float64 %.5f", i+1, l32, l64)
				}
			}
			t.Logf("accuracy float64 %.4f float32 %.4f; last loss %.5f / %.5f", acc[Float64], acc[Float32], h64[len(h64)-1].Loss, h32[len(h32)-1].Loss)
		})
	}
}

// TestFloat32ModelKeepsFloat32 checks what a Float32 model is: float32
// weights (4 bytes each), F32 tensors on disk that load back as a Float32
// model with the same bits, predictions from float64 rows that match the
// float64 model's within float32 rounding, and Clone and DenseLayers.
func TestFloat32ModelKeepsFloat32(t *testing.T) {
	cfg := Config{Inputs: 5, Outputs: 3, Layers: mustLayers(t, "8:relu,dropout:0.2,6:tanh"), Seed: 9}
	m64 := mustModel(t, cfg)
	cfg.DType = Float32
	m32 := mustModel(t, cfg)
	if m32.impl.params != nil || len(m32.impl.params32) != m32.ParamCount() {
		t.Fatalf("Float32 model holds %d float64 and %d float32 parameters, want 0 and %d", len(m32.impl.params), len(m32.impl.params32), m32.ParamCount())
	}
	for i, v := range m64.impl.params {
		if m32.impl.params32[i] != float32(v) {
			t.Fatalf("param %d: float32 init %v, float64 init %v rounded %v", i, m32.impl.params32[i], v, float32(v))
		}
	}
	x := mat.NewDense(3, 5, []float64{0.1, -2, 3, 4, 5, -6, 0.5, 0, 1, 2, 3, 3, 3, 3, 3})
	p32, p64 := m32.Predict(x), m64.Predict(x)
	if !mat.EqualApprox(p32, p64, 1e-5) {
		t.Errorf("float32 predictions %v, float64 %v", mat.Formatted(p32), mat.Formatted(p64))
	}
	if c := m32.Clone(); !mat.Equal(c.Predict(x), p32) || c.Config().DType != Float32 {
		t.Error("Clone of a Float32 model predicts differently or lost its DType")
	}
	if dl := m32.DenseLayers(); dl[0].W.At(0, 0) != float64(m32.impl.params32[0]) {
		t.Errorf("DenseLayers W[0][0] = %v, want %v", dl[0].W.At(0, 0), m32.impl.params32[0])
	}

	var buf bytes.Buffer
	if err := m32.WriteSafetensors(&buf, nil); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	var h map[string]json.RawMessage
	if err := json.Unmarshal(raw[8:8+binary.LittleEndian.Uint64(raw)], &h); err != nil {
		t.Fatal(err)
	}
	var ti TensorInfo
	if err := json.Unmarshal(h["dense_0.kernel"], &ti); err != nil || ti.Dtype != "F32" {
		t.Fatalf("dense_0.kernel stored as %q (%v), want F32", ti.Dtype, err)
	}
	got, _, err := ReadSafetensors(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if got.Config().DType != Float32 || !mat.Equal(got.Predict(x), p32) {
		t.Errorf("read back: DType %v; predictions equal %v", got.Config().DType, mat.Equal(got.Predict(x), p32))
	}
	buf.Reset()
	if err := m64.WriteSafetensors(&buf, nil); err != nil {
		t.Fatal(err)
	}
	if got, _, err := ReadSafetensors(&buf); err != nil || got.Config().DType != Float64 || !mat.Equal(got.Predict(x), p64) {
		t.Errorf("a float64 file no longer loads as before: %v", err)
	}
	if s, s64 := m32.SummaryTable(), m64.SummaryTable(); s == s64 {
		t.Errorf("a Float32 model's summary gives the same size as float64's:\n%s", s)
	}
}

// TestFloat32PredictRowAloneEqualsBatch: float32 serving, like float64,
// gives a row the same bits alone as in a batch.
func TestFloat32PredictRowAloneEqualsBatch(t *testing.T) {
	m := mustModel(t, Config{Inputs: 64, Outputs: 10, Layers: mustLayers(t, "64:relu,64:relu"), Seed: 1, DType: Float32})
	xg, _ := randomData(300, 64, 10, 4)
	x := mat.NewDense(300, 64, xg.Data)
	all := m.Predict(x)
	for _, i := range []int{0, 1, 150, 299} {
		one := m.Predict(mat.NewDense(1, 64, x.RawRowView(i)))
		if !mat.Equal(one, all.Slice(i, i+1, 0, 10)) {
			t.Fatalf("row %d alone %v, in the batch %v", i, one.RawRowView(0), all.RawRowView(i))
		}
	}
}

// TestFloat32TrainStepAllocatesNothing: the float32 step, like float64's,
// allocates nothing once its buffers exist, on both networks of the
// training benchmark.
func TestFloat32TrainStepAllocatesNothing(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("trains the 784-wide network; the race detector's pools allocate")
	}
	for _, n := range benchNets[:2] {
		m := mustModel(t, Config{Inputs: n.inputs, Outputs: n.classes, Layers: mustLayers(t, n.hidden), Seed: 1, DType: Float32})
		opts, _ := FitOptions{L2: 1e-4}.withDefaults()
		tr := newTrainer[float32](m.impl, opts, n.batch, rand.New(rand.NewPCG(1, 1)))
		x, y := randomData(256, n.inputs, n.classes, 1)
		fx := &denseFeatures{x}
		idx := make([]int, n.batch)
		for i := range idx {
			idx[i] = (i * 7) % 256
		}
		tr.gather(fx, y, idx)
		tr.step(n.batch, 1e-3)
		if a := testing.AllocsPerRun(5, func() { tr.gather(fx, y, idx); tr.step(n.batch, 1e-3) }); a != 0 {
			t.Errorf("%d-%s: %v allocs per float32 step", n.inputs, n.hidden, a)
		}
		tr.close()
	}
}

// TestWithDType converts a model both ways: float32 rounds the weights,
// float64 widens them exactly, and the original is left alone.
func TestWithDType(t *testing.T) {
	m := mustModel(t, Config{Inputs: 4, Outputs: 3, Layers: mustLayers(t, "5:relu"), Seed: 2})
	before := append([]float64(nil), m.impl.params...)
	m32, err := m.WithDType(Float32)
	if err != nil || m32.Config().DType != Float32 {
		t.Fatalf("WithDType(Float32): %v, %v", m32, err)
	}
	back, err := m32.WithDType(Float64)
	if err != nil || back.Config().DType != Float64 {
		t.Fatalf("WithDType(Float64): %v", err)
	}
	for i, v := range before {
		if m.impl.params[i] != v || m32.impl.params32[i] != float32(v) || back.impl.params[i] != float64(float32(v)) {
			t.Fatalf("param %d: original %v (was %v), float32 %v, back %v", i, m.impl.params[i], v, m32.impl.params32[i], back.impl.params[i])
		}
	}
	x := mat.NewDense(1, 4, []float64{1, 2, 3, 4})
	if !mat.Equal(back.Predict(x), m32.Predict(x)) && !mat.EqualApprox(back.Predict(x), m32.Predict(x), 1e-6) {
		t.Error("the widened model predicts unlike the float32 one")
	}
	if _, err := m.WithDType(DType(7)); err == nil {
		t.Error("WithDType(7) accepted")
	}
	if _, err := NewModel(Config{Inputs: 4, Outputs: 3, DType: DType(7)}); err == nil {
		t.Error("NewModel accepted DType 7")
	}
	for _, s := range DTypes {
		if d, err := ParseDType(s); err != nil || d.String() != s {
			t.Errorf("ParseDType(%q) = %v, %v", s, d, err)
		}
	}
	if _, err := ParseDType("float16"); err == nil {
		t.Error("ParseDType(float16) accepted")
	}
}
