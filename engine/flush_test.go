package engine

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Weights fed by an input that is always 0 get only the L2 penalty's
// gradient, and Adam drives them towards 0 ever faster; without flushTiny
// they (and their moments) end up subnormal, where every multiply is ~100
// times slower (here Adam's reach ~1e-184 within the run). None may be
// left between 0 and 2⁻⁵⁰⁰.
func TestTinyWeightsFlushedToZero(t *testing.T) {
	const rows = 64
	x := mat.NewDense(rows, 3, nil)
	y := mat.NewDense(rows, 1, nil)
	for i := range rows {
		a, b := float64(i%8)/8-0.5, float64(i/8)/8-0.5
		x.Set(i, 0, a)
		x.Set(i, 1, b) // column 2 stays 0
		if a*b > 0 {
			y.Set(i, 0, 1)
		}
	}
	// Adam and RMSprop, whose normalised steps get there within the run.
	for _, opt := range []string{"adam", "adamw", "rmsprop"} {
		m := mustModel(t, Config{Inputs: 3, Outputs: 2, Layers: mustLayers(t, "8:relu"), Seed: 1})
		d := Data{X: x, Y: y}
		if _, err := Fit(context.Background(), m, d, Data{}, FitOptions{Epochs: 1000, BatchSize: 8, Optimizer: opt, LearningRate: 0.01, L2: 1e-3, KeepLast: true}, nil); err != nil {
			t.Fatal(err)
		}
		tiny, zero := 0, 0
		for _, w := range m.impl.params {
			if w == 0 {
				zero++
			} else if math.Abs(w) < tinyWeight {
				tiny++
			}
		}
		if tiny > 0 {
			t.Errorf("%s: %d weights between 0 and 2^-500 (%d exactly 0)", opt, tiny, zero)
		}
	}
}
