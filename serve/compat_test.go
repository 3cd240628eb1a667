package serve

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestTFServingAndMLflow(t *testing.T) {
	sess := irisSession(t, 4)
	h := New(sess, Options{}).Handler()
	rows := [][]float64{{5.1, 3.5, 1.4, 0.2}, {6.7, 3.0, 5.2, 2.3}}
	want := rowsOf(expect(sess, rows))
	tests := []struct {
		name, path, body, key string
	}{
		{"tf instances", "/v1/models/iris:predict", `{"signature_name":"serving_default","instances":` + mustJSON(rows) + `}`, "predictions"},
		{"tf instances as objects", "/v1/models/iris:predict", strings.Replace(objectRows(rows, []int{2, 0, 1, 3}), "input_data", "instances", 1), "predictions"},
		{"tf columnar inputs", "/v1/models/iris:predict", `{"inputs":` + mustJSON(rows) + `}`, "outputs"},
		{"tf named input", "/v1/models/20261130-163000-ab12:predict", `{"inputs":{"input":` + mustJSON(rows) + `}}`, "outputs"},
		{"mlflow split", "/invocations", `{"dataframe_split":{"columns":["sepal length (cm)","sepal width (cm)","petal length (cm)","petal width (cm)"],"data":` + mustJSON(rows) + `}}`, "predictions"},
		{"mlflow split reordered", "/invocations", `{"dataframe_split":{"index":[0,1],"columns":["petal width (cm)","sepal length (cm)","sepal width (cm)","petal length (cm)"],"data":[[0.2,5.1,3.5,1.4],[2.3,6.7,3.0,5.2]]}}`, "predictions"},
		{"mlflow split no columns", "/invocations", `{"dataframe_split":{"data":` + mustJSON(rows) + `}}`, "predictions"},
		{"mlflow records", "/invocations", strings.Replace(objectRows(rows, []int{3, 2, 1, 0}), "input_data", "dataframe_records", 1), "predictions"},
		{"mlflow instances", "/invocations", `{"instances":` + mustJSON(rows) + `,"params":{"a":1}}`, "predictions"},
		{"mlflow inputs", "/invocations", `{"inputs":` + mustJSON(rows) + `}`, "predictions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, b := do(t, h, "POST", tt.path, "application/json", tt.body)
			if code != 200 {
				t.Fatalf("status %d: %s", code, b)
			}
			var got map[string][][]float64
			if err := json.Unmarshal(b, &got); err != nil || len(got) != 1 {
				t.Fatalf("answer %s: %v", b, err)
			}
			if !sameRows(got[tt.key], want) {
				t.Errorf("%s: got %v, want %v", tt.key, got[tt.key], want)
			}
		})
	}
}

func TestTFServingAndMLflowErrors(t *testing.T) {
	h := New(irisSession(t, 4), Options{MaxRows: 1}).Handler()
	tests := []struct {
		name, path, body string
		status           int
		want             string
	}{
		{"tf nothing", "/v1/models/iris:predict", `{}`, 400, `missing rows: send one of "instances", "inputs"`},
		{"tf both", "/v1/models/iris:predict", `{"instances":[[1,2,3,4]],"inputs":[[1,2,3,4]]}`, 400, "both given"},
		{"tf unknown", "/v1/models/iris:predict", `{"examples":[]}`, 400, `unknown field "examples"`},
		{"tf short row", "/v1/models/iris:predict", `{"instances":[[1,2,3]]}`, 400, "instances[0] has 3 values; the model takes 4 features"},
		{"tf too many rows", "/v1/models/iris:predict", `{"instances":[[1,2,3,4],[1,2,3,4]]}`, 413, "more than 1 rows"},
		{"tf two named inputs", "/v1/models/iris:predict", `{"inputs":{"a":[[1,2,3,4]],"b":[[1,2,3,4]]}}`, 400, "more than one named input"},
		{"mlflow split bad column", "/invocations", `{"dataframe_split":{"columns":["a","b","c","d"],"data":[[1,2,3,4]]}}`, 400, `dataframe_split.columns[0] "a" is not a feature`},
		{"mlflow split column twice", "/invocations", `{"dataframe_split":{"columns":["sepal length (cm)","sepal length (cm)","c","d"],"data":[[1,2,3,4]]}}`, 400, "twice"},
		{"mlflow split few columns", "/invocations", `{"dataframe_split":{"columns":["sepal length (cm)"],"data":[[1,2,3,4]]}}`, 400, "columns has 1 names"},
		{"mlflow split no data", "/invocations", `{"dataframe_split":{"columns":[]}}`, 400, `has no "data"`},
		{"mlflow split short row", "/invocations", `{"dataframe_split":{"data":[[1,2]]}}`, 400, "dataframe_split.data[0] has 2 values"},
		{"mlflow records missing", "/invocations", `{"dataframe_records":[{"sepal length (cm)":1}]}`, 400, `dataframe_records[0] is missing feature "sepal width (cm)"`},
		{"mlflow csv", "/invocations", `1,2,3,4`, 415, "text/csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := "application/json"
			if strings.Contains(tt.name, "csv") {
				ct = "text/csv"
			}
			code, _, b := do(t, h, "POST", tt.path, ct, tt.body)
			if code != tt.status {
				t.Fatalf("status %d, want %d: %s", code, tt.status, b)
			}
			if msg := errorOf(t, b); !strings.Contains(msg, tt.want) {
				t.Errorf("message %q\nlacks %q", msg, tt.want)
			}
		})
	}
}
