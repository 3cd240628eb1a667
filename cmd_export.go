package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"workbench/engine"
	"workbench/engine/onnx"
	"workbench/sessions"
)

// exportFormats are the formats `workbench export --format` writes.
var exportFormats = []string{"onnx", "safetensors", "json", "triton"}

const exportDescription = `Writes a trained session's model for use outside workbench:

  onnx         the whole inference graph (scaler, dense layers, activations,
               softmax) as ONNX (IR 8, opset 17): input "input" float32
               [batch, features] in raw units; output "probabilities"
               [batch, classes] or "output" [batch, targets]
  safetensors  the weights, with the spec, scaler, feature and class names
               in __metadata__
  json         weights and spec as plain JSON ("workbench-model" version 1,
               described in deploy/README.md)
  triton       a Triton model repository entry: DIR/NAME/config.pbtxt and
               DIR/NAME/1/model.onnx

The format defaults to the output file's extension. An existing output file
is replaced only once the new one is complete.`

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "export [--session ID] --format FORMAT -o FILE [flags]", exportDescription, []string{
		"workbench export --session latest -o iris.onnx",
		"workbench export --session 3f2a --format json -o - | jq .layers[0].units",
		"workbench export --format safetensors -o model.safetensors",
		"workbench export --format triton --name iris -o deploy/triton/model_repository",
	}, stdout)
	home := homeFlag(fs)
	query := fs.String("session", "latest", "session `id`, unique id prefix, name, or \"latest\"")
	format := fs.String("format", "", "`format`: "+strings.Join(exportFormats, ", ")+" (default: from the -o file's extension)")
	out := fs.String("o", "", "output `file` (\"-\" = stdout); for triton the model repository directory")
	name := fs.String("name", "", "triton: model `name` (default: the session's name)")
	maxBatch := fs.Int("max-batch", 64, "triton: max_batch_size")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	// `workbench export ID -o f.onnx` is as natural as --session ID.
	if err := wantArgs(fs, pos, 0, 1, "at most one session"); err != nil {
		return err
	}
	if len(pos) == 1 {
		*query = pos[0]
	}
	if *out == "" {
		return errors.New("export: missing -o FILE (\"-\" writes to stdout; see 'workbench export --help')")
	}
	f := *format
	if f == "" {
		f = strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
		if !contains(exportFormats, f) || f == "triton" {
			return fmt.Errorf("export: cannot tell the format from %q; add --format (one of %s)", *out, strings.Join(exportFormats, ", "))
		}
	}
	if !contains(exportFormats, f) {
		return fmt.Errorf("export: unknown --format %q; want one of %s", f, strings.Join(exportFormats, ", "))
	}
	if f == "triton" && *out == "-" {
		return errors.New("export: --format triton writes a directory; -o - (stdout) is not possible")
	}

	st, err := openStore(*home)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	sess, err := loadSession(st, *query)
	if err != nil {
		return fmt.Errorf("export: session %q: %w", *query, err)
	}
	if sess.Model == nil {
		return fmt.Errorf("export: session %s (%s) has no trained weights", sess.ID, sess.Status)
	}

	if f == "triton" {
		n := *name
		if n == "" {
			n = tritonModelName(sess)
		}
		paths, err := exportTriton(sess, *out, n, *maxBatch)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		for _, p := range paths {
			fmt.Fprintf(stderr, "wrote %s\n", p)
		}
		return nil
	}
	var buf bytes.Buffer
	if err := exportSession(&buf, sess, f); err != nil {
		return fmt.Errorf("export: session %s: %w", sess.ID, err)
	}
	if *out == "-" {
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	if err := writeFileAtomic(*out, buf.Bytes()); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(stderr, "wrote %s (%s, %d bytes) from session %s\n", *out, f, buf.Len(), sess.ID)
	return nil
}

// exportSession writes sess's model to w in format (onnx, safetensors, json).
// It is the one place that maps a session to an export, for the CLI and any
// other front end in package main.
func exportSession(w io.Writer, sess *sessions.Session, format string) error {
	switch format {
	case "onnx":
		return onnx.Write(w, onnxExport(sess))
	case "safetensors":
		return sess.Model.WriteSafetensors(w, safetensorsMeta(sess))
	case "json":
		return writeModelJSON(w, sess)
	}
	return fmt.Errorf("unknown format %q; want one of onnx, safetensors, json", format)
}

// onnxExport describes sess's inference graph for the ONNX encoder.
func onnxExport(sess *sessions.Session) onnx.Export {
	e := onnx.Export{
		Layers:   sess.Model.DenseLayers(),
		Features: sess.Data.Features,
		Name:     tritonModelName(sess),
		Doc:      fmt.Sprintf("workbench session %s (%s) trained on %s with hidden layers %q", sess.ID, sess.Name, sess.Data.Ref, sess.Layers),
		Metadata: map[string]string{
			"session_id":   sess.ID,
			"session_name": sess.Name,
			"dataset":      sess.Data.Ref,
			"layers":       sess.Layers,
		},
	}
	if sess.Scaler != nil {
		e.Mean, e.Std = sess.Scaler.Mean, sess.Scaler.Std
	}
	if sess.Model.Config().Task == engine.Classification {
		e.Classes = nilIfEmpty(sess.Data.Classes)
	} else {
		e.Targets = nilIfEmpty(sess.Data.Targets)
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
func safetensorsMeta(sess *sessions.Session) map[string]string {
	js := func(v any) string {
		b, _ := json.Marshal(v) // strings and finite floats; cannot fail
		return string(b)
	}
	m := map[string]string{
		"session_id": sess.ID,
		"dataset":    sess.Data.Ref,
		"features":   js(sess.Data.Features),
	}
	if len(sess.Data.Classes) > 0 {
		m["classes"] = js(sess.Data.Classes)
	}
	if len(sess.Data.Targets) > 0 {
		m["targets"] = js(sess.Data.Targets)
	}
	if sess.Scaler != nil {
		m["scaler"] = js(sess.Scaler)
	}
	return m
}

var notTritonName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// tritonModelName turns a session name into a directory name Triton accepts.
func tritonModelName(sess *sessions.Session) string {
	n := strings.Trim(notTritonName.ReplaceAllString(sess.Name, "_"), "_.-")
	if n == "" {
		n = "workbench"
	}
	return n
}

// exportTriton writes repo/name/config.pbtxt and repo/name/1/model.onnx.
func exportTriton(sess *sessions.Session, repo, name string, maxBatch int) ([]string, error) {
	e := onnxExport(sess)
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
	if err := writeFileAtomic(modelPath, model); err != nil {
		return nil, err
	}
	if err := writeFileAtomic(cfgPath, []byte(cfg)); err != nil {
		return nil, err
	}
	return []string{modelPath, cfgPath}, nil
}

// writeFileAtomic replaces path with data only once data is fully on disk,
// so a failed export never leaves a half-written or truncated file behind.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
