package sessions

// Exports: a session's model written for use outside workbench. The CLI
// (`workbench export`) and the TUI's Sessions pane both come here, so the
// formats cannot drift apart between front ends.

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
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
		if err := onnxPreprocessed(s); err != nil {
			return err
		}
		return onnx.Write(w, ONNXExport(s))
	case "safetensors":
		return writeSafetensorsExport(w, s)
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

// onnxPreprocessed refuses an ONNX graph for a session whose columns are
// preprocessed (categories, dates, gaps): the graph would take the encoded
// features, not the columns a user has, and the issue asks for the
// preprocessing inside the graph, which is not built yet. A wrong graph
// that loads is worse than none.
func onnxPreprocessed(s *Session) error {
	if s.Preprocess == nil {
		return nil
	}
	return fmt.Errorf("the session preprocesses its columns (%s) and the ONNX export cannot carry that preprocessing yet; it is refused rather than written for one-hot inputs no client has. Export safetensors or json instead (their metadata holds the vocabularies and fill values), or predict with 'workbench predict'",
		Clip(strings.Join(s.Preprocess.InputNames(), ", "), 60))
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
	if s.Preprocess != nil {
		// The raw columns and how they become the features above.
		m["preprocess"] = js(s.Preprocess)
	}
	return m
}

// writeSafetensorsExport writes s's weights as safetensors for readers
// outside workbench (numpy, PyTorch).
//
// The store's file keeps a regression model's kernels in the standardised
// units it learned in, with the target mean/std only in the engine's
// metadata, which no third-party reader applies. The export folds that
// scaling into the output layer instead (DenseLayers, as ONNX and JSON do)
// and drops it from the metadata, so that x_scaled @ kernel + bias, layer
// by layer, answers in the target's own units, and engine.ReadSafetensors
// (which then applies no scaling) still predicts what the session does.
// Classification has no target scaling: its file is the engine's own.
func writeSafetensorsExport(w io.Writer, s *Session) error {
	meta := safetensorsMeta(s)
	cfg := s.Model.Config()
	if cfg.Task != engine.Regression || cfg.TargetStd == nil {
		return s.Model.WriteSafetensors(w, meta)
	}
	// The engine has no constructor from DenseParams, so its own file is
	// rewritten: same tensor names, dtype, shapes and metadata, with the
	// folded layers as data.
	var buf bytes.Buffer
	if err := s.Model.WriteSafetensors(&buf, meta); err != nil {
		return err
	}
	out, err := foldedSafetensors(buf.Bytes(), s.Model.DenseLayers())
	if err != nil {
		return fmt.Errorf("exporting session %s as safetensors: %w", s.ID, err)
	}
	_, err = w.Write(out)
	return err
}

// foldedSafetensors replaces the tensors of the engine-written file b with
// layers (dense_<i>.kernel in×out and dense_<i>.bias, in layer order, as
// the engine names them, in the dtype the engine wrote: F32 for a float32
// model, F64 for a float64 one) and marks the file as having no target scaling
// (the engine's format 1).
func foldedSafetensors(b []byte, layers []engine.DenseParams) ([]byte, error) {
	header, err := engine.ReadSafetensorsHeader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("reading the engine's safetensors header: %w", err)
	}
	md := header.Metadata
	delete(md, "workbench.target_mean")
	delete(md, "workbench.target_std")
	md["workbench.format"] = "1"

	out := map[string]any{"__metadata__": md}
	var data []byte
	add := func(name string, shape []int64, vs []float64) error {
		was, ok := header.Tensors[name]
		if !ok || !slices.Equal(was.Shape, shape) {
			return fmt.Errorf("tensor %s: the engine wrote shape %v, the folded layer has %v", name, was.Shape, shape)
		}
		off := int64(len(data))
		switch was.Dtype {
		case "F32":
			for _, v := range vs {
				data = binary.LittleEndian.AppendUint32(data, math.Float32bits(float32(v)))
			}
		case "F64":
			for _, v := range vs {
				data = binary.LittleEndian.AppendUint64(data, math.Float64bits(v))
			}
		default:
			return fmt.Errorf("tensor %s: the engine wrote dtype %s, expected F32 or F64", name, was.Dtype)
		}
		out[name] = engine.TensorInfo{Dtype: was.Dtype, Shape: shape, DataOffsets: [2]int64{off, int64(len(data))}}
		return nil
	}
	for i, l := range layers {
		r, c := l.W.Dims()
		kernel := make([]float64, 0, r*c)
		for row := range r {
			kernel = append(kernel, l.W.RawRowView(row)...)
		}
		if err := add(fmt.Sprintf("dense_%d.kernel", i), []int64{int64(r), int64(c)}, kernel); err != nil {
			return nil, err
		}
		if err := add(fmt.Sprintf("dense_%d.bias", i), []int64{int64(len(l.B))}, l.B); err != nil {
			return nil, err
		}
	}
	if len(out) != len(header.Tensors)+1 {
		return nil, fmt.Errorf("the engine wrote %d tensors, the model has %d dense layers", len(header.Tensors), len(layers))
	}
	hj, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	// Data 8-byte aligned, as the engine writes it.
	for (8+len(hj))%8 != 0 {
		hj = append(hj, ' ')
	}
	res := binary.LittleEndian.AppendUint64(make([]byte, 0, 8+len(hj)+len(data)), uint64(len(hj)))
	res = append(append(res, hj...), data...)
	return res, nil
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
	if err := onnxPreprocessed(s); err != nil {
		return nil, err
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
// It writes only over a regular file, keeping its mode (a 0600 file stays
// 0600), and through a symbolic link to one (the link stays); a device, a
// FIFO, a socket or a folder at path is refused, never replaced.
func writeExportFile(path string, data []byte) error {
	perm := os.FileMode(0o644)
	target := path
	if st, err := os.Stat(path); err == nil {
		if !st.Mode().IsRegular() {
			return fmt.Errorf("%s is %s; export writes only regular files, give a file name", path, describeType(st.Mode()))
		}
		perm = st.Mode().Perm()
		if target, err = filepath.EvalSymlinks(path); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := writeFileAtomicMode(filepath.Dir(target), filepath.Base(target), data, perm); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// describeType names a file type that is not a regular file, for errors.
func describeType(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&os.ModeCharDevice != 0:
		return "a character device"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return "not a regular file"
}
