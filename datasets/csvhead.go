package datasets

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// csvHead is a CSV file read up to its first data record: dialect, column
// names, target. Both the numeric loader (parseCSV) and the typed one
// (parseTable) start from it.
type csvHead struct {
	name         string
	buf          []byte // the text after the skipped lines
	r            *csvReader
	b            budget
	names        []string
	header       bool
	target       int
	decimalComma bool
	dataPos      int // where the data records start, for a second pass
	dataLine     int
}

// perColumn is what each column costs beyond its text (field slices, the
// header's copy and its name), for the budget.
const perColumn = 256

func readHead(name string, buf []byte, opts LoadOptions) (*csvHead, error) {
	buf = bytes.TrimPrefix(buf, []byte("\xef\xbb\xbf"))
	skip := 0
	if opts.Table != nil {
		skip = opts.Table.SkipRows
	}
	if skip < 0 {
		return nil, &FileError{File: name, Kind: ErrColumn, Detail: fmt.Sprintf("cannot skip %d rows: give 0 or more", skip)}
	}
	for range skip {
		i := bytes.IndexByte(buf, '\n')
		if i < 0 {
			buf = buf[len(buf):]
			break
		}
		buf = buf[i+1:]
	}
	r := &csvReader{name: name, buf: buf, line: 1 + skip, delim: detectDelimiter(buf)}
	b := newBudget(name, opts)
	r.maxFields = int(max(1, (b.limit-int64(len(buf)))/perColumn))
	r.tooWide = func(line, fields int) error {
		return &FileError{File: name, Line: line, Kind: ErrTooBig,
			Detail: fmt.Sprintf("more than %d fields on one line; the memory budget of %s allows no more (raise it with --max-memory)", fields-1, FormatSize(b.limit))}
	}
	h := &csvHead{name: name, buf: buf, r: r, b: b, decimalComma: r.delim == ';'}

	first, firstLine, err := r.next()
	if err == io.EOF {
		detail := "the file is empty"
		if skip > 0 {
			detail = fmt.Sprintf("nothing is left after skipping %d lines", skip)
		}
		return nil, &FileError{File: name, Kind: ErrEmptyFile, Detail: detail}
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
	if rows, feats, ok := countLine(firstCopy, second, func() int { return lineCount(buf) }); ok {
		return nil, &FileError{File: name, Line: firstLine, Kind: ErrCountLine,
			Detail: fmt.Sprintf("%q looks like a count line (%d rows, %d features), not a header or data; skip it with --skip-rows %d",
				clipText(string(bytes.Join(firstCopy, []byte{r.delim})), 40), rows, feats, skip+1)}
	}
	h.header = looksLikeHeader(firstCopy, second)
	ncols := len(firstCopy)
	h.names = make([]string, ncols)
	for j := range h.names {
		h.names[j] = "col" + strconv.Itoa(j+1)
		if h.header {
			if n := strings.TrimSpace(string(firstCopy[j])); n != "" {
				h.names[j] = n
			}
		}
	}
	if h.header {
		r.pos, r.line = savePos, saveLine
	} else {
		// The first record is data: read it again.
		r.pos, r.line = 0, 1+skip
	}
	h.dataPos, h.dataLine = r.pos, r.line
	if ncols < 2 {
		detail := fmt.Sprintf("found 1 column (delimiter %q); need at least one feature column and a target column", r.delim)
		if len(second) > 1 {
			detail += fmt.Sprintf("; if line %d is a title or comment, skip it with --skip-rows %d", firstLine, firstLine)
		}
		return nil, &FileError{File: name, Line: firstLine, Kind: ErrTarget, Detail: detail}
	}
	if h.target, err = findTarget(name, opts.Target, h.names, h.header); err != nil {
		return nil, err
	}
	return h, nil
}

// each calls f on every data record from the first, stopping at its
// first error. rec is valid during the call only.
func (h *csvHead) each(f func(rec [][]byte, line int) error) error {
	h.rewind()
	for {
		rec, line, err := h.r.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := f(rec, line); err != nil {
			return err
		}
	}
}

// rewind puts the reader back on the first data record.
func (h *csvHead) rewind() { h.r.pos, h.r.line = h.dataPos, h.dataLine }

// cellErr locates a problem at a line and 0-based column.
func (h *csvHead) cellErr(line, j int, kind error, detail string) *FileError {
	e := &FileError{File: h.name, Line: line, Column: j + 1, Kind: kind, Detail: detail}
	if h.header {
		e.ColumnName = h.names[j]
	}
	return e
}

// countLine recognises scikit-learn's preamble ("506,13,,,…" or
// "150,4,setosa,versicolor,virginica": rows, features, class names) before
// the header or the data. It must not take a data row for one: the two
// counts are whole numbers, the first about the file's lines and the
// second the next line's width less the target; every other cell is empty
// or text above a number (a class name over a value).
func countLine(first, second [][]byte, lines func() int) (rows, feats int, ok bool) {
	if len(first) < 3 || second == nil {
		return 0, 0, false
	}
	var err error
	if rows, err = strconv.Atoi(string(trimField(first[0]))); err != nil || rows < 1 {
		return 0, 0, false
	}
	if feats, err = strconv.Atoi(string(trimField(first[1]))); err != nil || feats != len(second)-1 {
		return 0, 0, false
	}
	if n := lines(); rows > n || rows < n-3 {
		return 0, 0, false
	}
	for j, f := range first[2:] {
		switch _, k := parseCell(trimField(f), false); k {
		case cellMissing:
		case cellText:
			if j+2 >= len(second) {
				continue // class names may outnumber the columns
			}
			if _, k2 := parseCell(trimField(second[j+2]), false); k2 != cellNumber {
				return 0, 0, false
			}
		default:
			return 0, 0, false
		}
	}
	return rows, feats, true
}

// raggedErr reports a record whose width differs from the header's. A
// first data line wider than the header suggests a title or comment line
// above it (matplotlib's Stocks.csv starts with "# Data source: …").
func (h *csvHead) raggedErr(line, n int) error {
	what := "header"
	if !h.header {
		what = "first line"
	}
	detail := fmt.Sprintf("%d fields, but the %s has %d", n, what, len(h.names))
	if n > len(h.names) && line == h.dataLine && h.header {
		detail += fmt.Sprintf("; if line %d is a title or comment above the header, skip it with --skip-rows %d", h.dataLine-1, h.dataLine-1)
	}
	return &FileError{File: h.name, Line: line, Kind: ErrRaggedRow, Detail: detail}
}

// chooses is true when the options pick or type columns, which only the
// typed loader does; other options (imputation, categories' bound) matter
// only once a file holds text or gaps, where parseCSV hands over anyway.
func (o *TableOptions) chooses() bool {
	return o != nil && (len(o.Features) > 0 || len(o.Drop) > 0 || len(o.Categorical) > 0)
}

// parseTableAgain hands a file the numeric loader cannot read to the typed
// one, from its first data record, releasing the numbers read so far.
func parseTableAgain(h *csvHead, opts LoadOptions, x *[]float64) (*Dataset, error) {
	*x = nil
	h.rewind()
	return parseTable(h, opts)
}

// flagValue spells column j as --drop or --features take it: its name
// (quoted when the shell would split it), or its 0-based index when the
// file has no header or the name holds a comma.
func (h *csvHead) flagValue(j int) string {
	if !h.header || strings.Contains(h.names[j], ",") {
		return strconv.Itoa(j) // a comma would split the flag's list
	}
	if n := h.names[j]; strings.ContainsAny(n, " ,\t\"'$`\\;&|<>()*?[]#~") {
		return strconv.Quote(n)
	}
	return h.names[j]
}

// lineCount is the number of lines of buf, a last one without a newline
// included.
func lineCount(buf []byte) int {
	n := bytes.Count(buf, []byte{'\n'})
	if len(buf) > 0 && buf[len(buf)-1] != '\n' {
		n++
	}
	return n
}
