package sessions

// The JSON export: a session's model as plain JSON for people and tools that
// want to read the weights without a tensor library. The format is
// documented in deploy/README.md ("The JSON model format"); keep them in step.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"

	"workbench/datasets"
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
	// Preprocess turns raw columns (text, dates, gaps) into features,
	// before the scaler; absent when the features are the columns.
	Preprocess *datasets.Preprocessor `json:"preprocess,omitempty"`
	Layers     []layerJSON            `json:"layers"`
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
func writeModelJSON(w io.Writer, sess *Session) error {
	doc := modelJSON{
		Format:     modelJSONFormat,
		Version:    modelJSONVersion,
		SessionID:  sess.ID,
		Name:       sess.Name,
		Dataset:    sess.Data.Ref,
		Task:       sess.Model.Config().Task.String(),
		Spec:       sess.Layers,
		Features:   sess.Data.Features,
		Classes:    sess.Data.Classes,
		Targets:    sess.Data.Targets,
		Preprocess: sess.Preprocess,
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
	return encodeModelJSON(w, doc)
}

// encodeModelJSON writes one field a line and one weight row a line, so a
// 64×32 layer reads as 64 lines rather than the 2,048 of json.MarshalIndent.
func encodeModelJSON(w io.Writer, doc modelJSON) error {
	var b bytes.Buffer
	field := func(indent, key string, v any, last bool) error {
		js, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		b.WriteString(indent)
		if key != "" {
			fmt.Fprintf(&b, "%q: ", key)
		}
		b.Write(js)
		if !last {
			b.WriteString(",")
		}
		b.WriteString("\n")
		return nil
	}
	type kv struct {
		key string
		v   any
	}
	head := []kv{
		{"format", doc.Format}, {"version", doc.Version}, {"session_id", doc.SessionID},
		{"name", doc.Name}, {"dataset", doc.Dataset}, {"task", doc.Task}, {"spec", doc.Spec},
		{"features", doc.Features},
	}
	if len(doc.Classes) > 0 {
		head = append(head, kv{"classes", doc.Classes})
	}
	if len(doc.Targets) > 0 {
		head = append(head, kv{"targets", doc.Targets})
	}
	if doc.Preprocess != nil {
		head = append(head, kv{"preprocess", doc.Preprocess})
	}
	b.WriteString("{\n")
	for _, f := range head {
		if err := field(" ", f.key, f.v, false); err != nil {
			return err
		}
	}
	if doc.Scaler == nil {
		b.WriteString(" \"scaler\": null,\n")
	} else {
		b.WriteString(" \"scaler\": {\n")
		if err := field("  ", "mean", doc.Scaler.Mean, false); err != nil {
			return err
		}
		if err := field("  ", "std", doc.Scaler.Std, true); err != nil {
			return err
		}
		b.WriteString(" },\n")
	}
	b.WriteString(" \"layers\": [\n")
	for i, l := range doc.Layers {
		b.WriteString("  {\n")
		for _, f := range []kv{{"type", l.Type}, {"units", l.Units}, {"activation", l.Activation}, {"bias", l.Bias}} {
			if err := field("   ", f.key, f.v, false); err != nil {
				return err
			}
		}
		b.WriteString("   \"weights\": [\n")
		for r, row := range l.Weights {
			if err := field("    ", "", row, r == len(l.Weights)-1); err != nil {
				return err
			}
		}
		b.WriteString("   ]\n  }")
		if i < len(doc.Layers)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString(" ]\n}\n")
	_, err := w.Write(b.Bytes())
	return err
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
