package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/gonum/mat"

	"workbench/sessions"
)

const predictDescription = `Predicts with a saved session's model. Input rows hold raw feature values in
the dataset's own units (the session's scaler is applied), as:

  CSV    one row per line, header optional. With a header naming the
         session's features, columns are matched by name and others (such as
         the target) are ignored; without one, each row must hold exactly
         the features, in order.
  JSON   {"input_data": [[...], ...]} (the predict server's request) or a
         bare [[...], ...]; a row may also be an object keyed by feature name.

Output: a table with the predicted class and its probability (regression:
the predicted values); with --json, exactly the body 'workbench serve'
answers: {"predictions": [[...]], "labels": [...]} (labels, the most likely
class per row, for classification only).`

func runPredict(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("predict", "predict [--session ID] [--input FILE|-] [--json]", predictDescription, []string{
		"workbench predict --session latest --input rows.csv",
		"echo '5.1,3.5,1.4,0.2' | workbench predict --session iris",
		`echo '{"input_data": [[5.1, 3.5, 1.4, 0.2]]}' | workbench predict --session iris --json`,
		"workbench predict --session 20261130-1542 --input test.csv --json > predictions.json",
	}, stdout)
	home := homeFlag(fs)
	query := fs.String("session", "latest", "session: `ID`, unique id prefix, name or latest")
	input := fs.String("input", "-", "CSV or JSON `file` of rows; - reads standard input")
	asJSON := fs.Bool("json", false, `print the predict server's body {"predictions": [[...]], "labels": [...]}`)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(fs, pos, 0, 0, "no arguments besides flags"); err != nil {
		return err
	}
	st, err := openStore(*home)
	if err != nil {
		return err
	}
	s, err := loadSession(st, *query)
	if err != nil {
		return err
	}
	raw, name, err := readInput(*input)
	if err != nil {
		return err
	}
	x, err := parseRows(raw, s.Data.Features)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	p := s.Predict(x)
	if r, ok := firstNonFinite(p); ok {
		return fmt.Errorf("%s: row %d gives a non-finite output; its values are too far outside the range the model was trained on", name, r+1)
	}
	labels := predictedLabels(s, p)
	if *asJSON {
		_, err := stdout.Write(predictBody(p, labels))
		return err
	}
	return printPredictions(stdout, s, p, labels)
}

// readInput reads the whole input; a terminal on stdin would wait forever
// for rows nobody is typing, so it is refused with a hint.
func readInput(path string) ([]byte, string, error) {
	if path == "-" || path == "" {
		if isTerminal(os.Stdin) {
			return nil, "", errors.New("predict: no input: pass --input FILE, or pipe CSV or JSON rows on standard input")
		}
		b, err := io.ReadAll(os.Stdin)
		return b, "standard input", err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, path, fmt.Errorf("predict: %w", err)
	}
	return b, path, nil
}

// parseRows reads CSV or JSON rows of raw features.
func parseRows(raw []byte, features []string) (*mat.Dense, error) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 {
		return nil, errors.New("no rows in the input")
	}
	var rows [][]float64
	var err error
	if trimmed[0] == '{' || trimmed[0] == '[' {
		rows, err = parseJSONRows(trimmed, features)
	} else {
		rows, err = parseCSVRows(raw, features)
	}
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, errors.New("no rows in the input")
	}
	x := mat.NewDense(len(rows), len(features), nil)
	for i, r := range rows {
		x.SetRow(i, r)
	}
	return x, nil
}

func featureList(features []string) string {
	return clip(strings.Join(features, ", "), 120)
}

func parseJSONRows(b []byte, features []string) ([][]float64, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, errors.New("not valid JSON: more than one value")
	}
	field := "row"
	if obj, ok := v.(map[string]any); ok {
		for k := range obj {
			if k != "input_data" {
				return nil, fmt.Errorf(`unknown field %q; send {"input_data": [[...], ...]}`, k)
			}
		}
		if v, ok = obj["input_data"]; !ok {
			return nil, errors.New(`missing field "input_data"; send {"input_data": [[...], ...]}`)
		}
		field = "input_data"
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s must be a list of rows, each a list of %d numbers", field, len(features))
	}
	rows := make([][]float64, 0, len(list))
	for i, item := range list {
		where := fmt.Sprintf("row %d", i+1)
		row := make([]float64, len(features))
		switch r := item.(type) {
		case []any:
			if len(r) != len(features) {
				return nil, fmt.Errorf("%s: %d values, expected %d (%s)", where, len(r), len(features), featureList(features))
			}
			for j, c := range r {
				f, err := jsonNumber(c)
				if err != nil {
					return nil, fmt.Errorf("%s, column %d (%s): %v", where, j+1, features[j], err)
				}
				row[j] = f
			}
		case map[string]any:
			for k := range r {
				if indexOf(features, k) < 0 {
					return nil, fmt.Errorf("%s: unknown feature %q; the features are %s", where, k, featureList(features))
				}
			}
			for j, name := range features {
				c, ok := r[name]
				if !ok {
					return nil, fmt.Errorf("%s: missing feature %q", where, name)
				}
				f, err := jsonNumber(c)
				if err != nil {
					return nil, fmt.Errorf("%s, feature %q: %v", where, name, err)
				}
				row[j] = f
			}
		default:
			return nil, fmt.Errorf("%s must be a list of %d numbers (or an object keyed by feature name)", where, len(features))
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func jsonNumber(v any) (float64, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("%s is not a number", compactJSON(v))
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%s is out of range", n)
	}
	return f, nil
}

func compactJSON(v any) string {
	b, _ := marshal(v, "")
	return clip(string(b), 40)
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}

func parseCSVRows(raw []byte, features []string) ([][]float64, error) {
	first, _, _ := bytes.Cut(raw, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(raw))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	if !bytes.ContainsRune(first, ',') {
		switch {
		case bytes.ContainsRune(first, '\t'):
			r.Comma = '\t'
		case bytes.ContainsRune(first, ';'):
			r.Comma = ';'
		}
	}
	records, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("not valid CSV: %v", err)
	}
	cols := make([]int, len(features)) // record column of each feature
	for j := range cols {
		cols[j] = j
	}
	want := len(features)
	start := 0
	if len(records) > 0 && isHeader(records[0]) {
		hdr := records[0]
		start = 1
		byName := map[string]int{}
		for i, h := range hdr {
			byName[strings.ToLower(strings.TrimSpace(h))] = i
		}
		matched := true
		for j, f := range features {
			i, ok := byName[strings.ToLower(f)]
			if !ok {
				matched = false
				break
			}
			cols[j] = i
		}
		switch {
		case matched:
			want = len(hdr)
		case len(hdr) != len(features):
			return nil, fmt.Errorf("the header has %d columns (%s) and does not name the session's %d features (%s)",
				len(hdr), clip(strings.Join(hdr, ", "), 80), len(features), featureList(features))
		}
	}
	rows := make([][]float64, 0, len(records)-start)
	for i, rec := range records[start:] {
		where := fmt.Sprintf("row %d", i+1)
		if len(rec) != want {
			return nil, fmt.Errorf("%s: %d values, expected %d (%s)", where, len(rec), want, featureList(features))
		}
		row := make([]float64, len(features))
		for j, c := range cols {
			cell := strings.TrimSpace(rec[c])
			if cell == "" {
				return nil, fmt.Errorf("%s, column %d (%s): missing value", where, c+1, features[j])
			}
			f, err := strconv.ParseFloat(cell, 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, fmt.Errorf("%s, column %d (%s): %q is not a number", where, c+1, features[j], clip(cell, 30))
			}
			row[j] = f
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// isHeader: a first line without a single number names columns; one with
// some numbers is data with a bad value, reported as such.
func isHeader(rec []string) bool {
	for _, f := range rec {
		if _, err := strconv.ParseFloat(strings.TrimSpace(f), 64); err == nil {
			return false
		}
	}
	return true
}

func firstNonFinite(p *mat.Dense) (int, bool) {
	r, c := p.Dims()
	for i := range r {
		for j := range c {
			if v := p.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return i, true
			}
		}
	}
	return 0, false
}

// predictedLabels is the most likely class name per row (nil for
// regression).
func predictedLabels(s *sessions.Session, p *mat.Dense) []string {
	if !s.IsClassification() {
		return nil
	}
	r, _ := p.Dims()
	out := make([]string, r)
	for i := range r {
		k := argmax(p.RawRowView(i))
		if k < len(s.Data.Classes) {
			out[i] = s.Data.Classes[k]
		} else {
			out[i] = strconv.Itoa(k)
		}
	}
	return out
}

func argmax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// predictBody is the predict server's answer, byte for byte: compact, its
// numbers formatted as strconv 'g' -1, a final newline.
func predictBody(p *mat.Dense, labels []string) []byte {
	b := []byte(`{"predictions":[`)
	r, _ := p.Dims()
	for i := range r {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for j, v := range p.RawRowView(i) {
			if j > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendFloat(b, v, 'g', -1, 64)
		}
		b = append(b, ']')
	}
	b = append(b, ']')
	if labels != nil {
		l, _ := marshal(labels, "")
		b = append(append(b, `,"labels":`...), l...)
	}
	return append(b, "}\n"...)
}

func printPredictions(w io.Writer, s *sessions.Session, p *mat.Dense, labels []string) error {
	bw := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	r, c := p.Dims()
	if labels != nil {
		showAll := c <= 5
		fmt.Fprint(tw, "ROW\tCLASS\tPROB")
		if showAll {
			for _, name := range s.Data.Classes {
				fmt.Fprintf(tw, "\tP(%s)", name)
			}
		}
		fmt.Fprintln(tw)
		for i := range r {
			row := p.RawRowView(i)
			fmt.Fprintf(tw, "%d\t%s\t%.4f", i+1, labels[i], row[argmax(row)])
			if showAll {
				for _, v := range row {
					fmt.Fprintf(tw, "\t%.4f", v)
				}
			}
			fmt.Fprintln(tw)
		}
	} else {
		fmt.Fprint(tw, "ROW")
		for j := range c {
			name := fmt.Sprintf("output %d", j+1)
			if j < len(s.Data.Targets) {
				name = s.Data.Targets[j]
			}
			fmt.Fprintf(tw, "\t%s", name)
		}
		fmt.Fprintln(tw)
		for i := range r {
			fmt.Fprintf(tw, "%d", i+1)
			for _, v := range p.RawRowView(i) {
				fmt.Fprintf(tw, "\t%.6g", v)
			}
			fmt.Fprintln(tw)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}
