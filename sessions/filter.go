package sessions

// The runs table's filter language and sort order, shared by
// `workbench sessions --filter/--sort` and the TUI's Sessions pane.
//
//	EXPR  = COMP { "and" COMP }
//	COMP  = FIELD OP VALUE        spaces around OP are optional
//	OP    = "=" | "!=" | "<" | "<=" | ">" | ">=" | "~"   (~ is substring)
//	VALUE = a word up to the next space, or 'quoted' / "quoted" text
//
// Numbers compare as numbers, text case-insensitively; a missing value
// matches no comparison.

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Filter is a parsed filter expression; the zero Filter matches everything.
type Filter struct {
	comps []comparison
	src   string
}

type comparison struct {
	field Field
	op    string
	text  string  // lower-cased for text fields
	num   float64 // for number fields
}

// FilterError is a bad filter expression: the token and its position
// (1-based, in characters) and what was expected.
type FilterError struct {
	Token string
	Pos   int
	Msg   string
}

func (e *FilterError) Error() string {
	if e.Token == "" {
		return fmt.Sprintf("filter: %s at position %d", e.Msg, e.Pos)
	}
	return fmt.Sprintf("filter: %q at position %d: %s", e.Token, e.Pos, e.Msg)
}

var filterOps = []string{"<=", ">=", "!=", "=", "<", ">", "~"}

// ParseFilter parses expr (see the language above). An empty expr matches
// everything. An error names the bad token and where it is.
func ParseFilter(expr string) (Filter, error) {
	f := Filter{src: strings.TrimSpace(expr)}
	rs := []rune(expr)
	i := 0
	skip := func() {
		for i < len(rs) && (rs[i] == ' ' || rs[i] == '\t') {
			i++
		}
	}
	bad := func(start int, tok, msg string) (Filter, error) {
		return Filter{}, &FilterError{Token: tok, Pos: start + 1, Msg: msg}
	}
	word := func(stop func(rune) bool) (int, string) {
		start := i
		for i < len(rs) && !stop(rs[i]) {
			i++
		}
		return start, string(rs[start:i])
	}
	isOpRune := func(r rune) bool { return strings.ContainsRune("=!<>~", r) }
	isSpace := func(r rune) bool { return r == ' ' || r == '\t' }
	skip()
	if i == len(rs) {
		return f, nil
	}
	for {
		skip()
		start, name := word(func(r rune) bool { return isSpace(r) || isOpRune(r) })
		if name == "" {
			if i == len(rs) {
				return bad(start, "", "expected a comparison (FIELD OP VALUE) after \"and\"")
			}
			_, tok := word(isSpace)
			return bad(start, tok, "expected a field name before the operator")
		}
		field, ok := LookupField(name)
		if !ok {
			return bad(start, name, "unknown field; fields: "+strings.Join(FieldNames(), ", "))
		}
		skip()
		opStart, op := word(func(r rune) bool { return !isOpRune(r) })
		if !slices.Contains(filterOps, op) {
			if op == "" {
				_, tok := word(isSpace)
				if tok == "" {
					return bad(opStart, name, "expected an operator (= != < <= > >= ~) and a value after the field")
				}
				return bad(opStart, tok, "expected an operator: = != < <= > >= ~")
			}
			return bad(opStart, op, "unknown operator; use = != < <= > >= ~")
		}
		skip()
		valStart := i
		var val string
		if i < len(rs) && (rs[i] == '\'' || rs[i] == '"') {
			q := rs[i]
			i++
			s, v := word(func(r rune) bool { return r == q })
			if i == len(rs) {
				return bad(s-1, string(rs[s-1:]), "unterminated quote")
			}
			i++
			val = v
		} else {
			_, val = word(isSpace)
			if val == "" && i == len(rs) && field.Kind == Number {
				return bad(valStart, "", fmt.Sprintf("expected a number after %s%s", field.Name, op))
			}
		}
		c := comparison{field: field, op: op}
		if field.Kind == Number {
			if op == "~" {
				return bad(opStart, op, fmt.Sprintf("~ (substring) compares text; %s is a number, use = < <= > >=", field.Name))
			}
			v, err := strconv.ParseFloat(val, 64)
			if err != nil {
				return bad(valStart, val, fmt.Sprintf("%s is a number; this is not one", field.Name))
			}
			c.num = v
		} else {
			c.text = strings.ToLower(val)
		}
		f.comps = append(f.comps, c)
		skip()
		if i == len(rs) {
			return f, nil
		}
		andStart, and := word(isSpace)
		if !strings.EqualFold(and, "and") {
			return bad(andStart, and, "expected \"and\" between comparisons (a value with spaces needs quotes)")
		}
	}
}

// String is the expression as it was given (trimmed).
func (f Filter) String() string { return f.src }

// Empty reports whether f matches everything.
func (f Filter) Empty() bool { return len(f.comps) == 0 }

// Match reports whether r satisfies every comparison.
func (f Filter) Match(r Record) bool {
	for _, c := range f.comps {
		v := r.Get(c.field.Name)
		if v.Missing {
			return false
		}
		var d int
		if c.field.Kind == Number {
			d = cmp.Compare(v.Num, c.num)
		} else {
			t := strings.ToLower(v.Text)
			if c.op == "~" {
				if !strings.Contains(t, c.text) {
					return false
				}
				continue
			}
			d = strings.Compare(t, c.text)
		}
		ok := false
		switch c.op {
		case "=":
			ok = d == 0
		case "!=":
			ok = d != 0
		case "<":
			ok = d < 0
		case "<=":
			ok = d <= 0
		case ">":
			ok = d > 0
		case ">=":
			ok = d >= 0
		}
		if !ok {
			return false
		}
	}
	return true
}

// FilterRecords keeps the records f matches, in order.
func FilterRecords(rs []Record, f Filter) []Record {
	if f.Empty() {
		return rs
	}
	var out []Record
	for _, r := range rs {
		if f.Match(r) {
			out = append(out, r)
		}
	}
	return out
}

// ParseSort reads a sort key: FIELD ascending, -FIELD descending.
func ParseSort(key string) (field Field, desc bool, err error) {
	k := strings.TrimSpace(key)
	if strings.HasPrefix(k, "-") {
		desc, k = true, k[1:]
	} else {
		k = strings.TrimPrefix(k, "+")
	}
	f, ok := LookupField(k)
	if !ok {
		return Field{}, false, fmt.Errorf("sort: unknown field %q; fields: %s", k, strings.Join(FieldNames(), ", "))
	}
	return f, desc, nil
}

// SortRecords sorts rs in place by a key ParseSort reads ("" keeps the
// order). The sort is stable and missing values come last either way.
func SortRecords(rs []Record, key string) error {
	if strings.TrimSpace(key) == "" {
		return nil
	}
	f, desc, err := ParseSort(key)
	if err != nil {
		return err
	}
	SortBy(rs, f.Name, desc)
	return nil
}

// SortBy sorts rs in place by a field name, stable, missing values last.
func SortBy(rs []Record, field string, desc bool) {
	slices.SortStableFunc(rs, func(a, b Record) int {
		va, vb := a.Get(field), b.Get(field)
		switch {
		case va.Missing && vb.Missing:
			return 0
		case va.Missing:
			return 1
		case vb.Missing:
			return -1
		}
		var d int
		if va.Kind == Number {
			d = cmp.Compare(va.Num, vb.Num)
		} else {
			d = strings.Compare(strings.ToLower(va.Text), strings.ToLower(vb.Text))
		}
		if desc {
			d = -d
		}
		return d
	})
}
