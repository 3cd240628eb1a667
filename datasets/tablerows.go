package datasets

import (
	"fmt"
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
	return rowsOrNone(p.ReadCSVEach(buf, RowOptions{MaxMemory: maxMemory}))
}

// ReadCSVEach is ReadCSV that can skip rows missing a value the model has
// no fill for and read on past bad rows, as opts says. A bad header, CSV
// that does not parse and input over the budget still fail the whole input.
func (p *Preprocessor) ReadCSVEach(buf []byte, opts RowOptions) (*InputRows, error) {
	names := p.inputNames()
	records, delim, err := readInputRecords(buf, len(names), 8*p.outputs(), opts.MaxMemory)
	if err != nil {
		return nil, err
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
	in := &InputRows{Rows: make([][]float64, 0, len(records)-start)}
	row := make([]string, len(names))
	for i, rec := range records[start:] {
		var v []float64
		if len(rec) != want {
			err = fmt.Errorf("%d values, expected %d (%s)", len(rec), want, featureList(names))
		} else {
			for j, c := range cols {
				row[j] = rec[c]
				if delim == ';' && p.Inputs[j].Kind == Numeric && strings.Count(row[j], ",") == 1 && !strings.Contains(row[j], ".") {
					row[j] = strings.Replace(row[j], ",", ".", 1)
				}
			}
			v, err = p.Transform(row)
		}
		if err := in.add(opts, i+1, v, err); err != nil {
			return nil, err
		}
	}
	return in, nil
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
