package serve

import (
	"testing"

	"gonum.org/v1/gonum/mat"

	"workbench/datasets"
	"workbench/engine"
	"workbench/sessions"
)

// Every activation, classification and regression, one and several hidden
// layers: the small-request path must be taken and agree with the engine
// for requests of 1 to smallRows rows, and larger ones use the engine.
func TestSmallForwardMatchesEngine(t *testing.T) {
	specs := []struct {
		task   engine.Task
		layers string
	}{
		{engine.Classification, "64:relu,64:relu,64:relu"},
		{engine.Classification, "8:tanh"},
		{engine.Classification, ""},
		{engine.Regression, "5:leaky_relu,dropout:0.3,4:elu"},
		{engine.Regression, "6:gelu,6:sigmoid,3:linear"},
	}
	for _, sp := range specs {
		t.Run(sp.layers, func(t *testing.T) {
			layers, err := engine.ParseLayers(sp.layers)
			if err != nil {
				t.Fatal(err)
			}
			outputs := 3
			if sp.task == engine.Regression {
				outputs = 2
			}
			em, err := engine.NewModel(engine.Config{Inputs: 5, Outputs: outputs, Task: sp.task, Layers: layers, Seed: 7})
			if err != nil {
				t.Fatal(err)
			}
			sess := &sessions.Session{ID: "x", Model: em,
				Scaler: &datasets.Scaler{Mean: []float64{1, 2, 3, 4, 5}, Std: []float64{1, 2, 0.5, 1, 3}}}
			m := newModel(sess)
			if m.small == nil {
				t.Fatal("the small-request path was not taken")
			}
			sc := &scratch{}
			for _, n := range []int{1, 3, smallRows, smallRows + 1, 40} {
				rows := make([][]float64, n)
				x := make([]float64, 0, n*5)
				for i := range rows {
					rows[i] = []float64{float64(i) - 2, 0.5 * float64(i), 3, -1, 4 + float64(i%3)}
					x = append(x, rows[i]...)
				}
				got := m.predict(sc, x, n)
				want := expect(sess, rows)
				if !mat.EqualApprox(got, want, 1e-12) {
					t.Errorf("%d rows: got\n%v\nwant\n%v", n, mat.Formatted(got), mat.Formatted(want))
				}
			}
		})
	}
}

// A forward plan that does not agree with the engine is not used.
func TestSmallForwardSelfCheck(t *testing.T) {
	sess := irisSession(t, 1)
	f := newSmallForward(sess.Model)
	if f == nil || !f.agrees(sess.Model) {
		t.Fatal("a faithful plan should agree")
	}
	f.layers[0].Activation = "relu" // the model's is tanh
	if f.agrees(sess.Model) {
		t.Error("a plan with the wrong activation agrees")
	}
	f.layers[0].Activation = "swish"
	if activate("swish", nil) {
		t.Error("unknown activation accepted")
	}
}
