package sessions

// Exports: a session's model written for use outside workbench. The CLI
// (`workbench export`) and the TUI's Sessions pane both come here, so the
// formats cannot drift apart between front ends.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"workbench/engine"
	"workbench/engine/onnx"
)

// ExportFormats are the formats Export writes: the three file formats
// (onnx, safetensors, json) and triton, a model repository directory.
func ExportFormats() []string { return []string{"onnx", "safetensors", "json", "triton"} }

// ExportExt is the usual file extension (with the dot) of a file format, ""
// for triton, which writes a directory.
func ExportExt(format string) string {
	if format == "triton" || !slices.Contains(ExportFormats(), format) {
		return ""
	}
	return "." + format
}

// TritonMaxBatch is the max_batch_size Export writes into a Triton config.
const TritonMaxBatch = 64

// Export writes s's model to path in format and returns the files written.
// For onnx, safetensors and json path is a file, replaced only once the new
// one is complete; for triton it is the model repository directory and the
// entry is named TritonName(s). s must hold a trained model.
func Export(s *Session, format, path string) ([]string, error) {
	if s == nil || s.Model == nil {
		return nil, errNoWeights(s)
	}
	if format == "triton" {
		return ExportTriton(s, path, TritonName(s), TritonMaxBatch)
	}
	var buf bytes.Buffer
	if err := WriteExport(&buf, s, format); err != nil {
		return nil, err
	}
	if err := writeExportFile(path, buf.Bytes()); err != nil {
		return nil, err
	}
	return []string{path}, nil
}

func errNoWeights(s *Session) error {
	if s == nil {
		return errors.New("no session to export")
	}
	return fmt.Errorf("session %s (%s) has no trained weights", s.ID, s.Status)
}

// WriteExport writes s's model to w in one of the file formats (onnx,
// safetensors, json).
func WriteExport(w io.Writer, s *Session, format string) error {
	if s == nil || s.Model == nil {
		return errNoWeights(s)
	}
	switch format {
	case "onnx":
		return onnx.Write(w, ONNXExport(s))
	case "safetensors":
		return s.Model.WriteSafetensors(w, safetensorsMeta(s))
	case "json":
		return writeModelJSON(w, s)
	}
	return fmt.Errorf("unknown format %q; want one of onnx, safetensors, json", format)
}

// ONNXExport describes s's inference graph (scaler, layers, names) for the
// ONNX encoder.
func ONNXExport(s *Session) onnx.Export {
	e := onnx.Export{
		Layers:   s.Model.DenseLayers(),
		Features: s.Data.Features,
		Name:     TritonName(s),
		Doc:      fmt.Sprintf("workbench session %s (%s) trained on %s with hidden layers %q", s.ID, s.Name, s.Data.Ref, s.Layers),
		Metadata: map[string]string{
			"session_id":   s.ID,
			"session_name": s.Name,
			"dataset":      s.Data.Ref,
			"layers":       s.Layers,
		},
	}
	if s.Scaler != nil {
		e.Mean, e.Std = s.Scaler.Mean, s.Scaler.Std
	}
	if s.Model.Config().Task == engine.Classification {
		e.Classes = nilIfEmpty(s.Data.Classes)
	} else {
		e.Targets = nilIfEmpty(s.Data.Targets)
	}
	if len(e.Features) == 0 {
		e.Features = nil
	}
	return e
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// safetensorsMeta is what a safetensors file needs beside the weights to be
// used without workbench: names and the scaler, as JSON strings (the format
// allows only string values). The engine adds its own "workbench.*" keys
// (task, inputs, outputs, layers, loss), so these stay unprefixed.
func safetensorsMeta(s *Session) map[string]string {
	js := func(v any) string {
		b, _ := json.Marshal(v) // strings and finite floats; cannot fail
		return string(b)
	}
	m := map[string]string{
		"session_id": s.ID,
		"dataset":    s.Data.Ref,
		"features":   js(s.Data.Features),
	}
	if len(s.Data.Classes) > 0 {
		m["classes"] = js(s.Data.Classes)
	}
	if len(s.Data.Targets) > 0 {
		m["targets"] = js(s.Data.Targets)
	}
	if s.Scaler != nil {
		m["scaler"] = js(s.Scaler)
	}
	return m
}

var notTritonName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// TritonName turns a session's name into a directory name Triton accepts.
func TritonName(s *Session) string {
	n := strings.Trim(notTritonName.ReplaceAllString(s.Name, "_"), "_.-")
	if n == "" {
		n = "workbench"
	}
	return n
}

// ExportTriton writes repo/name/config.pbtxt and repo/name/1/model.onnx and
// returns their paths.
func ExportTriton(s *Session, repo, name string, maxBatch int) ([]string, error) {
	if s == nil || s.Model == nil {
		return nil, errNoWeights(s)
	}
	e := ONNXExport(s)
	// The config checks the name, so a name like "../up" is refused before
	// any folder is made.
	cfg, err := onnx.TritonConfig(name, e, maxBatch)
	if err != nil {
		return nil, err
	}
	model, err := onnx.Encode(e)
	if err != nil {
		return nil, err
	}
	modelPath := filepath.Join(repo, name, "1", "model.onnx")
	cfgPath := filepath.Join(repo, name, "config.pbtxt")
	if err := os.MkdirAll(filepath.Dir(modelPath), 0o755); err != nil {
		return nil, err
	}
	// The model first: a config that names a missing model would make
	// Triton fail to load the whole entry.
	if err := writeExportFile(modelPath, model); err != nil {
		return nil, err
	}
	if err := writeExportFile(cfgPath, []byte(cfg)); err != nil {
		return nil, err
	}
	return []string{modelPath, cfgPath}, nil
}

// writeExportFile replaces path with data only once data is fully on disk,
// so a failed export never leaves a half-written or truncated file behind.
func writeExportFile(path string, data []byte) error {
	if err := writeFileAtomic(filepath.Dir(path), filepath.Base(path), data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
