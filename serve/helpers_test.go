package serve

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"workbench/datasets"
	"workbench/engine"
	"workbench/engine/gemm"
	"workbench/sessions"
)

// TestMain installs the fast Dgemm as the workbench binary does, so the
// /predict benchmarks measure the kernel users run.
func TestMain(m *testing.M) {
	gemm.Install()
	os.Exit(m.Run())
}

var irisFeatures = []string{"sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"}

// irisSession is a classifier shaped like iris (4 features, 3 classes)
// with random weights: serving does not care whether it was trained.
func irisSession(t testing.TB, seed int64) *sessions.Session {
	t.Helper()
	m, err := engine.NewModel(engine.Config{
		Inputs: 4, Outputs: 3, Task: engine.Classification, Seed: seed,
		Layers: []engine.LayerSpec{{Kind: "dense", Units: 8, Activation: "tanh"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &sessions.Session{
		Version: sessions.FormatVersion, ID: "20261130-163000-ab12", Name: "iris",
		Updated: time.Date(2026, 11, 30, 16, 30, 0, 0, time.UTC),
		Status:  sessions.Finished,
		Data: sessions.DataInfo{Ref: "iris", Task: datasets.Classification, Features: irisFeatures,
			Classes: []string{"setosa", "versicolor", "virginica"}},
		Scaler: &datasets.Scaler{Mean: []float64{5.8, 3.0, 3.8, 1.2}, Std: []float64{0.8, 0.4, 1.7, 0.7}},
		Model:  m,
	}
}

// regSession is a 2-feature, 2-target regression model.
func regSession(t testing.TB) *sessions.Session {
	t.Helper()
	m, err := engine.NewModel(engine.Config{
		Inputs: 2, Outputs: 2, Task: engine.Regression, Seed: 3,
		Layers: []engine.LayerSpec{{Kind: "dense", Units: 5, Activation: "relu"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &sessions.Session{
		ID: "20261130-170000-cd34", Name: "waves",
		Data:   sessions.DataInfo{Ref: "waves", Task: datasets.Regression, Features: []string{"x", "y"}, Targets: []string{"a", "b"}},
		Scaler: &datasets.Scaler{Mean: []float64{1, -1}, Std: []float64{2, 0.5}},
		Model:  m,
	}
}

// do sends one request to h and returns the status, headers and body.
func do(t testing.TB, h http.Handler, method, path, ctype, body string, hdr ...string) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, path, rd)
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Header(), w.Body.Bytes()
}

// errorOf decodes {"error": "..."}, failing if the body is not exactly that.
func errorOf(t testing.TB, body []byte) string {
	t.Helper()
	var e map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("error body is not JSON: %v: %q", err, body)
	}
	msg, ok := e["error"].(string)
	if !ok || msg == "" || len(e) != 1 {
		t.Fatalf(`error body is not {"error": "..."}: %s`, body)
	}
	return msg
}

// expect runs the session's own Predict on rows.
func expect(sess *sessions.Session, rows [][]float64) *mat.Dense {
	x := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		x.SetRow(i, r)
	}
	return sess.Predict(x)
}

func rowsOf(d *mat.Dense) [][]float64 {
	n, _ := d.Dims()
	out := make([][]float64, n)
	for i := range out {
		out[i] = mat.Row(nil, i, d)
	}
	return out
}

func argmaxNames(sess *sessions.Session, p *mat.Dense) []string {
	var out []string
	for _, r := range rowsOf(p) {
		out = append(out, sess.Data.Classes[floats.MaxIdx(r)])
	}
	return out
}

// sameRows compares predictions exactly: the server must answer what the
// engine's Predict does, and JSON's shortest 'g' formatting round-trips
// every float64.
func sameRows(a, b [][]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}
