package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"workbench/sessions"
)

// exportFormats are the formats `workbench export --format` writes; the
// formats themselves live in package sessions, shared with the TUI.
var exportFormats = sessions.ExportFormats()

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
	if err := sessionArg(fs, pos, query); err != nil {
		return err
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
			n = sessions.TritonName(sess)
		}
		paths, err := sessions.ExportTriton(sess, *out, n, *maxBatch)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		for _, p := range paths {
			fmt.Fprintf(stderr, "wrote %s\n", p)
		}
		return nil
	}
	if *out == "-" {
		// Encoded in full first, so a failure writes nothing to stdout.
		var buf bytes.Buffer
		if err := sessions.WriteExport(&buf, sess, f); err != nil {
			return fmt.Errorf("export: session %s: %w", sess.ID, err)
		}
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	if _, err := sessions.Export(sess, f, *out); err != nil {
		return fmt.Errorf("export: session %s: %w", sess.ID, err)
	}
	size := int64(0)
	if fi, err := os.Stat(*out); err == nil {
		size = fi.Size()
	}
	fmt.Fprintf(stderr, "wrote %s (%s, %d bytes) from session %s\n", *out, f, size, sess.ID)
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
