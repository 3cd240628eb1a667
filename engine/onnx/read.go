package onnx

import (
	"encoding/json"
	"errors"
	"fmt"

	"gonum.org/v1/gonum/mat"

	"workbench/engine"
)

// Read parses a model written by Encode back into an Export (weights as the
// float32 values stored). It recognises only the graph shapes Encode writes;
// anything else, or a truncated or corrupted file, is an error.
//
// Deprecated: only tests read graphs back; use onnxtest.Read. Read stays
// only while tests outside engine/onnx call it.
func Read(b []byte) (Export, error) {
	var e Export
	m, err := decodeModel(b)
	if err != nil {
		return e, fmt.Errorf("onnx: %w", err)
	}
	if m.producer != Producer {
		return e, fmt.Errorf("onnx: produced by %q, not %s: only workbench's own graphs can be read back", m.producer, Producer)
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
		if len(t.dims) != dims || t.dtype != dataTypeFloat {
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
