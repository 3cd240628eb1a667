package onnxtest

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"workbench/engine"
	"workbench/engine/onnx"
)

func TestRead(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	var layers []engine.DenseParams
	in := 6
	for _, act := range engine.Activations {
		layers = append(layers, RandomLayer(rng, in, 5, act))
		in = 5
	}
	layers = append(layers, RandomLayer(rng, in, 3, "softmax"))
	e := onnx.Export{
		Layers: layers, Mean: []float64{1, 2, 3, 4, 5, 6}, Std: []float64{1, 2, 1, 2, 1, 2},
		Features: []string{"a", "b", "c", "d", "e", "f"}, Classes: []string{"x", "y", "z"},
		Metadata: map[string]string{"session_id": "s1"},
	}
	b, err := onnx.Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Read(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Layers) != len(e.Layers) {
		t.Fatalf("%d layers read, want %d", len(got.Layers), len(e.Layers))
	}
	for i, l := range got.Layers {
		if l.Activation != e.Layers[i].Activation {
			t.Errorf("layer %d: activation %q, want %q", i+1, l.Activation, e.Layers[i].Activation)
		}
		r, c := l.W.Dims()
		for j := 0; j < r; j++ {
			for k := 0; k < c; k++ {
				if l.W.At(j, k) != float64(float32(e.Layers[i].W.At(j, k))) {
					t.Fatalf("layer %d W[%d][%d] = %v, want float32 of %v", i+1, j, k, l.W.At(j, k), e.Layers[i].W.At(j, k))
				}
			}
		}
	}
	if !reflect.DeepEqual(got.Mean, e.Mean) || !reflect.DeepEqual(got.Std, e.Std) ||
		!reflect.DeepEqual(got.Features, e.Features) || !reflect.DeepEqual(got.Classes, e.Classes) ||
		got.Metadata["session_id"] != "s1" {
		t.Errorf("read back %+v", got)
	}
	// Every truncation is an error, never a panic.
	for n := 0; n < len(b); n++ {
		if _, err := Read(b[:n]); err == nil {
			t.Fatalf("Read of the first %d of %d bytes succeeded", n, len(b))
		}
	}
	bad := append([]byte(nil), b...)
	bad[0] = 0xff // a tag with wire type 7
	if _, err := Read(bad); err == nil {
		t.Fatal("Read of a corrupted tag succeeded")
	}
}
