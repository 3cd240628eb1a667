package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"workbench/serve"
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
	x, err := parseRows(raw, s)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	p := s.Predict(x)
	if r, ok := firstNonFinite(p); ok {
		return fmt.Errorf("%s: row %d gives a non-finite output; its values are too far outside the range the model was trained on", name, r+1)
	}
	if *asJSON {
		// The server's own encoder, so the body is the server's byte for byte.
		body, err := serve.AppendResponse(nil, s, p)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		_, err = stdout.Write(body)
		return err
	}
	return printPredictions(stdout, s, p, predictedLabels(s, p))
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

// parseRows reads CSV or JSON rows of raw features. JSON goes through the
// predict server's own decoder (serve.ParseInput), so a body the server
// takes works here too, and a bad one gets the server's message.
func parseRows(raw []byte, s *sessions.Session) (*mat.Dense, error) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 {
		return nil, errors.New("no rows in the input")
	}
	if trimmed[0] == '{' || trimmed[0] == '[' {
		return serve.ParseInput(s, trimmed, 0)
	}
	features := s.Data.Features
	rows, err := parseCSVRows(raw, features)
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
		k := floats.MaxIdx(p.RawRowView(i))
		if k < len(s.Data.Classes) {
			out[i] = s.Data.Classes[k]
		} else {
			out[i] = strconv.Itoa(k)
		}
	}
	return out
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
			fmt.Fprintf(tw, "%d\t%s\t%.4f", i+1, labels[i], row[floats.MaxIdx(row)])
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
				fmt.Fprintf(tw, "\t%s", plainNumber(v))
			}
			fmt.Fprintln(tw)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}

// plainNumber prints a regression output with six significant digits but
// never in exponent form for everyday magnitudes (2595561.2, not
// 2.59556e+06), so a price or a count reads as one.
func plainNumber(v float64) string {
	a := math.Abs(v)
	if a == 0 || a >= 1e15 || a < 1e-4 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', 6, 64)
	}
	digits := int(math.Floor(math.Log10(a))) + 1 // before the point
	return strconv.FormatFloat(v, 'f', max(0, 6-digits), 64)
}
