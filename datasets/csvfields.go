package datasets

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
)

// csvReader walks records of an in-memory file. Fields are slices into the
// file (or, for quoted fields with doubled quotes, into a fresh copy), so a
// record costs no allocation in the common case.
type csvReader struct {
	name   string
	buf    []byte
	pos    int
	line   int // line the next record starts on
	delim  byte
	fields [][]byte
	// maxFields bounds a record's fields (0 = no bound): each costs memory
	// beyond its bytes (a slice header here, a name and a copy for the
	// header), so one very long line is refused within the budget.
	maxFields int
	tooWide   func(line, fields int) error
}

// next returns the next non-blank record and the line it starts on, or
// io.EOF. The fields are valid until the following call.
func (r *csvReader) next() ([][]byte, int, error) {
	buf := r.buf
	for {
		if r.pos >= len(buf) {
			return nil, 0, io.EOF
		}
		// Skip blank lines (a trailing newline, a stray CRLF); only a line
		// that starts like a blank one needs the look.
		if c := buf[r.pos]; c != '\n' && c != '\r' && c != ' ' {
			break
		}
		end := bytes.IndexByte(buf[r.pos:], '\n')
		var lineBytes []byte
		if end < 0 {
			lineBytes = buf[r.pos:]
		} else {
			lineBytes = buf[r.pos : r.pos+end]
		}
		if len(bytes.Trim(lineBytes, " \r")) == 0 {
			r.line++
			if end < 0 {
				r.pos = len(buf)
			} else {
				r.pos += end + 1
			}
			continue
		}
		break
	}
	start := r.line
	r.fields = r.fields[:0]
	for {
		f, err := r.field()
		if err != nil {
			return nil, 0, err
		}
		if r.maxFields > 0 && len(r.fields) >= r.maxFields {
			return nil, 0, r.tooWide(start, len(r.fields)+1)
		}
		r.fields = append(r.fields, f)
		if r.pos >= len(buf) {
			return r.fields, start, nil
		}
		c := buf[r.pos]
		r.pos++
		if c == '\n' {
			r.line++
			return r.fields, start, nil
		}
		// c is the delimiter: another field follows.
	}
}

// field reads one field, leaving r.pos on the delimiter, newline or end.
func (r *csvReader) field() ([]byte, error) {
	buf := r.buf
	i := r.pos
	for i < len(buf) && buf[i] == ' ' && r.delim != ' ' {
		i++
	}
	if i < len(buf) && buf[i] == '"' {
		return r.quoted(i)
	}
	s := r.pos
	for i = s; i < len(buf); i++ {
		if c := buf[i]; c == r.delim || c == '\n' {
			break
		}
	}
	r.pos = i
	f := buf[s:i]
	if n := len(f); n > 0 && f[n-1] == '\r' {
		f = f[:n-1]
	}
	return f, nil
}

func (r *csvReader) quoted(q int) ([]byte, error) {
	buf := r.buf
	startLine := r.line
	col := len(r.fields) + 1
	var out []byte // only when the field holds doubled quotes
	s := q + 1
	i := s
	for {
		j := bytes.IndexByte(buf[i:], '"')
		if j < 0 {
			return nil, &FileError{File: r.name, Line: startLine, Column: col, Kind: ErrBadQuote,
				Detail: "the quoted field that starts here is never closed"}
		}
		r.line += bytes.Count(buf[i:i+j], []byte{'\n'})
		i += j
		if i+1 < len(buf) && buf[i+1] == '"' {
			out = append(out, buf[s:i+1]...)
			i += 2
			s = i
			continue
		}
		break
	}
	var f []byte
	if out != nil {
		f = append(out, buf[s:i]...)
	} else {
		f = buf[s:i]
	}
	i++ // closing quote
	for i < len(buf) && (buf[i] == ' ' || buf[i] == '\r') && buf[i] != r.delim {
		i++
	}
	if i < len(buf) && buf[i] != r.delim && buf[i] != '\n' {
		return nil, &FileError{File: r.name, Line: r.line, Column: col, Kind: ErrBadQuote,
			Detail: fmt.Sprintf("unexpected %q after the closing quote", buf[i])}
	}
	r.pos = i
	return f, nil
}

// detectDelimiter picks, among comma, semicolon and tab, the one that splits
// the first two lines into the same number of fields, preferring the one
// that splits most. Consistency matters: "1,5;2,5" (decimal commas) has more
// commas than semicolons but only semicolons agree across lines.
func detectDelimiter(buf []byte) byte {
	var lines [][]byte
	rest := buf
	for len(lines) < 2 && len(rest) > 0 {
		line, after, _ := bytes.Cut(rest, []byte{'\n'})
		rest = after
		if len(bytes.TrimSpace(line)) > 0 {
			lines = append(lines, line)
		}
	}
	best, bestCount := byte(','), 0
	for _, d := range []byte{',', '\t', ';'} {
		n := countOutsideQuotes(lines, d)
		if n > bestCount {
			best, bestCount = d, n
		}
	}
	return best
}

// countOutsideQuotes is the number of d on each line when every line has
// the same number, else 0.
func countOutsideQuotes(lines [][]byte, d byte) int {
	count := -1
	for _, line := range lines {
		n, inQuote := 0, false
		for _, c := range line {
			switch {
			case c == '"':
				inQuote = !inQuote
			case c == d && !inQuote:
				n++
			}
		}
		if count >= 0 && n != count {
			return 0
		}
		count = n
	}
	return max(count, 0)
}

var missingTokens = []string{"", "?", "NA", "N/A", "na", "n/a", "NaN", "nan", "NAN", "null", "NULL", "Null", "None", "none", "-"}

func trimField(f []byte) []byte {
	for len(f) > 0 && (f[0] == ' ' || f[0] == '\t') {
		f = f[1:]
	}
	for len(f) > 0 && (f[len(f)-1] == ' ' || f[len(f)-1] == '\t') {
		f = f[:len(f)-1]
	}
	return f
}

type cellKind int

const (
	cellNumber cellKind = iota
	cellMissing
	cellText
	cellInfinite
)

// parseCell reads a trimmed field. decimalComma allows "1,5" for 1.5, as
// semicolon-separated files from many locales write it.
func parseCell(f []byte, decimalComma bool) (float64, cellKind) {
	if v, ok := ParseFastFloat(f); ok {
		return v, cellNumber
	}
	// strconv takes Go syntax too (0x1p3, 1_0); a CSV number is decimal.
	var err error = strconv.ErrSyntax
	var v float64
	if !bytes.ContainsAny(f, "_xX") && maybeNumber(f) {
		v, err = strconv.ParseFloat(string(f), 64)
	}
	if err == nil {
		if math.IsNaN(v) {
			return 0, cellMissing
		}
		if math.IsInf(v, 0) {
			return 0, cellInfinite
		}
		return v, cellNumber
	}
	if len(f) <= 4 {
		for _, m := range missingTokens {
			if string(f) == m {
				return 0, cellMissing
			}
		}
	}
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		return 0, cellInfinite
	}
	if decimalComma && bytes.Count(f, []byte{','}) == 1 && bytes.IndexByte(f, '.') < 0 && len(f) < 64 {
		var tmp [64]byte
		g := append(tmp[:0], f...)
		g[bytes.IndexByte(g, ',')] = '.'
		if v, err := strconv.ParseFloat(string(g), 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			return v, cellNumber
		}
	}
	return 0, cellText
}

func isTextCell(f []byte) bool {
	_, k := parseCell(trimField(f), false)
	return k == cellText
}

// maybeNumber is false for text strconv would refuse anyway (words,
// dates): a table's text cells then cost no string copy and no error
// value each. Inf and NaN spellings still go to strconv.
func maybeNumber(f []byte) bool {
	if len(f) == 0 {
		return false
	}
	for i, c := range f {
		if (c == '-' || c == '+') && i > 0 && f[i-1] != 'e' && f[i-1] != 'E' {
			return false // "2003-09-19"
		}
		if (c < '0' || c > '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E' {
			g := f
			if len(g) > 0 && (g[0] == '+' || g[0] == '-') {
				g = g[1:]
			}
			return len(g) >= 3 && (lower(g[0]) == 'i' && lower(g[1]) == 'n' && lower(g[2]) == 'f' ||
				lower(g[0]) == 'n' && lower(g[1]) == 'a' && lower(g[2]) == 'n')
		}
	}
	return true
}
