package serve

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"workbench/sessions"
)

// named is an iris-shaped session with its own name, id and weights.
func named(t testing.TB, name string, seed int64) *sessions.Session {
	s := irisSession(t, seed)
	s.Name, s.ID = name, fmt.Sprintf("20261201-0000%02d-%s", seed, name)
	s.Updated = time.Date(2026, 12, 1, 0, 0, int(seed), 0, time.UTC)
	return s
}

func predictions(t testing.TB, b []byte) [][]float64 {
	t.Helper()
	var r struct{ Predictions, Outputs [][]float64 }
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if r.Predictions == nil {
		return r.Outputs
	}
	return r.Predictions
}

func TestSeveralModelsRoutes(t *testing.T) {
	a, b := named(t, "alpha", 1), named(t, "beta", 2)
	srv := New(a, Options{})
	if !srv.Put(b) {
		t.Fatal("Put of a new name did not add it")
	}
	h := srv.Handler()
	rows := [][]float64{{5.1, 3.5, 1.4, 0.2}}
	wantA, wantB := rowsOf(expect(a, rows)), rowsOf(expect(b, rows))
	body := `{"input_data":` + mustJSON(rows) + `}`
	tf := `{"instances":` + mustJSON(rows) + `}`
	v2 := `{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP64","data":` + mustJSON(rows) + `}]}`
	for _, tc := range []struct {
		path, body string
		want       [][]float64
	}{
		{"/predict", body, wantA},
		{"/models/alpha/predict", body, wantA},
		{"/models/beta/predict", body, wantB},
		{"/models/" + b.ID + "/predict", body, wantB},
		{"/v1/models/beta:predict", tf, wantB},
		{"/v1/models/beta/versions/" + fmt.Sprint(b.Updated.Unix()) + ":predict", tf, wantB},
		{"/v1/models/alpha:predict", tf, wantA},
		{"/invocations", tf, wantA},
	} {
		code, _, out := do(t, h, "POST", tc.path, "application/json", tc.body)
		if code != 200 || !sameRows(predictions(t, out), tc.want) {
			t.Errorf("%s: %d %s, want %v", tc.path, code, out, tc.want)
		}
	}
	code, _, out := do(t, h, "POST", "/v2/models/beta/infer", "application/json", v2)
	var r inferResponse
	json.Unmarshal(out, &r)
	var got [][]float64
	if code != 200 || r.ModelName != "beta" || json.Unmarshal(r.Outputs[0].Data, &got) != nil || !sameRows(got, wantB) {
		t.Errorf("v2 beta: %d %s", code, out)
	}
	code, _, out = do(t, h, "POST", "/models/gamma/predict", "application/json", body)
	if msg := errorOf(t, out); code != 404 || !strings.Contains(msg, `"alpha"`) || !strings.Contains(msg, `"beta"`) {
		t.Errorf("unknown model: %d %s", code, msg)
	}
	code, _, out = do(t, h, "GET", "/", "", "")
	var idx struct {
		Models []struct {
			Name    string
			Default bool
		}
	}
	if json.Unmarshal(out, &idx); code != 200 || len(idx.Models) != 2 || idx.Models[0].Name != "alpha" || !idx.Models[0].Default || idx.Models[1].Name != "beta" {
		t.Errorf("GET / models: %s", out)
	}
	if ms := srv.Models(); len(ms) != 2 || ms[1].Session != b.ID {
		t.Errorf("Models() = %+v", ms)
	}
	// A newer session of the same name replaces that model alone.
	b2 := named(t, "beta", 3)
	if srv.Put(b2) {
		t.Error("Put of a served name added a slot")
	}
	_, _, out = do(t, h, "POST", "/models/beta/predict", "application/json", body)
	if !sameRows(predictions(t, out), rowsOf(expect(b2, rows))) {
		t.Errorf("beta after Put: %s", out)
	}
	_, _, out = do(t, h, "POST", "/predict", "application/json", body)
	if !sameRows(predictions(t, out), wantA) {
		t.Errorf("default changed by another name's Put: %s", out)
	}
}

func TestTFServingStatusMetadataAndV2Slash(t *testing.T) {
	sess := irisSession(t, 1)
	h := New(sess, Options{}).Handler()
	ver := fmt.Sprint(sess.Updated.Unix())
	for _, tc := range []struct {
		path     string
		code     int
		contains string
	}{
		{"/v1/models/iris", 200, `"model_version_status":[{"version":"` + ver + `","state":"AVAILABLE"`},
		{"/v1/models/" + sess.ID, 200, `"AVAILABLE"`},
		{"/v1/models/iris/versions/" + ver, 200, `"AVAILABLE"`},
		{"/v1/models/iris/versions/7", 404, `has no version`},
		{"/v1/models/nope", 404, `unknown model \"nope\"`},
		{"/v1/models/iris/metadata", 200, `"serving_default":{"inputs":{"input":{"dtype":"DT_FLOAT","tensor_shape":{"dim":[{"size":"-1","name":""},{"size":"4","name":""}]`},
		{"/v1/models/iris/versions/" + ver + "/metadata", 200, `"probabilities":{"dtype":"DT_FLOAT","tensor_shape":{"dim":[{"size":"-1","name":""},{"size":"3"`},
		{"/v2/", 200, `"name":"workbench"`},
		{"/v2", 200, `"name":"workbench"`},
	} {
		code, _, b := do(t, h, "GET", tc.path, "", "")
		if code != tc.code || !strings.Contains(string(b), tc.contains) {
			t.Errorf("GET %s: %d %s\nwant %d containing %s", tc.path, code, b, tc.code, tc.contains)
		}
		if code == 200 && !json.Valid(b) {
			t.Errorf("GET %s: not JSON: %s", tc.path, b)
		}
	}
	code, hdr, _ := do(t, h, "DELETE", "/v1/models/iris", "", "")
	if code != 405 || hdr.Get("Allow") != "GET, HEAD, POST" {
		t.Errorf("DELETE /v1/models/iris: %d Allow %q", code, hdr.Get("Allow"))
	}
	code, _, b := do(t, h, "POST", "/v1/models/iris:classify", "application/json", `{}`)
	if code != 404 || !strings.Contains(errorOf(t, b), "predict is POST") {
		t.Errorf("classify: %d %s", code, b)
	}
}

// TestTwoModelsSwapUnderLoad: two names swap independently while requests
// run on both; no request fails and each answer comes from a model of the
// name its route gives.
func TestTwoModelsSwapUnderLoad(t *testing.T) {
	a := []*sessions.Session{named(t, "alpha", 1), named(t, "alpha", 2)}
	b := []*sessions.Session{named(t, "beta", 3), named(t, "beta", 4)}
	srv := New(a[0], Options{})
	srv.Put(b[0])
	h := srv.Handler()
	rows := [][]float64{{5.1, 3.5, 1.4, 0.2}, {6.7, 3.0, 5.2, 2.3}}
	body := `{"input_data":` + mustJSON(rows) + `}`
	answers := map[string][][][]float64{
		"/models/alpha/predict": {rowsOf(expect(a[0], rows)), rowsOf(expect(a[1], rows))},
		"/predict":              {rowsOf(expect(a[0], rows)), rowsOf(expect(a[1], rows))},
		"/models/beta/predict":  {rowsOf(expect(b[0], rows)), rowsOf(expect(b[1], rows))},
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	seen := map[string]map[int]bool{} // filled before any reader starts
	for path := range answers {
		seen[path] = map[int]bool{}
	}
	for path, want := range answers {
		for g := 0; g < 2; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					code, _, out := do(t, h, "POST", path, "application/json", body)
					var r struct{ Predictions [][]float64 }
					json.Unmarshal(out, &r)
					k := -1
					for i, w := range want {
						if sameRows(r.Predictions, w) {
							k = i
						}
					}
					mu.Lock()
					if code != 200 || k < 0 {
						failures = append(failures, fmt.Sprintf("%s: %d %s", path, code, out))
					} else {
						seen[path][k] = true
					}
					mu.Unlock()
				}
			}()
		}
	}
	for i := 0; i < 200; i++ {
		srv.Put(a[i%2])
		srv.Put(b[(i/3)%2])
		time.Sleep(time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d failed or wrong answers, first: %s", len(failures), failures[0])
	}
	for path, ks := range seen {
		if len(ks) != 2 {
			t.Errorf("%s saw only versions %v: the swaps did not show", path, ks)
		}
	}
	if ms := srv.Models(); len(ms) != 2 {
		t.Errorf("swapping added slots: %+v", ms)
	}
}
