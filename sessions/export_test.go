package sessions

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"workbench/datasets"
	"workbench/engine"
	"workbench/engine/onnx/onnxtest"
)

// TestExportFormats: each format written by Export reads back with the
// session's weights and names.
func TestExportFormats(t *testing.T) {
	st := openStore(t)
	s := trained(t, st, "iris export", 2)
	dir := t.TempDir()
	want := s.Model.DenseLayers()
	for _, format := range ExportFormats() {
		t.Run(format, func(t *testing.T) {
			path := filepath.Join(dir, "m"+ExportExt(format))
			if format == "triton" {
				path = filepath.Join(dir, "repo")
			}
			files, err := Export(s, format, path)
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(files[0])
			if err != nil {
				t.Fatal(err)
			}
			switch format {
			case "onnx", "triton":
				e, err := onnxtest.Read(b)
				if err != nil {
					t.Fatal(err)
				}
				if len(e.Layers) != len(want) || strings.Join(e.Classes, ",") != strings.Join(s.Data.Classes, ",") {
					t.Errorf("read %d layers, classes %v; want %d, %v", len(e.Layers), e.Classes, len(want), s.Data.Classes)
				}
				if format == "triton" {
					if files[0] != filepath.Join(path, "iris_export", "1", "model.onnx") || len(files) != 2 {
						t.Errorf("triton files %v", files)
					}
				}
			case "safetensors":
				m, meta, err := engine.ReadSafetensors(bytes.NewReader(b))
				if err != nil {
					t.Fatal(err)
				}
				if m.DenseLayers()[0].W.At(0, 0) != want[0].W.At(0, 0) || meta["session_id"] != s.ID {
					t.Errorf("safetensors differs: meta %v", meta)
				}
			case "json":
				var doc modelJSON
				if err := json.Unmarshal(b, &doc); err != nil {
					t.Fatal(err)
				}
				if doc.Format != modelJSONFormat || len(doc.Layers) != len(want) || doc.Layers[0].Weights[0][0] != want[0].W.At(0, 0) {
					t.Errorf("json doc %+v", doc)
				}
			}
		})
	}
	assertNoTemps(t, dir)
}

func TestExportRefuses(t *testing.T) {
	st := openStore(t)
	s := trained(t, st, "iris", 1)
	dir := t.TempDir()
	untrained := *s
	untrained.Model = nil
	for _, tc := range []struct {
		name   string
		s      *Session
		format string
		path   string
		want   string
	}{
		{"unknown format", s, "pmml", filepath.Join(dir, "m.pmml"), `unknown format "pmml"`},
		{"no weights", &untrained, "onnx", filepath.Join(dir, "m.onnx"), "no trained weights"},
		{"nil session", nil, "onnx", filepath.Join(dir, "m.onnx"), "no session"},
		{"missing folder", s, "json", filepath.Join(dir, "no", "such", "m.json"), "no/such"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Export(tc.s, tc.format, tc.path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			if _, err := os.Stat(tc.path); err == nil {
				t.Errorf("%s written despite the error", tc.path)
			}
		})
	}
	if _, err := ExportTriton(s, dir, "../up", TritonMaxBatch); err == nil {
		t.Error("triton name ../up accepted")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "up")); err == nil {
		t.Error("triton name ../up made a folder outside the repository")
	}
	assertNoTemps(t, dir)
}

func assertNoTemps(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", p)
		}
		return nil
	})
}

// TestSafetensorsExportRegressionFoldsTargetScale: a regression export
// answers in the target's units both for engine.ReadSafetensors and for a
// reader that only knows safetensors (x_scaled @ kernel + bias per layer);
// a classification export is the engine's own file.
func TestSafetensorsExportRegressionFoldsTargetScale(t *testing.T) {
	for _, dt := range engine.DTypes {
		t.Run(dt, func(t *testing.T) { testSafetensorsExportFoldsTargetScale(t, dt) })
	}
}

func testSafetensorsExportFoldsTargetScale(t *testing.T, dtype string) {
	st := openStore(t)
	pr := prepare(t, Plan{DataRef: writePrices(t, 300, false), Load: datasets.LoadOptions{Task: datasets.Regression},
		Layers: "8:tanh,6:relu", Hyper: Hyper{Epochs: 5, Seed: 3, DType: dtype}})
	// Folding the target's scale into float32 weights rounds them to
	// float32: the export answers within float32's precision, not to the bit.
	tol := 1e-9
	if dtype == "float32" {
		tol = 2e-6
	}
	s, err := st.Train(context.Background(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg := s.Model.Config(); cfg.TargetStd == nil || cfg.TargetMean[0] < 50000 {
		t.Fatalf("test setup: target scaling %v/%v, want prices near 100000", cfg.TargetMean, cfg.TargetStd)
	}
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if _, err := Export(s, "safetensors", path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	x := pr.Test.X
	want := s.Model.Predict(x)
	close := func(what string, got *mat.Dense) {
		t.Helper()
		r, c := want.Dims()
		if gr, gc := got.Dims(); gr != r || gc != c {
			t.Fatalf("%s: %dx%d predictions, want %dx%d", what, gr, gc, r, c)
		}
		for i := range r {
			for j := range c {
				if g, w := got.At(i, j), want.At(i, j); !(math.Abs(g-w) <= tol*math.Max(math.Abs(w), 1)) {
					t.Fatalf("%s: row %d predicts %v, the session %v", what, i, g, w)
				}
			}
		}
	}

	m, meta, err := engine.ReadSafetensors(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	close("engine.ReadSafetensors", m.Predict(x))
	if meta["session_id"] != s.ID || meta["scaler"] == "" {
		t.Errorf("metadata %v", meta)
	}

	// A third-party reader: the raw tensors and nothing of workbench.
	n := binary.LittleEndian.Uint64(b[:8])
	var header map[string]json.RawMessage
	if err := json.Unmarshal(b[8:8+n], &header); err != nil {
		t.Fatal(err)
	}
	var md map[string]string
	if err := json.Unmarshal(header["__metadata__"], &md); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"workbench.target_mean", "workbench.target_std"} {
		if v, ok := md[k]; ok {
			t.Errorf("metadata still holds %s = %s", k, v)
		}
	}
	if md["workbench.format"] != "1" || md["workbench.task"] != "regression" {
		t.Errorf("metadata %v, want format 1 (no target scaling), task regression", md)
	}
	data := b[8+n:]
	tensor := func(name string) ([]int64, []float64) {
		var info struct {
			Dtype       string   `json:"dtype"`
			Shape       []int64  `json:"shape"`
			DataOffsets [2]int64 `json:"data_offsets"`
		}
		want := map[string]string{"float32": "F32", "float64": "F64"}[dtype]
		if err := json.Unmarshal(header[name], &info); err != nil || info.Dtype != want {
			t.Fatalf("tensor %s: %s (%v), want dtype %s", name, header[name], err, want)
		}
		raw := data[info.DataOffsets[0]:info.DataOffsets[1]]
		var vs []float64
		if want == "F32" {
			for i := 0; i+4 <= len(raw); i += 4 {
				vs = append(vs, float64(math.Float32frombits(binary.LittleEndian.Uint32(raw[i:]))))
			}
		} else {
			for i := 0; i+8 <= len(raw); i += 8 {
				vs = append(vs, math.Float64frombits(binary.LittleEndian.Uint64(raw[i:])))
			}
		}
		return info.Shape, vs
	}
	act := map[string]func(float64) float64{
		"tanh":   math.Tanh,
		"relu":   func(v float64) float64 { return math.Max(v, 0) },
		"linear": func(v float64) float64 { return v },
	}
	layers := s.Model.DenseLayers()
	a := mat.DenseCopyOf(x)
	for i, l := range layers {
		shape, kernel := tensor(fmt.Sprintf("dense_%d.kernel", i))
		_, bias := tensor(fmt.Sprintf("dense_%d.bias", i))
		var z mat.Dense
		z.Mul(a, mat.NewDense(int(shape[0]), int(shape[1]), kernel))
		f := act[l.Activation]
		if f == nil {
			t.Fatalf("test knows no activation %q", l.Activation)
		}
		z.Apply(func(_, j int, v float64) float64 { return f(v + bias[j]) }, &z)
		a = &z
	}
	if len(header) != 1+2*len(layers) {
		t.Errorf("%d header entries, want metadata and %d tensors", len(header), 2*len(layers))
	}
	close("x_scaled @ kernel + bias", a)

	// Classification has nothing to fold: the export is the engine's file.
	c := trained(t, st, "iris", 1)
	var got, engineOwn bytes.Buffer
	if err := WriteExport(&got, c, "safetensors"); err != nil {
		t.Fatal(err)
	}
	if err := c.Model.WriteSafetensors(&engineOwn, safetensorsMeta(c)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), engineOwn.Bytes()) {
		t.Error("the classification export differs from the engine's own file")
	}
}
