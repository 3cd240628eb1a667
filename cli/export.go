package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

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

func newExportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export [--session ID] --format FORMAT -o FILE [flags]",
		Short: "export a session's model (onnx, safetensors, json, triton)",
		Long:  exportDescription,
		Example: examples(
			"workbench export --session latest -o iris.onnx",
			"workbench export --session 3f2a --format json -o - | jq .layers[0].units",
			"workbench export --format safetensors -o model.safetensors",
			"workbench export --format triton --name iris -o deploy/triton/model_repository",
		),
		Args: argsBetween(0, 1, "at most one session"),
	}
	fs := cmd.Flags()
	var o exportOptions
	home := homeFlag(fs)
	fs.StringVar(&o.query, "session", "latest", "session `id`, unique id prefix, name, or \"latest\"")
	fs.StringVar(&o.format, "format", "", "`format`: "+strings.Join(exportFormats, ", ")+" (default: from the -o file's extension)")
	// -o as before; pflag's one-letter flags are shorthands, so the long
	// form is --output, and --o (which the flag package took) stays as a
	// hidden alias.
	fs.StringVarP(&o.out, "output", "o", "", "output `file` (\"-\" = stdout); for triton the model repository directory")
	fs.StringVar(&o.out, "o", "", "")
	_ = fs.MarkHidden("o") // cannot fail: the flag was just defined
	fs.StringVar(&o.name, "name", "", "triton: model `name` (default: the session's name)")
	fs.IntVar(&o.maxBatch, "max-batch", 64, "triton: max_batch_size")
	cmd.RunE = func(cmd *cobra.Command, pos []string) error {
		o.home = *home
		sessionArg(pos, &o.query)
		return runExport(cmd.OutOrStdout(), cmd.ErrOrStderr(), o)
	}
	return cmd
}

// exportOptions are export's flags.
type exportOptions struct {
	home, query, format, out, name string
	maxBatch                       int
}

func runExport(stdout, stderr io.Writer, o exportOptions) error {
	if o.out == "" {
		return errors.New("export: missing -o FILE (\"-\" writes to stdout; see 'workbench export --help')")
	}
	f := o.format
	if f == "" {
		f = strings.TrimPrefix(strings.ToLower(filepath.Ext(o.out)), ".")
		if !contains(exportFormats, f) || f == "triton" {
			return fmt.Errorf("export: cannot tell the format from %q; add --format (one of %s)", o.out, strings.Join(exportFormats, ", "))
		}
	}
	if !contains(exportFormats, f) {
		return fmt.Errorf("export: unknown --format %q; want one of %s", f, strings.Join(exportFormats, ", "))
	}
	if f == "triton" && o.out == "-" {
		return errors.New("export: --format triton writes a directory; -o - (stdout) is not possible")
	}

	st, err := openStore(o.home)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	sess, err := loadSession(st, o.query)
	if err != nil {
		return fmt.Errorf("export: session %q: %w", o.query, err)
	}
	if sess.Model == nil {
		return fmt.Errorf("export: session %s (%s) has no trained weights", sess.ID, sess.Status)
	}

	if f == "triton" {
		n := o.name
		if n == "" {
			n = sessions.TritonName(sess)
		}
		paths, err := sessions.ExportTriton(sess, o.out, n, o.maxBatch)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		for _, p := range paths {
			fmt.Fprintf(stderr, "wrote %s\n", p)
		}
		return nil
	}
	if o.out == "-" {
		// Encoded in full first, so a failure writes nothing to stdout.
		var buf bytes.Buffer
		if err := sessions.WriteExport(&buf, sess, f); err != nil {
			return fmt.Errorf("export: session %s: %w", sess.ID, err)
		}
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	if _, err := sessions.Export(sess, f, o.out); err != nil {
		return fmt.Errorf("export: session %s: %w", sess.ID, err)
	}
	size := int64(0)
	if fi, err := os.Stat(o.out); err == nil {
		size = fi.Size()
	}
	fmt.Fprintf(stderr, "wrote %s (%s, %d bytes) from session %s\n", o.out, f, size, sess.ID)
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
