package main

// The JSON export: a session's model as plain JSON for people and tools that
// want to read the weights without a tensor library. The format is
// documented in deploy/README.md ("The JSON model format"); keep them in step.

import (
	"encoding/json"
	"fmt"
	"io"
	"math"

	"workbench/sessions"
)

// modelJSONFormat and modelJSONVersion identify the format; a reader should
// refuse a version it does not know.
const (
	modelJSONFormat  = "workbench-model"
	modelJSONVersion = 1
)

// modelJSON is the whole document. To predict: x' = (x - scaler.mean) /
// scaler.std, then for each layer a_j = activation(bias_j + Σ_i x'_i ·
// weights[i][j]), the last layer's a being the output.
type modelJSON struct {
	Format    string      `json:"format"`  // always "workbench-model"
	Version   int         `json:"version"` // 1
	SessionID string      `json:"session_id"`
	Name      string      `json:"name"`
	Dataset   string      `json:"dataset"`
	Task      string      `json:"task"` // "classification" or "regression"
	Spec      string      `json:"spec"` // hidden layers as trained, e.g. "16:relu,dropout:0.2"
	Features  []string    `json:"features"`
	Classes   []string    `json:"classes,omitempty"` // classification: output j is the probability of classes[j]
	Targets   []string    `json:"targets,omitempty"` // regression: output j predicts targets[j]
	Scaler    *scalerJSON `json:"scaler"`            // null: features go in as they are
	Layers    []layerJSON `json:"layers"`
}

type scalerJSON struct {
	Mean []float64 `json:"mean"`
	Std  []float64 `json:"std"`
}

// layerJSON is one dense layer. Weights has one row per input and one column
// per unit (weights[i][j] joins input i to unit j).
type layerJSON struct {
	Type       string      `json:"type"` // "dense" (dropout is the identity at inference, so it is not listed)
	Units      int         `json:"units"`
	Activation string      `json:"activation"` // one of engine.Activations, or "softmax"/"linear" for the output layer
	Weights    [][]float64 `json:"weights"`
	Bias       []float64   `json:"bias"`
}

// writeModelJSON writes sess's model as indented JSON.
func writeModelJSON(w io.Writer, sess *sessions.Session) error {
	doc := modelJSON{
		Format:    modelJSONFormat,
		Version:   modelJSONVersion,
		SessionID: sess.ID,
		Name:      sess.Name,
		Dataset:   sess.Data.Ref,
		Task:      sess.Model.Config().Task.String(),
		Spec:      sess.Layers,
		Features:  sess.Data.Features,
		Classes:   sess.Data.Classes,
		Targets:   sess.Data.Targets,
	}
	if sess.Scaler != nil {
		doc.Scaler = &scalerJSON{Mean: sess.Scaler.Mean, Std: sess.Scaler.Std}
	}
	for i, l := range sess.Model.DenseLayers() {
		in, out := l.W.Dims()
		lj := layerJSON{Type: "dense", Units: out, Activation: l.Activation, Bias: l.B, Weights: make([][]float64, in)}
		for r := range lj.Weights {
			lj.Weights[r] = make([]float64, out)
			for c := range lj.Weights[r] {
				lj.Weights[r][c] = l.W.At(r, c)
			}
		}
		if err := finite(lj); err != nil {
			return fmt.Errorf("layer %d (dense, %s): %w", i+1, l.Activation, err)
		}
		doc.Layers = append(doc.Layers, lj)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(doc)
}

// finite names the first NaN or Inf, which JSON cannot hold.
func finite(l layerJSON) error {
	for r, row := range l.Weights {
		for c, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("weight [%d][%d] is %v, which JSON cannot hold", r, c, v)
			}
		}
	}
	for c, v := range l.Bias {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("bias [%d] is %v, which JSON cannot hold", c, v)
		}
	}
	return nil
}
