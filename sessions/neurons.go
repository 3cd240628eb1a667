package sessions

import (
	"errors"
	"fmt"

	"gonum.org/v1/gonum/mat"

	"workbench/datasets"
	"workbench/engine"
)

// Each hidden neuron's picture, as TF Playground draws them: for a 2-D
// classifier its activation over the decision map's plane, for a 1-D
// regression its activation along the feature. The TUI draws them beside
// the map; they are taken at the same inputs as DecisionGrid and FitCurve.

// HiddenLayers is the session's hidden dense layers in order (dropout
// left out), as NeuronGrids and NeuronCurves number them: the model's, or
// for a model-less copy (a run's start) its layer spec's.
func (s *Session) HiddenLayers() []engine.LayerSpec {
	var layers []engine.LayerSpec
	if s.Model != nil {
		layers = s.Model.Config().Layers
	} else if l, err := engine.ParseLayers(s.Layers); err == nil {
		layers = l
	}
	var out []engine.LayerSpec
	for _, l := range layers {
		if l.Kind == "dense" {
			out = append(out, l)
		}
	}
	return out
}

// NeuronGrids is, for each neuron of hidden layer `layer` (0 = the first
// dense layer), its activation at the centre of every cell of a w×h grid
// over PlaneBounds(ds), in DecisionGrid's cell order (row by row from the
// top). It needs a model of two numeric features.
func (s *Session) NeuronGrids(ds *datasets.Dataset, layer, w, h int) ([][]float64, error) {
	if err := s.checkNeurons(ds, layer, 2); err != nil {
		return nil, err
	}
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("neuron maps need a positive size, got %d×%d", w, h)
	}
	return s.neurons(PlaneBounds(ds).centres(w, h), layer), nil
}

// NeuronCurves is, for each neuron of hidden layer `layer`, its activation
// at n evenly spaced points across the one feature of ds (xs, as FitCurve
// takes them): one curve per neuron.
func (s *Session) NeuronCurves(ds *datasets.Dataset, layer, n int) (xs []float64, curves [][]float64, err error) {
	if err := s.checkNeurons(ds, layer, 1); err != nil {
		return nil, nil, err
	}
	xs, x := featureRange(ds, n)
	return xs, s.neurons(x, layer), nil
}

func (s *Session) checkNeurons(ds *datasets.Dataset, layer, features int) error {
	hidden := s.HiddenLayers()
	switch {
	case s.Model == nil:
		return errors.New("the session has no trained model")
	case s.Preprocess != nil:
		return errors.New("neuron maps need numeric features; this session's columns are preprocessed (text, dates or gaps)")
	case ds == nil || ds.Features() != features || s.Model.Config().Inputs != features:
		return fmt.Errorf("neuron maps need a model of %d feature(s)", features)
	case len(hidden) == 0:
		return errors.New("the model has no hidden layer")
	case layer < 0 || layer >= len(hidden):
		return fmt.Errorf("hidden layer %d does not exist; the model has %d (0 to %d)", layer, len(hidden), len(hidden)-1)
	}
	return nil
}

// neurons is the activations of layer for the raw inputs x, one slice per
// neuron.
func (s *Session) neurons(x *mat.Dense, layer int) [][]float64 {
	if s.Scaler != nil {
		x = s.Scaler.Transform(x)
	}
	a := s.Model.Activations(x, layer)
	rows, units := a.Dims()
	out := make([][]float64, units)
	for j := range out {
		out[j] = make([]float64, rows)
		for i := range rows {
			out[j][i] = a.At(i, j)
		}
	}
	return out
}
