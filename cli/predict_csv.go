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
	if len(rows) == 0 {
		return nil, errors.New("no rows in the input")
	}
	x := mat.NewDense(len(rows), len(features), nil)
	for i, r := range rows {
		x.SetRow(i, r)
	}
	return x, nil
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
	x := mat.NewDense(len(rows), s.Preprocess.Outputs(), nil)
	for i, r := range rows {
		x.SetRow(i, r)
	}
	return x, nil
}
