// Package onnx writes a trained engine model, with the scaler in front of it,
// as an ONNX ModelProto that ONNX Runtime, Triton and other serving engines
// run as it is.
//
// The protobuf is written field by field with protowire, so the package needs
// no generated code and no ONNX library: the field numbers in internal/onnxpb are
// the ones of onnx.proto (IR version 8, opset 17). The graph is
//
//	input [batch, F] → Sub(mean) → Div(std) → Gemm → activation → … → Gemm → Softmax → probabilities [batch, K]
//
// or, for regression, ending in the last Gemm → output [batch, T].
//
// The package only writes. Reading a graph back is for tests only, so the
// reader lives in engine/onnx/onnxtest, and so do the encoder's tests that
// need it (the graph's structure, what it computes, agreement with the
// engine); this package's own tests (package onnx_test) check validation,
// the Triton config and Encode's speed.
//
// Of the project it imports engine (for DenseParams) and its own
// internal/onnxpb; beyond the
// standard library, gonum and protowire. It must never import sessions,
// datasets, serve, cli, tui or main, so that any of them can use it.
package onnx
