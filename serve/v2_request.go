package serve

// Reading an Open Inference Protocol V2 infer request: the fields, the
// input tensor's name, shape and datatype, and the outputs asked for, each
// checked against the one model this server holds.

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
)

// inferRequest is what handleInfer reads besides the tensor data.
type inferRequest struct {
	id       []byte // raw JSON string content, echoed as is
	hasID    bool
	inputs   int // tensors given
	name     bool
	datatype string
	shape    []int
	hasShape bool
	hasData  bool
	outputs  []string // requested output names; nil = all
}

// parseInfer reads a V2 infer body into sc.tr and req and checks the input
// against the model, returning the number of rows.
func (s *server) parseInfer(sc *scratch, m *model, req *inferRequest) (int, error) {
	sc.tr.reset(s.maxRows * m.inputs)
	sc2 := scanner{b: sc.body}
	sn := &sc2
	if err := expectObject(sn, `{"inputs": [{"name": "input", "shape": [n, d], "datatype": "FP32", "data": [...]}]}`); err != nil {
		return 0, err
	}
	err := objectFields(sn, func(key string) error {
		switch key {
		case "id":
			raw, _, err := sn.str()
			if err != nil {
				return badRequest(`field "id" must be a string`)
			}
			req.id, req.hasID = raw, true
			return nil
		case "inputs":
			return s.parseInputs(sn, m, req, &sc.tr)
		case "outputs":
			return parseOutputs(sn, m, req)
		}
		return sn.skip(0)
	})
	if err != nil {
		return 0, err
	}
	if err := sn.end(); err != nil {
		return 0, err
	}
	return checkInput(m, req, &sc.tr, s.maxRows)
}

// objectFields walks the fields of an object whose '{' was consumed,
// calling f with the decoded key and the scanner positioned on its value.
func objectFields(s *scanner, f func(key string) error) error {
	return objectRawFields(s, func(raw []byte, escaped bool) error {
		return f(decodeString(raw, escaped))
	})
}

func (s *server) parseInputs(sn *scanner, m *model, req *inferRequest, tr *tensorReader) error {
	if req.inputs > 0 {
		return badRequest(`field "inputs" is given twice`)
	}
	if !sn.eat('[') {
		return badRequest(`"inputs" must be a list of tensors; got %s`, sn.kind())
	}
	if sn.eat(']') {
		return badRequest(`"inputs" is empty; send one tensor {"name": "input", "shape": [n, %d], "datatype": "FP32", "data": [...]}`, m.inputs)
	}
	for {
		if req.inputs > 0 {
			if err := sn.skip(0); err != nil {
				return err
			}
		} else {
			if sn.ws() != '{' {
				return badRequest(`inputs[0] must be an object {"name", "shape", "datatype", "data"}; got %s`, sn.kind())
			}
			sn.i++
			err := objectFields(sn, func(key string) error {
				switch key {
				case "name":
					if _, _, err := sn.str(); err != nil {
						return badRequest(`inputs[0].name must be a string; got %s`, sn.kind())
					}
					req.name = true
				case "datatype":
					t, err := sn.text()
					if err != nil {
						return badRequest(`inputs[0].datatype must be a string such as "FP32"; got %s`, sn.kind())
					}
					req.datatype = t
				case "shape":
					return parseShape(sn, req)
				case "data":
					req.hasData = true
					return tr.read(sn, "inputs[0].data")
				default:
					return sn.skip(0)
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		req.inputs++
		if sn.eat(']') {
			break
		}
		if err := sn.expect(',', "',' or ']' in inputs"); err != nil {
			return err
		}
	}
	if req.inputs > 1 {
		return badRequest("inputs has %d tensors; model %q takes one, \"input\" of shape [n, %d]", req.inputs, m.name, m.inputs)
	}
	return nil
}

func parseShape(sn *scanner, req *inferRequest) error {
	if !sn.eat('[') {
		return badRequest("inputs[0].shape must be a list of integers such as [1, 4]; got %s", sn.kind())
	}
	req.hasShape = true
	req.shape = req.shape[:0]
	if sn.eat(']') {
		return nil
	}
	for {
		if !sn.isNumber() {
			return badRequest("inputs[0].shape[%d] must be an integer; got %s", len(req.shape), sn.kind())
		}
		v, err := sn.number()
		if err != nil || v != math.Trunc(v) || v < 0 || v > 1<<31 {
			return badRequest("inputs[0].shape[%d] must be a whole number ≥ 0", len(req.shape))
		}
		if len(req.shape) == 8 {
			return badRequest("inputs[0].shape has more than 8 dimensions")
		}
		req.shape = append(req.shape, int(v))
		if sn.eat(']') {
			return nil
		}
		if err := sn.expect(',', "',' or ']' in inputs[0].shape"); err != nil {
			return err
		}
	}
}

func parseOutputs(sn *scanner, m *model, req *inferRequest) error {
	if !sn.eat('[') {
		return badRequest(`"outputs" must be a list of {"name": ...}; got %s`, sn.kind())
	}
	req.outputs = []string{}
	if sn.eat(']') {
		return nil
	}
	for k := 0; ; k++ {
		if sn.ws() != '{' {
			return badRequest(`outputs[%d] must be an object {"name": ...}; got %s`, k, sn.kind())
		}
		sn.i++
		name, hasName := "", false
		err := objectFields(sn, func(key string) error {
			if key != "name" {
				return sn.skip(0)
			}
			t, err := sn.text()
			if err != nil {
				return badRequest("outputs[%d].name must be a string; got %s", k, sn.kind())
			}
			name, hasName = t, true
			return nil
		})
		if err != nil {
			return err
		}
		if !hasName {
			return badRequest("outputs[%d] has no \"name\"", k)
		}
		if name != m.outputName && !(m.classify && name == "label") {
			return badRequest("outputs[%d].name %q is not an output of model %q; it has %s", k, name, m.name, outputNames(m))
		}
		req.outputs = append(req.outputs, name)
		if sn.eat(']') {
			return nil
		}
		if err := sn.expect(',', "',' or ']' in outputs"); err != nil {
			return err
		}
	}
}

func outputNames(m *model) string {
	if m.classify {
		return fmt.Sprintf("%q and \"label\"", m.outputName)
	}
	return strconv.Quote(m.outputName)
}

// checkInput checks the parsed tensor against its declared shape and type
// and against the model, then applies the datatype.
func checkInput(m *model, req *inferRequest, tr *tensorReader, maxRows int) (int, error) {
	want := fmt.Sprintf("[n, %d] (n rows of %d features: %s)", m.inputs, m.inputs, m.featList)
	switch {
	case req.inputs == 0:
		return 0, badRequest(`missing field "inputs": send {"inputs": [{"name": "input", "shape": [n, %d], "datatype": "FP32", "data": [...]}]}`, m.inputs)
	case !req.name:
		return 0, badRequest(`inputs[0] has no "name" (the model's input is "input")`)
	case req.datatype == "":
		return 0, badRequest(`inputs[0] has no "datatype"; use "FP32" or "FP64"`)
	case req.datatype != "FP32" && req.datatype != "FP64":
		return 0, badRequest(`inputs[0].datatype %q is not supported; use "FP32" or "FP64"`, req.datatype)
	case !req.hasShape:
		return 0, badRequest(`inputs[0] has no "shape"; the model takes %s`, want)
	case !req.hasData:
		return 0, badRequest(`inputs[0] has no "data"`)
	}
	if len(req.shape) != 2 || req.shape[1] != m.inputs {
		return 0, badRequest("inputs[0].shape is %v; the model takes %s", shapeString(req.shape), want)
	}
	n := req.shape[0]
	if n == 0 {
		return 0, badRequest("inputs[0].shape %s has no rows", shapeString(req.shape))
	}
	if n > maxRows {
		return 0, errorf(http.StatusRequestEntityTooLarge, "inputs[0] has %d rows, over the limit of %d (--max-rows); split the request", n, maxRows)
	}
	if tr.nested() {
		if !slices.Equal(tr.dims, req.shape) {
			return 0, badRequest("inputs[0].data is nested as %s but its shape is %s", shapeString(tr.dims), shapeString(req.shape))
		}
	} else if len(tr.x) != n*m.inputs {
		return 0, badRequest("inputs[0].data has %d values; shape %s needs %d", len(tr.x), shapeString(req.shape), n*m.inputs)
	}
	if req.datatype == "FP32" {
		for i, v := range tr.x {
			if math.Abs(v) > math.MaxFloat32 {
				return 0, badRequest("inputs[0].data value %d (%g) is outside the FP32 range", i, v)
			}
			tr.x[i] = float64(float32(v))
		}
	}
	return n, nil
}

func shapeString(s []int) string {
	b := []byte{'['}
	for i, v := range s {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendInt(b, int64(v), 10)
	}
	return string(append(b, ']'))
}
