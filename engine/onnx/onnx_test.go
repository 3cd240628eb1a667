package onnx_test

// The encoder's tests that need no reader. Those that decode its output
// (structure, what the graph computes, agreement with the engine) live in
// onnxtest, next to the reader.

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"workbench/engine"
	"workbench/engine/onnx"
	"workbench/engine/onnx/onnxtest"
)

func TestEncodeErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	good := func() onnx.Export {
		return onnx.Export{
			Layers:  []engine.DenseParams{onnxtest.RandomLayer(rng, 2, 3, "relu"), onnxtest.RandomLayer(rng, 3, 2, "softmax")},
			Mean:    []float64{0, 0},
			Std:     []float64{1, 1},
			Classes: []string{"a", "b"},
		}
	}
	tests := []struct {
		name   string
		change func(e *onnx.Export)
		want   string
	}{
		{"no layers", func(e *onnx.Export) { e.Layers = nil }, "no layers"},
		{"shapes do not chain", func(e *onnx.Export) { e.Layers[1] = onnxtest.RandomLayer(rng, 4, 2, "softmax") }, "layer 2 (dense, softmax): takes 4 inputs but the layer before gives 3"},
		{"bias count", func(e *onnx.Export) { e.Layers[0].B = e.Layers[0].B[:2] }, "layer 1 (dense, relu): 2 biases for 3 units"},
		{"unknown hidden activation", func(e *onnx.Export) { e.Layers[0].Activation = "swish" }, `unknown activation "swish"`},
		{"hidden softmax", func(e *onnx.Export) { e.Layers[0].Activation = "softmax" }, `unknown activation "softmax"`},
		{"output relu", func(e *onnx.Export) { e.Layers[1].Activation = "relu" }, "output layer must be softmax or linear"},
		{"NaN weight", func(e *onnx.Export) { e.Layers[1].W.Set(2, 1, math.NaN()) }, "layer 2 (dense, softmax): weight [2][1] = NaN"},
		{"too big for float32", func(e *onnx.Export) { e.Layers[0].B[1] = 1e300 }, "bias [1] = 1e+300 is not a finite float32"},
		{"scaler length", func(e *onnx.Export) { e.Mean = []float64{0} }, "scaler has 1 means and 2 stds for 2 features"},
		{"scaler half", func(e *onnx.Export) { e.Std = nil }, "both mean and std"},
		{"zero std", func(e *onnx.Export) { e.Std[1] = 0 }, "std of feature 1 is 0"},
		{"class names", func(e *onnx.Export) { e.Classes = []string{"a", "b", "c"} }, "3 class names for 2 outputs"},
		{"feature names", func(e *onnx.Export) { e.Features = []string{"x"} }, "1 feature names for 2 inputs"},
		{"nil weights", func(e *onnx.Export) { e.Layers[0].W = nil }, "layer 1 (dense, relu): no weights"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := good()
			tc.change(&e)
			var buf bytes.Buffer
			err := onnx.Write(&buf, e)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if buf.Len() != 0 {
				t.Errorf("%d bytes written despite the error", buf.Len())
			}
		})
	}
	if err := onnx.Write(&bytes.Buffer{}, good()); err != nil {
		t.Fatalf("the unchanged export fails: %v", err)
	}
}

func TestTritonConfig(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	cls := onnx.Export{Layers: []engine.DenseParams{onnxtest.RandomLayer(rng, 4, 8, "relu"), onnxtest.RandomLayer(rng, 8, 3, "softmax")}}
	reg := onnx.Export{Layers: []engine.DenseParams{onnxtest.RandomLayer(rng, 10, 2, "linear")}}
	for _, tc := range []struct {
		name string
		e    onnx.Export
		want []string
	}{
		{"iris", cls, []string{`name: "iris"`, `platform: "onnxruntime_onnx"`, "max_batch_size: 32", `name: "input"`, "dims: [ 4 ]", `name: "probabilities"`, "dims: [ 3 ]", "dynamic_batching {"}},
		{"diabetes-v2", reg, []string{`name: "diabetes-v2"`, "dims: [ 10 ]", `name: "output"`, "dims: [ 2 ]"}},
	} {
		got, err := onnx.TritonConfig(tc.name, tc.e, 32)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: config lacks %q:\n%s", tc.name, w, got)
			}
		}
	}
	for _, bad := range []struct {
		name  string
		batch int
		want  string
	}{{"../x", 8, "model name"}, {"", 8, "model name"}, {"ok", 0, "max batch size 0"}} {
		if _, err := onnx.TritonConfig(bad.name, cls, bad.batch); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("TritonConfig(%q, %d): error %v, want %q", bad.name, bad.batch, err, bad.want)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	rng := rand.New(rand.NewPCG(15, 16))
	std := make([]float64, 64)
	for i := range std {
		std[i] = 1
	}
	e := onnx.Export{
		Layers: []engine.DenseParams{onnxtest.RandomLayer(rng, 64, 32, "gelu"), onnxtest.RandomLayer(rng, 32, 16, "relu"), onnxtest.RandomLayer(rng, 16, 10, "softmax")},
		Mean:   make([]float64, 64),
		Std:    std,
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := onnx.Encode(e); err != nil {
			b.Fatal(err)
		}
	}
}
