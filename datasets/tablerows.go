package datasets

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// ReadCSV reads raw rows for prediction (workbench predict --input) in the
// dialect training reads, and encodes them: the table form of
// ReadFeatureRowsWithin. A first line that names every input
// (case-insensitively) is a header, and columns are then taken by name,
// others ignored (the target, an identifier); otherwise each line holds
// the inputs in order. With semicolons, "5,1" in a numeric input is 5.1.
// Errors name the row (1-based, after the header), the column and the
// value; an unseen category is not an error. maxMemory 0 =
// DefaultMaxMemory().
func (p *Preprocessor) ReadCSV(buf []byte, maxMemory int64) ([][]float64, error) {
	names := p.inputNames()
	buf = trimBOM(buf)
	r := &csvReader{name: "input", buf: buf, line: 1, delim: featureDelimiter(buf, len(names))}
	b := newBudget("input", LoadOptions{MaxMemory: maxMemory})
	const perCell = 48
	cost := int64(len(buf))
	r.maxFields = int(max(1, (b.limit-cost)/perCell))
	r.tooWide = func(line, fields int) error {
		return b.check(int64(fields)*perCell+cost, fmt.Sprintf("line %d with %d fields", line, fields))
	}
	var records [][]string
	for {
		rec, _, err := r.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not valid CSV: %v", err)
		}
		cost += int64(len(rec))*perCell + 8*int64(p.outputs()) + 48
		if err := b.check(cost, fmt.Sprintf("%d rows", len(records)+1)); err != nil {
			return nil, err
		}
		cells := make([]string, len(rec))
		for i, f := range rec {
			cells[i] = strings.TrimSpace(string(f))
		}
		records = append(records, cells)
	}
	if len(records) == 0 {
		return nil, errors.New("no rows in the input")
	}
	cols := make([]int, len(names))
	for j := range cols {
		cols[j] = j
	}
	want, start := len(names), 0
	if byName, ok := namesEvery(records[0], names); ok {
		cols, want, start = byName, len(records[0]), 1
	} else if number := func(s string) (float64, bool) { v, k := parseNumberString(s); return v, k == cellNumber }; isHeaderRecord(records[0], number) && !p.encodes(pick(records[0], cols, len(names))) {
		return nil, fmt.Errorf("the header has %d columns (%s) and does not name the model's %d inputs (%s)",
			len(records[0]), clipText(strings.Join(records[0], ", "), 80), len(names), featureList(names))
	}
	out := make([][]float64, 0, len(records)-start)
	row := make([]string, len(names))
	for i, rec := range records[start:] {
		if len(rec) != want {
			return nil, fmt.Errorf("row %d: %d values, expected %d (%s)", i+1, len(rec), want, featureList(names))
		}
		for j, c := range cols {
			row[j] = rec[c]
			if r.delim == ';' && p.Inputs[j].Kind == Numeric && strings.Count(row[j], ",") == 1 && !strings.Contains(row[j], ".") {
				row[j] = strings.Replace(row[j], ",", ".", 1)
			}
		}
		v, err := p.Transform(row)
		if err != nil {
			var ie *InputError
			if errors.As(err, &ie) {
				ie.Row = i + 1
				return nil, ie
			}
			return nil, fmt.Errorf("row %d: %w", i+1, err)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, errors.New("no rows in the input")
	}
	return out, nil
}

// encodes is true when row is a row of values the preprocessor takes.
func (p *Preprocessor) encodes(row []string) bool {
	_, err := p.Transform(row)
	return err == nil
}

// namesEvery maps each name to its column in a header that names them
// all (case-insensitively).
func namesEvery(header, names []string) ([]int, bool) {
	at := make(map[string]int, len(header))
	for i, h := range header {
		at[strings.ToLower(h)] = i
	}
	cols := make([]int, len(names))
	for j, n := range names {
		i, ok := at[strings.ToLower(n)]
		if !ok {
			return nil, false
		}
		cols[j] = i
	}
	return cols, true
}

// pick is rec's cells at cols, or nil when rec is too short.
func pick(rec []string, cols []int, n int) []string {
	if len(rec) != n {
		return nil
	}
	out := make([]string, n)
	for j, c := range cols {
		out[j] = rec[c]
	}
	return out
}

func trimBOM(buf []byte) []byte {
	if len(buf) >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf {
		return buf[3:]
	}
	return buf
}
