package datasets

import (
	"encoding/json"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestScalerMaths(t *testing.T) {
	// Columns: ordinary, constant, large offset with tiny spread, negative.
	x := mat.NewDense(4, 4, []float64{
		1, 7, 1e9 + 1, -2,
		2, 7, 1e9 + 2, -4,
		3, 7, 1e9 + 3, -6,
		4, 7, 1e9 + 4, -8,
	})
	s := FitScaler(x)
	wantMean := []float64{2.5, 7, 1e9 + 2.5, -5}
	wantStd := []float64{math.Sqrt(1.25), 1, math.Sqrt(1.25), math.Sqrt(5)}
	for j := range 4 {
		if math.Abs(s.Mean[j]-wantMean[j]) > 1e-9 || math.Abs(s.Std[j]-wantStd[j]) > 1e-9 {
			t.Errorf("column %d: mean %v std %v, want %v %v", j, s.Mean[j], s.Std[j], wantMean[j], wantStd[j])
		}
	}
	y := s.Transform(x)
	if x.At(0, 0) != 1 {
		t.Fatal("Transform changed its input")
	}
	for j := range 4 {
		col := mat.Col(nil, j, y)
		var m, v float64
		for _, c := range col {
			m += c / 4
		}
		for _, c := range col {
			v += (c - m) * (c - m) / 4
		}
		wantVar := 1.0
		if j == 1 {
			wantVar = 0 // constant column: centred, not blown up
		}
		if math.Abs(m) > 1e-9 || math.Abs(v-wantVar) > 1e-9 {
			t.Errorf("scaled column %d: mean %v var %v", j, m, v)
		}
	}
	s.TransformInPlace(x)
	if !mat.EqualApprox(x, y, 1e-12) {
		t.Error("TransformInPlace differs from Transform")
	}
}

// Fitted on train only, applied to the other parts: the test split's
// scaled mean is not forced to zero.
func TestScalerFitOnTrain(t *testing.T) {
	d, _ := Load("wine", LoadOptions{})
	s, err := d.Split(0, 0.3, 2)
	if err != nil {
		t.Fatal(err)
	}
	sc := FitScaler(s.Train.X)
	train := sc.Transform(s.Train.X)
	test := sc.Transform(s.Test.X)
	trMean := mat.Sum(train.ColView(12)) / float64(s.Train.Rows())
	teMean := mat.Sum(test.ColView(12)) / float64(s.Test.Rows())
	if math.Abs(trMean) > 1e-9 {
		t.Errorf("train mean %v", trMean)
	}
	if math.Abs(teMean) < 1e-6 {
		t.Errorf("test mean %v is zero: scaler was fitted on test?", teMean)
	}
	// Transforming an empty split is a no-op, not a panic.
	if out := sc.Transform(&mat.Dense{}); !out.IsEmpty() {
		t.Error("empty transform")
	}
}

func TestScalerJSON(t *testing.T) {
	d, _ := Load("iris", LoadOptions{})
	s := FitScaler(d.X)
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back Scaler
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Mean, s.Mean) || !slices.Equal(back.Std, s.Std) {
		t.Fatalf("round trip %s changed the scaler", b)
	}
}

func TestScalerColumnMismatchPanics(t *testing.T) {
	s := FitScaler(mat.NewDense(2, 2, []float64{1, 2, 3, 4}))
	defer func() {
		if recover() == nil {
			t.Error("no panic on a column mismatch")
		}
	}()
	s.Transform(mat.NewDense(1, 3, nil))
}

func TestSummary(t *testing.T) {
	d := &Dataset{
		Task:         Classification,
		X:            mat.NewDense(3, 2, []float64{1, 5, 2, 5, 6, 5}),
		Y:            mat.NewDense(3, 1, []float64{0, 2, 2}),
		FeatureNames: []string{"a", "b"},
		ClassNames:   []string{"x", "y", "z"},
	}
	got := d.Summary()
	want := []FeatureSummary{
		{Name: "a", Min: 1, Max: 6, Mean: 3, Std: math.Sqrt(14.0 / 3)},
		{Name: "b", Min: 5, Max: 5, Mean: 5, Std: 0},
	}
	for j := range want {
		g, w := got[j], want[j]
		if g.Name != w.Name || g.Min != w.Min || g.Max != w.Max || math.Abs(g.Mean-w.Mean) > 1e-12 || math.Abs(g.Std-w.Std) > 1e-12 {
			t.Errorf("summary %d = %+v, want %+v", j, g, w)
		}
	}
	if c := d.ClassCounts(); !slices.Equal(c, []int{1, 0, 2}) {
		t.Errorf("class counts %v", c)
	}
}
