package serve

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"workbench/datasets"
	"workbench/engine"
	"workbench/sessions"
)

type predictResponse struct {
	Predictions [][]float64 `json:"predictions"`
	Labels      []string    `json:"labels"`
}

func TestPredictMatchesSession(t *testing.T) {
	sess := irisSession(t, 1)
	h := New(sess, Options{}).Handler()
	rows := [][]float64{{5.1, 3.5, 1.4, 0.2}, {6.7, 3.0, 5.2, 2.3}, {5.9, 3.0, 4.2, 1.5}, {-1e3, 0, 1e-300, 42}}
	want := expect(sess, rows)
	tests := []struct {
		name, ctype, body string
	}{
		{"lists", "application/json", mustJSON(map[string]any{"input_data": rows})},
		{"objects in any order", "application/json; charset=utf-8", objectRows(rows, []int{3, 1, 0, 2})},
		{"curl's default form type", "application/x-www-form-urlencoded", mustJSON(map[string]any{"input_data": rows})},
		{"no content type, spaces", "", " {\n\t\"input_data\" : [ " + strings.TrimSuffix(strings.TrimPrefix(mustJSON(rows), "["), "]") + " ] } \n"},
		{"vendor +json", "application/vnd.api+json", mustJSON(map[string]any{"input_data": rows})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, hdr, body := do(t, h, "POST", "/predict", tt.ctype, tt.body)
			if code != http.StatusOK {
				t.Fatalf("status %d: %s", code, body)
			}
			if ct := hdr.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			var got predictResponse
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			if !sameRows(got.Predictions, rowsOf(want)) {
				t.Errorf("predictions\n got %v\nwant %v", got.Predictions, rowsOf(want))
			}
			if !reflect.DeepEqual(got.Labels, argmaxNames(sess, want)) {
				t.Errorf("labels %v, want %v", got.Labels, argmaxNames(sess, want))
			}
		})
	}
}

func TestPredictRegressionHasNoLabels(t *testing.T) {
	sess := regSession(t)
	h := New(sess, Options{}).Handler()
	code, _, body := do(t, h, "POST", "/predict", "application/json", `{"input_data": [[1, 2], {"y": 0.5, "x": -3}]}`)
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if _, ok := got["labels"]; ok || len(got) != 1 {
		t.Errorf("regression answer should hold predictions only: %s", body)
	}
	var p predictResponse
	json.Unmarshal(body, &p)
	if want := rowsOf(expect(sess, [][]float64{{1, 2}, {-3, 0.5}})); !sameRows(p.Predictions, want) {
		t.Errorf("got %v, want %v", p.Predictions, want)
	}
}

// TestPredictErrors covers every class of bad input: each must be a 4xx
// JSON error whose message says what was wrong and where.
func TestPredictErrors(t *testing.T) {
	sess := irisSession(t, 1)
	h := New(sess, Options{MaxBody: 2000, MaxRows: 3}).Handler()
	row := "[5.1, 3.5, 1.4, 0.2]"
	tests := []struct {
		name, ctype, body string
		status            int
		want              []string // substrings of the message
	}{
		{"empty body", "", "", 400, []string{"empty"}},
		{"not JSON", "", "input_data=1", 400, []string{"must be a JSON object"}},
		{"binary", "", "\x00\x01", 400, []string{"not JSON"}},
		{"a word that starts like null", "", "nope", 400, []string{"must be a JSON object", "not JSON"}},
		{"real null", "", "null", 400, []string{"must be a JSON object", "got null"}},
		{"a word that starts like true", "", "tru", 400, []string{"not JSON"}},
		{"a list, not an object", "", "[[1,2,3,4]]", 400, []string{"JSON object", "a list"}},
		{"truncated", "", `{"input_data": [[5.1, 3.5`, 400, []string{"bad JSON", "byte"}},
		{"trailing comma", "", `{"input_data": [` + row + `,]}`, 400, []string{"input_data[1]", "got something that is not JSON"}},
		{"trailing garbage", "", `{"input_data": [` + row + `]} x`, 400, []string{"after the end"}},
		{"missing field", "", `{}`, 400, []string{`missing field "input_data"`}},
		{"unknown field", "", `{"inputs": [` + row + `]}`, 400, []string{`unknown field "inputs"`}},
		{"field twice", "", `{"input_data": [` + row + `], "input_data": [` + row + `]}`, 400, []string{"twice"}},
		{"not a list", "", `{"input_data": 5}`, 400, []string{"input_data must be a list of rows", "got a number"}},
		{"flat list", "", `{"input_data": [5.1, 3.5, 1.4, 0.2]}`, 400, []string{"flat list", "wrap"}},
		{"no rows", "", `{"input_data": []}`, 400, []string{"no rows"}},
		{"too many values", "", `{"input_data": [` + row + `, [1, 2, 3, 4, 5]]}`, 400,
			[]string{"input_data[1] has 5 values; the model takes 4 features: sepal length (cm), sepal width (cm), petal length (cm), petal width (cm)"}},
		{"too few values", "", `{"input_data": [[1, 2, 3]]}`, 400, []string{"input_data[0] has 3 values; the model takes 4"}},
		{"empty row", "", `{"input_data": [[]]}`, 400, []string{"input_data[0] has 0 values"}},
		{"string value", "", `{"input_data": [[1, "2", 3, 4]]}`, 400, []string{"input_data[0][1] must be a number; got a string"}},
		{"null value", "", `{"input_data": [` + row + `, [1, 2, null, 4]]}`, 400, []string{"input_data[1][2] must be a number; got null"}},
		{"row is a number list of lists", "", `{"input_data": [` + row + `, "x"]}`, 400, []string{"input_data[1] must be a list of 4 numbers or an object"}},
		{"NaN", "", `{"input_data": [[1, NaN, 3, 4]]}`, 400, []string{"NaN", "finite"}},
		{"Infinity", "", `{"input_data": [[1, -Infinity, 3, 4]]}`, 400, []string{"finite"}},
		{"bad number after a space", "", `{"input_data": [[1,  2., 3, 4]]}`, 400, []string{"input_data[0][1]: bad JSON", "after the decimal point"}},
		{"text after a space", "", "{\"input_data\": [[1,\n\t\"2\", 3, 4]]}", 400, []string{"input_data[0][1] must be a number; got a string"}},
		{"unterminated after a space", "", `{"input_data": [[1, `, 400, []string{"unterminated input_data row"}},
		{"overflow", "", `{"input_data": [[1, 2, 1e400, 4]]}`, 400, []string{"input_data[0][2] is not a finite number"}},
		{"bad number", "", `{"input_data": [[1, 2, 01, 4]]}`, 400, []string{"bad JSON"}},
		{"missing feature", "", `{"input_data": [{"sepal length (cm)": 1, "sepal width (cm)": 2, "petal length (cm)": 3}]}`, 400,
			[]string{`input_data[0] is missing feature "petal width (cm)"`}},
		{"unknown feature", "", `{"input_data": [{"sepal_length": 1}]}`, 400, []string{`input_data[0] has unknown feature "sepal_length"`, "sepal length (cm)"}},
		{"feature twice", "", `{"input_data": [{"sepal width (cm)": 1, "sepal width (cm)": 2}]}`, 400, []string{"twice"}},
		{"feature not a number", "", `{"input_data": [{"sepal width (cm)": true}]}`, 400, []string{`input_data[0]["sepal width (cm)"] must be a number; got a boolean`}},
		{"too many rows", "", `{"input_data": [` + strings.Repeat(row+",", 3) + row + `]}`, 413, []string{"more than 3 rows", "--max-rows"}},
		{"body over the limit", "", `{"input_data": [` + strings.Repeat(row+",", 200) + row + `]}`, 413, []string{"2000 bytes", "--max-body"}},
		{"text/plain", "text/plain", `{"input_data": [` + row + `]}`, 415, []string{"text/plain", "application/json"}},
		{"multipart", "multipart/form-data; boundary=x", `{}`, 415, []string{"not supported"}},
		{"deep nesting", "", `{"x": ` + strings.Repeat("[", 1500) + `}`, 400, []string{`unknown field "x"`}},
		{"huge input gives non-finite output", "", `{"input_data": [[1e308, -1e308, 1e308, 1e308]]}`, -1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, body := do(t, h, "POST", "/predict", tt.ctype, tt.body)
			if tt.status == -1 { // either a prediction or a 400, never a 500
				if code != 200 && code != 400 {
					t.Fatalf("status %d: %s", code, body)
				}
				if code == 400 && !strings.Contains(errorOf(t, body), "non-finite output") {
					t.Errorf("message %q", errorOf(t, body))
				}
				return
			}
			if code != tt.status {
				t.Fatalf("status %d, want %d: %s", code, tt.status, body)
			}
			msg := errorOf(t, body)
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q\nlacks %q", msg, w)
				}
			}
		})
	}
}

func TestCompressedBodyIsRefused(t *testing.T) {
	h := New(irisSession(t, 1), Options{}).Handler()
	code, _, b := do(t, h, "POST", "/predict", "application/json", "\x1f\x8b", "Content-Encoding", "gzip")
	if code != 415 || !strings.Contains(errorOf(t, b), `Content-Encoding "gzip" is not supported`) {
		t.Errorf("status %d: %s", code, b)
	}
}

func TestRoutesAndMethods(t *testing.T) {
	sess := irisSession(t, 1)
	h := New(sess, Options{}).Handler()
	tests := []struct {
		method, path string
		status       int
		allow        string
		want         string // substring of the body
	}{
		{"GET", "/predict", 405, "POST", "method GET is not allowed on /predict; use POST"},
		{"PUT", "/v2/models/iris/infer", 405, "POST", "not allowed"},
		{"POST", "/v2/health/live", 405, "GET, HEAD", "not allowed"},
		{"DELETE", "/metrics", 405, "GET, HEAD", "not allowed"},
		{"GET", "/nope", 404, "", "no route GET /nope"},
		{"GET", "/v2/models/iris/extra", 404, "", "no route"},
		{"GET", "/v2/models/rose", 404, "", `unknown model "rose"; this server serves "iris"`},
		{"GET", "/v2/models/rose/ready", 404, "", "unknown model"},
		{"POST", "/v1/models/rose:predict", 404, "", "unknown model"},
		{"POST", "/v1/models/iris:classify", 404, "", ":predict"},
		{"GET", "/v2/health/live", 200, "", `{"live":true}`},
		{"GET", "/v2/health/ready", 200, "", `{"ready":true}`},
		{"HEAD", "/v2/health/ready", 200, "", ""},
		{"GET", "/v2", 200, "", `"name":"workbench"`},
		{"GET", "/v2/models/iris", 200, "", `"inputs":[{"name":"input","datatype":"FP32","shape":[-1,4]}]`},
		{"GET", "/v2/models/20261130-163000-ab12", 200, "", `"classes":["setosa","versicolor","virginica"]`},
		{"GET", "/v2/models/iris/ready", 200, "", `{"name":"iris","ready":true}`},
		{"GET", "/v2/models/iris/versions/1796056200", 200, "", `"versions":["1796056200"]`},
		{"GET", "/v2/models/iris/versions/1796056200/ready", 200, "", `"ready":true`},
		{"GET", "/v2/models/iris/versions/7/ready", 404, "", `model "iris" has no version "7"; the version served is "1796056200"`},
		{"POST", "/v2/models/iris/versions/7/infer", 404, "", `no version "7"`},
		{"GET", "/v2/models/iris/versions/7/infer", 405, "POST", "not allowed"},
		{"GET", "/", 200, "", `"example":{"input_data":[[5.8,3,3.8,1.2]]}`},
		{"GET", "/metrics", 200, "", "workbench_http_requests_total"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			code, hdr, body := do(t, h, tt.method, tt.path, "", "")
			if code != tt.status {
				t.Fatalf("status %d, want %d: %s", code, tt.status, body)
			}
			if code >= 400 {
				errorOf(t, body)
			}
			if got := hdr.Get("Allow"); got != tt.allow {
				t.Errorf("Allow %q, want %q", got, tt.allow)
			}
			text := string(body)
			if code >= 400 {
				text = errorOf(t, body)
			}
			if !strings.Contains(text, tt.want) {
				t.Errorf("body %s\nlacks %s", body, tt.want)
			}
			if code != 200 || tt.path != "/metrics" {
				var v any
				if tt.method != "HEAD" && json.Unmarshal(body, &v) != nil {
					t.Errorf("body is not JSON: %s", body)
				}
			}
		})
	}
}

func TestToken(t *testing.T) {
	sess := irisSession(t, 1)
	h := New(sess, Options{Token: "s3cret"}).Handler()
	body := `{"input_data": [[5.1, 3.5, 1.4, 0.2]]}`
	tests := []struct {
		method, path, auth string
		status             int
	}{
		{"POST", "/predict", "", 401},
		{"POST", "/predict", "Bearer wrong", 401},
		{"POST", "/predict", "Bearer s3cre", 401},
		{"POST", "/predict", "Basic czNjcmV0", 401},
		{"POST", "/predict", "s3cret", 401},
		{"POST", "/predict", "Bearer s3cret", 200},
		{"POST", "/predict", "bearer s3cret", 200},
		{"GET", "/metrics", "", 401},
		{"GET", "/metrics", "Bearer s3cret", 200},
		{"GET", "/v2/models/iris", "", 401},
		{"POST", "/v2/models/iris/infer", "", 401},
		{"GET", "/nope", "", 401}, // unknown routes are not disclosed
		{"GET", "/v2/health/live", "", 200},
		{"GET", "/v2/health/ready", "", 200},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %s %q", tt.method, tt.path, tt.auth), func(t *testing.T) {
			var hdr []string
			if tt.auth != "" {
				hdr = []string{"Authorization", tt.auth}
			}
			b := ""
			if tt.method == "POST" {
				b = body
			}
			code, h, resp := do(t, h, tt.method, tt.path, "application/json", b, hdr...)
			if code != tt.status {
				t.Fatalf("status %d, want %d: %s", code, tt.status, resp)
			}
			if code == 401 {
				errorOf(t, resp)
				if h.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
			}
		})
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// objectRows writes rows as objects keyed by feature name, keys in order.
func objectRows(rows [][]float64, order []int) string {
	var b strings.Builder
	b.WriteString(`{"input_data": [`)
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("{")
		for k, j := range order {
			if k > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%q: %s", irisFeatures[j], mustJSON(r[j]))
		}
		b.WriteString("}")
	}
	b.WriteString("]}")
	return b.String()
}

// The server answers exactly what the engine's Predict does (the session's
// scaler, then the model) for every activation and task, and a row gets the
// same bits in a request of one row as among 40: the predict server, the
// V2 routes and `workbench predict` must never disagree in the last digit.
func TestPredictEqualsEngine(t *testing.T) {
	specs := []struct {
		task   engine.Task
		layers string
	}{
		{engine.Classification, "64:relu,64:relu,64:relu"},
		{engine.Classification, "8:tanh"},
		{engine.Classification, ""},
		{engine.Regression, "5:leaky_relu,dropout:0.3,4:elu"},
		{engine.Regression, "6:gelu,6:sigmoid,3:linear"},
	}
	for _, sp := range specs {
		t.Run(sp.task.String()+" "+sp.layers, func(t *testing.T) {
			layers, err := engine.ParseLayers(sp.layers)
			if err != nil {
				t.Fatal(err)
			}
			cfg := engine.Config{Inputs: 5, Outputs: 3, Task: sp.task, Layers: layers, Seed: 7}
			if sp.task == engine.Regression {
				cfg.Outputs, cfg.TargetMean, cfg.TargetStd = 2, []float64{50, -1}, []float64{10, 0.25}
			}
			em, err := engine.NewModel(cfg)
			if err != nil {
				t.Fatal(err)
			}
			sess := &sessions.Session{ID: "x", Model: em,
				Scaler: &datasets.Scaler{Mean: []float64{1, 2, 3, 4, 5}, Std: []float64{1, 2, 0.5, 1, 3}}}
			h := New(sess, Options{}).Handler()
			post := func(rows [][]float64) [][]float64 {
				t.Helper()
				code, _, body := do(t, h, "POST", "/predict", "application/json", mustJSON(map[string]any{"input_data": rows}))
				if code != http.StatusOK {
					t.Fatalf("status %d: %s", code, body)
				}
				var got predictResponse
				if err := json.Unmarshal(body, &got); err != nil {
					t.Fatal(err)
				}
				return got.Predictions
			}
			all := make([][]float64, 40)
			for i := range all {
				all[i] = []float64{float64(i)/3 - 2, 0.5 * float64(i), 3, -1.25 * float64(i%7), 4 + float64(i%3)}
			}
			batch := post(all)
			if want := rowsOf(expect(sess, all)); !sameRows(batch, want) {
				t.Fatalf("40 rows: got %v, engine %v", batch, want)
			}
			for _, n := range []int{1, 2, 3, 8, 9} {
				for s := 0; s+n <= len(all); s += 13 {
					if got := post(all[s : s+n]); !sameRows(got, batch[s:s+n]) {
						t.Errorf("rows %d..%d sent as %d rows: got %v, in the batch of 40 %v", s, s+n-1, n, got, batch[s:s+n])
					}
				}
			}
		})
	}
}

// ParseInput and AppendResponse are the handler's decoder and encoder:
// what they make of a body is what the server answers, error or not.
func TestParseInputAndAppendResponseAreTheServers(t *testing.T) {
	for _, sess := range []*sessions.Session{irisSession(t, 1), regSession(t)} {
		h := New(sess, Options{}).Handler()
		d := sess.Model.Config().Inputs
		row := strings.TrimSuffix(strings.Repeat("1.5, ", d), ", ")
		tests := []struct {
			body string
			bare bool // a bare list: the server does not take it, ParseInput does
		}{
			{`{"input_data": [[` + row + `], [` + row + `]]}`, false},
			{` [[` + row + `], [` + row + `]]`, true},
			{`{"input_data": [[1]]}`, false},
			{`{"input_data": [["a"]]}`, false},
			{`{"input_data": [[` + row + `]], "x": 1}`, false},
			{`{"input_data": [[` + row + `]]`, false},
			{`{}`, false},
			{`[]`, true},
			{`[[` + row + `]] [`, true},
		}
		for _, tt := range tests {
			x, perr := ParseInput(sess, []byte(tt.body), 0)
			body := tt.body
			if tt.bare {
				body = `{"input_data":` + tt.body + `}`
			}
			code, _, resp := do(t, h, "POST", "/predict", "application/json", body)
			if perr != nil {
				if code != http.StatusBadRequest || (!tt.bare && errorOf(t, resp) != perr.Error()) {
					t.Errorf("%s: ParseInput says %q, the server %d %s", tt.body, perr, code, resp)
				}
				continue
			}
			if code != http.StatusOK {
				t.Fatalf("%s: ParseInput took it, the server answered %d %s", tt.body, code, resp)
			}
			got, err := AppendResponse(nil, sess, sess.Predict(x))
			if err != nil || string(got) != string(resp) {
				t.Errorf("%s: AppendResponse gives %q (%v), the server %q", tt.body, got, err, resp)
			}
		}
	}
	sess := regSession(t)
	nan := mat.NewDense(2, 2, []float64{1, 2, math.NaN(), 0})
	if _, err := AppendResponse(nil, sess, nan); err == nil || !strings.Contains(err.Error(), "input_data[1] gives a non-finite output") {
		t.Errorf("a NaN output: %v", err)
	}
	if _, err := ParseInput(sess, []byte(`[[1, 2], [3, 4], [5, 6]]`), 2); err == nil || !strings.Contains(err.Error(), "more than 2 rows") {
		t.Errorf("maxRows 2 took 3 rows: %v", err)
	}
}
