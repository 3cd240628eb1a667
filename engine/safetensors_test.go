package engine

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func savedModel(t testing.TB) (*Model, []byte) {
	t.Helper()
	m := mustModel(t, Config{Inputs: 3, Outputs: 4, Layers: mustLayers(t, "5:gelu,dropout:0.25,2:tanh"), Seed: 42})
	var buf bytes.Buffer
	if err := m.WriteSafetensors(&buf, map[string]string{"dataset": "iris", "note": "ünïcode"}); err != nil {
		t.Fatal(err)
	}
	return m, buf.Bytes()
}

func TestSafetensorsRoundTrip(t *testing.T) {
	m, file := savedModel(t)
	got, meta, err := ReadSafetensors(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if meta["dataset"] != "iris" || meta["note"] != "ünïcode" || len(meta) != 2 {
		t.Errorf("user metadata %v", meta)
	}
	if FormatLayers(got.Config().Layers) != "5:gelu,dropout:0.25,2:tanh" || got.Config().Seed != 42 {
		t.Errorf("config %+v", got.Config())
	}
	x := mat.NewDense(2, 3, []float64{0.1, -2, 3, 4, 5, -6})
	if !mat.Equal(m.Predict(x), got.Predict(x)) {
		t.Error("loaded model predicts differently")
	}

	r := mustModel(t, Config{Inputs: 2, Outputs: 3, Task: Regression, Loss: "huber", Seed: 1})
	var buf bytes.Buffer
	if err := r.WriteSafetensors(&buf, nil); err != nil {
		t.Fatal(err)
	}
	rr, _, err := ReadSafetensors(&buf)
	if err != nil || rr.Config().Task != Regression || rr.Config().Loss != "huber" {
		t.Fatalf("regression round trip: %v, %+v", err, rr)
	}
}

// The layout other readers rely on: aligned header, F64 tensors with
// contiguous offsets, string metadata.
func TestSafetensorsLayout(t *testing.T) {
	_, file := savedModel(t)
	n := binary.LittleEndian.Uint64(file)
	if (8+n)%8 != 0 {
		t.Errorf("data starts at %d, not 8-byte aligned", 8+n)
	}
	var h map[string]json.RawMessage
	if err := json.Unmarshal(file[8:8+n], &h); err != nil {
		t.Fatal(err)
	}
	var k TensorInfo
	if err := json.Unmarshal(h["dense_0.kernel"], &k); err != nil {
		t.Fatal(err)
	}
	if k.Dtype != "F64" || len(k.Shape) != 2 || k.Shape[0] != 3 || k.Shape[1] != 5 || k.DataOffsets != [2]int64{0, 120} {
		t.Errorf("dense_0.kernel entry %+v", k)
	}
	if total := uint64(len(file)) - 8 - n; total != 8*uint64(3*5+5+5*2+2+2*4+4) {
		t.Errorf("data section %d bytes", total)
	}
}

func TestSafetensorsCorrupt(t *testing.T) {
	_, file := savedModel(t)
	n := binary.LittleEndian.Uint64(file)
	header := string(file[8 : 8+n])
	rewrite := func(old, new string) []byte {
		h := strings.Replace(header, old, new, 1)
		if h == header {
			t.Fatalf("test setup: %q not in header", old)
		}
		out := binary.LittleEndian.AppendUint64(nil, uint64(len(h)))
		return append(append(out, h...), file[8+n:]...)
	}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"short length", file[:5], "truncated"},
		{"header cut", file[:20], "truncated"},
		{"data cut", file[:len(file)-3], "truncated"},
		{"huge header length", append(binary.LittleEndian.AppendUint64(nil, 1<<40), file[8:]...), "header length"},
		{"bad JSON", rewrite(`{`, `[`), "JSON"},
		{"dtype", rewrite(`"F64"`, `"I64"`), "dtype"},
		{"shape", rewrite(`[3,5]`, `[5,3]`), "shape"},
		{"offset out of range", rewrite(`[0,120]`, `[0,999]`), "data_offsets"},
		{"negative offset", rewrite(`[0,120]`, `[-8,112]`), "data_offsets"},
		{"missing metadata", rewrite(`"__metadata__"`, `"__other__"`), "tensor"},
		{"bad layers", rewrite(`5:gelu`, `5:gelux`), "gelux"},
		{"bad inputs", rewrite(`"workbench.inputs":"3"`, `"workbench.inputs":"x"`), "integer"},
		{"wrong format", rewrite(`"workbench.format":"1"`, `"workbench.format":"9"`), "version"},
		{"renamed tensor", rewrite(`dense_0.bias`, `dense_9.bias`), "missing tensor"},
	}
	for _, c := range cases {
		_, _, err := ReadSafetensors(bytes.NewReader(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
	nan := append([]byte(nil), file...)
	binary.LittleEndian.PutUint64(nan[8+n:], 0x7ff8000000000001)
	if _, _, err := ReadSafetensors(bytes.NewReader(nan)); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("NaN weight: error %v", err)
	}
	m := mustModel(t, Config{Inputs: 2, Outputs: 2})
	if err := m.WriteSafetensors(&bytes.Buffer{}, map[string]string{"workbench.layers": "x"}); err == nil {
		t.Error("a reserved metadata key was accepted")
	}
}

func FuzzReadSafetensors(f *testing.F) {
	_, file := savedModel(f)
	f.Add(file)
	f.Add(file[:len(file)/2])
	f.Add([]byte{})
	f.Add(append(binary.LittleEndian.AppendUint64(nil, 2), "{}"...))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, _, err := ReadSafetensors(bytes.NewReader(data))
		if err != nil {
			return
		}
		// Whatever loads must be usable.
		x := mat.NewDense(1, m.Config().Inputs, nil)
		m.Predict(x)
	})
}

// Files from other tools often hold F32: they load, rounded to float32.
func TestSafetensorsReadsF32(t *testing.T) {
	m, file := savedModel(t)
	n := binary.LittleEndian.Uint64(file)
	var h map[string]json.RawMessage
	if err := json.Unmarshal(file[8:8+n], &h); err != nil {
		t.Fatal(err)
	}
	out := map[string]any{"__metadata__": h["__metadata__"]}
	var data []byte
	for _, ts := range m.impl.tensors() {
		var ti TensorInfo
		if err := json.Unmarshal(h[ts.name], &ti); err != nil {
			t.Fatal(err)
		}
		begin := len(data)
		for _, v := range m.impl.params[ts.off : ts.off+ts.n] {
			data = binary.LittleEndian.AppendUint32(data, math.Float32bits(float32(v)))
		}
		out[ts.name] = TensorInfo{Dtype: "F32", Shape: ti.Shape, DataOffsets: [2]int64{int64(begin), int64(len(data))}}
	}
	hj, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	f32 := append(binary.LittleEndian.AppendUint64(nil, uint64(len(hj))), hj...)
	got, _, err := ReadSafetensors(bytes.NewReader(append(f32, data...)))
	if err != nil {
		t.Fatal(err)
	}
	x := mat.NewDense(2, 3, []float64{0.1, -2, 3, 4, 5, -6})
	if !mat.EqualApprox(m.Predict(x), got.Predict(x), 1e-5) {
		t.Error("F32 file predicts differently")
	}
}
