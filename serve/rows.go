package serve

import (
	"math"
	"net/http"
	"strconv"
)

// rowsReader decodes a JSON list of rows — each a list of numbers in feature
// order or an object keyed by feature name — straight into x, row-major and
// m.inputs wide. It is reused through scratch, so a warm request allocates
// nothing here.
type rowsReader struct {
	m       *model
	maxRows int
	x       []float64
	seen    []bool // object rows: which features were given
	n       int    // rows decoded
	objRows []bool // objRows[i]: row i was an object, already in feature order

	// Table models (tablerows.go): one row's raw cells, and the order of
	// a dataframe_split's columns (nil = the model's).
	cells     []string
	tablePerm []int
}

func (rr *rowsReader) reset(m *model, maxRows int) {
	rr.m, rr.maxRows, rr.n = m, maxRows, 0
	rr.x = rr.x[:0]
	rr.objRows = rr.objRows[:0]
	rr.tablePerm = nil
	if cap(rr.seen) < m.inputs {
		rr.seen = make([]bool, m.inputs)
	}
	rr.seen = rr.seen[:m.inputs]
}

// rows reads the list at s into rr; field names the list in messages
// ("input_data", "instances", ...).
func (rr *rowsReader) rows(s *scanner, field string) error {
	m := rr.m
	if s.ws() != '[' {
		return badRequest("%s must be a list of rows, e.g. [[%s]]; got %s", field, exampleValues(m), s.kind())
	}
	s.i++
	if s.eat(']') {
		return badRequest("%s has no rows; send at least one row of %d features: %s", field, m.inputs, m.featList)
	}
	for {
		if rr.n == rr.maxRows {
			return errorf(http.StatusRequestEntityTooLarge, "%s has more than %d rows, the limit (--max-rows); split the request", field, rr.maxRows)
		}
		var err error
		c := s.ws()
		switch {
		case m.table != nil && (c == '[' || c == '{'):
			err = rr.tableRow(s, field, c)
		case c == '[':
			err = rr.listRow(s, field)
		case c == '{':
			err = rr.objectRow(s, field)
		default:
			if rr.n == 0 && s.isNumber() {
				return badRequest("%s must be a list of rows, not a flat list of numbers: wrap the row in another list, e.g. [[%s]]", field, exampleValues(m))
			}
			return badRequest("%s[%d] must be a list of %d numbers or an object keyed by feature name; got %s", field, rr.n, m.inputs, s.kind())
		}
		if err != nil {
			return err
		}
		rr.objRows = append(rr.objRows, c == '{')
		rr.n++
		if s.eat(']') {
			return nil
		}
		if !s.eat(',') {
			return s.fail("expected " + "',' or ']' after " + field + "[" + strconv.Itoa(rr.n-1) + "]" + ", found " + s.found())
		}
	}
}

// grow extends x by one row and returns it.
func (rr *rowsReader) grow() []float64 {
	d := rr.m.inputs
	n := len(rr.x)
	if cap(rr.x)-n < d {
		nx := make([]float64, n, 2*cap(rr.x)+d)
		copy(nx, rr.x)
		rr.x = nx
	}
	rr.x = rr.x[:n+d]
	return rr.x[n : n+d]
}

func (rr *rowsReader) listRow(s *scanner, field string) error {
	m := rr.m
	row := rr.grow()
	s.i++ // '['
	j := 0
	if !s.eat(']') {
		for {
			// A number straight after '[' or ',' (the usual body) goes
			// to numberHere at once; only when that fails is the value
			// looked at again (whitespace first, or not a number at all).
			start := s.i
			v, err := s.numberHere()
			if err != nil {
				if s.i = start; !s.isNumber() {
					if s.atEnd() {
						return s.fail("unterminated " + field + " row")
					}
					return badRequest("%s[%d][%d] must be a number; got %s", field, rr.n, j, s.kind())
				}
				if v, err = s.numberHere(); err != nil {
					return rr.numberError(err, field, j, "")
				}
			}
			if j < len(row) {
				row[j] = v
			}
			j++
			// A ',' straight after the number (the usual body) skips
			// eat's whitespace loops: 4096 of them in a 64-row request.
			// Python's json.dumps writes ", ": one space is skipped here too.
			if s.i < len(s.b) && s.b[s.i] == ',' {
				s.i++
				if s.i < len(s.b) && s.b[s.i] == ' ' {
					s.i++
				}
				continue
			}
			if s.eat(']') {
				break
			}
			if !s.eat(',') {
				return s.fail("expected " + "',' or ']' in " + field + "[" + strconv.Itoa(rr.n) + "]" + ", found " + s.found())
			}
		}
	}
	if j != m.inputs {
		return badRequest("%s[%d] has %d values; the model takes %d features: %s", field, rr.n, j, m.inputs, m.featList)
	}
	return nil
}

func (rr *rowsReader) objectRow(s *scanner, field string) error {
	m := rr.m
	row := rr.grow()
	seen := rr.seen
	clear(seen)
	s.i++ // '{'
	got := 0
	if !s.eat('}') {
		for {
			raw, esc, err := s.str()
			if err != nil {
				return err
			}
			var j int
			var ok bool
			if esc {
				j, ok = m.featIndex[decodeString(raw, true)]
			} else {
				j, ok = m.featIndex[string(raw)] // no allocation for a map lookup
			}
			if !ok {
				return badRequest("%s[%d] has unknown feature %q; the model takes %d features: %s", field, rr.n, decodeString(raw, esc), m.inputs, m.featList)
			}
			name := m.features[j]
			if seen[j] {
				return badRequest("%s[%d] gives feature %q twice", field, rr.n, name)
			}
			seen[j] = true
			if err := s.expect(':', "':' after a key"); err != nil {
				return err
			}
			if !s.isNumber() {
				return badRequest("%s[%d][%q] must be a number; got %s", field, rr.n, name, s.kind())
			}
			v, err := s.number()
			if err != nil {
				return rr.numberError(err, field, j, name)
			}
			row[j] = v
			got++
			if s.eat('}') {
				break
			}
			if !s.eat(',') {
				return s.fail("expected " + "',' or '}' in " + field + "[" + strconv.Itoa(rr.n) + "]" + ", found " + s.found())
			}
		}
	}
	if got != m.inputs {
		for j, ok := range seen {
			if !ok {
				return badRequest("%s[%d] is missing feature %q; the model takes %d features: %s", field, rr.n, m.features[j], m.inputs, m.featList)
			}
		}
	}
	return nil
}

func (rr *rowsReader) numberError(err error, field string, j int, name string) error {
	at := field + "[" + strconv.Itoa(rr.n) + "]"
	if name != "" {
		at += "[" + strconv.Quote(name) + "]"
	} else {
		at += "[" + strconv.Itoa(j) + "]"
	}
	if err == errNonFinite {
		return badRequest("%s is not a finite number (it overflows float64)", at)
	}
	return badRequest("%s: %v", at, err)
}

// exampleValues is the model's example row as JSON numbers, for messages.
func exampleValues(m *model) string {
	var b []byte
	for j, v := range m.exampleRow {
		if j == 4 && len(m.exampleRow) > 5 {
			b = append(b, ", ..."...)
			break
		}
		if j > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendFloat(b, roundForDisplay(v), 'g', -1, 64)
	}
	return string(b)
}

// roundForDisplay keeps 4 significant digits, so examples read like data.
func roundForDisplay(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 4, 64), 64)
	return f
}
