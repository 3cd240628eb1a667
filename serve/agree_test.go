package serve

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestEveryRouteAgreesWithPredict sends the same rows through every route
// and request shape, in several column orders, and compares each answer
// with /predict's for the rows in the model's order: a protocol that
// reorders wrongly (MLflow's dataframe_split once permuted object rows that
// were already in feature order) answers other numbers here.
func TestEveryRouteAgreesWithPredict(t *testing.T) {
	sess := irisSession(t, 9)
	h := New(sess, Options{}).Handler()
	rows := [][]float64{{5.1, 3.5, 1.4, 0.2}, {6.7, 3.0, 5.2, 2.3}, {5.9, 3.0, 4.2, 1.5}}
	code, _, b := do(t, h, "POST", "/predict", "application/json", `{"input_data":`+mustJSON(rows)+`}`)
	if code != 200 {
		t.Fatalf("/predict: %d %s", code, b)
	}
	var ref struct{ Predictions [][]float64 }
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	rev := []int{3, 2, 1, 0}
	swapped := []int{1, 0, 3, 2}
	objs := func(field string, order []int) string {
		return strings.Replace(objectRows(rows, order), `{"input_data": `, `{"`+field+`": `, 1)
	}
	objList := func(order []int) string { // just the list of object rows
		s := objectRows(rows, order)
		return s[strings.Index(s, "[") : strings.LastIndex(s, "]")+1]
	}
	cols := func(order []int) string {
		names := make([]string, len(order))
		for k, j := range order {
			names[k] = irisFeatures[j]
		}
		return mustJSON(names)
	}
	permuted := func(order []int) string {
		out := make([][]float64, len(rows))
		for i, r := range rows {
			for _, j := range order {
				out[i] = append(out[i], r[j])
			}
		}
		return mustJSON(out)
	}
	v2 := func(data string) string {
		return `{"inputs":[{"name":"input","shape":[3,4],"datatype":"FP64","data":` + data + `}]}`
	}
	tests := []struct{ name, path, body, key string }{
		{"predict objects reversed", "/predict", objs("input_data", rev), "predictions"},
		{"tf instances", "/v1/models/iris:predict", `{"instances":` + mustJSON(rows) + `}`, "predictions"},
		{"tf instances objects", "/v1/models/iris:predict", objs("instances", swapped), "predictions"},
		{"tf inputs", "/v1/models/iris:predict", `{"inputs":` + mustJSON(rows) + `}`, "outputs"},
		{"tf named input objects", "/v1/models/iris:predict", `{"inputs":{"input":` + objList(rev) + `}}`, "outputs"},
		{"mlflow split", "/invocations", `{"dataframe_split":{"columns":` + cols([]int{0, 1, 2, 3}) + `,"data":` + mustJSON(rows) + `}}`, "predictions"},
		{"mlflow split reversed", "/invocations", `{"dataframe_split":{"columns":` + cols(rev) + `,"data":` + permuted(rev) + `}}`, "predictions"},
		{"mlflow split columns after data", "/invocations", `{"dataframe_split":{"data":` + permuted(swapped) + `,"columns":` + cols(swapped) + `}}`, "predictions"},
		{"mlflow split object rows, columns reordered", "/invocations", `{"dataframe_split":{"columns":` + cols(rev) + `,"data":` + objList(swapped) + `}}`, "predictions"},
		{"mlflow records", "/invocations", objs("dataframe_records", swapped), "predictions"},
		{"mlflow instances", "/invocations", `{"instances":` + objList(rev) + `}`, "predictions"},
		{"mlflow inputs", "/invocations", `{"inputs":` + mustJSON(rows) + `}`, "predictions"},
		{"v2 nested", "/v2/models/iris/infer", v2(mustJSON(rows)), "v2"},
		{"v2 flat", "/v2/models/20261130-163000-ab12/infer", v2(`[5.1,3.5,1.4,0.2,6.7,3.0,5.2,2.3,5.9,3.0,4.2,1.5]`), "v2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, b := do(t, h, "POST", tt.path, "application/json", tt.body)
			if code != 200 {
				t.Fatalf("status %d: %s", code, b)
			}
			var got [][]float64
			if tt.key == "v2" {
				var r inferResponse
				if err := json.Unmarshal(b, &r); err != nil || len(r.Outputs) == 0 {
					t.Fatalf("answer %s: %v", b, err)
				}
				var flat []float64 // flat data in, flat data out
				if json.Unmarshal(r.Outputs[0].Data, &flat) == nil {
					for i := 0; i+3 <= len(flat); i += 3 {
						got = append(got, flat[i:i+3])
					}
				} else if err := json.Unmarshal(r.Outputs[0].Data, &got); err != nil {
					t.Fatalf("data %s: %v", r.Outputs[0].Data, err)
				}
			} else {
				var m map[string]json.RawMessage
				if err := json.Unmarshal(b, &m); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(m[tt.key], &got); err != nil {
					t.Fatalf("answer %s: %v", b, err)
				}
			}
			if !sameRows(got, ref.Predictions) {
				t.Errorf("got %v\nwant %v (/predict)", got, ref.Predictions)
			}
		})
	}
}

// TestDuplicateKeysRefusedEverywhere: a key given twice is a 400 in every
// object of every protocol, never concatenated or silently overwritten.
func TestDuplicateKeysRefusedEverywhere(t *testing.T) {
	h := New(irisSession(t, 4), Options{}).Handler()
	row := `[[1,2,3,4]]`
	in := `{"name":"input","shape":[1,4],"datatype":"FP64","data":[1,2,3,4]`
	tests := []struct{ name, path, body string }{
		{"predict input_data", "/predict", `{"input_data":` + row + `,"input_data":` + row + `}`},
		{"predict escaped twin", "/predict", `{"input_data":` + row + `,"input_\u0064ata":` + row + `}`},
		{"v2 data", "/v2/models/iris/infer", `{"inputs":[` + in + `,"data":[1,2,3,4]}]}`},
		{"v2 shape", "/v2/models/iris/infer", `{"inputs":[` + in + `,"shape":[1,4]}]}`},
		{"v2 id", "/v2/models/iris/infer", `{"id":"a","id":"b","inputs":[` + in + `}]}`},
		{"v2 ignored parameters", "/v2/models/iris/infer", `{"parameters":{"a":1,"a":2},"inputs":[` + in + `}]}`},
		{"mlflow split data", "/invocations", `{"dataframe_split":{"data":` + row + `,"data":` + row + `}}`},
		{"mlflow split columns", "/invocations", `{"dataframe_split":{"columns":["a"],"columns":["b"],"data":` + row + `}}`},
		{"mlflow params", "/invocations", `{"instances":` + row + `,"params":{"k":1,"k":1}}`},
		{"tf signature twice", "/v1/models/iris:predict", `{"signature_name":"a","signature_name":"b","instances":` + row + `}`},
		{"tf named inputs", "/v1/models/iris:predict", `{"inputs":{"input":` + row + `,"input":` + row + `}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, b := do(t, h, "POST", tt.path, "application/json", tt.body)
			if code != 400 {
				t.Fatalf("status %d, want 400: %s", code, b)
			}
			if msg := errorOf(t, b); !strings.Contains(msg, "given twice") {
				t.Errorf("message %q does not say a field is given twice", msg)
			}
		})
	}
}
