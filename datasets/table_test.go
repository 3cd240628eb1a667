package datasets

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// colSummary is a column as the table tests expect it: role/kind/distinct/missing.
func colSummary(c Column) string {
	return c.Name + ":" + string(c.Role) + "/" + string(c.Kind) + "/" + strconv.Itoa(c.Distinct) + "/" + strconv.Itoa(c.Missing)
}

func TestTableLoads(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name     string
		content  string
		opts     LoadOptions
		raw      bool
		features []string    // Dataset.FeatureNames (raw inputs)
		x        [][]float64 // X as loaded (raw codes when raw)
		columns  []string    // colSummary of each column
		values   [][]string  // Table.Values per input
		notes    []string    // substrings of the notes, in order
		dropped  int
	}{
		{
			name:     "categorical text column, codes in order of first appearance",
			content:  "age,port,y\n30,S,a\n40,C,b\n50,S,a\n",
			raw:      true,
			features: []string{"age", "port"},
			x:        [][]float64{{30, 0}, {40, 1}, {50, 0}},
			columns:  []string{"age:feature/numeric/3/0", "port:feature/categorical/2/0", "y:target/categorical/2/0"},
			values:   [][]string{nil, {"S", "C"}},
		},
		{
			name:     "categorical gaps are kept (NaN code) without any flag",
			content:  "port,v,y\nS,1,a\n,2,b\nS,3,a\nNA,4,b\n",
			raw:      true,
			features: []string{"port", "v"},
			x:        [][]float64{{0, 1}, {nan, 2}, {0, 3}, {nan, 4}},
			columns:  []string{"port:feature/categorical/1/2", "v:feature/numeric/4/0", "y:target/categorical/2/0"},
			values:   [][]string{{"S"}, nil},
		},
		{
			name:     "identifier column left out with a note",
			content:  "name,sex,y\nAnn,f,1\nBob,m,0\nCy,m,1\nDee,f,0\n",
			raw:      true,
			features: []string{"sex"},
			x:        [][]float64{{0}, {1}, {1}, {0}},
			columns:  []string{"name:ignored/text/4/0", "sex:feature/categorical/2/0", "y:target/categorical/2/0"},
			values:   [][]string{{"f", "m"}},
			notes:    []string{`column "name" left out: every value differs (4 values): an identifier`},
		},
		{
			name:     "date column: days since 1970, all forms",
			content:  "when,v,y\n1970-01-02,1,0\n19-Sep-03,2,1\n9/19/2003,3,0\n2003-09-19 12:00,4,1\n",
			raw:      true,
			features: []string{"when", "v"},
			x:        [][]float64{{1, 1}, {12314, 2}, {12314, 3}, {12314.5, 4}},
			columns:  []string{"when:feature/date/3/0", "v:feature/numeric/4/0", "y:target/categorical/2/0"},
			values:   [][]string{nil, nil},
		},
		{
			name:     "drop dates on request",
			content:  "when,v,y\n1970-01-02,1,0\n19-Sep-03,2,1\n",
			opts:     LoadOptions{Table: &TableOptions{DropDates: true}},
			features: []string{"v"},
			x:        [][]float64{{1}, {2}},
			columns:  []string{"when:ignored/date/-1/0", "v:feature/numeric/2/0", "y:target/categorical/2/0"},
		},
		{
			name:     "--features by name and index, numeric stays plain",
			content:  "a,b,c,y\n1,2,3,0\n4,5,6,1\n",
			opts:     LoadOptions{Table: &TableOptions{Features: []string{"C", "0"}}},
			features: []string{"a", "c"},
			x:        [][]float64{{1, 3}, {4, 6}},
			columns:  []string{"a:feature/numeric/2/0", "b:ignored/numeric/-1/0", "c:feature/numeric/2/0", "y:target/categorical/2/0"},
		},
		{
			name:     "--drop by name and index",
			content:  "a,b,c,y\n1,2,3,0\n4,5,6,1\n",
			opts:     LoadOptions{Table: &TableOptions{Drop: []string{"b", "2"}}},
			features: []string{"a"},
			x:        [][]float64{{1}, {4}},
			columns:  []string{"a:feature/numeric/2/0", "b:ignored/numeric/-1/0", "c:ignored/numeric/-1/0", "y:target/categorical/2/0"},
		},
		{
			name:     "--drop an id column that is text",
			content:  "id,v,y\nx1,1,0\nx2,2,1\n",
			opts:     LoadOptions{Table: &TableOptions{Drop: []string{"id"}}},
			features: []string{"v"},
			x:        [][]float64{{1}, {2}},
			columns:  []string{"id:ignored/categorical/-1/0", "v:feature/numeric/2/0", "y:target/categorical/2/0"},
		},
		{
			name:     "--categorical numbers compare by value",
			content:  "grade,v,y\n1,5,0\n2,6,1\n1.0,7,0\n3e0,8,1\n",
			opts:     LoadOptions{Table: &TableOptions{Categorical: []string{"grade"}}},
			raw:      true,
			features: []string{"grade", "v"},
			x:        [][]float64{{0, 5}, {1, 6}, {0, 7}, {2, 8}},
			columns:  []string{"grade:feature/categorical/3/0", "v:feature/numeric/4/0", "y:target/categorical/2/0"},
			values:   [][]string{{"1", "2", "3"}, nil},
		},
		{
			name:     "--impute keeps numeric gaps as NaN for the fitted fill",
			content:  "a,b,y\n1,,0\n,4,1\n3,6,0\n",
			opts:     LoadOptions{Table: &TableOptions{Impute: ImputeMean}},
			raw:      true,
			features: []string{"a", "b"},
			x:        [][]float64{{1, nan}, {nan, 4}, {3, 6}},
			columns:  []string{"a:feature/numeric/2/1", "b:feature/numeric/2/1", "y:target/categorical/2/0"},
			values:   [][]string{nil, nil},
		},
		{
			name:     "--drop-missing drops gaps in any used column, categorical too",
			content:  "port,v,y\nS,1,a\n,2,b\nC,,a\nS,4,b\n",
			opts:     LoadOptions{DropMissing: true},
			raw:      true,
			features: []string{"port", "v"},
			x:        [][]float64{{0, 1}, {0, 4}},
			columns:  []string{"port:feature/categorical/2/1", "v:feature/numeric/2/1", "y:target/categorical/2/0"},
			values:   [][]string{{"S", "C"}, nil},
			dropped:  2,
		},
		{
			name:     "--skip-rows skips a count line",
			content:  "3,2,,\na,b,y\n1,2,0\n3,4,1\n5,6,0\n",
			opts:     LoadOptions{Table: &TableOptions{SkipRows: 1}},
			features: []string{"a", "b"},
			x:        [][]float64{{1, 2}, {3, 4}, {5, 6}},
		},
		{
			name:     "no header: text columns named colN",
			content:  "red,1,0\nblue,2,1\nred,3,0\n",
			raw:      true,
			features: []string{"col1", "col2"},
			x:        [][]float64{{0, 1}, {1, 2}, {0, 3}},
			columns:  []string{"col1:feature/categorical/2/0", "col2:feature/numeric/3/0", "col3:target/categorical/2/0"},
			values:   [][]string{{"red", "blue"}, nil},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.opts.Table == nil {
				tt.opts.Table = &TableOptions{}
			}
			d, err := Load(writeTemp(t, "data.csv", []byte(tt.content)), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if raw := d.Table != nil && d.Table.Raw; raw != tt.raw {
				t.Errorf("raw %v, want %v", raw, tt.raw)
			}
			if !slices.Equal(d.FeatureNames, tt.features) {
				t.Errorf("features %q, want %q", d.FeatureNames, tt.features)
			}
			if d.Rows() != len(tt.x) || d.Dropped != tt.dropped {
				t.Fatalf("%d rows (%d dropped), want %d (%d)", d.Rows(), d.Dropped, len(tt.x), tt.dropped)
			}
			for i, row := range tt.x {
				got := d.X.RawRowView(i)
				if !slices.EqualFunc(got, row, func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }) {
					t.Errorf("row %d = %v, want %v", i, got, row)
				}
			}
			if tt.columns != nil {
				var got []string
				for _, c := range d.ColumnStats() {
					got = append(got, colSummary(c))
				}
				if !slices.Equal(got, tt.columns) {
					t.Errorf("columns\n %q\nwant\n %q", got, tt.columns)
				}
			}
			if tt.values != nil && !slices.EqualFunc(d.Table.Values, tt.values, slices.Equal) {
				t.Errorf("values %q, want %q", d.Table.Values, tt.values)
			}
			notes := d.Notes()
			if len(notes) != len(tt.notes) {
				t.Fatalf("notes %q, want %q", notes, tt.notes)
			}
			for i, n := range tt.notes {
				if !strings.Contains(notes[i], n) {
					t.Errorf("note %q lacks %q", notes[i], n)
				}
			}
		})
	}
}

func TestTableErrors(t *testing.T) {
	many := func(distinct int, repeat bool) string {
		var b strings.Builder
		b.WriteString("cabin,v,y\n")
		for i := range distinct {
			b.WriteString("C" + itoa(i) + "," + itoa(i) + "," + itoa(i%2) + "\n")
		}
		if repeat {
			b.WriteString("C0,1,0\n")
		}
		return b.String()
	}
	tests := []struct {
		name      string
		content   string
		opts      LoadOptions
		kind      error
		line, col int
		want      []string
	}{
		{"count line (scikit-learn's boston)", "3,2,,\na,b,y\n1,2,0\n3,4,1\n5,6,0\n", LoadOptions{}, ErrCountLine, 1, 0,
			[]string{`"3,2,,"`, "3 rows, 2 features", "--skip-rows 1"}},
		{"count line with class names (scikit-learn's iris)", "3,2,x\n1,2,0\n3,4,1\n5,6,0\n", LoadOptions{}, ErrCountLine, 1, 0,
			[]string{"--skip-rows 1"}},
		{"comment line above the header", "# source: somewhere\na,b,y\n1,2,0\n", LoadOptions{}, ErrTarget, 1, 0,
			[]string{"skip it with --skip-rows 1"}},
		{"title line wider than nothing", "title,x\na,b,y\n1,2,0\n", LoadOptions{}, ErrRaggedRow, 2, 0,
			[]string{"3 fields, but the header has 2", "--skip-rows 1"}},
		{"negative skip", "a,y\n1,0\n", LoadOptions{Table: &TableOptions{SkipRows: -1}}, ErrColumn, 0, 0, []string{"give 0 or more"}},
		{"skip everything", "a,y\n1,0\n", LoadOptions{Table: &TableOptions{SkipRows: 5}}, ErrEmptyFile, 0, 0, []string{"after skipping 5 lines"}},
		{"too many categories", many(70, true), LoadOptions{}, ErrColumn, 0, 1,
			[]string{"more than 64 distinct values", "--drop cabin", "--max-categories"}},
		{"too many for a lower bound", "c,y\na,0\nb,1\nc,0\na,1\n", LoadOptions{Table: &TableOptions{MaxCategories: 2}}, ErrColumn, 0, 1,
			[]string{"more than 2 distinct values"}},
		{"forced categorical over the bound", many(70, false), LoadOptions{Table: &TableOptions{Categorical: []string{"v"}}}, ErrColumn, 0, 2,
			[]string{"--drop v"}},
		{"a word in a column of numbers", "a,b,y\n1,2,0\n3,four,1\n5,6,0\n", LoadOptions{}, ErrNonNumeric, 3, 2,
			[]string{`"four" in a column of numbers`, "--categorical b", "--drop b"}},
		{"a bad date in a date column", "when,y\n2003-09-19,0\n2003-09-20,1\n2003-19-09,0\n", LoadOptions{}, ErrDate, 4, 1,
			[]string{`"2003-19-09" is not a date`, "--drop when"}},
		{"numeric gap without --impute", "a,b,y\n1,2,0\n,4,1\nx,5,0\n3,3,1\n", LoadOptions{}, ErrNonNumeric, 4, 1,
			[]string{`"x" in a column of numbers`}},
		{"numeric gap in a table with text", "s,b,y\nu,2,0\nv,,1\nu,5,0\n", LoadOptions{}, ErrMissingValue, 3, 2,
			[]string{"dropped instead", "--impute"}},
		{"unknown --impute", "s,b,y\nu,2,0\nv,,1\n", LoadOptions{Table: &TableOptions{Impute: "avg"}}, ErrColumn, 0, 0, []string{`unknown --impute "avg"`}},
		{"unknown --features name", "a,b,y\n1,2,0\n", LoadOptions{Table: &TableOptions{Features: []string{"q"}}}, ErrColumn, 0, 0,
			[]string{`--features: no column named "q"; columns are "a", "b", "y"`}},
		{"--drop index out of range", "a,b,y\n1,2,0\n", LoadOptions{Table: &TableOptions{Drop: []string{"7"}}}, ErrColumn, 0, 0,
			[]string{"--drop: index 7 is out of range"}},
		{"--drop the target", "a,b,y\n1,2,0\n", LoadOptions{Table: &TableOptions{Drop: []string{"y"}}}, ErrColumn, 0, 0,
			[]string{`--drop: "y" is the target column`}},
		{"every feature dropped", "a,b,y\n1,2,0\n", LoadOptions{Table: &TableOptions{Drop: []string{"a", "b"}}}, ErrColumn, 0, 0,
			[]string{"no feature columns are left", `"a" (ignored: --drop)`}},
		{"only an identifier", "name,y\nAnn,0\nBob,1\n", LoadOptions{}, ErrColumn, 0, 0,
			[]string{"no feature columns are left", "identifier"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTemp(t, "bad.csv", []byte(tt.content))
			if tt.opts.Table == nil {
				tt.opts.Table = &TableOptions{}
			}
			_, err := Load(path, tt.opts)
			var fe *FileError
			if !errors.As(err, &fe) || !errors.Is(err, tt.kind) {
				t.Fatalf("error %v, want a *FileError of kind %v", err, tt.kind)
			}
			if fe.Line != tt.line || fe.Column != tt.col {
				t.Errorf("at line %d column %d, want %d %d (%v)", fe.Line, fe.Column, tt.line, tt.col, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// A numeric file read through the typed loader (because columns were
// chosen) holds the same numbers as the numeric loader gives.
func TestTableNumericMatchesNumericLoader(t *testing.T) {
	content := "a,b,c,y\n1.5,-2e3,7,0\n0.25,3,,1\n4,5,6,2\n"
	path := writeTemp(t, "n.csv", []byte(content))
	plain, err := Load(path, LoadOptions{DropMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	typed, err := Load(path, LoadOptions{DropMissing: true, Table: &TableOptions{Drop: []string{}, Features: []string{"a", "b", "c"}}})
	if err != nil {
		t.Fatal(err)
	}
	if plain.Table != nil || typed.Table == nil || typed.Table.Raw {
		t.Fatalf("tables %+v / %+v, want nil / plain", plain.Table, typed.Table)
	}
	if !slices.Equal(plain.X.RawMatrix().Data, typed.X.RawMatrix().Data) || !slices.Equal(plain.Y.RawMatrix().Data, typed.Y.RawMatrix().Data) ||
		!slices.Equal(plain.FeatureNames, typed.FeatureNames) || !slices.Equal(plain.ClassNames, typed.ClassNames) || plain.Dropped != typed.Dropped {
		t.Errorf("typed load differs:\n %v %v\n %v %v", plain.X.RawMatrix().Data, plain.Y.RawMatrix().Data, typed.X.RawMatrix().Data, typed.Y.RawMatrix().Data)
	}
}

// Real files that ship with Debian's Python packages (issue 20): skipped
// when they are not installed.
func TestTableRealFiles(t *testing.T) {
	boston := "/usr/lib/python3/dist-packages/sklearn/datasets/data/boston_house_prices.csv"
	msft := "/usr/share/matplotlib/mpl-data/sample_data/msft.csv"
	for _, p := range []string{boston, msft} {
		if _, err := Load(p, LoadOptions{Table: &TableOptions{}}); err != nil && strings.Contains(err.Error(), "does not exist") {
			t.Skip(p, "is not installed")
		}
	}
	_, err := Load(boston, LoadOptions{})
	if !errors.Is(err, ErrCountLine) || !strings.Contains(err.Error(), "--skip-rows 1") {
		t.Errorf("boston without --skip-rows: %v, want the count line named", err)
	}
	d, err := Load(boston, LoadOptions{Table: &TableOptions{SkipRows: 1}})
	if err != nil || d.Rows() != 506 || d.Features() != 13 || d.Task != Regression || d.FeatureNames[0] != "CRIM" {
		t.Errorf("boston with --skip-rows 1: %v", err)
	}
	d, err = Load(msft, LoadOptions{Table: &TableOptions{}})
	if err != nil || d.Rows() != 65 || d.Table == nil || d.Table.Columns[0].Kind != Date {
		t.Fatalf("msft.csv: %v", err)
	}
	if got := d.X.At(0, 0); got != 12314 { // 19-Sep-03
		t.Errorf("msft.csv first date %v days, want 12314", got)
	}
}

// A caller that passes no table options does not run Split.Preprocess, so
// it must never get raw codes: such files are refused as before tables.
func TestTableNeedsTheCallersConsent(t *testing.T) {
	for _, c := range []struct{ content, want string }{
		{"port,v,y\nS,1,0\nC,2,1\nS,3,0\n", `"S" in a feature column (only the target column may hold text)`},
		{"v,w,y\n1,,0\n2,3,1\n", `"" (rows with missing values can be dropped instead)`},
	} {
		path := writeTemp(t, "mixed.csv", []byte(c.content))
		if _, err := Load(path, LoadOptions{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("without table options: %v, want %q", err, c.want)
		}
		if _, err := Load(path, LoadOptions{Table: &TableOptions{Impute: ImputeMean}}); err != nil {
			t.Errorf("with table options: %v", err)
		}
	}
}

func TestTableOptionsSetRole(t *testing.T) {
	content := "a,b,c,y\n1,2,3,0\n4,5,6,1\n"
	path := writeTemp(t, "r.csv", []byte(content))
	features := func(o *TableOptions) string {
		d, err := Load(path, LoadOptions{Table: o})
		if err != nil {
			return err.Error()
		}
		return strings.Join(d.FeatureNames, ",")
	}
	o := &TableOptions{}
	steps := []struct {
		do   func()
		want string
	}{
		{func() { o.SetRole("b", RoleIgnored) }, "a,c"},
		{func() { o.SetRole("b", RoleIgnored) }, "a,c"},
		{func() { o.SetRole("a", RoleIgnored) }, "c"},
		{func() { o.SetRole("b", RoleFeature) }, "b,c"},
		{func() { o.Drop = nil; o.Features = []string{"a"} }, "a"},
		{func() { o.SetRole("c", RoleFeature) }, "a,c"},
		{func() { o.SetRole("a", RoleIgnored) }, "c"},
		{func() { o.SetRole("c", RoleIgnored) }, "a,b"}, // the last chosen feature: back to all but the dropped
		{func() { o.SetCategorical("a", true); o.SetCategorical("a", true) }, "a,b"},
	}
	for i, s := range steps {
		s.do()
		if got := features(o); got != s.want {
			t.Fatalf("step %d: features %q (options %+v), want %q", i, got, o, s.want)
		}
	}
	if len(o.Categorical) != 1 {
		t.Errorf("categorical %q, want [a] once", o.Categorical)
	}
	o.SetCategorical("a", false)
	if len(o.Categorical) != 0 {
		t.Errorf("categorical %q, want none", o.Categorical)
	}
}

func TestTableFlagValues(t *testing.T) {
	h := &csvHead{header: true, names: []string{"plain", "two words", "a,b", "it's"}}
	for j, want := range []string{"plain", `"two words"`, "2", `"it's"`} {
		if got := h.flagValue(j); got != want {
			t.Errorf("flagValue(%q) = %s, want %s", h.names[j], got, want)
		}
	}
	h.header = false
	if got := h.flagValue(0); got != "0" {
		t.Errorf("without a header: %s, want 0", got)
	}
}
