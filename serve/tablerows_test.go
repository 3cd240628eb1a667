package serve

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"workbench/datasets"
	"workbench/engine"
	"workbench/sessions"
)

// tableSession is a classifier over three raw columns: a category, a
// number with a fill value and a date (12 encoded features).
func tableSession(t testing.TB) *sessions.Session {
	t.Helper()
	fill := 2.0
	pre := &datasets.Preprocessor{Version: datasets.PreprocessorVersion, Inputs: []datasets.InputColumn{
		{Name: "colour", Kind: datasets.Categorical, Categories: []string{"blue", "red"}},
		{Name: "size", Kind: datasets.Numeric, Fill: &fill},
		{Name: "day", Kind: datasets.Date},
	}}
	if err := pre.Check(); err != nil {
		t.Fatal(err)
	}
	w := pre.Outputs()
	m, err := engine.NewModel(engine.Config{Inputs: w, Outputs: 2, Task: engine.Classification, Seed: 5,
		Layers: []engine.LayerSpec{{Kind: "dense", Units: 6, Activation: "tanh"}}})
	if err != nil {
		t.Fatal(err)
	}
	sc := &datasets.Scaler{Mean: make([]float64, w), Std: make([]float64, w)}
	for j := range sc.Std {
		sc.Mean[j], sc.Std[j] = 0.1*float64(j), 1+0.5*float64(j%3)
	}
	return &sessions.Session{
		Version: sessions.FormatVersion, ID: "20261207-120000-tab1", Name: "shop", Status: sessions.Finished,
		Data: sessions.DataInfo{Ref: "shop.csv", Task: datasets.Classification, Features: pre.FeatureNames(),
			Classes: []string{"no", "yes"}},
		Scaler: sc, Preprocess: pre, Model: m,
	}
}

func TestTableRowsEveryProtocol(t *testing.T) {
	sess := tableSession(t)
	h := New(sess, Options{}).Handler()
	raw := [][]string{{"red", "3.5", "2024-01-05"}, {"green", "", "2024-01-06"}} // unseen colour, a gap
	var enc [][]float64
	for _, r := range raw {
		v, err := sess.Preprocess.Transform(r)
		if err != nil {
			t.Fatal(err)
		}
		enc = append(enc, v)
	}
	want := rowsOf(expect(sess, enc))
	rows := `[["red", 3.5, "2024-01-05"], {"day": "2024-01-06", "size": null, "colour": "green", "target": "yes"}]`
	for _, tc := range []struct{ name, path, body, key string }{
		{"predict", "/predict", `{"input_data": ` + rows + `}`, "predictions"},
		{"numbers as text", "/predict", `{"input_data": [["red", "3.5", "2024-01-05"], ["green", "NA", "2024-01-06"]]}`, "predictions"},
		{"tf serving instances", "/v1/models/shop:predict", `{"instances": ` + rows + `}`, "predictions"},
		{"mlflow records", "/invocations", `{"dataframe_records": ` + rows + `}`, "predictions"},
		{"mlflow split, columns first", "/invocations", `{"dataframe_split": {"columns": ["day", "colour", "size"], "data": [["2024-01-05", "red", 3.5], ["2024-01-06", "green", null]]}}`, "predictions"},
		{"mlflow split, columns last", "/invocations", `{"dataframe_split": {"data": [["2024-01-05", "red", 3.5], ["2024-01-06", "green", null]], "columns": ["day", "colour", "size"]}}`, "predictions"},
		{"mlflow split, no columns", "/invocations", `{"dataframe_split": {"data": [["red", 3.5, "2024-01-05"], ["green", null, "2024-01-06"]]}}`, "predictions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, body := do(t, h, http.MethodPost, tc.path, "application/json", tc.body)
			if code != http.StatusOK {
				t.Fatalf("status %d: %s", code, body)
			}
			var out map[string]json.RawMessage
			var got [][]float64
			if err := json.Unmarshal(body, &out); err != nil || json.Unmarshal(out[tc.key], &got) != nil {
				t.Fatalf("body %s", body)
			}
			if !sameRows(got, want) {
				t.Errorf("got %v, want the session's own %v", got, want)
			}
		})
	}
}

func TestTableRowsRefused(t *testing.T) {
	h := New(tableSession(t), Options{}).Handler()
	for _, tc := range []struct{ name, body, want string }{
		{"bad date", `{"input_data": [["red", 1, "05.01.2024"]]}`, `input_data[0]: column "day": "05.01.2024" is not a date in a known form`},
		{"text for a number", `{"input_data": [["red", "big", "2024-01-05"]]}`, `input_data[0]: column "size": "big" is not a number`},
		{"missing date, no fill", `{"input_data": [["red", 1, null]]}`, `column "day" is missing, and the model was trained without --impute`},
		{"boolean", `{"input_data": [["red", true, "2024-01-05"]]}`, "input_data[0][1] must be a number, a string or null; got a boolean"},
		{"nested list", `{"input_data": [["red", [1], "2024-01-05"]]}`, "input_data[0][1] must be a number, a string or null; got a list"},
		{"short row", `{"input_data": [["red", 1]]}`, "input_data[0] has 2 values; the model takes 3 columns: colour, size, day"},
		{"missing column", `{"input_data": [{"colour": "red", "size": 1}]}`, `input_data[0] is missing column "day"`},
		{"column twice", `{"input_data": [{"colour": "red", "colour": "blue", "size": 1, "day": "2024-01-05"}]}`, `gives column "colour" twice`},
		{"encoded features are not columns", `{"input_data": [[0, 1, 0, 3, 19727, 0, 0, 0, 0, 1, 0, 0]]}`, "has 12 values; the model takes 3 columns"},
		{"split with an unknown column", `{"dataframe_split": {"columns": ["day", "colour", "weight"], "data": [["2024-01-05", "red", 1]]}}`, `"weight" is not a column of the model`},
		{"overflow", `{"input_data": [["red", 1e999, "2024-01-05"]]}`, "input_data[0][1] is not a finite number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := "/predict"
			if strings.HasPrefix(tc.body, `{"dataframe`) {
				path = "/invocations"
			}
			code, _, body := do(t, h, http.MethodPost, path, "application/json", tc.body)
			if code != http.StatusBadRequest || !strings.Contains(errorOf(t, body), tc.want) {
				t.Errorf("status %d, %s; want 400 with %q", code, body, tc.want)
			}
		})
	}
}

// workbench predict's JSON: the server's decoder, bounded by the memory
// its encoded rows take (a table row of a few bytes can encode to many
// features).
func TestParseInputWithinBudget(t *testing.T) {
	sess := tableSession(t)
	body := []byte(`[["red", 1, "2024-01-05"], {"colour": "blue", "size": 2, "day": "2024-01-06"}]`)
	x, err := ParseInputWithin(sess, body, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if r, c := x.Dims(); r != 2 || c != sess.Preprocess.Outputs() {
		t.Fatalf("decoded %d×%d, want 2×%d", r, c, sess.Preprocess.Outputs())
	}
	if _, err := ParseInputWithin(sess, body, 100); err == nil || !strings.Contains(err.Error(), "over the memory budget") {
		t.Errorf("over the budget: %v", err)
	}
}

// V2 as MLServer's pandas codec sends a dataframe: one input per column.
func TestTableRowsV2(t *testing.T) {
	sess := tableSession(t)
	h := New(sess, Options{}).Handler()
	v, err := sess.Preprocess.Transform([]string{"red", "3.5", "2024-01-05"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := sess.Preprocess.Transform([]string{"purple", "", "2024-01-06"})
	if err != nil {
		t.Fatal(err)
	}
	want := rowsOf(expect(sess, [][]float64{v, u}))
	body := `{"id": "r1", "inputs": [
		{"name": "day", "shape": [2], "datatype": "BYTES", "data": ["2024-01-05", "2024-01-06"]},
		{"name": "colour", "shape": [2, 1], "datatype": "BYTES", "data": [["red"], ["purple"]]},
		{"name": "size", "shape": [2], "datatype": "FP64", "data": [3.5, null]}]}`
	code, _, out := do(t, h, http.MethodPost, "/v2/models/shop/infer", "application/json", body)
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, out)
	}
	var resp struct {
		ID      string `json:"id"`
		Outputs []struct {
			Name  string          `json:"name"`
			Shape []int           `json:"shape"`
			Data  json.RawMessage `json:"data"`
		} `json:"outputs"`
	}
	if err := json.Unmarshal(out, &resp); err != nil || resp.ID != "r1" || len(resp.Outputs) == 0 {
		t.Fatalf("response %s (%v)", out, err)
	}
	var flat []float64
	if err := json.Unmarshal(resp.Outputs[0].Data, &flat); err != nil || len(flat) != 4 {
		t.Fatalf("output data %s", resp.Outputs[0].Data)
	}
	if got := [][]float64{flat[:2], flat[2:]}; !sameRows(got, want) {
		t.Errorf("V2 answered %v, the session %v", got, want)
	}
	_, _, meta := do(t, h, http.MethodGet, "/v2/models/shop", "", "")
	if !strings.Contains(string(meta), `"inputs":[{"name":"colour","datatype":"BYTES","shape":[-1]},{"name":"size","datatype":"FP64","shape":[-1]},{"name":"day","datatype":"BYTES","shape":[-1]}]`) {
		t.Errorf("metadata does not list the columns: %s", meta)
	}
	for _, tc := range []struct{ name, body, want string }{
		{"a column missing", `{"inputs": [{"name": "day", "shape": [1], "datatype": "BYTES", "data": ["2024-01-05"]}]}`, `no input for column "colour"`},
		{"unknown column", `{"inputs": [{"name": "input", "shape": [1, 12], "datatype": "FP32", "data": [0,0,0,0,0,0,0,0,0,0,0,0]}]}`, `inputs[0].name "input" is not a column of the model`},
		{"rows differ", `{"inputs": [{"name": "day", "shape": [1], "datatype": "BYTES", "data": ["2024-01-05"]}, {"name": "colour", "shape": [2], "datatype": "BYTES", "data": ["red", "red"]}, {"name": "size", "shape": [1], "datatype": "FP64", "data": [1]}]}`, "has 2 rows, inputs before it 1"},
		{"date as a number", `{"inputs": [{"name": "day", "shape": [1], "datatype": "FP64", "data": [19727]}]}`, `is a date column: send it as "BYTES"`},
		{"bad date", `{"inputs": [{"name": "day", "shape": [1], "datatype": "BYTES", "data": ["05.01.2024"]}, {"name": "colour", "shape": [1], "datatype": "BYTES", "data": ["red"]}, {"name": "size", "shape": [1], "datatype": "FP64", "data": [1]}]}`, `row 0, column "day": "05.01.2024" is not a date`},
		{"shape and data disagree", `{"inputs": [{"name": "day", "shape": [3], "datatype": "BYTES", "data": ["2024-01-05"]}]}`, "has 1 values, its shape [3] says 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, out := do(t, h, http.MethodPost, "/v2/models/shop/infer", "application/json", tc.body)
			if code != http.StatusBadRequest || !strings.Contains(errorOf(t, out), tc.want) {
				t.Errorf("status %d, %s; want 400 with %q", code, out, tc.want)
			}
		})
	}
}

// FuzzTableBody: any body on any predict route of a table model is a 2xx,
// or a 4xx with a JSON {"error": ...}; never a 500 or a panic.
func FuzzTableBody(f *testing.F) {
	for _, s := range append([]string{
		`{"input_data": [["red", 3.5, "2024-01-05"], {"day": "2024-01-06", "size": null, "colour": "green"}]}`,
		`{"input_data": [["red", "1e999", "05.01.2024"]]}`, `{"instances": [["", "", ""]]}`,
		`{"dataframe_split": {"data": [["2024-01-05", "red", 3.5]], "columns": ["day", "colour", "size"]}}`,
		`{"inputs": [{"name": "day", "shape": [1], "datatype": "BYTES", "data": ["2024-01-05"]}, {"name": "colour", "shape": [1, 1], "datatype": "BYTES", "data": [["red"]]}, {"name": "size", "shape": [1], "datatype": "FP64", "data": [1]}], "outputs": [{"name": "label"}], "id": "x"}`,
	}, fuzzSeeds...) {
		f.Add([]byte(s), uint8(0))
	}
	h := New(tableSession(f), Options{MaxRows: 50, MaxBody: 1 << 16}).Handler()
	paths := []string{"/predict", "/v2/models/shop/infer", "/v1/models/shop:predict", "/invocations"}
	f.Fuzz(func(t *testing.T, body []byte, route uint8) {
		checkAnyBody(t, h, paths[int(route)%len(paths)], body)
	})
}
