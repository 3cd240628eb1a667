package sessions

import (
	"math"
	"slices"
	"testing"

	"workbench/datasets"
)

// Prepare scales its split parts in place: the dataset it returns (shown
// raw by the TUI's Data pane) must keep its own values, and every part
// must come out scaled with the training part's statistics.
func TestPrepareScalesPartsNotTheDataset(t *testing.T) {
	raw, err := datasets.Load("iris", datasets.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pr, err := Prepare(Plan{DataRef: "iris", Hyper: Hyper{Epochs: 1, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(pr.Dataset.X.RawMatrix().Data, raw.X.RawMatrix().Data) {
		t.Fatal("Prepare changed the dataset's own features")
	}
	// Each training column has mean 0 and standard deviation 1.
	x := pr.Train.X
	r, c := x.Dims()
	for j := range c {
		sum, sq := 0.0, 0.0
		for i := range r {
			v := x.At(i, j)
			sum, sq = sum+v, sq+v*v
		}
		mean := sum / float64(r)
		if sd := math.Sqrt(sq/float64(r) - mean*mean); math.Abs(mean) > 1e-9 || math.Abs(sd-1) > 0.05 {
			t.Errorf("training column %d: mean %g, sd %g; want 0 and about 1", j, mean, sd)
		}
	}
	// The other parts went through the same scaler: their values sit in
	// the standardised range, not at iris' raw scale (up to 7.9 cm).
	for name, d := range map[string][]float64{"val": pr.Val.X.RawMatrix().Data, "test": pr.Test.X.RawMatrix().Data} {
		for _, v := range d {
			if math.Abs(v) > 5 {
				t.Fatalf("%s part: value %g is not scaled", name, v)
			}
		}
	}
}
