package cli

// Reading predict's input rows: JSON through the predict server's decoder,
// CSV with its delimiter sniffed from the first line.

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	"workbench/serve"
	"workbench/sessions"
)

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
