package datasets

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ReadFeatureRows reads CSV rows of raw features for prediction, in the
// dialect training reads: comma, tab or semicolon as detectDelimiter picks
// it (a delimiter that splits the first line into exactly len(features)
// fields wins over one that does not, as a single data line is otherwise
// ambiguous), and with semicolons a decimal comma ("5,1") is a number.
//
// A first line without a single number is a header. When it names every
// feature (case-insensitively) columns are taken by name and extra columns
// are ignored; otherwise it must have one column per feature, in order.
// Every row must have as many values as the header (or features); an empty
// cell, text, NaN or an infinity is an error naming the row (1-based,
// after the header), the column and the feature.
func ReadFeatureRows(buf []byte, features []string) ([][]float64, error) {
	return ReadFeatureRowsWithin(buf, features, 0)
}

// ReadFeatureRowsWithin is ReadFeatureRows within a memory budget in bytes
// (0 = DefaultMaxMemory()): input whose cells would need more is refused
// before they are held.
func ReadFeatureRowsWithin(buf []byte, features []string, maxMemory int64) ([][]float64, error) {
	return rowsOrNone(ReadFeatureRowsEach(buf, features, RowOptions{MaxMemory: maxMemory}))
}

// ReadFeatureRowsEach is ReadFeatureRowsWithin that can skip rows missing
// a value and read on past bad rows, as opts says. A bad header, CSV that
// does not parse and input over the budget still fail the whole input.
func ReadFeatureRowsEach(buf []byte, features []string, opts RowOptions) (*InputRows, error) {
	records, delim, err := readInputRecords(buf, len(features), 8*len(features), opts.MaxMemory)
	if err != nil {
		return nil, err
	}
	decimalComma := delim == ';'
	number := func(cell string) (float64, bool) {
		v, kind := parseCell([]byte(cell), decimalComma)
		return v, kind == cellNumber
	}
	cols := make([]int, len(features)) // record column of each feature
	for j := range cols {
		cols[j] = j
	}
	want, start := len(features), 0
	if isHeaderRecord(records[0], number) {
		hdr := records[0]
		start = 1
		byName := map[string]int{}
		for i, h := range hdr {
			byName[strings.ToLower(h)] = i
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
				len(hdr), clipText(strings.Join(hdr, ", "), 80), len(features), featureList(features))
		}
	}
	in := &InputRows{Rows: make([][]float64, 0, len(records)-start)}
	for i, rec := range records[start:] {
		row, err := featureRow(rec, want, cols, features, number)
		if err := in.add(opts, i+1, row, err); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// featureRow reads one record's features; its error does not name the row.
func featureRow(rec []string, want int, cols []int, features []string, number func(string) (float64, bool)) ([]float64, error) {
	if len(rec) != want {
		return nil, fmt.Errorf("%d values, expected %d (%s)", len(rec), want, featureList(features))
	}
	row := make([]float64, len(features))
	for j, c := range cols {
		cell := rec[c]
		if cell == "" {
			return nil, fmt.Errorf("column %d (%s): %w", c+1, features[j], ErrMissingValue)
		}
		v, ok := number(cell)
		if !ok {
			return nil, fmt.Errorf("column %d (%s): %q is not a number", c+1, features[j], clipText(cell, 30))
		}
		row[j] = v
	}
	return row, nil
}

// readInputRecords reads prediction input into trimmed cells, in the
// dialect training reads (featureDelimiter for n columns), within the
// budget: each held cell costs its string and slot, each row rowBytes
// more for what it becomes.
func readInputRecords(buf []byte, n, rowBytes int, maxMemory int64) ([][]string, byte, error) {
	buf = bytes.TrimPrefix(buf, []byte("\xef\xbb\xbf"))
	r := &csvReader{name: "input", buf: buf, line: 1, delim: featureDelimiter(buf, n)}
	b := newBudget("input", LoadOptions{MaxMemory: maxMemory})
	const perCell = 48
	var records [][]string
	var cost int64 = int64(len(buf))
	r.maxFields = int(max(1, (b.limit-cost)/perCell))
	r.tooWide = func(line, fields int) error {
		return b.check(int64(fields)*perCell+cost, fmt.Sprintf("line %d with %d fields", line, fields))
	}
	for {
		rec, _, err := r.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, 0, fmt.Errorf("not valid CSV: %v", err)
		}
		cost += int64(len(rec))*perCell + int64(rowBytes) + 48
		if err := b.check(cost, fmt.Sprintf("%d rows", len(records)+1)); err != nil {
			return nil, 0, err
		}
		cells := make([]string, len(rec))
		for i, f := range rec {
			cells[i] = strings.TrimSpace(string(f))
		}
		records = append(records, cells)
	}
	if len(records) == 0 {
		return nil, 0, errors.New("no rows in the input")
	}
	return records, r.delim, nil
}

// featureDelimiter is detectDelimiter, unless it splits the first line into
// other than n fields while another candidate splits it into exactly n
// (n >= 2: one feature needs no delimiter).
func featureDelimiter(buf []byte, n int) byte {
	d := detectDelimiter(buf)
	first, _, _ := bytes.Cut(buf, []byte{'\n'})
	fields := func(d byte) int { return countOutsideQuotes([][]byte{first}, d) + 1 }
	if fields(d) == n || n < 2 {
		return d
	}
	for _, c := range []byte{';', '\t', ','} {
		if fields(c) == n {
			return c
		}
	}
	return d
}

// isHeaderRecord: a first line without a single number (NaN and infinities
// count as numbers) names columns; one with some numbers is data with a bad
// value, reported as such.
func isHeaderRecord(rec []string, number func(string) (float64, bool)) bool {
	for _, f := range rec {
		if _, err := strconv.ParseFloat(f, 64); err == nil {
			return false
		}
		if _, ok := number(f); ok {
			return false
		}
	}
	return true
}

func featureList(features []string) string {
	return clipText(strings.Join(features, ", "), 120)
}

func clipText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
