package serve

import (
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"
)

// One fuzz target per protocol (V2, TF Serving, MLflow). Each gets three
// bodies from one input:
//   - the raw bytes, which must never give a 5xx or a panic (a 200 only for
//     valid JSON, a 4xx always as {"error": ...});
//   - a well-formed body of the protocol built from the fuzzed values in a
//     variant the fuzzer picks (row shape, column order, optional fields),
//     which must answer exactly what /predict answers for the same rows
//     (200 with the same numbers, or the same 4xx);
//   - that body with the raw bytes spliced in at a fuzzed place, which must
//     keep the first rule: this reaches the protocol's own fields far
//     more often than random bytes do.

// protoCase is one well-formed request of a protocol.
type protoCase struct {
	path, body string
	key        string // the answer's field: "predictions", "outputs" or "v2"
	fp32       bool   // V2 FP32: inputs and outputs pass through float32
}

// fuzzRows makes 1–3 rows of the 4 iris features from fuzzed values; a
// value JSON cannot carry (NaN, ±Inf) becomes 0.
func fuzzRows(x [4]float64, n uint8) [][]float64 {
	for j, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			x[j] = 0
		}
	}
	rows := make([][]float64, int(n%3)+1)
	for i := range rows {
		rows[i] = make([]float64, 4)
		for j := range rows[i] {
			rows[i][j] = x[(i+j)%4] // each row a rotation: rows differ
		}
	}
	return rows
}

// fuzzOrder is one of the 24 orders of the 4 features.
func fuzzOrder(k uint8) []int {
	rest := []int{0, 1, 2, 3}
	var order []int
	for n := 4; n > 0; n-- {
		i := int(k) % n
		k /= uint8(n)
		order = append(order, rest[i])
		rest = append(rest[:i], rest[i+1:]...)
	}
	return order
}

// objectList is rows as a JSON list of objects keyed by feature name.
func objectList(rows [][]float64, order []int) string {
	s := objectRows(rows, order)
	return s[strings.Index(s, "[") : strings.LastIndex(s, "]")+1]
}

// columnsOf is the feature names in order, and rows' values in that order.
func columnsOf(rows [][]float64, order []int) (string, string) {
	names := make([]string, len(order))
	out := make([][]float64, len(rows))
	for k, j := range order {
		names[k] = irisFeatures[j]
		for i, r := range rows {
			out[i] = append(out[i], r[j])
		}
	}
	return mustJSON(names), mustJSON(out)
}

// checkAnyBody is the rule for every body: no 5xx, no panic.
func checkAnyBody(t *testing.T, h http.Handler, path string, body []byte) {
	code, _, b := do(t, h, "POST", path, "application/json", string(body))
	switch {
	case code == http.StatusOK:
		if !json.Valid(b) {
			t.Fatalf("%s: 200 with invalid JSON %q for body %q", path, b, body)
		}
		if !json.Valid(body) {
			t.Fatalf("%s: accepted invalid JSON %q", path, body)
		}
	case code >= 400 && code < 500:
		errorOf(t, b)
	default:
		t.Fatalf("%s: status %d for body %q: %s", path, code, body, b)
	}
}

// checkAgrees sends c and /predict the same rows and compares the answers.
func checkAgrees(t *testing.T, h http.Handler, rows [][]float64, c protoCase) {
	ref := rows
	if c.fp32 {
		ref = make([][]float64, len(rows))
		for i, r := range rows {
			for _, v := range r {
				if math.Abs(v) > math.MaxFloat32 {
					code, _, b := do(t, h, "POST", c.path, "application/json", c.body)
					if code != http.StatusBadRequest || !strings.Contains(errorOf(t, b), "FP32 range") {
						t.Fatalf("%s: FP32 value %g: status %d %s, want 400 naming the FP32 range", c.path, v, code, b)
					}
					return
				}
				ref[i] = append(ref[i], float64(float32(v)))
			}
		}
	}
	wantCode, _, wb := do(t, h, "POST", "/predict", "application/json", `{"input_data":`+mustJSON(ref)+`}`)
	code, _, b := do(t, h, "POST", c.path, "application/json", c.body)
	if code != wantCode {
		t.Fatalf("%s: status %d (%s), /predict %d (%s), body %s", c.path, code, b, wantCode, wb, c.body)
	}
	if code != http.StatusOK {
		errorOf(t, b)
		return
	}
	var want struct {
		Predictions [][]float64
		Labels      []string
	}
	if err := json.Unmarshal(wb, &want); err != nil {
		t.Fatal(err)
	}
	got, labels := answerRows(t, b, c.key)
	if labels != nil && strings.Join(labels, "\x00") != strings.Join(want.Labels, "\x00") {
		t.Fatalf("%s: labels %q, /predict %q, body %s", c.path, labels, want.Labels, c.body)
	}
	if got == nil && labels != nil {
		return // V2 asked for the labels alone
	}
	if c.fp32 { // FP32 outputs are float32's shortest form
		for _, rs := range [][][]float64{got, want.Predictions} {
			for _, r := range rs {
				for j, v := range r {
					r[j] = float64(float32(v))
				}
			}
		}
	}
	if !sameRows(got, want.Predictions) {
		t.Fatalf("%s: got %v, /predict %v, body %s", c.path, got, want.Predictions, c.body)
	}
}

// answerRows reads the predictions of an answer: the field key of the
// object, or V2's "probabilities" output (nested or flat) and its "label"
// output, either of which may be absent when the request named the other.
func answerRows(t *testing.T, b []byte, key string) (got [][]float64, labels []string) {
	if key != "v2" {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil || json.Unmarshal(m[key], &got) != nil {
			t.Fatalf("answer %s has no rows in %q", b, key)
		}
		return got, nil
	}
	var r inferResponse
	if err := json.Unmarshal(b, &r); err != nil || len(r.Outputs) == 0 {
		t.Fatalf("answer %s: %v", b, err)
	}
	for _, o := range r.Outputs {
		switch o.Name {
		case "label":
			if err := json.Unmarshal(o.Data, &labels); err != nil {
				t.Fatalf("labels %s: %v", o.Data, err)
			}
		case "probabilities":
			var flat []float64
			if json.Unmarshal(o.Data, &flat) == nil {
				for i := 0; i+3 <= len(flat); i += 3 {
					got = append(got, flat[i:i+3])
				}
			} else if err := json.Unmarshal(o.Data, &got); err != nil {
				t.Fatalf("data %s: %v", o.Data, err)
			}
		default:
			t.Fatalf("answer %s: output %q was not asked for", b, o.Name)
		}
	}
	if got == nil && labels == nil {
		t.Fatalf("answer %s has neither probabilities nor labels", b)
	}
	return got, labels
}

// splice puts raw into body at a fuzzed place, replacing a few bytes.
func splice(body string, raw []byte, at uint16) []byte {
	i := int(at) % (len(body) + 1)
	j := min(len(body), i+int(at>>12))
	out := append([]byte(body[:i]), raw...)
	return append(out, body[j:]...)
}

// protoFuzz runs one protocol's target; build makes its well-formed body
// for the served model's version.
func protoFuzz(f *testing.F, seeds []string, build func(rows [][]float64, variant, order uint8, version string) protoCase) {
	f.Add([]byte{}, 5.1, 3.5, 1.4, 0.2, uint8(0), uint8(0), uint8(0), uint16(0))
	f.Add([]byte(`,`), -1e300, 0.0, 1e-300, 7.0, uint8(2), uint8(7), uint8(23), uint16(0x3011))
	f.Add([]byte(`"a":1,`), 3.4e38, 3.5e38, -0.0, 1.0, uint8(1), uint8(255), uint8(5), uint16(2))
	for _, s := range append(seeds, fuzzSeeds...) {
		f.Add([]byte(s), 1.0, 2.0, 3.0, 4.0, uint8(0), uint8(1), uint8(0), uint16(0))
	}
	srv := New(irisSession(f, 1), Options{MaxRows: 50, MaxBody: 1 << 16})
	h, version := srv.Handler(), srv.impl.model.Load().version
	f.Fuzz(func(t *testing.T, raw []byte, x0, x1, x2, x3 float64, n, variant, order uint8, at uint16) {
		c := build(fuzzRows([4]float64{x0, x1, x2, x3}, n), variant, order, version)
		checkAnyBody(t, h, c.path, raw)
		checkAgrees(t, h, fuzzRows([4]float64{x0, x1, x2, x3}, n), c)
		checkAnyBody(t, h, c.path, splice(c.body, raw, at))
	})
}

// FuzzV2Infer: KServe V2 / Triton infer requests.
func FuzzV2Infer(f *testing.F) {
	protoFuzz(f, []string{
		`{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}],"outputs":[{"name":"label"}]}`,
		`{"id":"r1","parameters":{"a":{"b":[1]}},"inputs":[{"name":"input","shape":[4],"datatype":"FP64","data":[1,2,3,4]}]}`,
		`{"inputs":[{"name":"input","shape":[1,4],"datatype":"BYTES","data":["a"]}]}`,
		`{"inputs":[{"name":"input","shape":[-1,4],"datatype":"FP32","data":[]}]}`,
		`{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]},{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]}`,
	}, func(rows [][]float64, variant, _ uint8, version string) protoCase {
		path := "/v2/models/iris/infer"
		if variant&64 != 0 {
			path = "/v2/models/iris/versions/" + version + "/infer"
		}
		dt := "FP64"
		if variant&1 != 0 {
			dt = "FP32"
		}
		data := mustJSON(rows)
		if variant&2 != 0 { // flat data
			var flat []float64
			for _, r := range rows {
				flat = append(flat, r...)
			}
			data = mustJSON(flat)
		}
		in := `{"name":"input","shape":[` + mustJSON(len(rows)) + `,4],"datatype":"` + dt + `","data":` + data + `}`
		body := `{"inputs":[` + in + `]`
		if variant&4 != 0 {
			body = `{"id":"fuzz","parameters":{"p":[1,{"q":null}]},"inputs":[` + in + `]`
		}
		switch variant >> 3 % 3 {
		case 1:
			body += `,"outputs":[{"name":"label"}]`
		case 2:
			body += `,"outputs":[{"name":"probabilities","parameters":{}}]`
		}
		return protoCase{path: path, body: body + "}", key: "v2", fp32: dt == "FP32"}
	})
}

// FuzzTFServing: TF Serving's predict, row ("instances") and columnar
// ("inputs") formats.
func FuzzTFServing(f *testing.F) {
	protoFuzz(f, []string{
		`{"signature_name":"serving_default","instances":[[1,2,3,4]]}`,
		`{"inputs":{"input":[[1,2,3,4]]}}`,
		`{"instances":[{"sepal length (cm)":1,"sepal width (cm)":2,"petal length (cm)":3,"petal width (cm)":4}]}`,
		`{"instances":[[1,2,3,4]],"inputs":[[1,2,3,4]]}`,
	}, func(rows [][]float64, variant, order uint8, version string) protoCase {
		perm := fuzzOrder(order)
		var body, key string
		switch variant % 4 {
		case 0:
			body, key = `"instances":`+mustJSON(rows), "predictions"
		case 1:
			body, key = `"instances":`+objectList(rows, perm), "predictions"
		case 2:
			body, key = `"inputs":`+mustJSON(rows), "outputs"
		case 3:
			body, key = `"inputs":{"input":`+objectList(rows, perm)+`}`, "outputs"
		}
		if variant&4 != 0 {
			body = `"signature_name":"serving_default",` + body
		}
		path := "/v1/models/iris:predict"
		if variant&8 != 0 {
			path = "/v1/models/iris/versions/" + version + ":predict"
		}
		return protoCase{path: path, body: "{" + body + "}", key: key}
	})
}

// FuzzMLflow: MLflow's /invocations, every input format.
func FuzzMLflow(f *testing.F) {
	protoFuzz(f, []string{
		`{"dataframe_split":{"columns":["petal width (cm)","sepal length (cm)","sepal width (cm)","petal length (cm)"],"data":[[4,1,2,3]]}}`,
		`{"dataframe_split":{"index":[0],"data":[[1,2,3,4]]}}`,
		`{"dataframe_records":[{"sepal length (cm)":1,"sepal width (cm)":2,"petal length (cm)":3,"petal width (cm)":4}],"params":{"k":1}}`,
		`{"instances":[[1,2,3,4]]}`, `{"inputs":[[1,2,3,4]]}`, `{"dataframe_split":{"columns":["a","b","c","d"],"data":[[1,2,3,4]]}}`,
	}, func(rows [][]float64, variant, order uint8, _ string) protoCase {
		perm := fuzzOrder(order)
		cols, data := columnsOf(rows, perm)
		var body string
		switch variant % 6 {
		case 0:
			body = `"dataframe_split":{"columns":` + cols + `,"data":` + data + `}`
		case 1:
			body = `"dataframe_split":{"data":` + data + `,"columns":` + cols + `}`
		case 2:
			body = `"dataframe_split":{"columns":` + cols + `,"data":` + objectList(rows, fuzzOrder(order/3)) + `}`
		case 3:
			body = `"dataframe_records":` + objectList(rows, perm)
		case 4:
			body = `"instances":` + objectList(rows, perm)
		case 5:
			body = `"inputs":` + mustJSON(rows)
		}
		if variant&8 != 0 {
			body += `,"params":{"k":[1,"x",{"y":null}]}`
		}
		return protoCase{path: "/invocations", body: "{" + body + "}", key: "predictions"}
	})
}
