package serve

import (
	"errors"
	"fmt"
	"math"
	"net/http"

	"gonum.org/v1/gonum/mat"

	"workbench/datasets"
	"workbench/sessions"
)

// ParseInput decodes rows of raw features (the dataset's own units, not
// scaled) for sess's model from a /predict request body,
// {"input_data": [[...], ...]}, or from a bare list of rows [[...], ...].
// A row is a list of numbers in feature order or an object keyed by
// feature name. It is the decoder the predict server runs, so a bad body
// gets the server's error message; a bare list is named "input" in them
// (input[2][1]) where the server says input_data. maxRows <= 0 means no
// limit on the number of rows.
//
// This is for callers that predict outside the server (`workbench predict`)
// and must accept exactly what it accepts. For a session with table
// preprocessing, rows hold its raw columns (numbers, strings, null) and the
// result is the encoded features Session.Predict takes.
func ParseInput(sess *sessions.Session, body []byte, maxRows int) (*mat.Dense, error) {
	if sess == nil || sess.Model == nil {
		return nil, errors.New("the session has no model (train or load it first)")
	}
	if maxRows <= 0 {
		maxRows = math.MaxInt
	}
	m := newModel(sess)
	var rr rowsReader
	rr.reset(m, maxRows)
	if s := (scanner{b: body}); s.ws() == '[' {
		if err := rr.rows(&s, "input"); err != nil {
			return nil, err
		}
		if err := s.end(); err != nil {
			return nil, err
		}
	} else if err := parsePredictBody(body, &rr); err != nil {
		return nil, err
	}
	return mat.NewDense(rr.n, m.inputs, rr.x[:rr.n*m.inputs]), nil
}

// AppendResponse appends to b the body the predict server answers for
// preds, sess's predictions (Session.Predict's output):
// {"predictions": [[...], ...], "labels": [...]} with labels, the most
// likely class of each row, for classification only; compact, numbers in
// the shortest form that reads back to the same float64, a final newline.
// JSON cannot carry NaN or Inf: such an output is an error naming its row,
// as the server's 400 does.
//
// It panics if preds does not have one column per model output, a
// caller's mistake.
func AppendResponse(b []byte, sess *sessions.Session, preds *mat.Dense) ([]byte, error) {
	if sess == nil || sess.Model == nil {
		panic("serve: AppendResponse: the session has no model")
	}
	m := newModel(sess)
	if _, c := preds.Dims(); c != m.outputs {
		panic(fmt.Sprintf("serve: AppendResponse: predictions have %d columns, the model has %d outputs", c, m.outputs))
	}
	return appendPredictions(b, preds, m, "input_data")
}

// ParseInputWithin is ParseInput bounded by a memory budget instead of a
// row count: the decoded rows (encoded features, for a table session, can
// be many times the body's size) may take at most maxMemory bytes.
func ParseInputWithin(sess *sessions.Session, body []byte, maxMemory int64) (*mat.Dense, error) {
	if sess == nil || sess.Model == nil {
		return nil, errors.New("the session has no model (train or load it first)")
	}
	width := int64(max(1, sess.Model.Config().Inputs)) * 8
	maxRows := int(min(int64(math.MaxInt32), max(1, maxMemory/width)))
	x, err := ParseInput(sess, body, maxRows)
	var ae *apiError
	if errors.As(err, &ae) && ae.status == http.StatusRequestEntityTooLarge {
		return nil, fmt.Errorf("more than %d rows of %d features, over the memory budget of %s (raise it with --max-memory, or split the input)",
			maxRows, width/8, datasets.FormatSize(maxMemory))
	}
	return x, err
}
