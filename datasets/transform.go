package datasets

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// transformInto encodes one raw row into dst without allocating (errors
// aside). It panics when dst is not Outputs() long: a caller's mistake.
func (p *Preprocessor) transformInto(dst []float64, row []string) error {
	if len(dst) != p.outputs() {
		panic(fmt.Sprintf("datasets: Preprocessor with %d outputs given a buffer of %d", p.outputs(), len(dst)))
	}
	if len(row) != len(p.Inputs) {
		return fmt.Errorf("%d values, expected %d (%s)", len(row), len(p.Inputs), featureList(p.inputNames()))
	}
	o := 0
	for i := range p.Inputs {
		in := &p.Inputs[i]
		cell := strings.TrimSpace(row[i])
		w := in.width()
		block := dst[o : o+w]
		o += w
		if in.Kind == Categorical {
			clear(block)
			block[in.lookup(cell)] = 1
			continue
		}
		var v float64
		kind := cellNumber
		if isMissingToken(cell) {
			kind = cellMissing
		} else if in.Kind == Numeric {
			v, kind = parseNumberString(cell)
		} else {
			var ok bool
			if v, ok = parseDate(cell); !ok {
				return &InputError{Row: -1, Column: in.Name, Value: cell, Kind: ErrDate,
					Detail: "not a date in a known form (" + DateForms + ")"}
			}
		}
		switch kind {
		case cellMissing:
			if in.Fill == nil {
				return &InputError{Row: -1, Column: in.Name, Value: cell, Kind: ErrMissingValue,
					Detail: "missing, and the model was trained without --impute"}
			}
			v = *in.Fill
		case cellText:
			return &InputError{Row: -1, Column: in.Name, Value: cell, Kind: ErrNonNumeric, Detail: "not a number"}
		case cellInfinite:
			return &InputError{Row: -1, Column: in.Name, Value: cell, Kind: ErrNonNumeric, Detail: "not a finite number"}
		}
		block[0] = v
		if in.Kind == Date {
			clear(block[1:])
			block[1+weekday(v)] = 1
		}
	}
	return nil
}

func (p *Preprocessor) transformRows(dst []float64, rows [][]string) error {
	w := p.outputs()
	if len(dst) != len(rows)*w {
		panic(fmt.Sprintf("datasets: %d rows of %d outputs given a buffer of %d", len(rows), w, len(dst)))
	}
	for r, row := range rows {
		if err := p.transformInto(dst[r*w:(r+1)*w], row); err != nil {
			if ie, ok := err.(*InputError); ok {
				ie.Row = r
				return ie
			}
			return fmt.Errorf("row %d: %w", r, err)
		}
	}
	return nil
}

// lookup is the one-hot slot of a raw categorical cell.
func (in *InputColumn) lookup(cell string) int {
	if isMissingToken(cell) {
		return in.slot(MissingCategory)
	}
	if in.NumericCategories {
		if v, k := parseNumberString(cell); k == cellNumber {
			var key [32]byte
			return in.slotBytes(strconv.AppendFloat(key[:0], v, 'g', -1, 64))
		}
	}
	return in.slot(cell)
}

// InputError is a raw value a Preprocessor cannot encode. Row is 0-based
// (-1 for Transform's single row); Kind is ErrNonNumeric, ErrDate or
// ErrMissingValue, for errors.Is.
type InputError struct {
	Row    int
	Column string
	Value  string
	Kind   error
	Detail string
}

func (e *InputError) Error() string {
	s := fmt.Sprintf("column %q: %q is %s", e.Column, clipText(e.Value, 40), e.Detail)
	if e.Value == "" {
		s = fmt.Sprintf("column %q is %s", e.Column, e.Detail)
	}
	if e.Row >= 0 {
		s = fmt.Sprintf("row %d, %s", e.Row, s)
	}
	return s
}

func (e *InputError) Unwrap() error { return e.Kind }

// isMissingToken is parseCell's idea of a gap, for a string.
func isMissingToken(s string) bool {
	if len(s) > 4 {
		return false
	}
	for _, m := range missingTokens {
		if s == m {
			return true
		}
	}
	return false
}

// parseNumberString is parseCell for a trimmed string (no decimal comma:
// JSON and CSV-with-commas input), without a copy.
func parseNumberString(s string) (float64, cellKind) {
	if isMissingToken(s) {
		return 0, cellMissing
	}
	if strings.ContainsAny(s, "_xX") {
		return 0, cellText
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err == nil && math.IsNaN(v):
		return 0, cellMissing
	case err == nil && math.IsInf(v, 0):
		return 0, cellInfinite
	case err == nil:
		return v, cellNumber
	}
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		return 0, cellInfinite
	}
	return 0, cellText
}
