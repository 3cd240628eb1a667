package serve

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/mat"
)

// Open Inference Protocol V2 (KServe / Triton REST): health, metadata and
// infer for the one model this server holds, named by its session's name
// (or id). Unknown top-level and tensor fields are ignored, as the
// protocol's extensions expect; everything we read is checked strictly.

func (s *server) handleLive(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, []byte(`{"live":true}`+"\n"))
}

// handleReady is ready as soon as a server exists: New requires a model.
func (s *server) handleReady(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, []byte(`{"ready":true}`+"\n"))
}

func (s *server) handleServerMetadata(w http.ResponseWriter, r *http.Request) {
	b := []byte(`{"name":"workbench","version":`)
	b = appendJSONString(b, s.version)
	b = append(b, `,"extensions":[]}`+"\n"...)
	writeJSON(w, http.StatusOK, b)
}

// modelFor resolves {name} (and {version}, when the route has one),
// answering 404 itself when it is not ours.
func (s *server) modelFor(w http.ResponseWriter, r *http.Request) *model {
	m := s.model.Load()
	name := r.PathValue("name")
	if !m.matches(name) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("unknown model %q; this server serves %q (session %s)", name, m.name, m.id))
		return nil
	}
	// A session has one version: its last save. A client that pins an
	// older one must learn it is gone rather than get other answers.
	if v := r.PathValue("version"); v != "" && v != m.version {
		writeError(w, http.StatusNotFound, fmt.Sprintf("model %q has no version %q; the version served is %q", m.name, v, m.version))
		return nil
	}
	return m
}

func (s *server) handleModelMetadata(w http.ResponseWriter, r *http.Request) {
	m := s.modelFor(w, r)
	if m == nil {
		return
	}
	b := []byte(`{"name":`)
	b = appendJSONString(b, m.name)
	b = append(b, `,"versions":[`...)
	b = appendJSONString(b, m.version)
	b = append(b, `],"platform":"workbench","inputs":[{"name":"input","datatype":"FP32","shape":[-1,`...)
	b = strconv.AppendInt(b, int64(m.inputs), 10)
	b = append(b, `]}],"outputs":[{"name":`...)
	b = appendJSONString(b, m.outputName)
	b = append(b, `,"datatype":"FP32","shape":[-1,`...)
	b = strconv.AppendInt(b, int64(m.outputs), 10)
	b = append(b, `]}`...)
	if m.classify {
		b = append(b, `,{"name":"label","datatype":"BYTES","shape":[-1]}`...)
	}
	b = append(b, `],"parameters":{"session_id":`...)
	b = appendJSONString(b, m.id)
	b = append(b, `,"task":`...)
	if m.classify {
		b = append(b, `"classification","classes":`...)
		b = appendStrings(b, m.classes)
	} else {
		b = append(b, `"regression"`...)
	}
	b = append(b, `,"features":`...)
	b = appendStrings(b, m.features)
	b = append(b, "}}\n"...)
	writeJSON(w, http.StatusOK, b)
}

func (s *server) handleModelReady(w http.ResponseWriter, r *http.Request) {
	m := s.modelFor(w, r)
	if m == nil {
		return
	}
	b := []byte(`{"name":`)
	b = appendJSONString(b, m.name)
	b = append(b, `,"ready":true}`+"\n"...)
	writeJSON(w, http.StatusOK, b)
}

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

func (s *server) handleInfer(w http.ResponseWriter, r *http.Request) {
	m := s.modelFor(w, r)
	if m == nil {
		return
	}
	sc := getScratch()
	defer putScratch(sc)
	if err := s.readBody(w, r, sc); err != nil {
		s.fail(w, err)
		return
	}
	var req inferRequest
	n, err := s.parseInfer(sc, m, &req)
	if err != nil {
		s.fail(w, err)
		return
	}
	p := m.predict(sc, sc.tr.x, n)
	out, err := appendInferResponse(sc.out[:0], p, m, &req, sc.tr.nested())
	sc.out = out
	if err != nil {
		s.fail(w, err)
		return
	}
	s.metrics.rows.Add(float64(n))
	s.stats.rows.Add(int64(n))
	noteRows(w, n)
	writeJSON(w, http.StatusOK, out)
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
// calling f with the scanner positioned on each value.
func objectFields(s *scanner, f func(key string) error) error {
	if s.eat('}') {
		return nil
	}
	for {
		raw, esc, err := s.str()
		if err != nil {
			return err
		}
		if err := s.expect(':', "':' after a key"); err != nil {
			return err
		}
		if err := f(decodeString(raw, esc)); err != nil {
			return err
		}
		if s.eat('}') {
			return nil
		}
		if err := s.expect(',', "',' or '}' after a value"); err != nil {
			return err
		}
	}
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

// appendInferResponse writes the V2 response: the output tensor in the
// request's datatype and form (flat or nested), and the labels.
func appendInferResponse(b []byte, p *mat.Dense, m *model, req *inferRequest, nested bool) ([]byte, error) {
	n, k := p.Dims()
	fp32 := req.datatype == "FP32"
	b = append(b, `{"model_name":`...)
	b = appendJSONString(b, m.name)
	b = append(b, `,"model_version":`...)
	b = appendJSONString(b, m.version)
	if req.hasID {
		b = append(b, `,"id":"`...)
		b = append(b, req.id...)
		b = append(b, '"')
	}
	b = append(b, `,"outputs":[`...)
	first := true
	want := func(name string) bool {
		if req.outputs == nil {
			return true
		}
		for _, o := range req.outputs {
			if o == name {
				return true
			}
		}
		return false
	}
	if want(m.outputName) {
		first = false
		b = append(b, `{"name":`...)
		b = appendJSONString(b, m.outputName)
		b = append(b, `,"datatype":"`...)
		b = append(b, req.datatype...)
		b = append(b, `","shape":[`...)
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(k), 10)
		b = append(b, `],"data":`...)
		var err error
		if b, err = appendMatrix(b, p, "inputs[0].data row", nested, fp32); err != nil {
			return b, err
		}
		b = append(b, '}')
	} else if err := checkFinite(p, "inputs[0].data row"); err != nil {
		return b, err
	}
	if m.classify && want("label") {
		if !first {
			b = append(b, ',')
		}
		b = append(b, `{"name":"label","datatype":"BYTES","shape":[`...)
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, `],"data":`...)
		b = appendLabels(b, p, m)
		b = append(b, '}')
	}
	return append(b, "]}\n"...), nil
}
