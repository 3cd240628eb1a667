package datasets

import (
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

// parseCSV turns a whole CSV file (already read) into a Dataset. Plain
// numeric files are read here, in one pass. When the caller gives table
// options (LoadOptions.Table, even empty), a file with text or dates in a
// feature column, a gap, or chosen columns goes to the typed loader
// (parseTable), which reads it again. Without them such a file is refused
// as before: a caller that does not run Split.Preprocess must never get
// raw codes to train on.
func parseCSV(name string, buf []byte, opts LoadOptions) (*Dataset, error) {
	h, err := readHead(name, buf, opts)
	if err != nil {
		return nil, err
	}
	if opts.Table.chooses() {
		return parseTable(h, opts)
	}
	r, b, header, names, target, decimalComma := h.r, h.b, h.header, h.names, h.target, h.decimalComma
	buf = h.buf
	ncols := len(names)
	cellErr := h.cellErr

	nf := ncols - 1
	// The matrix grows with the rows parsed, never from a count of lines
	// (blank lines would claim rows that are not there), and within the
	// budget: text, the columns, and per row the features and the target.
	var x []float64
	tv := newTargetValues()
	fixed := func(rows int) int64 { return int64(len(buf)) + perColumn*int64(ncols) + 24*int64(rows) }
	dropped, rows := 0, 0
	for {
		rec, line, err := r.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(rec) != ncols {
			return nil, h.raggedErr(line, len(rec))
		}
		if x, err = b.growFloats(x, nf, fixed(rows), func() string { return fmt.Sprintf("%d rows × %d features", rows+1, nf) }); err != nil {
			return nil, err
		}
		rowStart := len(x)
		missing := false
		for j, f := range rec {
			if j == target {
				continue
			}
			f = trimField(f)
			v, kind := parseCell(f, decimalComma)
			switch kind {
			case cellNumber:
				x = append(x, v)
			case cellMissing:
				if !opts.DropMissing {
					if opts.Table != nil {
						// A gap in a text column is a category; in a
						// numeric one it may be imputed: the typed
						// loader decides.
						return parseTableAgain(h, opts, &x)
					}
					return nil, cellErr(line, j, ErrMissingValue, fmt.Sprintf("%q (rows with missing values can be dropped instead)", f))
				}
				missing = true
				x = append(x, 0)
			case cellInfinite:
				return nil, cellErr(line, j, ErrNonNumeric, fmt.Sprintf("%q is not a finite number", f))
			default:
				if opts.Table != nil {
					// Text or a date: a table with typed columns.
					return parseTableAgain(h, opts, &x)
				}
				return nil, cellErr(line, j, ErrNonNumeric, fmt.Sprintf("%q in a feature column (only the target column may hold text)", f))
			}
		}
		tf := trimField(rec[target])
		v, kind := parseCell(tf, decimalComma)
		switch {
		case kind == cellMissing && opts.DropMissing:
			missing = true
		case kind == cellMissing:
			return nil, cellErr(line, target, ErrMissingValue, fmt.Sprintf("%q in the target column (rows with missing values can be dropped instead)", tf))
		case kind == cellInfinite:
			return nil, cellErr(line, target, ErrTarget, fmt.Sprintf("%q is not a finite number", tf))
		}
		if missing {
			x = x[:rowStart]
			dropped++
			continue
		}
		if kind == cellText && tv.firstText == nil {
			tv.firstText = cellErr(line, target, ErrTarget, fmt.Sprintf("%q is not a number, so the target cannot be a regression target", tf))
		}
		tv.add(tf, v, kind)
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
	y, err := tv.resolve(d, opts.Task, names[target], func(detail string) error {
		return cellErr(0, target, ErrTarget, detail)
	})
	if err != nil {
		return nil, err
	}
	d.Y = newDense(rows, 1, y)
	return d, nil
}

// targetValues gathers the target column while rows are read; resolve then
// decides between classes and a regression target.
type targetValues struct {
	num          []float64
	distinct     map[float64]struct{} // up to maxClasses+1 values
	allInteger   bool
	classIndex   map[string]int // text classes in order of first appearance
	classOrder   []string
	text         []int
	textOverflow bool
	firstText    *FileError // the first non-numeric value, if any
}

func newTargetValues() *targetValues {
	return &targetValues{
		distinct:   map[float64]struct{}{},
		allInteger: true,
		classIndex: map[string]int{},
	}
}

func (t *targetValues) add(f []byte, v float64, kind cellKind) {
	t.num = append(t.num, v)
	if kind == cellNumber {
		if t.allInteger && v != math.Trunc(v) {
			t.allInteger = false
		}
		if len(t.distinct) <= maxClasses {
			t.distinct[v] = struct{}{}
		}
	}
	// Track text classes until there are too many to be classes; a
	// numeric target never needs them, a text one fails past that.
	if t.textOverflow {
		return
	}
	c, ok := t.classIndex[string(f)]
	if !ok {
		if len(t.classOrder) >= maxClasses {
			t.textOverflow = true
			return
		}
		c = len(t.classOrder)
		t.classIndex[string(f)] = c
		t.classOrder = append(t.classOrder, string(f))
	}
	t.text = append(t.text, c)
}

// resolve sets d's task and class or target names and returns Y's column.
// A text target is classes; a numeric one is classes when forced, or when
// it holds few distinct integers; otherwise it is a regression target.
func (t *targetValues) resolve(d *Dataset, task Task, targetName string, targetErr func(string) error) ([]float64, error) {
	y := make([]float64, len(t.num))
	switch {
	case t.firstText != nil:
		if task == Regression {
			return nil, t.firstText
		}
		if t.textOverflow {
			return nil, targetErr(fmt.Sprintf("more than %d distinct text values; too many to be classes", maxClasses))
		}
		d.Task = Classification
		d.ClassNames = t.classOrder
		for i, c := range t.text {
			y[i] = float64(c)
		}
	case task == Classification || (task == "" && t.allInteger && len(t.distinct) <= maxAutoClasses):
		if len(t.distinct) > maxClasses {
			return nil, targetErr(fmt.Sprintf("more than %d distinct values; too many to be classes", maxClasses))
		}
		// Numeric labels keep their numeric order: label 0 is class 0.
		vals := make([]float64, 0, len(t.distinct))
		for v := range t.distinct {
			vals = append(vals, v)
		}
		slices.Sort(vals)
		d.Task = Classification
		d.ClassNames = make([]string, len(vals))
		for i, v := range vals {
			d.ClassNames[i] = strconv.FormatFloat(v, 'g', -1, 64)
		}
		for i, v := range t.num {
			c, _ := slices.BinarySearch(vals, v)
			y[i] = float64(c)
		}
	default:
		d.Task = Regression
		d.TargetNames = []string{targetName}
		copy(y, t.num)
	}
	return y, nil
}

func findTarget(file, target string, names []string, header bool) (int, error) {
	if target == "" {
		return len(names) - 1, nil
	}
	if header {
		// Exact matches first, then ignoring case; a name that matches
		// two columns is ambiguous, not the first of them.
		for _, same := range []func(string) bool{
			func(n string) bool { return n == target },
			func(n string) bool { return strings.EqualFold(n, strings.TrimSpace(target)) },
		} {
			var found []int
			for j, n := range names {
				if same(n) {
					found = append(found, j)
				}
			}
			if len(found) > 1 {
				return 0, &FileError{File: file, Kind: ErrTarget,
					Detail: fmt.Sprintf("the header names %q twice: columns %d (%q) and %d (%q); rename one, or give the target by 0-based index",
						target, found[0]+1, names[found[0]], found[1]+1, names[found[1]])}
			}
			if len(found) == 1 {
				return found[0], nil
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
