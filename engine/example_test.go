package engine_test

import (
	"bytes"
	"context"
	"fmt"

	"gonum.org/v1/gonum/mat"

	"workbench/engine"
)

func ExampleParseLayers() {
	layers, err := engine.ParseLayers("64:relu,dropout:0.2,32:tanh")
	fmt.Println(len(layers), err, engine.FormatLayers(layers))
	_, err = engine.ParseLayers("64:relux")
	fmt.Println(err)
	// Output:
	// 3 <nil> 64:relu,dropout:0.2,32:tanh
	// layer spec part 1 "64:relux": unknown activation "relux"; allowed: relu, leaky_relu, elu, gelu, tanh, sigmoid, linear
}

func ExampleModel_SummaryTable() {
	layers, _ := engine.ParseLayers("16:relu,dropout:0.1")
	m, _ := engine.NewModel(engine.Config{Inputs: 4, Outputs: 3, Layers: layers})
	fmt.Print(m.SummaryTable())
	// Output:
	// Layer            Output shape        Params
	// ───────────────────────────────────────────
	// input            (-, 4)                   0
	// dense (relu)     (-, 16)                 80
	// dropout 0.1      (-, 16)                  0
	// dense (softmax)  (-, 3)                  51
	// ───────────────────────────────────────────
	// Total params: 131 (1.0 KiB)
}

// Training XOR, streaming epoch summaries through a Relay as a UI would,
// then saving and reloading the weights.
func ExampleFit() {
	x := mat.NewDense(4, 2, []float64{0, 0, 0, 1, 1, 0, 1, 1})
	y := mat.NewDense(4, 1, []float64{0, 1, 1, 0})
	layers, _ := engine.ParseLayers("8:tanh")
	m, err := engine.NewModel(engine.Config{Inputs: 2, Outputs: 2, Layers: layers, Seed: 1})
	if err != nil {
		panic(err)
	}
	relay := engine.NewRelay()
	last := 0
	stop := relay.Forward(context.Background(), func(e engine.Event) {
		if e.Kind == engine.EpochEnd {
			last = e.Epoch
		}
	})
	data := engine.Data{X: x, Y: y}
	res, err := engine.Fit(context.Background(), m, data, engine.Data{}, engine.FitOptions{Epochs: 500, BatchSize: 4, LearningRate: 0.05, Seed: 1}, relay.Handle)
	stop()
	fmt.Println(res.Reason, err, "last epoch seen:", last)
	fmt.Println("accuracy:", m.Evaluate(data).Accuracy)

	var file bytes.Buffer
	if err := m.WriteSafetensors(&file, map[string]string{"dataset": "xor"}); err != nil {
		panic(err)
	}
	loaded, meta, err := engine.ReadSafetensors(&file)
	fmt.Println(meta["dataset"], err, mat.Equal(loaded.Predict(x), m.Predict(x)))
	// Output:
	// completed <nil> last epoch seen: 500
	// accuracy: 1
	// xor <nil> true
}
