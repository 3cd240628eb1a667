package onnxtest

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"workbench/engine"
	"workbench/engine/onnx"
)

// TestMatchesEngine checks the graph against the engine itself, so a change
// of an activation's definition or constant in the engine (leaky slope, elu
// alpha, gelu form) fails here, not only in .ci/onnx.sh.
func TestMatchesEngine(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, act := range engine.Activations {
		for _, task := range []engine.Task{engine.Classification, engine.Regression} {
			t.Run(act+"/"+task.String(), func(t *testing.T) {
				layers, err := engine.ParseLayers("12:" + act + ",dropout:0.1,7:" + act)
				if err != nil {
					t.Fatal(err)
				}
				m, err := engine.NewModel(engine.Config{Inputs: 5, Outputs: 3, Task: task, Layers: layers, Seed: 11})
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
