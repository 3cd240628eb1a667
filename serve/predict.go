package serve

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// scratch is one request's reusable memory: the body, the decoded rows and
// the response. Pooling it keeps a warm 1-row request down to a handful of
// small allocations (most of them net/http's own).
type scratch struct {
	body []byte
	rr   rowsReader
	tr   tensorReader
	p    []float64 // predictions
	pm   mat.Dense // p as a matrix: a new one per request would escape
	out  []byte

	held   int64         // bytes of body reserved from budget
	budget *atomic.Int64 // the server's bytes of bodies in flight
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxPooled keeps one huge request from pinning megabytes in the pool.
const maxPooled = 1 << 20

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

func putScratch(sc *scratch) {
	if sc.held != 0 {
		sc.budget.Add(-sc.held)
		sc.held, sc.budget = 0, nil
	}
	if cap(sc.body) > maxPooled {
		sc.body = nil
	}
	if cap(sc.out) > maxPooled {
		sc.out = nil
	}
	if cap(sc.rr.x) > maxPooled/8 {
		sc.rr.x = nil
	}
	if cap(sc.tr.x) > maxPooled/8 {
		sc.tr.x = nil
	}
	if cap(sc.p) > maxPooled/8 {
		sc.p = nil
	}
	sc.rr.m = nil
	sc.pm = mat.Dense{} // it may hold a p just dropped
	scratchPool.Put(sc)
}

// predict runs the session's model on n raw rows held in x, which it
// scales in place, and returns the outputs in sc's buffer. It is
// sessions.Session.Predict without its matrix allocations: the same scaling
// and the engine's PredictTo, so the answer is the engine's to the bit
// (TestPredictEqualsEngine), for one row or thousands.
func (m *model) predict(sc *scratch, x []float64, n int) *mat.Dense {
	in := mat.NewDense(n, m.inputs, x[:n*m.inputs])
	if m.sess.Scaler != nil {
		m.sess.Scaler.TransformInPlace(in)
	}
	k := n * m.outputs
	if cap(sc.p) < k {
		sc.p = make([]float64, k)
	}
	sc.pm.SetRawMatrix(blas64.General{Rows: n, Cols: m.outputs, Stride: m.outputs, Data: sc.p[:k]})
	m.sess.Model.PredictTo(&sc.pm, in)
	return &sc.pm
}

// handlePredict is POST /predict (the default model) and POST
// /models/{name}/predict: {"input_data": [[...]]} →
// {"predictions": [[...]], "labels": [...]}.
func (s *server) handlePredict(w http.ResponseWriter, r *http.Request) {
	m := s.model.Load() // one model for the whole request, whatever Swap does
	if name := r.PathValue("name"); name != "" {
		if m = s.lookup(w, name); m == nil {
			writeError(w, http.StatusNotFound, s.unknownModel(name))
			return
		}
	}
	sc := getScratch()
	defer putScratch(sc)
	if err := s.readBody(w, r, sc); err != nil {
		s.fail(w, err)
		return
	}
	sc.rr.reset(m, s.maxRows)
	if err := parsePredictBody(sc.body, &sc.rr); err != nil {
		s.fail(w, err)
		return
	}
	p := m.predict(sc, sc.rr.x, sc.rr.n)
	out, err := appendPredictions(sc.out[:0], p, m, "input_data")
	sc.out = out
	if err != nil {
		s.fail(w, err)
		return
	}
	s.metrics.rows.Add(float64(sc.rr.n))
	s.stats.rows.Add(int64(sc.rr.n))
	noteRows(w, sc.rr.n)
	writeJSON(w, http.StatusOK, out)
}

// parsePredictBody decodes {"input_data": [...]} into rr.
func parsePredictBody(b []byte, rr *rowsReader) error {
	s := scanner{b: b}
	if err := expectObject(&s, `{"input_data": [[...], ...]}`); err != nil {
		return err
	}
	found := false
	err := objectRawFields(&s, func(raw []byte, esc bool) error {
		if esc || string(raw) != "input_data" {
			return badRequest("unknown field %q; /predict takes {\"input_data\": [[...], ...]}", decodeString(raw, esc))
		}
		if found {
			return badRequest(`field "input_data" is given twice`)
		}
		found = true
		return rr.rows(&s, "input_data")
	})
	if err != nil {
		return err
	}
	if err := s.end(); err != nil {
		return err
	}
	if !found {
		return badRequest(`missing field "input_data": send {"input_data": [[%s]]} with one list of %d feature values per row`, exampleValues(rr.m), rr.m.inputs)
	}
	return nil
}

// expectObject checks that the body is a JSON object and consumes '{'.
func expectObject(s *scanner, shape string) error {
	if s.atEnd() {
		return badRequest("the request body is empty; send a JSON object %s", shape)
	}
	if s.ws() == '{' {
		s.i++
		return nil
	}
	if s.i < len(s.b) && (s.b[s.i] < 0x20 || s.b[s.i] >= 0x7f) && s.b[s.i] != '"' {
		return badRequest("the request body is not JSON; send a JSON object %s", shape)
	}
	return badRequest("the request body must be a JSON object %s; got %s", shape, s.kind())
}

// appendPredictions writes {"predictions": [[...]], "labels": [...]}; field
// names the request's list in the error for a non-finite output.
func appendPredictions(b []byte, p *mat.Dense, m *model, field string) ([]byte, error) {
	b = append(b, `{"predictions":`...)
	b, err := appendMatrix(b, p, field, true, false)
	if err != nil {
		return b, err
	}
	if m.classify {
		b = append(b, `,"labels":`...)
		b = appendLabels(b, p, m)
	}
	return append(b, "}\n"...), nil
}

// appendMatrix writes p as nested rows (or flat) of float64 or float32
// numbers. JSON cannot carry NaN or Inf: such an output (inputs far outside
// the training range can overflow a layer) is the request's error.
func appendMatrix(b []byte, p *mat.Dense, field string, nested, fp32 bool) ([]byte, error) {
	raw := p.RawMatrix()
	b = append(b, '[')
	for i := 0; i < raw.Rows; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		if nested {
			b = append(b, '[')
		}
		row := raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols]
		for j, v := range row {
			if j > 0 {
				b = append(b, ',')
			}
			if math.IsNaN(v) || math.IsInf(v, 0) || (fp32 && math.Abs(v) > math.MaxFloat32) {
				return b, badRequest("%s[%d] gives a non-finite output; its values are too far outside the range the model was trained on", field, i)
			}
			if fp32 {
				b = strconv.AppendFloat(b, float64(float32(v)), 'g', -1, 32)
			} else {
				b = strconv.AppendFloat(b, v, 'g', -1, 64)
			}
		}
		if nested {
			b = append(b, ']')
		}
	}
	return append(b, ']'), nil
}

// appendLabels writes the most likely class name of each row.
func appendLabels(b []byte, p *mat.Dense, m *model) []byte {
	raw := p.RawMatrix()
	b = append(b, '[')
	for i := 0; i < raw.Rows; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, m.classJSON[floats.MaxIdx(raw.Data[i*raw.Stride:i*raw.Stride+raw.Cols])]...)
	}
	return append(b, ']')
}

// handleIndex is GET /: what this server serves and how to call it.
func (s *server) handleIndex(w http.ResponseWriter, r *http.Request) {
	m := s.model.Load()
	b := []byte(`{"name":"workbench","model":`)
	b = appendJSONString(b, m.name)
	b = append(b, `,"session":`...)
	b = appendJSONString(b, m.id)
	b = append(b, `,"features":`...)
	b = appendStrings(b, m.features)
	if m.classify {
		b = append(b, `,"classes":`...)
		b = appendStrings(b, m.classes)
	}
	// Every model served, default first, as V2's repository index lists them.
	b = append(b, `,"models":[`...)
	for i, sl := range s.slots() {
		o := sl.Load()
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"name":`...)
		b = appendJSONString(b, o.name)
		b = append(b, `,"session":`...)
		b = appendJSONString(b, o.id)
		b = append(b, `,"version":`...)
		b = appendJSONString(b, o.version)
		b = append(b, `,"state":"READY","default":`...)
		b = strconv.AppendBool(b, i == 0)
		b = append(b, '}')
	}
	b = append(b, `],"routes":[`...)
	for i, rt := range []string{
		"POST /predict", "POST /models/" + m.name + "/predict",
		"POST /v2/models/" + m.name + "/infer", "GET /v2/models/" + m.name,
		"GET /v2/models/" + m.name + "/ready", "GET /v2", "GET /v2/health/live", "GET /v2/health/ready",
		"POST /v1/models/" + m.name + ":predict", "GET /v1/models/" + m.name, "GET /v1/models/" + m.name + "/metadata",
		"POST /invocations", "GET /metrics",
	} {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, rt)
	}
	b = append(b, `],"example":{"input_data":[[`...)
	for j, v := range m.exampleRow {
		if j > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendFloat(b, roundForDisplay(v), 'g', -1, 64)
	}
	b = append(b, "]]}}\n"...)
	writeJSON(w, http.StatusOK, b)
}

func appendStrings(b []byte, list []string) []byte {
	b = append(b, '[')
	for i, v := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, v)
	}
	return append(b, ']')
}

// checkFinite is appendMatrix's check for outputs that are not written.
func checkFinite(p *mat.Dense, field string) error {
	raw := p.RawMatrix()
	for i := 0; i < raw.Rows; i++ {
		for _, v := range raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return badRequest("%s[%d] gives a non-finite output; its values are too far outside the range the model was trained on", field, i)
			}
		}
	}
	return nil
}

// appendJSONString appends s as a JSON string literal.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			q, _ := json.Marshal(s) // rare: names are plain ASCII
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
