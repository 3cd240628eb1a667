package serve

// Rows for a table model (a session with a Preprocessor, issue 20): each
// row holds the raw columns, as lists in the columns' order or objects by
// column name, with numbers, strings (text, dates, numbers as text) or
// null (a gap). The session's preprocessing encodes them, row by row, into
// the features the scaler and the model take, so every protocol that reads
// rows through rowsReader takes them alike.

import (
	"fmt"
	"strconv"
	"strings"

	"workbench/datasets"
	"workbench/sessions"
)

// tableInputs is a table model's raw columns.
type tableInputs struct {
	pre   *datasets.Preprocessor
	names []string       // in the order list rows give them
	index map[string]int // name → position
	list  string         // for error messages
}

func newTableInputs(sess *sessions.Session) *tableInputs {
	p := sess.Preprocess
	if p == nil {
		return nil
	}
	if w := sess.Model.Config().Inputs; p.Outputs() != w {
		// As newModel's scaler check: a caller's mistake, found at New
		// rather than as a panic in every request.
		panic(fmt.Sprintf("serve: session %s: preprocessing makes %d features for a model of %d inputs", sess.ID, p.Outputs(), w))
	}
	t := &tableInputs{pre: p, names: p.InputNames()}
	t.index = make(map[string]int, len(t.names))
	for j, n := range t.names {
		t.index[n] = j
	}
	list, more := t.names, ""
	if len(list) > maxListed {
		list, more = list[:maxListed], ", … ("+strconv.Itoa(len(t.names))+" in all)"
	}
	t.list = strings.Join(list, ", ") + more
	return t
}

// tableRow reads one row of raw columns at s (c is '[' or '{') and
// encodes it into a new row of x.
func (rr *rowsReader) tableRow(s *scanner, field string, c byte) error {
	t := rr.m.table
	n := len(t.names)
	if cap(rr.cells) < n {
		rr.cells = make([]string, n)
	}
	cells := rr.cells[:n]
	clear(cells)
	s.i++ // '[' or '{'
	if c == '[' {
		j := 0
		if !s.eat(']') {
			for {
				v, err := rr.tableCell(s, field, strconv.Itoa(j))
				if err != nil {
					return err
				}
				if j < n {
					k := j
					if rr.tablePerm != nil {
						k = rr.tablePerm[j]
					}
					cells[k] = v
				}
				j++
				if s.eat(']') {
					break
				}
				if !s.eat(',') {
					return s.fail("expected " + "',' or ']' in " + field + "[" + strconv.Itoa(rr.n) + "]" + ", found " + s.found())
				}
			}
		}
		if j != n {
			return badRequest("%s[%d] has %d values; the model takes %d columns: %s", field, rr.n, j, n, t.list)
		}
	} else {
		seen := rr.seen[:n] // m.inputs (encoded) >= n
		clear(seen)
		got := 0
		if !s.eat('}') {
			for {
				key, err := s.text()
				if err != nil {
					return err
				}
				if err := s.expect(':', "':' after a key"); err != nil {
					return err
				}
				j, ok := t.index[key]
				switch {
				case !ok:
					// Other keys (the target, an identifier) are left
					// out, as predict's CSV header leaves their columns.
					if err := s.skip(0); err != nil {
						return err
					}
				case seen[j]:
					return badRequest("%s[%d] gives column %q twice", field, rr.n, key)
				default:
					v, err := rr.tableCell(s, field, strconv.Quote(key))
					if err != nil {
						return err
					}
					cells[j], seen[j] = v, true
					got++
				}
				if s.eat('}') {
					break
				}
				if !s.eat(',') {
					return s.fail("expected " + "',' or '}' in " + field + "[" + strconv.Itoa(rr.n) + "]" + ", found " + s.found())
				}
			}
		}
		if got != n {
			for j, ok := range seen {
				if !ok {
					return badRequest("%s[%d] is missing column %q; the model takes %d columns: %s", field, rr.n, t.names[j], n, t.list)
				}
			}
		}
	}
	if err := t.pre.TransformInto(rr.grow(), cells); err != nil {
		// A bad number or date: 400 naming the row, the column and the
		// value (an unseen category is no error).
		return badRequest("%s[%d]: %v", field, rr.n, err)
	}
	return nil
}

// tableCell reads one raw value as the text a CSV cell would hold: a
// number as written, a string's value, null as a gap.
func (rr *rowsReader) tableCell(s *scanner, field, at string) (string, error) {
	switch {
	case s.ws() == '"':
		return s.text()
	case s.isNumber():
		start := s.i
		if _, err := s.number(); err != nil {
			if err == errNonFinite {
				return "", badRequest("%s[%d][%s] is not a finite number (it overflows float64)", field, rr.n, at)
			}
			return "", badRequest("%s[%d][%s]: %v", field, rr.n, at, err)
		}
		return string(s.b[start:s.i]), nil
	case s.startsWith("null"):
		s.i += len("null")
		return "", nil
	}
	if s.atEnd() {
		return "", s.fail("unterminated " + field + " row")
	}
	return "", badRequest("%s[%d][%s] must be a number, a string or null; got %s", field, rr.n, at, s.kind())
}

// splitColumns is parseSplit's "columns" for a table model: the position
// of each named column among the model's, applied to the "data" rows read
// after it.
func (rr *rowsReader) splitColumns(field string, cols []string) error {
	t := rr.m.table
	if len(cols) != len(t.names) {
		return badRequest("%s.columns has %d names; the model takes %d columns: %s", field, len(cols), len(t.names), t.list)
	}
	perm := make([]int, len(cols))
	used := make([]bool, len(cols))
	identity := true
	for c, name := range cols {
		j, ok := t.index[name]
		switch {
		case !ok:
			return badRequest("%s.columns[%d] %q is not a column of the model; it takes %d columns: %s", field, c, name, len(t.names), t.list)
		case used[j]:
			return badRequest("%s.columns names %q twice", field, name)
		}
		used[j], perm[c] = true, j
		identity = identity && j == c
	}
	if !identity {
		rr.tablePerm = perm
	}
	return nil
}
