package onnxtest

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/mat"

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

// TestMatchesEngine checks the graph against the engine itself, so a change
// of an activation's definition or constant in the engine (leaky slope, elu
// alpha, gelu form) fails here, not only in .ci/onnx.sh.
func TestMatchesEngine(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, act := range engine.Activations {
		for _, task := range []engine.Task{engine.Classification, engine.Regression} {
			for _, dt := range []engine.DType{engine.Float64, engine.Float32} {
				t.Run(act+"/"+task.String()+"/"+dt.String(), func(t *testing.T) {
					layers, err := engine.ParseLayers("12:" + act + ",dropout:0.1,7:" + act)
					if err != nil {
						t.Fatal(err)
					}
					m, err := engine.NewModel(engine.Config{Inputs: 5, Outputs: 3, Task: task, Layers: layers, Seed: 11, DType: dt})
					if err != nil {
						t.Fatal(err)
					}
					e := onnx.Export{Layers: m.DenseLayers()}
					if len(e.Layers) != 3 {
						t.Fatalf("%d dense layers, want 3 (dropout is not one)", len(e.Layers))
					}
					b, err := onnx.Encode(e)
					if err != nil {
						t.Fatal(err)
					}
					dm, err := decodeModel(b)
					if err != nil {
						t.Fatal(err)
					}
					x := randRows(rng, 50, 5, 1.5)
					got, err := dm.run(x)
					if err != nil {
						t.Fatal(err)
					}
					xm := mat.NewDense(len(x), 5, nil)
					for i, r := range x {
						xm.SetRow(i, r)
					}
					p := m.Predict(xm)
					want := make([][]float64, len(x))
					for i := range want {
						want[i] = mat.Row(nil, i, p)
					}
					close(t, got, want, 1e-5)
				})
			}
		}
	}
}
