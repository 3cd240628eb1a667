package serve

import (
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

type inferResponse struct {
	ModelName string `json:"model_name"`
	ID        string `json:"id"`
	Outputs   []struct {
		Name     string          `json:"name"`
		Datatype string          `json:"datatype"`
		Shape    []int           `json:"shape"`
		Data     json.RawMessage `json:"data"`
	} `json:"outputs"`
}

func TestInfer(t *testing.T) {
	sess := irisSession(t, 2)
	h := New(sess, Options{}).Handler()
	rows := [][]float64{{5.1, 3.5, 1.4, 0.2}, {6.7, 3.0, 5.2, 2.3}}
	want := expect(sess, rows)
	flat := []float64{5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3}
	labels := argmaxNames(sess, want)

	t.Run("FP64 nested answers nested FP64", func(t *testing.T) {
		body := mustJSON(map[string]any{"id": "req-\"7\"", "inputs": []any{map[string]any{
			"name": "input", "shape": []int{2, 4}, "datatype": "FP64", "data": rows, "parameters": map[string]any{"x": 1}}},
			"parameters": map[string]any{"y": []int{1}}})
		code, _, b := do(t, h, "POST", "/v2/models/iris/infer", "application/json", body)
		if code != 200 {
			t.Fatalf("status %d: %s", code, b)
		}
		var r inferResponse
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		if r.ModelName != "iris" || r.ID != `req-"7"` || len(r.Outputs) != 2 {
			t.Fatalf("response %s", b)
		}
		o := r.Outputs[0]
		if o.Name != "probabilities" || o.Datatype != "FP64" || !reflect.DeepEqual(o.Shape, []int{2, 3}) {
			t.Errorf("output %s %s %v", o.Name, o.Datatype, o.Shape)
		}
		var got [][]float64
		if err := json.Unmarshal(o.Data, &got); err != nil {
			t.Fatalf("data not nested: %s", o.Data)
		}
		if !sameRows(got, rowsOf(want)) {
			t.Errorf("got %v, want %v", got, rowsOf(want))
		}
		var gotLabels []string
		json.Unmarshal(r.Outputs[1].Data, &gotLabels)
		if r.Outputs[1].Name != "label" || r.Outputs[1].Datatype != "BYTES" || !reflect.DeepEqual(gotLabels, labels) {
			t.Errorf("labels output %s", b)
		}
	})

	t.Run("FP32 flat answers flat FP32", func(t *testing.T) {
		body := mustJSON(map[string]any{"inputs": []any{map[string]any{
			"data": flat, "datatype": "FP32", "shape": []int{2, 4}, "name": "input-0"}},
			"outputs": []any{map[string]any{"name": "probabilities"}}})
		code, _, b := do(t, h, "POST", "/v2/models/20261130-163000-ab12/versions/1796056200/infer", "", body)
		if code != 200 {
			t.Fatalf("status %d: %s", code, b)
		}
		var r inferResponse
		json.Unmarshal(b, &r)
		if len(r.Outputs) != 1 || r.Outputs[0].Datatype != "FP32" || strings.Contains(string(b), `"id"`) {
			t.Fatalf("response %s", b)
		}
		var got []float32
		if err := json.Unmarshal(r.Outputs[0].Data, &got); err != nil {
			t.Fatalf("data not flat: %s", r.Outputs[0].Data)
		}
		// The inputs were FP32: predict those values, then round.
		var rows32 [][]float64
		for _, r := range rows {
			var r32 []float64
			for _, v := range r {
				r32 = append(r32, float64(float32(v)))
			}
			rows32 = append(rows32, r32)
		}
		want32 := expect(sess, rows32)
		for i, v := range got {
			if w := float32(want32.At(i/3, i%3)); v != w {
				t.Errorf("value %d: %v, want %v", i, v, w)
			}
		}
	})

	t.Run("only the label", func(t *testing.T) {
		body := `{"inputs":[{"name":"input","shape":[2,4],"datatype":"FP64","data":` + mustJSON(flat) + `}],"outputs":[{"name":"label"}]}`
		code, _, b := do(t, h, "POST", "/v2/models/iris/infer", "", body)
		if code != 200 {
			t.Fatalf("status %d: %s", code, b)
		}
		if want := `"outputs":[{"name":"label","datatype":"BYTES","shape":[2],"data":` + mustJSON(labels) + `}]`; !strings.Contains(string(b), want) {
			t.Errorf("got %s\nwant %s", b, want)
		}
	})
}

func TestInferRegression(t *testing.T) {
	sess := regSession(t)
	h := New(sess, Options{}).Handler()
	code, _, b := do(t, h, "POST", "/v2/models/waves/infer", "", `{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP64","data":[[1,2]]}]}`)
	if code != 200 {
		t.Fatalf("status %d: %s", code, b)
	}
	want := `"outputs":[{"name":"output","datatype":"FP64","shape":[1,2],"data":` + mustJSON(rowsOf(expect(sess, [][]float64{{1, 2}}))) + `}]}`
	if !strings.Contains(string(b), want) {
		t.Errorf("got %s\nwant %s", b, want)
	}
	code, _, b = do(t, h, "POST", "/v2/models/waves/infer", "", `{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP64","data":[1,2]}],"outputs":[{"name":"label"}]}`)
	if code != 400 || !strings.Contains(errorOf(t, b), `"label" is not an output of model "waves"; it has "output"`) {
		t.Errorf("status %d: %s", code, b)
	}
}

func TestInferErrors(t *testing.T) {
	h := New(irisSession(t, 1), Options{MaxRows: 2}).Handler()
	in := func(fields string) string { return `{"inputs":[{` + fields + `}]}` }
	tests := []struct {
		name, body string
		status     int
		want       string
	}{
		{"empty", ``, 400, "empty"},
		{"not an object", `[1]`, 400, "JSON object"},
		{"no inputs", `{}`, 400, `missing field "inputs"`},
		{"inputs empty", `{"inputs":[]}`, 400, `"inputs" is empty`},
		{"inputs not a list", `{"inputs":{}}`, 400, `"inputs" must be a list`},
		{"input not an object", `{"inputs":[1]}`, 400, "inputs[0] must be an object"},
		{"two inputs", `{"inputs":[{"name":"a"},{"name":"b"}]}`, 400, "inputs has 2 tensors"},
		{"no name", in(`"shape":[1,4],"datatype":"FP32","data":[1,2,3,4]`), 400, `inputs[0] has no "name"`},
		{"no datatype", in(`"name":"input","shape":[1,4],"data":[1,2,3,4]`), 400, `no "datatype"`},
		{"INT64", in(`"name":"input","shape":[1,4],"datatype":"INT64","data":[1,2,3,4]`), 400, `datatype "INT64" is not supported; use "FP32" or "FP64"`},
		{"BYTES", in(`"name":"input","shape":[1,1],"datatype":"BYTES","data":["a"]`), 400, "inputs[0].data must hold numbers"},
		{"no shape", in(`"name":"input","datatype":"FP32","data":[1,2,3,4]`), 400, `no "shape"`},
		{"no data", in(`"name":"input","datatype":"FP32","shape":[1,4]`), 400, `no "data"`},
		{"shape 1-D", in(`"name":"input","shape":[4],"datatype":"FP32","data":[1,2,3,4]`), 400, "inputs[0].shape is [4]; the model takes [n, 4] (n rows of 4 features: sepal length (cm)"},
		{"wrong width", in(`"name":"input","shape":[1,5],"datatype":"FP32","data":[1,2,3,4,5]`), 400, "shape is [1, 5]"},
		{"negative shape", in(`"name":"input","shape":[-1,4],"datatype":"FP32","data":[1,2,3,4]`), 400, "shape[0] must be a whole number"},
		{"fractional shape", in(`"name":"input","shape":[1.5,4],"datatype":"FP32","data":[1,2,3,4]`), 400, "whole number"},
		{"zero rows", in(`"name":"input","shape":[0,4],"datatype":"FP32","data":[]`), 400, "has no rows"},
		{"count mismatch", in(`"name":"input","shape":[2,4],"datatype":"FP32","data":[1,2,3,4,5,6,7]`), 400, "inputs[0].data has 7 values; shape [2, 4] needs 8"},
		{"nesting mismatch", in(`"name":"input","shape":[1,4],"datatype":"FP32","data":[[1,2],[3,4]]`), 400, "nested as [2, 2] but its shape is [1, 4]"},
		{"ragged", in(`"name":"input","shape":[2,4],"datatype":"FP32","data":[[1,2,3,4],[5,6,7]]`), 400, "ragged"},
		{"ragged depth", in(`"name":"input","shape":[2,4],"datatype":"FP32","data":[[1,2,3,4],5]`), 400, "ragged"},
		{"null value", in(`"name":"input","shape":[1,4],"datatype":"FP32","data":[1,null,3,4]`), 400, "value 1 is null"},
		{"overflow", in(`"name":"input","shape":[1,4],"datatype":"FP64","data":[1,1e999,3,4]`), 400, "value 1 is not a finite number"},
		{"FP32 overflow", in(`"name":"input","shape":[1,4],"datatype":"FP32","data":[1,1e300,3,4]`), 400, "outside the FP32 range"},
		{"rows over limit", in(`"name":"input","shape":[3,4],"datatype":"FP32","data":[1,2,3,4,1,2,3,4,1,2,3,4]`), 413, "more than 8 values"},
		{"shape over limit", in(`"name":"input","shape":[3,4],"datatype":"FP32","data":[1]`), 413, "3 rows, over the limit of 2"},
		{"unknown output", `{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}],"outputs":[{"name":"logits"}]}`, 400, `outputs[0].name "logits" is not an output`},
		{"bad JSON", `{"inputs":[{"name":"input",}]}`, 400, "bad JSON"},
		{"id not a string", `{"id":5}`, 400, `"id" must be a string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, b := do(t, h, "POST", "/v2/models/iris/infer", "application/json", tt.body)
			if code != tt.status {
				t.Fatalf("status %d, want %d: %s", code, tt.status, b)
			}
			if msg := errorOf(t, b); !strings.Contains(msg, tt.want) {
				t.Errorf("message %q\nlacks %q", msg, tt.want)
			}
		})
	}
	code, _, b := do(t, h, "POST", "/v2/models/iris/infer", "application/octet-stream", "\x00")
	if code != 415 {
		t.Errorf("binary tensor extension: status %d: %s", code, b)
	}
}

func TestServerMetadataVersion(t *testing.T) {
	for _, c := range []struct{ opt, want string }{
		{"v1.2.3", `"version":"v1.2.3"`},
		{"", `"version":"dev"`},
	} {
		h := New(digitsSession(t), Options{Version: c.opt}).Handler()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/v2", nil))
		if !strings.Contains(rec.Body.String(), c.want) {
			t.Errorf("Options.Version %q: %s, want %s", c.opt, rec.Body, c.want)
		}
	}
}
