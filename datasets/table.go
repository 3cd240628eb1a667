package datasets

import (
	"fmt"
	"math"
	"strconv"
)

// parseTable is the typed loader: columns chosen by the options, types
// detected from the values. It reads the records three times, so that no
// column's values are held twice: to count each column's kinds of values,
// to build the categories of text columns (and find identifiers), and to
// write X. Plain numeric files never come here unless columns are chosen.
func parseTable(h *csvHead, opts LoadOptions) (*Dataset, error) {
	to := TableOptions{}
	if opts.Table != nil {
		to = *opts.Table
	}
	imp, err := parseImpute(string(to.Impute))
	if err != nil {
		return nil, &FileError{File: h.name, Kind: ErrColumn, Detail: err.Error()}
	}
	maxCats := to.MaxCategories
	if maxCats <= 0 {
		maxCats = DefaultMaxCategories
	}
	cols, err := h.roles(to)
	if err != nil {
		return nil, err
	}
	if err := h.countKinds(cols); err != nil {
		return nil, err
	}
	if err := h.decideKinds(cols, to); err != nil {
		return nil, err
	}
	if err := h.buildCategories(cols, maxCats); err != nil {
		return nil, err
	}
	t := &Table{Impute: imp, limit: h.b.limit}
	for j := range cols {
		c := &cols[j]
		t.Columns = append(t.Columns, c.Column)
		if c.Role != RoleFeature {
			if c.Note != "" && c.Kind == Text {
				t.Notes = append(t.Notes, fmt.Sprintf("column %q left out: %s", c.Name, c.Note))
			}
			continue
		}
		t.Inputs = append(t.Inputs, j)
		t.Values = append(t.Values, c.values)
		t.numericCats = append(t.numericCats, c.numericCats)
		if c.Kind != Numeric || (c.Missing > 0 && !opts.DropMissing) {
			t.Raw = true
		}
	}
	if len(t.Inputs) == 0 {
		return nil, &FileError{File: h.name, Kind: ErrColumn, Detail: "no feature columns are left; columns are " + describeColumns(t.Columns)}
	}
	return h.fill(cols, t, opts)
}

// tableColumn is a column while the typed loader reads it.
type tableColumn struct {
	Column
	forced             bool // --categorical
	nNum, nDate, nText int
	firstText          string // the first value that is neither a number nor a date
	firstTextLine      int
	dict               map[string]int32
	values             []string
	numericCats        bool
}

// roles applies Features, Drop and Categorical.
func (h *csvHead) roles(to TableOptions) ([]tableColumn, error) {
	cols := make([]tableColumn, len(h.names))
	for j := range cols {
		cols[j].Column = Column{Name: h.names[j], Index: j, Role: RoleFeature, Distinct: -1}
	}
	cols[h.target].Role = RoleTarget
	pick := func(flag string, list []string, each func(j int) error) error {
		for _, s := range list {
			j, err := findTarget(h.name, s, h.names, h.header)
			if err != nil {
				fe := err.(*FileError)
				return &FileError{File: h.name, Kind: ErrColumn, Detail: "--" + flag + ": " + fe.Detail}
			}
			if j == h.target {
				return &FileError{File: h.name, Kind: ErrColumn,
					Detail: fmt.Sprintf("--%s: %q is the target column; choose another target with --target", flag, s)}
			}
			if err := each(j); err != nil {
				return err
			}
		}
		return nil
	}
	if len(to.Features) > 0 {
		for j := range cols {
			if j != h.target {
				cols[j].Role, cols[j].Note = RoleIgnored, "not in --features"
			}
		}
		if err := pick("features", to.Features, func(j int) error {
			cols[j].Role, cols[j].Note = RoleFeature, ""
			return nil
		}); err != nil {
			return nil, err
		}
	}
	if err := pick("drop", to.Drop, func(j int) error {
		cols[j].Role, cols[j].Note = RoleIgnored, "--drop"
		return nil
	}); err != nil {
		return nil, err
	}
	if err := pick("categorical", to.Categorical, func(j int) error {
		cols[j].forced = true
		return nil
	}); err != nil {
		return nil, err
	}
	return cols, nil
}

// countKinds is the first pass: each column's numbers, dates, text and
// gaps, and the target's gaps.
func (h *csvHead) countKinds(cols []tableColumn) error {
	return h.each(func(rec [][]byte, line int) error {
		if len(rec) != len(cols) {
			return h.raggedErr(line, len(rec))
		}
		for j, f := range rec {
			c := &cols[j]
			f = trimField(f)
			switch _, k := parseCell(f, h.decimalComma); k {
			case cellNumber, cellInfinite:
				c.nNum++
			case cellMissing:
				c.Missing++
			default:
				if _, ok := parseDate(f); ok {
					c.nDate++
					continue
				}
				if c.nText == 0 {
					c.firstText, c.firstTextLine = clipText(string(f), 40), line
				}
				c.nText++
			}
		}
		return nil
	})
}

// decideKinds types each column from its counts: numbers only → numeric,
// dates only → date, anything else (or --categorical) → categorical.
func (h *csvHead) decideKinds(cols []tableColumn, to TableOptions) error {
	for j := range cols {
		c := &cols[j]
		switch {
		case j == h.target:
			c.Kind = Numeric
			if c.nText > 0 || c.nDate > 0 {
				c.Kind = Categorical
			}
		case c.forced:
			c.Kind = Categorical
			c.numericCats = c.nText == 0 && c.nDate == 0
		case c.nText == 0 && c.nDate == 0:
			c.Kind = Numeric
		case c.nText == 0 && c.nNum == 0:
			c.Kind = Date
			if to.DropDates && c.Role == RoleFeature {
				c.Role, c.Note = RoleIgnored, "--drop-dates"
			}
		case c.nDate > c.nText && c.nNum == 0 && c.Role == RoleFeature:
			return h.cellErr(c.firstTextLine, j, ErrDate, fmt.Sprintf("the column holds dates, but %q is not a date in a known form (%s); fix the value, or leave the column out with --drop %s",
				c.firstText, DateForms, h.flagValue(c.Index)))
		case c.nText > 0 && c.nNum >= c.nText && c.Role == RoleFeature:
			// Mostly numbers: a stray word is a mistake in the data
			// more often than a category.
			return h.cellErr(c.firstTextLine, j, ErrNonNumeric, fmt.Sprintf("%q in a column of numbers; fix the value, make it empty and use --impute, read the column as categories with --categorical %s, or leave it out with --drop %s",
				c.firstText, h.flagValue(j), h.flagValue(j)))
		default:
			c.Kind = Categorical
		}
	}
	return nil
}

// buildCategories is the second pass: the categories of each categorical
// feature in order of first appearance. A text column whose every value
// differs is an identifier and is left out; one with more than maxCats
// categories is refused, naming the flags that help.
func (h *csvHead) buildCategories(cols []tableColumn, maxCats int) error {
	var active []int
	for j := range cols {
		if cols[j].Role == RoleFeature && cols[j].Kind == Categorical {
			cols[j].dict = map[string]int32{}
			active = append(active, j)
		}
	}
	if len(active) == 0 {
		return nil
	}
	dup := make([]bool, len(cols))
	held := int64(len(h.buf)) + perColumn*int64(len(cols))
	var key [32]byte
	err := h.each(func(rec [][]byte, line int) error {
		for _, j := range active {
			c := &cols[j]
			f := trimField(rec[j])
			v, k := parseCell(f, h.decimalComma)
			if k == cellMissing {
				continue
			}
			if c.numericCats {
				f = strconv.AppendFloat(key[:0], v, 'g', -1, 64)
			}
			if _, ok := c.dict[string(f)]; ok {
				dup[j] = true
			} else {
				// A category costs its text, a map slot and a string in
				// values, with the room both leave as they double:
				// about 130 bytes were measured for 100,000 short ids.
				held += int64(len(f)) + 128
				if err := h.b.check(held, fmt.Sprintf("the categories of column %q", c.Name)); err != nil {
					return err
				}
				c.dict[string(f)] = int32(len(c.values))
				c.values = append(c.values, string(f))
			}
			if (dup[j] || c.forced) && len(c.values) > maxCats {
				return h.tooManyCategories(c, line, maxCats)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, j := range active {
		c := &cols[j]
		c.Distinct = len(c.values)
		if !dup[j] && !c.forced && len(c.values) >= 2 {
			c.Role, c.Kind, c.Note = RoleIgnored, Text, fmt.Sprintf("every value differs (%d values): an identifier, not a category", len(c.values))
			c.dict, c.values = nil, nil
		}
	}
	return nil
}

func (h *csvHead) tooManyCategories(c *tableColumn, line, maxCats int) error {
	detail := fmt.Sprintf("more than %d distinct values (by line %d), too many categories to one-hot encode; leave the column out with --drop %s, or raise --max-categories",
		maxCats, line, h.flagValue(c.Index))
	if c.nNum > 0 && !c.forced {
		detail += fmt.Sprintf("; it holds numbers and text such as %q (line %d): if that text means missing, make the cells empty and use --impute",
			c.firstText, c.firstTextLine)
	}
	return h.cellErr(0, c.Index, ErrColumn, detail)
}

// fill is the third pass: X (raw codes or features) and the target.
func (h *csvHead) fill(cols []tableColumn, t *Table, opts LoadOptions) (*Dataset, error) {
	nf := len(t.Inputs)
	ncols := len(cols)
	var x []float64
	tv := newTargetValues()
	fixed := func(rows int) int64 {
		return int64(len(h.buf)) + perColumn*int64(ncols) + 24*int64(rows)
	}
	target := h.target
	dropped, rows := 0, 0
	err := h.each(func(rec [][]byte, line int) error {
		var err error
		if x, err = h.b.growFloats(x, nf, fixed(rows), func() string { return fmt.Sprintf("%d rows × %d features", rows+1, nf) }); err != nil {
			return err
		}
		rowStart := len(x)
		missing := false
		for i, j := range t.Inputs {
			c := &cols[j]
			f := trimField(rec[j])
			v, k := parseCell(f, h.decimalComma)
			if k == cellMissing {
				switch {
				case opts.DropMissing:
					missing = true
				case c.Kind == Categorical:
				case t.Impute == ImputeNone:
					return h.cellErr(line, j, ErrMissingValue, fmt.Sprintf("%q (rows with missing values can be dropped instead, or gaps filled with --impute mean|median|most-frequent)", f))
				}
				x = append(x, math.NaN())
				continue
			}
			switch c.Kind {
			case Numeric:
				if k == cellInfinite {
					return h.cellErr(line, j, ErrNonNumeric, fmt.Sprintf("%q is not a finite number", f))
				}
				x = append(x, v)
			case Date:
				d, _ := parseDate(f) // every value parsed in the first pass
				x = append(x, d)
			default:
				if t.numericCats[i] {
					var key [32]byte
					f = strconv.AppendFloat(key[:0], v, 'g', -1, 64)
				}
				x = append(x, float64(c.dict[string(f)]))
			}
		}
		tf := trimField(rec[target])
		v, kind := parseCell(tf, h.decimalComma)
		switch {
		case kind == cellMissing && opts.DropMissing:
			missing = true
		case kind == cellMissing:
			return h.cellErr(line, target, ErrMissingValue, fmt.Sprintf("%q in the target column (rows with missing values can be dropped instead)", tf))
		case kind == cellInfinite:
			return h.cellErr(line, target, ErrTarget, fmt.Sprintf("%q is not a finite number", tf))
		}
		if missing {
			x = x[:rowStart]
			dropped++
			return nil
		}
		if kind == cellText && tv.firstText == nil {
			tv.firstText = h.cellErr(line, target, ErrTarget, fmt.Sprintf("%q is not a number, so the target cannot be a regression target", tf))
		}
		tv.add(tf, v, kind)
		rows++
		return nil
	})
	if err != nil {
		return nil, err
	}
	if rows == 0 {
		detail := "the file has no data rows"
		if h.header {
			detail = "the file has a header but no data rows"
		}
		if dropped > 0 {
			detail = fmt.Sprintf("all %d rows have missing values and were dropped", dropped)
		}
		return nil, &FileError{File: h.name, Kind: ErrEmptyFile, Detail: detail}
	}
	if opts.DropMissing {
		t.Raw = false
		for _, j := range t.Inputs {
			if cols[j].Kind != Numeric {
				t.Raw = true
			}
		}
	}
	d := &Dataset{Name: h.name, X: newDense(rows, nf, x[:rows*nf:rows*nf]), Dropped: dropped, Table: t}
	for _, j := range t.Inputs {
		d.FeatureNames = append(d.FeatureNames, cols[j].Name)
	}
	y, err := tv.resolve(d, opts.Task, h.names[target], func(detail string) error {
		return h.cellErr(0, target, ErrTarget, detail)
	})
	if err != nil {
		return nil, err
	}
	d.Y = newDense(rows, 1, y)
	countTableColumns(d)
	return d, nil
}
