package serve

// TF Serving's REST API: predict, model status and model metadata, with or
// without /versions/N. A session has one version, its last save (the same
// number V2 reports).

import (
	"net/http"
	"strconv"
	"strings"
)

// tfModel resolves {name} and {version} of a TF Serving route whose last
// segment may end in ":verb", answering 404 itself when it is not ours.
func (s *server) tfModel(w http.ResponseWriter, r *http.Request) (m *model, verb string) {
	name, version := r.PathValue("name"), r.PathValue("version")
	last := &name
	if version != "" {
		last = &version
	}
	if r.Method == http.MethodPost {
		// The last colon: a session's name may contain one itself.
		if i := strings.LastIndexByte(*last, ':'); i >= 0 {
			*last, verb = (*last)[:i], (*last)[i+1:]
		}
		if verb != "predict" {
			writeError(w, http.StatusNotFound, "no route "+r.Method+" "+r.URL.Path+"; TF Serving's predict is POST /v1/models/NAME:predict or /v1/models/NAME/versions/N:predict")
			return nil, ""
		}
	}
	if m = s.lookup(w, name); m == nil {
		writeError(w, http.StatusNotFound, s.unknownModel(name))
		return nil, ""
	}
	if version != "" && version != m.version {
		writeError(w, http.StatusNotFound, "model "+quote(m.name)+" has no version "+quote(version)+"; the version served is "+m.version)
		return nil, ""
	}
	return m, verb
}

func (s *server) handleTFPredict(w http.ResponseWriter, r *http.Request) {
	m, _ := s.tfModel(w, r)
	if m == nil {
		return
	}
	s.compat(w, r, m, tfFields, `{"instances": [[...], ...]}`, func(key string) string {
		if key == "inputs" {
			return "outputs"
		}
		return "predictions"
	})
}

// handleTFStatus is GET /v1/models/NAME[/versions/N]: the version served
// and its state, as TF Serving's GetModelStatus answers.
func (s *server) handleTFStatus(w http.ResponseWriter, r *http.Request) {
	m, _ := s.tfModel(w, r)
	if m == nil {
		return
	}
	b := []byte(`{"model_version_status":[{"version":`)
	b = appendJSONString(b, m.version)
	b = append(b, `,"state":"AVAILABLE","status":{"error_code":"OK","error_message":""}}]}`+"\n"...)
	writeJSON(w, http.StatusOK, b)
}

// handleTFMetadata is GET /v1/models/NAME[/versions/N]/metadata: the
// serving_default signature (one float input of [-1, features], the
// output of [-1, outputs]).
func (s *server) handleTFMetadata(w http.ResponseWriter, r *http.Request) {
	m, _ := s.tfModel(w, r)
	if m == nil {
		return
	}
	tensor := func(b []byte, name string, width int) []byte {
		b = appendJSONString(b, name)
		b = append(b, `:{"dtype":"DT_FLOAT","tensor_shape":{"dim":[{"size":"-1","name":""},{"size":"`...)
		b = strconv.AppendInt(b, int64(width), 10)
		b = append(b, `","name":""}],"unknown_rank":false},"name":`...)
		return appendJSONString(b, name)
	}
	b := []byte(`{"model_spec":{"name":`)
	b = appendJSONString(b, m.name)
	b = append(b, `,"signature_name":"","version":`...)
	b = appendJSONString(b, m.version)
	b = append(b, `},"metadata":{"signature_def":{"signature_def":{"serving_default":{"inputs":{`...)
	b = tensor(b, "input", m.inputs)
	b = append(b, `}},"outputs":{`...)
	b = tensor(b, m.outputName, m.outputs)
	b = append(b, `}},"method_name":"tensorflow/serving/predict"}}}}}`+"\n"...)
	writeJSON(w, http.StatusOK, b)
}
