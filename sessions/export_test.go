package sessions

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"workbench/engine"
	"workbench/engine/onnx"
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
				e, err := onnx.Read(b)
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
