package serve

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"workbench/datasets"
	"workbench/engine"
	"workbench/sessions"
)

// digitsSession is the benchmark's model: 64-64-64-10, like the issue's.
func digitsSession(b testing.TB) *sessions.Session {
	m, err := engine.NewModel(engine.Config{
		Inputs: 64, Outputs: 10, Seed: 1,
		Layers: []engine.LayerSpec{{Kind: "dense", Units: 64, Activation: "relu"}, {Kind: "dense", Units: 64, Activation: "relu"}, {Kind: "dense", Units: 64, Activation: "relu"}},
	})
	if err != nil {
		b.Fatal(err)
	}
	sc := &datasets.Scaler{Mean: make([]float64, 64), Std: make([]float64, 64)}
	for j := range sc.Std {
		sc.Mean[j], sc.Std[j] = 4, 5
	}
	return &sessions.Session{ID: "bench", Name: "digits", Model: m, Scaler: sc,
		Data: sessions.DataInfo{Classes: strings.Split("0,1,2,3,4,5,6,7,8,9", ",")}}
}

func benchBody(rows int) string {
	r := rand.New(rand.NewPCG(1, 2))
	x := make([][]float64, rows)
	for i := range x {
		x[i] = make([]float64, 64)
		for j := range x[i] {
			x[i][j] = r.NormFloat64()
		}
	}
	return mustJSON(map[string]any{"input_data": x})
}

// nopWriter is a ResponseWriter that keeps nothing, so the benchmark
// measures the server, not httptest's recorder.
type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopWriter) WriteHeader(int)             {}

func benchHandler(b *testing.B, rows int, path string, body string) {
	h := New(digitsSession(b), Options{}).Handler()
	rd := strings.NewReader(body)
	r := httptest.NewRequest("POST", path, rd)
	r.Header.Set("Content-Type", "application/json")
	w := &nopWriter{h: http.Header{}}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		rd.Reset(body)
		r.Body = http.NoBody
		r.Body = readCloser{rd}
		r.Pattern = ""
		clear(w.h)
		h.ServeHTTP(w, r)
	}
}

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }

func BenchmarkPredict1Row(b *testing.B)   { benchHandler(b, 1, "/predict", benchBody(1)) }
func BenchmarkPredict64Rows(b *testing.B) { benchHandler(b, 64, "/predict", benchBody(64)) }

func BenchmarkParse1Row(b *testing.B) {
	body := []byte(benchBody(1))
	m := newModel(digitsSession(b))
	var rr rowsReader
	b.ReportAllocs()
	for b.Loop() {
		rr.reset(m, 100)
		if err := parsePredictBody(body, &rr); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkForward1Row(b *testing.B) {
	m := newModel(digitsSession(b))
	sc := &scratch{}
	x := make([]float64, 64)
	b.ReportAllocs()
	for b.Loop() {
		m.predict(sc, x, 1)
	}
}

// Baselines for the hand-written number parser: the same bodies through
// strconv.ParseFloat alone (in the same scanner) and through encoding/json.
func withStrconv(b *testing.B, f func(*testing.B)) {
	strconvOnly = true
	defer func() { strconvOnly = false }()
	f(b)
}

func BenchmarkPredict1RowStrconv(b *testing.B) {
	withStrconv(b, BenchmarkPredict1Row)
}
func BenchmarkPredict64RowsStrconv(b *testing.B) {
	withStrconv(b, BenchmarkPredict64Rows)
}
func BenchmarkParse1RowStrconv(b *testing.B) { withStrconv(b, BenchmarkParse1Row) }

func BenchmarkParse1RowEncodingJSON(b *testing.B) {
	body := []byte(benchBody(1))
	b.ReportAllocs()
	for b.Loop() {
		var in struct {
			InputData [][]float64 `json:"input_data"`
		}
		if err := json.Unmarshal(body, &in); err != nil {
			b.Fatal(err)
		}
	}
}
