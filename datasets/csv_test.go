package datasets

import (
	"bytes"
	"compress/gzip"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func writeTemp(t testing.TB, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCSVLoads(t *testing.T) {
	tests := []struct {
		name     string
		content  string
		opts     LoadOptions
		task     Task
		features []string
		classes  []string // classification
		target   string   // regression target name
		x        [][]float64
		y        []float64
		dropped  int
	}{
		{
			name:     "header, text target in order of first appearance",
			content:  "a,b,species\n1,2,virginica\n3,4,setosa\n5,6,virginica\n",
			task:     Classification,
			features: []string{"a", "b"},
			classes:  []string{"virginica", "setosa"},
			x:        [][]float64{{1, 2}, {3, 4}, {5, 6}},
			y:        []float64{0, 1, 0},
		},
		{
			name:     "no header, text target",
			content:  "1,2,cat\n3,4,dog\n",
			task:     Classification,
			features: []string{"col1", "col2"},
			classes:  []string{"cat", "dog"},
			x:        [][]float64{{1, 2}, {3, 4}},
			y:        []float64{0, 1},
		},
		{
			name:     "semicolons and decimal commas",
			content:  "x;y;label\n1,5;2;a\n-0,25;3,0;b\n",
			task:     Classification,
			features: []string{"x", "y"},
			classes:  []string{"a", "b"},
			x:        [][]float64{{1.5, 2}, {-0.25, 3}},
			y:        []float64{0, 1},
		},
		{
			name:     "tabs",
			content:  "x\ty\tz\n1\t2\t0.5\n3\t4\t1.5\n",
			task:     Regression,
			features: []string{"x", "y"},
			target:   "z",
			x:        [][]float64{{1, 2}, {3, 4}},
			y:        []float64{0.5, 1.5},
		},
		{
			name:     "BOM, CRLF, blank lines, spaces",
			content:  "\xef\xbb\xbfx, y, t\r\n1, 2, 0.5\r\n\r\n 3 ,4 ,1.25\r\n\r\n",
			task:     Regression,
			features: []string{"x", "y"},
			target:   "t",
			x:        [][]float64{{1, 2}, {3, 4}},
			y:        []float64{0.5, 1.25},
		},
		{
			name:     "quoted fields: delimiters, doubled quotes, newlines",
			content:  "\"a,1\",\"b\",kind\n\"1\",2,\"big, \"\"red\"\"\"\n3,\"4\",\"two\nlines\"\n",
			task:     Classification,
			features: []string{"a,1", "b"},
			classes:  []string{`big, "red"`, "two\nlines"},
			x:        [][]float64{{1, 2}, {3, 4}},
			y:        []float64{0, 1},
		},
		{
			name:     "few distinct integers: classification, numeric order",
			content:  "1,2,2\n3,4,0\n5,6,1\n7,8,2\n",
			task:     Classification,
			features: []string{"col1", "col2"},
			classes:  []string{"0", "1", "2"},
			x:        [][]float64{{1, 2}, {3, 4}, {5, 6}, {7, 8}},
			y:        []float64{2, 0, 1, 2},
		},
		{
			name:     "forced regression of integer labels",
			content:  "1,2,2\n3,4,0\n",
			opts:     LoadOptions{Task: Regression},
			task:     Regression,
			features: []string{"col1", "col2"},
			target:   "col3",
			x:        [][]float64{{1, 2}, {3, 4}},
			y:        []float64{2, 0},
		},
		{
			name:     "forced classification of decimals",
			content:  "f,t\n1,0.5\n2,0.25\n3,0.5\n",
			opts:     LoadOptions{Task: Classification},
			task:     Classification,
			features: []string{"f"},
			classes:  []string{"0.25", "0.5"},
			x:        [][]float64{{1}, {2}, {3}},
			y:        []float64{1, 0, 1},
		},
		{
			name:     "target by name, case-insensitively",
			content:  "Label,a,b\nx,1,2\ny,3,4\n",
			opts:     LoadOptions{Target: "label"},
			task:     Classification,
			features: []string{"a", "b"},
			classes:  []string{"x", "y"},
			x:        [][]float64{{1, 2}, {3, 4}},
			y:        []float64{0, 1},
		},
		{
			name:     "target by 0-based index",
			content:  "1.5,10,2\n2.5,20,3\n",
			opts:     LoadOptions{Target: "0"},
			task:     Regression,
			features: []string{"col2", "col3"},
			target:   "col1",
			x:        [][]float64{{10, 2}, {20, 3}},
			y:        []float64{1.5, 2.5},
		},
		{
			name:     "drop missing",
			content:  "a,b,c\n1,2,x\n,3,y\n4,NA,x\n5,6,\n7,8,y\n",
			opts:     LoadOptions{DropMissing: true},
			task:     Classification,
			features: []string{"a", "b"},
			classes:  []string{"x", "y"},
			x:        [][]float64{{1, 2}, {7, 8}},
			y:        []float64{0, 1},
			dropped:  3,
		},
		{
			name:     "no trailing newline, scientific notation",
			content:  "a,b\n1e3,-2.5E-1",
			task:     Regression,
			features: []string{"a"},
			target:   "b",
			x:        [][]float64{{1000}},
			y:        []float64{-0.25},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTemp(t, "data.csv", []byte(tt.content))
			d, err := Load(path, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if d.Task != tt.task {
				t.Fatalf("task %s, want %s", d.Task, tt.task)
			}
			if !slices.Equal(d.FeatureNames, tt.features) {
				t.Errorf("features %q, want %q", d.FeatureNames, tt.features)
			}
			if tt.task == Classification && !slices.Equal(d.ClassNames, tt.classes) {
				t.Errorf("classes %q, want %q", d.ClassNames, tt.classes)
			}
			if tt.task == Regression && !slices.Equal(d.TargetNames, []string{tt.target}) {
				t.Errorf("targets %q, want %q", d.TargetNames, tt.target)
			}
			if d.Rows() != len(tt.x) || d.Dropped != tt.dropped {
				t.Fatalf("%d rows, %d dropped; want %d, %d", d.Rows(), d.Dropped, len(tt.x), tt.dropped)
			}
			for i, row := range tt.x {
				if !slices.Equal(d.X.RawRowView(i), row) || d.Y.At(i, 0) != tt.y[i] {
					t.Errorf("row %d = %v → %v, want %v → %v", i, d.X.RawRowView(i), d.Y.At(i, 0), row, tt.y[i])
				}
			}
			if d.Name != "data" || !filepath.IsAbs(d.Ref) {
				t.Errorf("name %q ref %q", d.Name, d.Ref)
			}
		})
	}
}

func TestCSVErrors(t *testing.T) {
	tests := []struct {
		name       string
		content    string
		opts       LoadOptions
		kind       error
		line, col  int
		colName    string
		wantDetail string
	}{
		{"empty file", "", LoadOptions{}, ErrEmptyFile, 0, 0, "", "empty"},
		{"blank lines only", "\n\r\n  \n", LoadOptions{}, ErrEmptyFile, 0, 0, "", "empty"},
		{"BOM only", "\xef\xbb\xbf", LoadOptions{}, ErrEmptyFile, 0, 0, "", "empty"},
		{"header only", "a,b,c\n", LoadOptions{}, ErrEmptyFile, 0, 0, "", "header but no data rows"},
		{"non-numeric feature", "a,b,c\n1,2,x\n3,four,y\n", LoadOptions{}, ErrNonNumeric, 3, 2, "b", `"four"`},
		{"non-numeric without header", "1,2,x\n3,4,y\n5,six,z\n", LoadOptions{}, ErrNonNumeric, 3, 2, "", `"six"`},
		{"infinite feature", "a,b\n1e400,1\n", LoadOptions{}, ErrNonNumeric, 2, 1, "a", "not a finite number"},
		{"missing feature", "a,b,c\n1,2,x\n,3,y\n", LoadOptions{}, ErrMissingValue, 3, 1, "a", "dropped instead"},
		{"missing feature NA", "a,b,c\n1,2,x\n5,NA,y\n", LoadOptions{}, ErrMissingValue, 3, 2, "b", `"NA"`},
		{"missing target", "a,b,c\n1,2,x\n5,6,\n", LoadOptions{}, ErrMissingValue, 3, 3, "c", "target column"},
		{"ragged short", "a,b,c\n1,2,x\n3,4\n", LoadOptions{}, ErrRaggedRow, 3, 0, "", "2 fields, but the header has 3"},
		{"ragged long", "1,2,x\n3,4,y,5\n", LoadOptions{}, ErrRaggedRow, 2, 0, "", "4 fields, but the first line has 3"},
		{"ragged after quoted newline", "a,b,c\n1,2,\"x\ny\"\n3,4\n", LoadOptions{}, ErrRaggedRow, 4, 0, "", "2 fields"},
		{"unclosed quote", "a,b,c\n1,2,x\n3,4,\"y\n5,6,z\n", LoadOptions{}, ErrBadQuote, 3, 3, "", "never closed"},
		{"junk after quote", "a,b,c\n1,2,\"x\"y\n", LoadOptions{}, ErrBadQuote, 2, 3, "", `'y' after the closing quote`},
		{"target name not found", "a,b,c\n1,2,3\n", LoadOptions{Target: "d"}, ErrTargetNotFound, 0, 0, "", `no column named "d"; columns are "a", "b", "c"`},
		{"target index out of range", "a,b,c\n1,2,3\n", LoadOptions{Target: "3"}, ErrTargetNotFound, 0, 0, "", "index 3 is out of range"},
		{"target name without header", "1,2,3\n4,5,6\n", LoadOptions{Target: "c"}, ErrTargetNotFound, 0, 0, "", "no header"},
		{"text target forced regression", "a,b\n1,x\n2,y\n", LoadOptions{Task: Regression}, ErrTarget, 2, 2, "b", `"x" is not a number`},
		{"one column", "a\n1\n2\n", LoadOptions{}, ErrTarget, 1, 0, "", "found 1 column"},
		{"all rows dropped", "a,b\n,1\n2,\n", LoadOptions{DropMissing: true}, ErrEmptyFile, 0, 0, "", "all 2 rows have missing values"},
		{"too many forced classes", func() string {
			var b strings.Builder
			b.WriteString("a,b\n")
			for i := range 1100 {
				b.WriteString("1," + itoa(i) + ".5\n")
			}
			return b.String()
		}(), LoadOptions{Task: Classification}, ErrTarget, 0, 2, "b", "too many to be classes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTemp(t, "bad.csv", []byte(tt.content))
			_, err := Load(path, tt.opts)
			if err == nil {
				t.Fatal("loaded")
			}
			var fe *FileError
			if !errors.As(err, &fe) || !errors.Is(err, tt.kind) {
				t.Fatalf("error %v (%T), want kind %v", err, err, tt.kind)
			}
			if fe.File != path || fe.Line != tt.line || fe.Column != tt.col || fe.ColumnName != tt.colName {
				t.Errorf("at %s:%d:%d %q, want %s:%d:%d %q (%v)", fe.File, fe.Line, fe.Column, fe.ColumnName, path, tt.line, tt.col, tt.colName, err)
			}
			if !strings.Contains(err.Error(), tt.wantDetail) || !strings.Contains(err.Error(), path) {
				t.Errorf("error %q lacks %q or the path", err, tt.wantDetail)
			}
		})
	}
}

func itoa(i int) string { return string(appendInt(nil, i)) }

func appendInt(b []byte, i int) []byte {
	if i >= 10 {
		b = appendInt(b, i/10)
	}
	return append(b, byte('0'+i%10))
}

// Many distinct integers are measurements (regression), few are labels.
func TestCSVTaskDetection(t *testing.T) {
	var many, few strings.Builder
	for i := range 30 {
		many.WriteString(itoa(i) + "," + itoa(i*7%31) + "\n")
		few.WriteString(itoa(i) + "," + itoa(i%3) + "\n")
	}
	d, err := Load(writeTemp(t, "many.csv", []byte(many.String())), LoadOptions{})
	if err != nil || d.Task != Regression {
		t.Errorf("30 distinct integers: %v %v", d, err)
	}
	d, err = Load(writeTemp(t, "few.csv", []byte(few.String())), LoadOptions{})
	if err != nil || d.Task != Classification || len(d.ClassNames) != 3 {
		t.Errorf("3 distinct integers: %v %v", d, err)
	}
}

func TestCSVGzipped(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte("a,b\n1,2\n3,4.5\n"))
	zw.Close()
	d, err := Load(writeTemp(t, "z.csv.gz", buf.Bytes()), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Rows() != 2 || d.Y.At(1, 0) != 4.5 || d.Name != "z" {
		t.Errorf("gzipped CSV: %d rows, y=%v, name %q", d.Rows(), d.Y.At(1, 0), d.Name)
	}
}

func TestLoadFileErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ ref, want string }{
		{filepath.Join(dir, "nope.csv"), "does not exist"},
		{"nope.csv", "does not exist"},
		{dir, "is a directory"},
		{writeTemp(t, "bad.gz", []byte{0x1f, 0x8b, 0, 0}), "bad gzip data"},
	}
	for _, tt := range tests {
		_, err := Load(tt.ref, LoadOptions{})
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), filepath.Base(tt.ref)) {
			t.Errorf("Load(%q) = %v, want %q", tt.ref, err, tt.want)
		}
	}
	if _, err := Load("iris", LoadOptions{Task: "clustering"}); err == nil || !strings.Contains(err.Error(), `unknown task "clustering"`) {
		t.Errorf("bad task: %v", err)
	}
}

// The benchmark's file, checked for content once so that the benchmark
// measures a correct load.
func TestCSV100kContent(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("large file; checked in the ordinary run")
	}
	d, err := Load(csv100k(t), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Rows() != 100000 || d.Features() != 19 || d.Task != Classification || len(d.ClassNames) != 5 {
		t.Fatalf("%d×%d %s %q", d.Rows(), d.Features(), d.Task, d.ClassNames)
	}
	for _, s := range d.Summary() {
		if math.Abs(s.Mean) > 0.5 || math.Abs(s.Std-10) > 0.5 {
			t.Errorf("%s: mean %v std %v, want about 0 and 10", s.Name, s.Mean, s.Std)
		}
	}
}

func FuzzLoadCSV(f *testing.F) {
	for _, seed := range []string{
		"a,b,c\n1,2,x\n3,4,y\n",
		"1;2,5;a\n3;4;b\n",
		"\xef\xbb\xbfx\ty\r\n1\t2\r\n",
		"\"a\"\"b\",c\n\"1\n2\",3\n",
		"a,b\n1,NA\n,2\n",
		"1,2,3\n4,5\n",
		"\"unterminated\n",
		"",
	} {
		f.Add([]byte(seed), "", false)
	}
	f.Add([]byte("a,b,c\n1,2,3\n"), "a", true)
	f.Add([]byte("a,b,c\n1,2,3\n"), "7", false)
	f.Fuzz(func(t *testing.T, data []byte, target string, drop bool) {
		for _, task := range []Task{"", Classification, Regression} {
			d, err := parseCSV("fuzz.csv", data, LoadOptions{Target: target, Task: task, DropMissing: drop})
			if err != nil {
				var fe *FileError
				if !errors.As(err, &fe) {
					t.Fatalf("error %v is not a *FileError", err)
				}
				continue
			}
			n, nf := d.Rows(), d.Features()
			if n < 1 || nf < 1 || len(d.FeatureNames) != nf {
				t.Fatalf("shape %d×%d with names %q", n, nf, d.FeatureNames)
			}
			if r, c := d.Y.Dims(); r != n || c != 1 {
				t.Fatalf("Y %d×%d for %d rows", r, c, n)
			}
			for i := range n {
				for _, v := range d.X.RawRowView(i) {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Fatalf("row %d holds %v", i, v)
					}
				}
				y := d.Y.At(i, 0)
				if d.Task == Classification && (y < 0 || int(y) >= len(d.ClassNames) || y != math.Trunc(y)) {
					t.Fatalf("row %d label %v of %d classes", i, y, len(d.ClassNames))
				}
			}
			if task != "" && d.Task != task {
				t.Fatalf("task %s forced, got %s", task, d.Task)
			}
		}
	})
}
