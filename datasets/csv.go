package datasets

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Classification is guessed for an all-numeric target only when it holds
// few distinct integers: class labels, not measurements.
const maxAutoClasses = 20

// maxClasses bounds the classes of any target, so that a forced
// classification of a continuous column fails instead of producing
// thousands of one-row classes.
const maxClasses = 1000

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
	if v, ok := parseFastFloat(f); ok {
		return v, cellNumber
	}
	v, err := strconv.ParseFloat(string(f), 64)
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

// looksLikeHeader decides whether the first record names the columns: it
// does when every field is text, or when some column holds text in the
// first record and a number in the second (a name above its values). A
// text target column alone does not make a header, since its values are
// text on every line.
func looksLikeHeader(first, second [][]byte) bool {
	allText := true
	for _, f := range first {
		if !isTextCell(f) {
			allText = false
		}
	}
	if allText {
		return true
	}
	if second == nil {
		return false
	}
	for j, f := range first {
		if j < len(second) && isTextCell(f) {
			if _, k := parseCell(trimField(second[j]), false); k == cellNumber {
				return true
			}
		}
	}
	return false
}

// parseCSV turns a whole CSV file (already read) into a Dataset.
func parseCSV(name string, buf []byte, opts LoadOptions) (*Dataset, error) {
	buf = bytes.TrimPrefix(buf, []byte("\xef\xbb\xbf"))
	r := &csvReader{name: name, buf: buf, line: 1, delim: detectDelimiter(buf)}
	decimalComma := r.delim == ';'

	first, firstLine, err := r.next()
	if err == io.EOF {
		return nil, &FileError{File: name, Kind: ErrEmptyFile, Detail: "the file is empty"}
	}
	if err != nil {
		return nil, err
	}
	firstCopy := make([][]byte, len(first))
	for i, f := range first {
		firstCopy[i] = slices.Clone(f)
	}
	// Peek at the second record to decide about the header, then rewind.
	savePos, saveLine := r.pos, r.line
	second, _, err := r.next()
	if err != nil && err != io.EOF {
		return nil, err
	}
	header := looksLikeHeader(firstCopy, second)
	ncols := len(firstCopy)
	names := make([]string, ncols)
	for j := range names {
		names[j] = "col" + strconv.Itoa(j+1)
		if header {
			if h := strings.TrimSpace(string(firstCopy[j])); h != "" {
				names[j] = h
			}
		}
	}
	if header {
		r.pos, r.line = savePos, saveLine
	} else {
		// The first record is data: read it again.
		r.pos, r.line = 0, 1
	}
	if ncols < 2 {
		return nil, &FileError{File: name, Line: firstLine, Kind: ErrTarget,
			Detail: fmt.Sprintf("found 1 column (delimiter %q); need at least one feature column and a target column", r.delim)}
	}
	target, err := findTarget(name, opts.Target, names, header)
	if err != nil {
		return nil, err
	}
	colName := func(j int) string {
		if header {
			return names[j]
		}
		return ""
	}

	nf := ncols - 1
	est := bytes.Count(buf, []byte{'\n'}) + 1 // rows at most, to size buffers once
	x := make([]float64, 0, est*nf)
	yNum := make([]float64, 0, est)
	var (
		classIndex   = map[string]int{}
		classOrder   []string
		yText        = make([]int, 0, est)
		textOverflow bool
		firstText    *FileError // first non-numeric target, if any
		distinct     = map[float64]struct{}{}
		allInteger   = true
		dropped      int
		rows         int
	)
	for {
		rec, line, err := r.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(rec) != ncols {
			what := "header"
			if !header {
				what = "first line"
			}
			return nil, &FileError{File: name, Line: line, Kind: ErrRaggedRow,
				Detail: fmt.Sprintf("%d fields, but the %s has %d", len(rec), what, ncols)}
		}
		rowStart := len(x)
		missing := false
		for j, f := range rec {
			if j == target {
				continue
			}
			v, kind := parseCell(trimField(f), decimalComma)
			switch kind {
			case cellNumber:
				x = append(x, v)
				continue
			case cellMissing:
				if opts.DropMissing {
					missing = true
					x = append(x, 0)
					continue
				}
				return nil, &FileError{File: name, Line: line, Column: j + 1, ColumnName: colName(j), Kind: ErrMissingValue,
					Detail: fmt.Sprintf("%q (rows with missing values can be dropped instead)", trimField(f))}
			case cellInfinite:
				return nil, &FileError{File: name, Line: line, Column: j + 1, ColumnName: colName(j), Kind: ErrNonNumeric,
					Detail: fmt.Sprintf("%q is not a finite number", trimField(f))}
			default:
				return nil, &FileError{File: name, Line: line, Column: j + 1, ColumnName: colName(j), Kind: ErrNonNumeric,
					Detail: fmt.Sprintf("%q in a feature column (only the target column may hold text)", trimField(f))}
			}
		}
		tf := trimField(rec[target])
		v, kind := parseCell(tf, decimalComma)
		if kind == cellMissing || kind == cellInfinite {
			if kind == cellMissing && opts.DropMissing {
				missing = true
			} else if kind == cellMissing {
				return nil, &FileError{File: name, Line: line, Column: target + 1, ColumnName: colName(target), Kind: ErrMissingValue,
					Detail: fmt.Sprintf("%q in the target column (rows with missing values can be dropped instead)", tf)}
			} else {
				return nil, &FileError{File: name, Line: line, Column: target + 1, ColumnName: colName(target), Kind: ErrTarget,
					Detail: fmt.Sprintf("%q is not a finite number", tf)}
			}
		}
		if missing {
			x = x[:rowStart]
			dropped++
			continue
		}
		if kind == cellText && firstText == nil {
			firstText = &FileError{File: name, Line: line, Column: target + 1, ColumnName: colName(target), Kind: ErrTarget,
				Detail: fmt.Sprintf("%q is not a number, so the target cannot be a regression target", tf)}
		}
		yNum = append(yNum, v)
		if kind == cellNumber {
			if allInteger && v != math.Trunc(v) {
				allInteger = false
			}
			if len(distinct) <= maxClasses {
				distinct[v] = struct{}{}
			}
		}
		// Track text classes until there are too many to be classes; a
		// numeric target never needs them, a text one fails past that.
		if !textOverflow {
			c, ok := classIndex[string(tf)]
			if !ok {
				if len(classOrder) >= maxClasses {
					textOverflow = true
				} else {
					c = len(classOrder)
					classIndex[string(tf)] = c
					classOrder = append(classOrder, string(tf))
				}
			}
			yText = append(yText, c)
		}
		rows++
	}
	if rows == 0 {
		detail := "the file has no data rows"
		if header {
			detail = "the file has a header but no data rows"
		}
		if dropped > 0 {
			detail = fmt.Sprintf("all %d rows have missing values and were dropped", dropped)
		}
		return nil, &FileError{File: name, Kind: ErrEmptyFile, Detail: detail}
	}

	d := &Dataset{
		Name:         name,
		X:            newDense(rows, nf, x[:rows*nf:rows*nf]),
		FeatureNames: append(append([]string(nil), names[:target]...), names[target+1:]...),
		Dropped:      dropped,
	}
	targetName := names[target]
	y := make([]float64, rows)
	switch {
	case firstText != nil:
		if opts.Task == Regression {
			return nil, firstText
		}
		if textOverflow {
			return nil, &FileError{File: name, Column: target + 1, ColumnName: colName(target), Kind: ErrTarget,
				Detail: fmt.Sprintf("more than %d distinct text values; too many to be classes", maxClasses)}
		}
		d.Task = Classification
		d.ClassNames = classOrder
		for i, c := range yText {
			y[i] = float64(c)
		}
	case opts.Task == Classification || (opts.Task == "" && allInteger && len(distinct) <= maxAutoClasses):
		if len(distinct) > maxClasses {
			return nil, &FileError{File: name, Column: target + 1, ColumnName: colName(target), Kind: ErrTarget,
				Detail: fmt.Sprintf("more than %d distinct values; too many to be classes", maxClasses)}
		}
		// Numeric labels keep their numeric order: label 0 is class 0.
		vals := make([]float64, 0, len(distinct))
		for v := range distinct {
			vals = append(vals, v)
		}
		slices.Sort(vals)
		d.Task = Classification
		d.ClassNames = make([]string, len(vals))
		for i, v := range vals {
			d.ClassNames[i] = strconv.FormatFloat(v, 'g', -1, 64)
		}
		for i, v := range yNum {
			c, _ := slices.BinarySearch(vals, v)
			y[i] = float64(c)
		}
	default:
		d.Task = Regression
		d.TargetNames = []string{targetName}
		copy(y, yNum)
	}
	d.Y = newDense(rows, 1, y)
	return d, nil
}

func findTarget(file, target string, names []string, header bool) (int, error) {
	if target == "" {
		return len(names) - 1, nil
	}
	if header {
		for j, n := range names {
			if n == target {
				return j, nil
			}
		}
		for j, n := range names {
			if strings.EqualFold(n, strings.TrimSpace(target)) {
				return j, nil
			}
		}
	}
	if i, err := strconv.Atoi(strings.TrimSpace(target)); err == nil {
		if i >= 0 && i < len(names) {
			return i, nil
		}
		return 0, &FileError{File: file, Kind: ErrTargetNotFound,
			Detail: fmt.Sprintf("index %d is out of range: the file has %d columns (0..%d)", i, len(names), len(names)-1)}
	}
	detail := fmt.Sprintf("no column named %q", target)
	if header {
		detail += "; columns are " + quoteList(names)
	} else {
		detail += " (the file has no header); give a 0-based index from 0 to " + strconv.Itoa(len(names)-1)
	}
	return 0, &FileError{File: file, Kind: ErrTargetNotFound, Detail: detail}
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}
