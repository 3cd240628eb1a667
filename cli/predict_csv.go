package cli

// Reading predict's input rows: JSON through the predict server's decoder,
// CSV in the dialect training reads (datasets.ReadFeatureRows).

import (
	"bytes"
	"errors"

	"gonum.org/v1/gonum/mat"

	"workbench/datasets"
	"workbench/serve"
	"workbench/sessions"
)

// predictInput is the rows to predict: x, each row's number as the user
// counts them (first data row 1), and — with --keep-going and
// --drop-missing — the rows that failed and how many were dropped.
type predictInput struct {
	x       *mat.Dense
	numbers []int
	failed  []*datasets.RowError
	dropped int
}

// readRows reads the input's rows: whole, failing on the first bad row,
// unless opts asks to skip or record bad rows; then row by row through the
// same readers.
func readRows(raw []byte, s *sessions.Session, opts datasets.RowOptions) (*predictInput, error) {
	if !opts.DropMissing && !opts.KeepGoing {
		x, err := parseRows(raw, s, opts.MaxMemory)
		if err != nil {
			return nil, err
		}
		r, _ := x.Dims()
		in := &predictInput{x: x, numbers: make([]int, r)}
		for i := range in.numbers {
			in.numbers[i] = i + 1
		}
		return in, nil
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 {
		return nil, errors.New("no rows in the input")
	}
	var rows *datasets.InputRows
	var err error
	switch {
	case trimmed[0] == '{' || trimmed[0] == '[':
		names := s.Data.Features
		if s.Preprocess != nil {
			names = s.Preprocess.InputNames()
		}
		rows, err = datasets.ReadJSONRowsEach(trimmed, names, opts, func(one []byte) ([]float64, error) {
			x, err := serve.ParseInputWithin(s, one, opts.MaxMemory)
			if err != nil {
				return nil, err
			}
			return x.RawRowView(0), nil
		})
	case s.Preprocess != nil:
		rows, err = s.Preprocess.ReadCSVEach(raw, opts)
	default:
		rows, err = datasets.ReadFeatureRowsEach(raw, s.Data.Features, opts)
	}
	if err != nil {
		return nil, err
	}
	in := &predictInput{numbers: rows.Numbers, failed: rows.Failed, dropped: rows.Dropped}
	if len(rows.Rows) > 0 {
		in.x = denseRows(rows.Rows, len(rows.Rows[0]))
	}
	return in, nil
}

// parseRows reads CSV or JSON rows of raw features. JSON goes through the
// predict server's own decoder (serve.ParseInput), so a body the server
// takes works here too, and a bad one gets the server's message.
func parseRows(raw []byte, s *sessions.Session, maxMemory int64) (*mat.Dense, error) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 {
		return nil, errors.New("no rows in the input")
	}
	if s.Preprocess != nil {
		return parseTableRows(raw, trimmed, s, maxMemory)
	}
	if trimmed[0] == '{' || trimmed[0] == '[' {
		return serve.ParseInput(s, trimmed, 0)
	}
	features := s.Data.Features
	rows, err := datasets.ReadFeatureRowsWithin(raw, features, maxMemory)
	if err != nil {
		return nil, err
	}
	return denseRows(rows, len(features)), nil
}

// parseTableRows reads raw rows (text, dates, gaps) for a session with
// table preprocessing: CSV through the preprocessor's reader (a header
// naming the input columns, or the columns in order), JSON lists or
// objects of numbers, strings and nulls.
func parseTableRows(raw, trimmed []byte, s *sessions.Session, maxMemory int64) (*mat.Dense, error) {
	if trimmed[0] == '{' || trimmed[0] == '[' {
		return serve.ParseInputWithin(s, trimmed, maxMemory)
	}
	rows, err := s.Preprocess.ReadCSV(raw, maxMemory)
	if err != nil {
		return nil, err
	}
	return denseRows(rows, s.Preprocess.Outputs()), nil
}

// denseRows is rows (at least one, each of width values) as a matrix.
func denseRows(rows [][]float64, width int) *mat.Dense {
	x := mat.NewDense(len(rows), width, nil)
	for i, r := range rows {
		x.SetRow(i, r)
	}
	return x
}
