package serve

import (
	"fmt"
	"net/http"
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
	name := r.PathValue("name")
	m := s.lookup(w, name)
	if m == nil {
		writeError(w, http.StatusNotFound, s.unknownModel(name))
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
	if m.table != nil {
		b = append(b, `],"platform":"workbench","inputs":[`...)
		b = appendTableInputs(b, m.table)
	} else {
		b = append(b, `],"platform":"workbench","inputs":[{"name":"input","datatype":"FP32","shape":[-1,`...)
		b = strconv.AppendInt(b, int64(m.inputs), 10)
		b = append(b, `]}`...)
	}
	b = append(b, `],"outputs":[{"name":`...)
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
	var n int
	var err error
	if m.table != nil {
		n, err = s.parseTableInfer(sc, m, &req) // one input per column (v2table.go)
	} else {
		n, err = s.parseInfer(sc, m, &req)
	}
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
