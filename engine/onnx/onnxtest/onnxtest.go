// Package onnxtest reads back the ONNX graphs engine/onnx writes, for tests
// only: a production program exports models and never reads them. It is
// imported from _test.go files alone (engine/onnx's, sessions', cli's, tui's)
// and must never be imported by a non-test file.
//
// Read turns a file from onnx.Encode back into an onnx.Export; behind it,
// decode.go is a reader of the ModelProto subset the encoder writes, not a
// general ONNX parser. RandomLayer is a layer with random weights for tests
// that build an Export. The package's own tests are the encoder's tests that
// need the reader: the graph's structure, what it computes (run_test.go
// interprets the encoder's operators) against a float64 forward pass and
// against the engine itself, and Read's round trip and fuzzing.
//
// Of the project it imports engine/onnx and engine (for DenseParams); beyond
// the standard library, gonum and protowire.
package onnxtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"workbench/engine"
	"workbench/engine/onnx"
	"workbench/engine/onnx/internal/onnxpb"
)

// Read parses a model written by onnx.Encode back into an onnx.Export
// (weights as the float32 values stored). It recognises only the graph
// shapes Encode writes; anything else, or a truncated or corrupted file, is
// an error.
func Read(b []byte) (onnx.Export, error) {
	var e onnx.Export
	m, err := decodeModel(b)
	if err != nil {
		return e, fmt.Errorf("onnx: %w", err)
	}
	if m.producer != onnx.Producer {
		return e, fmt.Errorf("onnx: produced by %q, not %s: only workbench's own graphs can be read back", m.producer, onnx.Producer)
	}
	if len(m.inputs) != 1 || len(m.outputs) != 1 {
		return e, fmt.Errorf("onnx: %d inputs and %d outputs, want 1 and 1", len(m.inputs), len(m.outputs))
	}
	e.Name = m.graphName
	init := func(name string, dims int) (decodedTensor, error) {
		t, ok := m.inits[name]
		if !ok {
			return t, fmt.Errorf("onnx: initializer %q is missing", name)
		}
		if len(t.dims) != dims || t.dtype != onnxpb.DataTypeFloat {
			return t, fmt.Errorf("onnx: initializer %q has dims %v type %d", name, t.dims, t.dtype)
		}
		return t, nil
	}
	f64 := func(d []float32) []float64 {
		out := make([]float64, len(d))
		for i, v := range d {
			out[i] = float64(v)
		}
		return out
	}
	nodes := m.nodes
	ops := func(want ...string) bool {
		if len(nodes) < len(want) {
			return false
		}
		for i, op := range want {
			if nodes[i].op != op {
				return false
			}
		}
		return true
	}
	if ops("Sub", "Div") {
		mean, err := init(nodes[0].in[1], 1)
		if err != nil {
			return e, err
		}
		std, err := init(nodes[1].in[1], 1)
		if err != nil {
			return e, err
		}
		e.Mean, e.Std = f64(mean.data), f64(std.data)
		nodes = nodes[2:]
	}
	for len(nodes) > 0 {
		n := nodes[0]
		if n.op != "Gemm" || len(n.in) != 3 {
			return e, fmt.Errorf("onnx: node %q (%s) where a Gemm was expected", n.name, n.op)
		}
		w, err := init(n.in[1], 2)
		if err != nil {
			return e, err
		}
		bias, err := init(n.in[2], 1)
		if err != nil {
			return e, err
		}
		l := engine.DenseParams{W: mat.NewDense(w.dims[0], w.dims[1], f64(w.data)), B: f64(bias.data), Activation: "linear"}
		nodes = nodes[1:]
		switch {
		case ops("Div", "Erf", "Add", "Mul", "Mul"):
			l.Activation, nodes = "gelu", nodes[5:]
		case ops("Relu"), ops("LeakyRelu"), ops("Elu"), ops("Tanh"), ops("Sigmoid"), ops("Softmax"):
			l.Activation = map[string]string{"Relu": "relu", "LeakyRelu": "leaky_relu", "Elu": "elu", "Tanh": "tanh", "Sigmoid": "sigmoid", "Softmax": "softmax"}[nodes[0].op]
			nodes = nodes[1:]
		}
		e.Layers = append(e.Layers, l)
	}
	if len(e.Layers) == 0 {
		return e, errors.New("onnx: the graph has no Gemm")
	}
	e.Metadata = map[string]string{}
	for k, v := range m.meta {
		var err error
		switch k {
		case "features":
			err = json.Unmarshal([]byte(v), &e.Features)
		case "classes":
			err = json.Unmarshal([]byte(v), &e.Classes)
		case "targets":
			err = json.Unmarshal([]byte(v), &e.Targets)
		case "task":
		default:
			e.Metadata[k] = v
		}
		if err != nil {
			return e, fmt.Errorf("onnx: metadata %s: %w", k, err)
		}
	}
	if err := e.Validate(); err != nil {
		return e, err
	}
	if m.outputs[0].name != e.OutputTensor() {
		return e, fmt.Errorf("onnx: output named %q, want %q", m.outputs[0].name, e.OutputTensor())
	}
	return e, nil
}

// RandomLayer is a dense layer of in inputs and out units with activation
// act, its weights drawn from rng at the scale training gives them
// (normal, variance 2/in) and its biases small.
func RandomLayer(rng *rand.Rand, in, out int, act string) engine.DenseParams {
	w := mat.NewDense(in, out, nil)
	for r := 0; r < in; r++ {
		for c := 0; c < out; c++ {
			w.Set(r, c, rng.NormFloat64()*math.Sqrt(2/float64(in)))
		}
	}
	b := make([]float64, out)
	for i := range b {
		b[i] = rng.NormFloat64() * 0.1
	}
	return engine.DenseParams{W: w, B: b, Activation: act}
}
