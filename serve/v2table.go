package serve

// V2 infer requests for a table model (issue 20), as MLServer's pandas
// codec sends a dataframe: one named input per column, shape [n] (or
// [n, 1]), BYTES for text and dates, FP32/FP64/INT32/INT64 for numbers;
// data a flat list of n values (null = a gap). The rows are encoded with
// the session's preprocessing; the answer is the usual V2 response.

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"workbench/datasets"
)

type v2TableInput struct {
	Name     string          `json:"name"`
	Shape    []int           `json:"shape"`
	Datatype string          `json:"datatype"`
	Data     json.RawMessage `json:"data"`
}

type v2TableRequest struct {
	ID      json.RawMessage `json:"id"`
	Inputs  []v2TableInput  `json:"inputs"`
	Outputs json.RawMessage `json:"outputs"`
}

// parseTableInfer reads the columns into rows, encodes them into sc.tr.x
// and returns the number of rows.
func (s *server) parseTableInfer(sc *scratch, m *model, req *inferRequest) (int, error) {
	t := m.table
	sc.tr.reset(0)
	req.datatype = "FP64" // the answer's type: the model computes in float64
	var body v2TableRequest
	// Unmarshal, not a Decoder: nothing may follow the object.
	if err := json.Unmarshal(sc.body, &body); err != nil {
		return 0, badRequest("not a V2 infer request: %v; send {\"inputs\": [{\"name\": COLUMN, \"shape\": [n], \"datatype\": \"BYTES\", \"data\": [...]}, ...]} with one input per column: %s", err, t.list)
	}
	if len(body.ID) > 0 {
		if body.ID[0] != '"' {
			return 0, badRequest(`field "id" must be a string`)
		}
		req.id, req.hasID = body.ID[1:len(body.ID)-1], true
	}
	if len(body.Outputs) > 0 && string(body.Outputs) != "null" {
		sn := scanner{b: body.Outputs}
		if err := parseOutputs(&sn, m, req); err != nil {
			return 0, err
		}
	}
	cols := make([][]string, len(t.names))
	n := -1
	for k, in := range body.Inputs {
		j, ok := t.index[in.Name]
		switch {
		case !ok:
			return 0, badRequest("inputs[%d].name %q is not a column of the model; send one input per column: %s", k, in.Name, t.list)
		case cols[j] != nil:
			return 0, badRequest("inputs[%d]: column %q is given twice", k, in.Name)
		}
		vals, err := v2Column(in, k, t.pre.Inputs[j].Kind)
		if err != nil {
			return 0, err
		}
		if n >= 0 && len(vals) != n {
			return 0, badRequest("inputs[%d] (%q) has %d rows, inputs before it %d; every column needs the same rows", k, in.Name, len(vals), n)
		}
		n, cols[j] = len(vals), vals
	}
	for j, c := range cols {
		if c == nil {
			return 0, badRequest("no input for column %q; send one input per column: %s", t.names[j], t.list)
		}
	}
	switch {
	case n <= 0:
		return 0, badRequest("the inputs have no rows")
	case n > s.maxRows:
		return 0, errorf(http.StatusRequestEntityTooLarge, "the inputs have %d rows, over the limit of %d (--max-rows); split the request", n, s.maxRows)
	}
	rows := make([][]string, n)
	for i := range rows {
		rows[i] = make([]string, len(cols))
		for j := range cols {
			rows[i][j] = cols[j][i]
		}
	}
	x := slices.Grow(sc.tr.x[:0], n*m.inputs)[:n*m.inputs]
	sc.tr.x = x
	if err := t.pre.TransformRows(x, rows); err != nil {
		// A bad number or date names the row, the column and the value.
		return 0, badRequest("inputs: %v", err)
	}
	return n, nil
}

// v2Column reads one column's values as cell texts.
func v2Column(in v2TableInput, k int, kind datasets.Kind) ([]string, error) {
	switch in.Datatype {
	case "BYTES", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64":
	case "":
		return nil, badRequest(`inputs[%d] (%q) has no "datatype"; use "BYTES" for text and dates, "FP64" for numbers`, k, in.Name)
	default:
		return nil, badRequest(`inputs[%d] (%q): datatype %q is not supported; use "BYTES" for text and dates, "FP64" for numbers`, k, in.Name, in.Datatype)
	}
	if in.Datatype != "BYTES" && kind != datasets.Numeric && kind != datasets.Categorical {
		return nil, badRequest(`inputs[%d] (%q) is a %s column: send it as "BYTES"`, k, in.Name, kind)
	}
	if len(in.Shape) == 0 || len(in.Shape) > 2 || (len(in.Shape) == 2 && in.Shape[1] != 1) {
		return nil, badRequest("inputs[%d] (%q).shape is %s; a column is [n] or [n, 1]", k, in.Name, shapeString(in.Shape))
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(in.Data, &raw); err != nil {
		return nil, badRequest("inputs[%d] (%q).data must be a list of values", k, in.Name)
	}
	if len(raw) != in.Shape[0] {
		return nil, badRequest("inputs[%d] (%q).data has %d values, its shape %s says %d", k, in.Name, len(raw), shapeString(in.Shape), in.Shape[0])
	}
	out := make([]string, len(raw))
	for i, v := range raw {
		v = bytes.TrimSpace(v)
		if len(v) > 0 && v[0] == '[' { // [n, 1] sent nested
			var one []json.RawMessage
			if json.Unmarshal(v, &one) != nil || len(one) != 1 {
				return nil, badRequest("inputs[%d] (%q).data[%d] must be one value", k, in.Name, i)
			}
			v = bytes.TrimSpace(one[0])
		}
		switch {
		case string(v) == "null":
		case len(v) > 0 && v[0] == '"':
			if err := json.Unmarshal(v, &out[i]); err != nil {
				return nil, badRequest("inputs[%d] (%q).data[%d]: %v", k, in.Name, i, err)
			}
		case len(v) > 0 && (v[0] == '-' || v[0] >= '0' && v[0] <= '9'):
			out[i] = string(v)
		default:
			return nil, badRequest("inputs[%d] (%q).data[%d] must be a number, a string or null; got %s", k, in.Name, i, strings.TrimSpace(string(v)))
		}
	}
	return out, nil
}

// appendTableInputs is the V2 metadata's "inputs" of a table model: one
// per column, BYTES for text and dates, FP64 for numbers.
func appendTableInputs(b []byte, t *tableInputs) []byte {
	for j, in := range t.pre.Inputs {
		if j > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = appendJSONString(b, in.Name)
		dt := "BYTES"
		if in.Kind == datasets.Numeric {
			dt = "FP64"
		}
		b = append(b, `,"datatype":"`+dt+`","shape":[-1]}`...)
	}
	return b
}
