package sessions

// Raw rows for a table session (one with a Preprocessor): JSON rows whose
// cells are numbers, text or null, in the predict server's request shapes,
// turned into the encoded features Predict takes.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"gonum.org/v1/gonum/mat"

	"workbench/datasets"
)

// ParseTableJSON reads {"input_data": rows} or a bare array of rows for a
// table session: each row a list of the raw columns in InputNames order, or
// an object keyed by column name (other keys, such as the target, are
// ignored). A cell is a number, a string (text, dates, numbers as text) or
// null (missing). It returns the encoded features, ready for Predict; an
// unseen category is no error, a bad number or date names its row and
// column. The encoded rows may use at most maxMemory bytes (0 = no limit).
func (s *Session) ParseTableJSON(body []byte, maxMemory int64) (*mat.Dense, error) {
	p := s.Preprocess
	if p == nil {
		return nil, errors.New("the session takes numbers only; it has no table preprocessing")
	}
	rows, err := decodeTableRows(bytes.TrimSpace(body))
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, errors.New("no rows in the input")
	}
	w := p.Outputs()
	if maxMemory > 0 && int64(len(rows))*int64(w)*8 > maxMemory {
		return nil, fmt.Errorf("%d rows of %d features would need %s, over the memory budget of %s (raise it with --max-memory)",
			len(rows), w, datasets.FormatSize(int64(len(rows))*int64(w)*8), datasets.FormatSize(maxMemory))
	}
	names := p.InputNames()
	cells := make([][]string, len(rows))
	for i, r := range rows {
		if cells[i], err = tableRow(r, names); err != nil {
			return nil, fmt.Errorf("row %d: %w", i+1, err)
		}
	}
	x := make([]float64, len(rows)*w)
	if err := p.TransformRows(x, cells); err != nil {
		var ie *datasets.InputError
		if errors.As(err, &ie) {
			ie.Row++ // 1-based, as the other messages here
		}
		return nil, err
	}
	return mat.NewDense(len(rows), w, x), nil
}

// decodeTableRows reads the rows, each kept raw for tableRow.
func decodeTableRows(body []byte) ([]json.RawMessage, error) {
	if len(body) == 0 {
		return nil, errors.New("no rows in the input")
	}
	var rows []json.RawMessage
	if body[0] == '[' {
		if err := json.Unmarshal(body, &rows); err != nil {
			return nil, fmt.Errorf("not a JSON array of rows: %v", err)
		}
		return rows, nil
	}
	var req struct {
		InputData *[]json.RawMessage `json:"input_data"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, fmt.Errorf("not a JSON request: %v", err)
	}
	if req.InputData == nil {
		return nil, errors.New(`no "input_data": send {"input_data": [[...], ...]} or an array of rows`)
	}
	return *req.InputData, nil
}

// tableRow is one JSON row as the cells of names, in order.
func tableRow(raw json.RawMessage, names []string) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '{' {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return nil, fmt.Errorf("not a JSON object: %v", err)
		}
		out := make([]string, len(names))
		for i, n := range names {
			v, ok := obj[n]
			if !ok {
				return nil, fmt.Errorf("no %q; a row names every input column (%s)", n, Clip(strings.Join(names, ", "), 100))
			}
			c, err := tableCell(v)
			if err != nil {
				return nil, fmt.Errorf("column %q: %w", n, err)
			}
			out[i] = c
		}
		return out, nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, errors.New("a row is a list of values or an object keyed by column name")
	}
	if len(list) != len(names) {
		return nil, fmt.Errorf("%d values, expected %d (%s)", len(list), len(names), Clip(strings.Join(names, ", "), 100))
	}
	out := make([]string, len(names))
	for i, v := range list {
		c, err := tableCell(v)
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", names[i], err)
		}
		out[i] = c
	}
	return out, nil
}

// tableCell is a JSON value as the cell text a CSV would hold: a number
// as written, a string's value, null as a gap.
func tableCell(v json.RawMessage) (string, error) {
	v = bytes.TrimSpace(v)
	switch {
	case len(v) == 0:
		return "", errors.New("no value")
	case string(v) == "null":
		return "", nil
	case v[0] == '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", err
		}
		return s, nil
	case v[0] == '-' || v[0] >= '0' && v[0] <= '9':
		return string(v), nil
	}
	return "", fmt.Errorf("%s is not a number, a string or null", Clip(string(v), 30))
}
