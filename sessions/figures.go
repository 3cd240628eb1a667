package sessions

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"workbench/datasets"
)

// The pictures of a session beside its numbers: the decision map of a 2-D
// classifier, the fitted curve of a 1-D regression and the test split's
// predicted-versus-actual pairs. The TUI draws them in cells and
// sessions/plots writes them to files; both take them from here, so the
// screen and the file never disagree.

// Bounds is the padded range of a dataset's first two features (x, y), the
// plane a decision map covers.
type Bounds struct{ X0, X1, Y0, Y1 float64 }

// PlaneBounds is the range of ds's first two features, padded by 5% on each
// side so the outermost points do not sit on the edge.
func PlaneBounds(ds *datasets.Dataset) Bounds {
	b := Bounds{math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)}
	for i := 0; i < ds.Rows(); i++ {
		x, y := ds.X.At(i, 0), ds.X.At(i, 1)
		b.X0, b.X1 = math.Min(b.X0, x), math.Max(b.X1, x)
		b.Y0, b.Y1 = math.Min(b.Y0, y), math.Max(b.Y1, y)
	}
	px, py := (b.X1-b.X0)*0.05+1e-9, (b.Y1-b.Y0)*0.05+1e-9
	return Bounds{b.X0 - px, b.X1 + px, b.Y0 - py, b.Y1 + py}
}

// Cell maps a point to a cell of a w×h grid over b (row 0 at the top).
func (b Bounds) Cell(x, y float64, w, h int) (int, int) {
	cx := int((x - b.X0) / (b.X1 - b.X0) * float64(w))
	cy := int((b.Y1 - y) / (b.Y1 - b.Y0) * float64(h))
	return min(max(cx, 0), w-1), min(max(cy, 0), h-1)
}

// Grid is a decision map: for each cell of a W×H grid over Bounds (row 0 at
// the top), the predicted class and its probability, taken at the cell's
// centre.
type Grid struct {
	W, H   int
	Bounds Bounds
	Class  []int
	Conf   []float64
}

// DecisionGrid predicts every cell of a w×h map over the plane of ds's two
// features. It needs a trained 2-feature classifier.
func (s *Session) DecisionGrid(ds *datasets.Dataset, w, h int) (*Grid, error) {
	switch {
	case s.Model == nil:
		return nil, errors.New("the session has no trained model")
	case s.Preprocess != nil:
		return nil, errors.New("a decision map needs two numeric features; this session's columns are preprocessed (text, dates or gaps)")
	case ds == nil || ds.Features() != 2 || ds.Task != datasets.Classification:
		return nil, errors.New("a decision map needs a classifier of two features")
	case w <= 0 || h <= 0:
		return nil, fmt.Errorf("a decision map needs a positive size, got %d×%d", w, h)
	}
	b := PlaneBounds(ds)
	p := s.Predict(b.centres(w, h))
	g := &Grid{W: w, H: h, Bounds: b, Class: make([]int, w*h), Conf: make([]float64, w*h)}
	for i := range g.Class {
		row := p.RawRowView(i)
		best := floats.MaxIdx(row)
		g.Class[i], g.Conf[i] = best, row[best]
	}
	return g, nil
}

// centres is the centre of every cell of a w×h grid over b, row by row
// from the top: the inputs a decision map or a neuron map is taken at.
func (b Bounds) centres(w, h int) *mat.Dense {
	x := mat.NewDense(w*h, 2, nil)
	for r := 0; r < h; r++ {
		for c := 0; c < w; c++ {
			x.Set(r*w+c, 0, b.X0+(float64(c)+0.5)/float64(w)*(b.X1-b.X0))
			x.Set(r*w+c, 1, b.Y1-(float64(r)+0.5)/float64(h)*(b.Y1-b.Y0))
		}
	}
	return x
}

// FitCurve is a 1-feature regression's prediction at n evenly spaced points
// across the feature's range in ds.
func (s *Session) FitCurve(ds *datasets.Dataset, n int) (xs, ys []float64, err error) {
	switch {
	case s.Model == nil:
		return nil, nil, errors.New("the session has no trained model")
	case s.Preprocess != nil:
		return nil, nil, errors.New("a fitted curve needs one numeric feature; this session's columns are preprocessed (text, dates or gaps)")
	case ds == nil || ds.Features() != 1 || ds.Task != datasets.Regression || ds.Outputs() != 1:
		return nil, nil, errors.New("a fitted curve needs a regression of one feature on one target")
	}
	xs, x := featureRange(ds, n)
	p := s.Predict(x)
	ys = make([]float64, len(xs))
	for i := range ys {
		ys[i] = p.At(i, 0)
	}
	return xs, ys, nil
}

// featureRange is n >= 2 evenly spaced values across ds's first feature,
// and the same as a column of inputs.
func featureRange(ds *datasets.Dataset, n int) ([]float64, *mat.Dense) {
	n = max(n, 2)
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := 0; i < ds.Rows(); i++ {
		lo, hi = math.Min(lo, ds.X.At(i, 0)), math.Max(hi, ds.X.At(i, 0))
	}
	x := mat.NewDense(n, 1, nil)
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = lo + (hi-lo)*float64(i)/float64(n-1)
		x.Set(i, 0, xs[i])
	}
	return xs, x
}

// Pairs is a regression's test split: for each row, the actual target and
// the model's prediction of it, in the target's own units (first target).
type Pairs struct {
	Actual, Predicted []float64
}

// TestPairs predicts the test split of a prepared (or re-prepared) session.
// It is what the test metrics were computed from: R² over these pairs is
// the session's test R².
func TestPairs(p *Prepared) (Pairs, error) {
	s := p.Session
	switch {
	case s == nil || s.Model == nil:
		return Pairs{}, errors.New("the session has no trained model")
	case s.IsClassification():
		return Pairs{}, errors.New("predicted-versus-actual pairs are for regression sessions")
	case p.Test.X == nil:
		return Pairs{}, errors.New("the session has no test split (it was trained with --test 0)")
	}
	pred := s.Model.Predict(p.Test.X) // X is already scaled
	n, _ := p.Test.X.Dims()
	out := Pairs{Actual: make([]float64, n), Predicted: make([]float64, n)}
	for i := 0; i < n; i++ {
		out.Actual[i], out.Predicted[i] = p.Test.Y.At(i, 0), pred.At(i, 0)
	}
	return out, nil
}

// Example is one test example a classifier gets wrong: its features as
// loaded (unscaled), its true and predicted class and the probability the
// model gave the predicted one.
type Example struct {
	X          []float64
	True, Pred int
	Conf       float64
}

// Misclassified is the test split's examples the model gets wrong, at most
// max of them, in split order. The test split is the one the session was
// trained with: its fraction of ds, or the official test set it recorded
// (loaded within load's memory budget and gate). ds is the session's data
// as datasets.Load gives it.
func (s *Session) Misclassified(ds *datasets.Dataset, load datasets.LoadOptions, max int) ([]Example, error) {
	switch {
	case s.Model == nil:
		return nil, errors.New("the session has no trained model")
	case !s.IsClassification():
		return nil, errors.New("misclassified examples are for classifiers")
	}
	sp, err := splitData(ds, load, s.Split.Val, s.Split.Test, s.Split.Seed, s.Split.TestRef)
	if err != nil {
		return nil, err
	}
	t := sp.Test
	if t == nil || t.Rows() == 0 {
		return nil, errors.New("the session has no test split")
	}
	probs := s.Predict(t.X)
	var out []Example
	for i := 0; i < t.Rows() && len(out) < max; i++ {
		row := probs.RawRowView(i)
		pred, truth := floats.MaxIdx(row), int(t.Y.At(i, 0))
		if pred != truth {
			out = append(out, Example{X: append([]float64(nil), t.X.RawRowView(i)...), True: truth, Pred: pred, Conf: row[pred]})
		}
	}
	return out, nil
}

// PredictClasses is the class a classifier predicts for each row of x
// (features in the data's own units): the decision map's marks of
// misclassified points compare these with the points' labels.
func (s *Session) PredictClasses(x *mat.Dense) []int {
	p := s.Predict(x)
	r, _ := p.Dims()
	out := make([]int, r)
	for i := range out {
		out[i] = floats.MaxIdx(p.RawRowView(i))
	}
	return out
}
