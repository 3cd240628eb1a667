package cli

// predict --keep-going and --drop-missing: rows that could not be
// predicted take their place in the output, as {"row": N, "error": "…"}
// in the JSON and a line in the table.

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"workbench/datasets"
	"workbench/serve"
	"workbench/sessions"
)

// errNonFinite is a row whose inputs are too far from the training data
// for the model to give a number.
var errNonFinite = errors.New("gives a non-finite output; its values are too far outside the range the model was trained on")

// dropNonFinite fails on the first row of p (the predictions for in.x)
// that is not finite or, with keepGoing, moves each such row from p and
// in to in.failed, in place.
func (in *predictInput) dropNonFinite(p *mat.Dense, keepGoing bool) error {
	r, c := p.Dims()
	kept := 0
	for i := range r {
		row := p.RawRowView(i)
		if finiteRow(row) {
			if kept != i {
				p.SetRow(kept, row)
				in.numbers[kept] = in.numbers[i]
			}
			kept++
			continue
		}
		rowErr := &datasets.RowError{Row: in.numbers[i], Err: errNonFinite}
		if !keepGoing {
			return rowErr
		}
		in.failed = append(in.failed, rowErr)
	}
	in.numbers = in.numbers[:kept]
	slices.SortStableFunc(in.failed, func(a, b *datasets.RowError) int { return a.Row - b.Row })
	if kept < r {
		if kept == 0 {
			in.x = nil
		} else {
			*p = *p.Slice(0, kept, 0, c).(*mat.Dense)
		}
	}
	return nil
}

func finiteRow(row []float64) bool {
	for _, v := range row {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// writePredictions prints p (nil when no row was predicted) with the
// failed rows in their places, as JSON or a table.
func writePredictions(w io.Writer, s *sessions.Session, in *predictInput, p *mat.Dense, asJSON bool) error {
	if in.x == nil {
		p = nil
	}
	if !asJSON {
		var labels []string
		if p != nil {
			labels = predictedLabels(s, p)
		}
		return printPredictions(w, s, p, labels, in.numbers, in.failed)
	}
	if len(in.failed) == 0 {
		// The server's own encoder, so the body is the server's byte for byte.
		body, err := serve.AppendResponse(nil, s, p)
		if err != nil {
			return err
		}
		_, err = w.Write(body)
		return err
	}
	var good struct {
		Predictions []json.RawMessage `json:"predictions"`
		Labels      []json.RawMessage `json:"labels"`
	}
	if p != nil {
		body, err := serve.AppendResponse(nil, s, p)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(body, &good); err != nil {
			return err
		}
	}
	preds := make([]any, 0, len(in.numbers)+len(in.failed))
	labels := make([]any, 0, cap(preds))
	g := 0
	for _, f := range in.failed {
		for g < len(in.numbers) && in.numbers[g] < f.Row {
			preds, labels = appendGood(preds, labels, good.Predictions, good.Labels, g)
			g++
		}
		preds = append(preds, jsonObj{{"row", f.Row}, {"error", f.Err.Error()}})
		labels = append(labels, nil)
	}
	for ; g < len(in.numbers); g++ {
		preds, labels = appendGood(preds, labels, good.Predictions, good.Labels, g)
	}
	out := jsonObj{{"predictions", preds}}
	if s.IsClassification() {
		out = append(out, jsonField{"labels", labels})
	}
	return writeLine(w, out)
}

func appendGood(preds, labels []any, p, l []json.RawMessage, i int) ([]any, []any) {
	preds = append(preds, p[i])
	if i < len(l) {
		labels = append(labels, l[i])
	}
	return preds, labels
}

// plural is one when n is 1 and many otherwise.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
