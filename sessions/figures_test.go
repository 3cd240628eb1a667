package sessions

import (
	"context"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

func TestSmooth(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name   string
		in     []float64
		weight float64
		want   []float64
	}{
		{"weight 0 keeps the curve", []float64{3, 1, 2}, 0, []float64{3, 1, 2}},
		{"a constant stays constant (debiased)", []float64{5, 5, 5, 5}, 0.9, []float64{5, 5, 5, 5}},
		{"first point is the point itself", []float64{4, 0}, 0.5, []float64{4, (0.5*0.5*4 + 0.5*0) / (1 - 0.25)}},
		{"NaN passes through and does not enter the average", []float64{2, nan, 2}, 0.6, []float64{2, nan, 2}},
		{"weight at or above 1 is clamped, not frozen", []float64{1, 3}, 1.5, []float64{1, (0.999*0.001*1 + 0.001*3) / (1 - 0.999*0.999)}},
		{"empty", nil, 0.5, []float64{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Smooth(c.in, c.weight)
			if len(got) != len(c.want) {
				t.Fatalf("len %d, want %d", len(got), len(c.want))
			}
			for i := range got {
				if math.IsNaN(c.want[i]) != math.IsNaN(got[i]) || (!math.IsNaN(got[i]) && math.Abs(got[i]-c.want[i]) > 1e-9) {
					t.Fatalf("Smooth(%v, %v) = %v, want %v", c.in, c.weight, got, c.want)
				}
			}
		})
	}
}

func TestSeriesOf(t *testing.T) {
	st := openStore(t)
	s := trained(t, st, "curves", 4)
	for _, m := range []string{"loss", "accuracy", "r2", "val_loss", "val_accuracy", "lr", " LOSS "} {
		ser, err := s.SeriesOf(m)
		if err != nil {
			t.Fatalf("%q: %v", m, err)
		}
		if len(ser.Y) != 4 || ser.Epochs[0] != 1 || ser.Epochs[3] != 4 {
			t.Fatalf("%q: epochs %v, values %v", m, ser.Epochs, ser.Y)
		}
	}
	ser, _ := s.SeriesOf("r2")
	if ser.Name != "accuracy" || ser.Y[3] != s.History[3].Accuracy {
		t.Fatalf("a classifier's r2 reads as its accuracy, got %s %v", ser.Name, ser.Y)
	}
	if _, err := s.SeriesOf("f1"); err == nil || !strings.Contains(err.Error(), `"f1"`) || !strings.Contains(err.Error(), "val_loss") {
		t.Fatalf("unknown metric: %v", err)
	}
}

func TestDecisionGridIsThePredictionAtEachCellCentre(t *testing.T) {
	st := openStore(t)
	pr := prepare(t, Plan{DataRef: "blobs", Hyper: Hyper{Epochs: 5, Seed: 2}})
	s, err := st.Train(context.Background(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := s.DecisionGrid(pr.Dataset, 7, 5)
	if err != nil {
		t.Fatal(err)
	}
	b := g.Bounds
	for _, rc := range [][2]int{{0, 0}, {4, 6}, {2, 3}} {
		r, c := rc[0], rc[1]
		x := b.X0 + (float64(c)+0.5)/7*(b.X1-b.X0)
		y := b.Y1 - (float64(r)+0.5)/5*(b.Y1-b.Y0)
		p := s.Predict(mat.NewDense(1, 2, []float64{x, y})).RawRowView(0)
		if k := floats.MaxIdx(p); g.Class[r*7+c] != k || g.Conf[r*7+c] != p[k] {
			t.Fatalf("cell (%d,%d): grid says class %d at %v, the model %d at %v", r, c, g.Class[r*7+c], g.Conf[r*7+c], k, p[k])
		}
		if cx, cy := b.Cell(x, y, 7, 5); cx != c || cy != r {
			t.Fatalf("Cell(%v,%v) = (%d,%d), want (%d,%d)", x, y, cx, cy, c, r)
		}
	}
	if _, err := s.DecisionGrid(pr.Dataset, 0, 5); err == nil {
		t.Fatal("a 0-wide grid was accepted")
	}
	iris := trained(t, st, "iris", 2)
	irisData := prepare(t, Plan{}).Dataset
	if _, err := iris.DecisionGrid(irisData, 4, 4); err == nil || !strings.Contains(err.Error(), "two features") {
		t.Fatalf("a 4-feature map: %v", err)
	}
}

// TestTestPairsAreWhatTheTestR2WasComputedFrom: the residuals a plot shows
// are the test split the session's R² describes, in the target's units.
func TestTestPairsAreWhatTheTestR2WasComputedFrom(t *testing.T) {
	st := openStore(t)
	pr := prepare(t, Plan{DataRef: "diabetes", Layers: "16:relu", Hyper: Hyper{Epochs: 20, Seed: 3}})
	s, err := st.Train(context.Background(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := st.Load(s.ID)
	if err != nil {
		t.Fatal(err)
	}
	re, err := Reprepare(loaded)
	if err != nil {
		t.Fatal(err)
	}
	pairs, err := TestPairs(re)
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs.Actual) != s.Data.TestRows {
		t.Fatalf("%d pairs, the test split has %d rows", len(pairs.Actual), s.Data.TestRows)
	}
	mean := floats.Sum(pairs.Actual) / float64(len(pairs.Actual))
	var ssRes, ssTot float64
	for i, a := range pairs.Actual {
		ssRes += (a - pairs.Predicted[i]) * (a - pairs.Predicted[i])
		ssTot += (a - mean) * (a - mean)
	}
	if r2 := 1 - ssRes/ssTot; math.Abs(r2-s.Test.R2) > 1e-9 {
		t.Fatalf("R² of the pairs %v, the session's test R² %v", r2, s.Test.R2)
	}
	if mean < 50 {
		t.Fatalf("actual targets average %v: not in diabetes' units (25–346)", mean)
	}
	iris := prepare(t, Plan{})
	iris.Session.Model = pr.Session.Model
	if _, err := TestPairs(iris); err == nil {
		t.Fatal("pairs of a classifier were accepted")
	}
}
