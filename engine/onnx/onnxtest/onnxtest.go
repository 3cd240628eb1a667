// Package onnxtest reads back the ONNX graphs engine/onnx writes, for tests
// only: a production program exports models and never reads them. Import it
// from _test.go files alone.
//
// Of the project it imports engine/onnx (and, through it, engine) only; it
// must never be imported by a non-test file.
package onnxtest

import "workbench/engine/onnx"

// Read parses a model written by onnx.Encode back into an onnx.Export
// (weights as the float32 values stored). It recognises only the graph
// shapes Encode writes; anything else, or a truncated or corrupted file, is
// an error.
//
// The decoder still lives in engine/onnx, as onnx.Read, while tests outside
// engine/onnx call that name; once none does, its body and decode.go move
// here.
func Read(b []byte) (onnx.Export, error) {
	return onnx.Read(b)
}
