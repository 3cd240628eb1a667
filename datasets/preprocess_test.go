package datasets

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// mixedTable is a table like the ones issue 20 names: an identifier, a
// number with gaps, a category with gaps, a date, a number, a class.
func mixedTable() (string, [][]string) {
	var b strings.Builder
	b.WriteString("name,age,port,boarded,fare,survived\n")
	ports := []string{"S", "C", "Q", ""}
	var rows [][]string
	for i := range 200 {
		age := fmt.Sprint(20 + (i*7)%50)
		if i%9 == 0 {
			age = ""
		}
		port := ports[(i*5)%4]
		if i%20 == 7 {
			port = fmt.Sprintf("X%d", i) // one row each: some only in validation or test
		}
		date := fmt.Sprintf("1912-04-%02d", 1+i%14)
		if i%3 == 1 {
			date = fmt.Sprintf("%d/%d/1912", 4, 1+i%14)
		}
		fare := fmt.Sprint(float64(i%17) * 1.25)
		row := []string{fmt.Sprintf("passenger %d", i), age, port, date, fare, fmt.Sprint(i % 2)}
		rows = append(rows, row)
		b.WriteString(strings.Join(row, ",") + "\n")
	}
	return b.String(), rows
}

func TestMixedTableEndToEnd(t *testing.T) {
	content, rows := mixedTable()
	path := writeTemp(t, "mixed.csv", []byte(content))
	d, err := Load(path, LoadOptions{Table: &TableOptions{Impute: ImputeMedian}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.FeatureNames, []string{"age", "port", "boarded", "fare"}) || len(d.Notes()) != 1 || !strings.Contains(d.Notes()[0], `"name"`) {
		t.Fatalf("features %q, notes %q", d.FeatureNames, d.Notes())
	}
	sp, err := d.Split(0.2, 0.2, 3)
	if err != nil {
		t.Fatal(err)
	}
	enc, p, err := sp.Preprocess()
	if err != nil {
		t.Fatal(err)
	}

	// Fitted on the training part only: its categories and its median.
	tr := sp.Train
	var ages []float64
	seen := map[string]bool{}
	for r := range tr.Rows() {
		if v := tr.X.At(r, 0); !math.IsNaN(v) {
			ages = append(ages, v)
		}
		if v := tr.X.At(r, 1); math.IsNaN(v) {
			seen[MissingCategory] = true
		} else {
			seen[d.Table.Values[1][int(v)]] = true
		}
	}
	var vocab []string
	for c := range seen {
		vocab = append(vocab, c)
	}
	slices.Sort(vocab)
	slices.Sort(ages)
	median := (ages[len(ages)/2-1] + ages[len(ages)/2]) / 2
	if len(ages)%2 == 1 {
		median = ages[len(ages)/2]
	}
	if !slices.Equal(p.Inputs[1].Categories, vocab) || p.Inputs[0].Fill == nil || *p.Inputs[0].Fill != median {
		t.Fatalf("fitted %q fill %v; want the training part's %q and median %v", p.Inputs[1].Categories, p.Inputs[0].Fill, vocab, median)
	}
	if p.Inputs[2].Kind != Date || p.Inputs[3].Kind != Numeric || p.Inputs[3].Fill == nil {
		t.Fatalf("inputs %+v", p.Inputs)
	}
	wantNames := []string{"age"}
	for _, c := range vocab {
		wantNames = append(wantNames, "port="+c)
	}
	wantNames = append(wantNames, "port=(unknown)", "boarded:days", "boarded:Mon", "boarded:Tue", "boarded:Wed",
		"boarded:Thu", "boarded:Fri", "boarded:Sat", "boarded:Sun", "fare")
	if got := p.FeatureNames(); !slices.Equal(got, wantNames) || p.Outputs() != len(wantNames) || enc.Train.Features() != len(wantNames) ||
		!slices.Equal(enc.Test.FeatureNames, wantNames) || enc.Train.Table.Raw {
		t.Fatalf("names %q, want %q", got, wantNames)
	}
	if enc.Train.Rows() != tr.Rows() || enc.Val.Rows() != sp.Val.Rows() || enc.Test.Rows() != sp.Test.Rows() {
		t.Fatal("rows changed")
	}

	// The stored form encodes raw strings exactly as the load's codes were.
	blob, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var stored Preprocessor
	if err := json.Unmarshal(blob, &stored); err != nil || stored.Check() != nil {
		t.Fatalf("round trip: %v %v", err, stored.Check())
	}
	all, err := p.Encode(d)
	if err != nil {
		t.Fatal(err)
	}
	unknown, unseen := 1+len(vocab), 0
	for i, row := range rows {
		got, err := stored.Transform(row[1:5])
		if err != nil {
			t.Fatalf("row %d %q: %v", i, row, err)
		}
		if want := all.X.RawRowView(i); !slices.Equal(got, want) {
			t.Fatalf("row %d %q: Transform %v, Encode %v", i, row, got, want)
		}
		if !slices.Contains(vocab, row[2]) && row[2] != "" {
			unseen++
			if got[unknown] != 1 {
				t.Errorf("row %d: unseen port %q not in the unknown slot: %v", i, row[2], got)
			}
		}
	}
	if unseen == 0 {
		t.Error("every port was seen in training; the test needs some that were not")
	}
	if !strings.Contains(string(blob), `"categories":["(missing)","C","Q","S"`) {
		t.Errorf("stored form %s lacks the sorted vocabulary", blob)
	}
}

func TestTransformRows(t *testing.T) {
	fill := 30.0
	p := &Preprocessor{Version: 1, Inputs: []InputColumn{
		{Name: "age", Kind: Numeric, Fill: &fill},
		{Name: "port", Kind: Categorical, Categories: []string{MissingCategory, "C", "S"}},
		{Name: "when", Kind: Date},
		{Name: "grade", Kind: Categorical, Categories: []string{"1", "2.5"}, NumericCategories: true},
		{Name: "fare", Kind: Numeric},
	}}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	// age | port (missing) C S unknown | days Mon..Sun | grade 1 2.5 unknown | fare
	tests := []struct {
		name string
		row  []string
		want []float64
		err  error
		msg  string
	}{
		{"known values", []string{"41", "S", "2003-09-19", "1.0", "7.5"},
			[]float64{41, 0, 0, 1, 0, 12314, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 7.5}, nil, ""},
		{"gaps: fill and (missing)", []string{" ", "NA", "19-Sep-03", "2.50", "0"},
			[]float64{30, 1, 0, 0, 0, 12314, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0}, nil, ""},
		{"unseen categories go to the unknown slot", []string{"1", "Q", "9/20/2003", "7", "1"},
			[]float64{1, 0, 0, 0, 1, 12315, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1}, nil, ""},
		{"a date in an unknown form", []string{"1", "S", "19.09.2003", "1", "1"}, nil, ErrDate, `column "when": "19.09.2003" is not a date in a known form`},
		{"text for a number", []string{"old", "S", "2003-09-19", "1", "1"}, nil, ErrNonNumeric, `column "age": "old" is not a number`},
		{"missing with no fill", []string{"1", "S", "2003-09-19", "1", ""}, nil, ErrMissingValue, `column "fare" is missing`},
		{"infinite", []string{"1e999", "S", "2003-09-19", "1", "1"}, nil, ErrNonNumeric, "not a finite number"},
		{"a missing date with no fill", []string{"1", "S", "?", "1", "1"}, nil, ErrMissingValue, `column "when"`},
		{"too few values", []string{"1"}, nil, nil, "1 values, expected 5 (age, port, when, grade, fare)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.Transform(tt.row)
			if tt.msg != "" {
				if err == nil || !strings.Contains(err.Error(), tt.msg) || (tt.err != nil && !errors.Is(err, tt.err)) {
					t.Fatalf("error %v, want %q (%v)", err, tt.msg, tt.err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("%v %v, want %v", got, err, tt.want)
			}
		})
	}
	rows := [][]string{{"41", "S", "2003-09-19", "1", "7.5"}, {"", "Q", "2003-09-20T10:00Z", "3", "1"}}
	dst := make([]float64, len(rows)*p.Outputs())
	if allocs := testing.AllocsPerRun(50, func() {
		if err := p.TransformRows(dst, rows); err != nil {
			t.Fatal(err)
		}
	}); allocs != 0 {
		t.Errorf("TransformRows allocates %v times per call, want 0", allocs)
	}
	err := p.TransformRows(dst, [][]string{rows[0], {"1", "S", "bad", "1", "1"}})
	var ie *InputError
	if !errors.As(err, &ie) || ie.Row != 1 || !strings.HasPrefix(err.Error(), "row 1, column \"when\"") {
		t.Errorf("batch error %v, want row 1 named", err)
	}
}

func TestPreprocessorCheck(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		p    Preprocessor
		want string
	}{
		{Preprocessor{Version: 2, Inputs: []InputColumn{{Name: "a", Kind: Numeric}}}, "version 2"},
		{Preprocessor{Version: 1}, "no input columns"},
		{Preprocessor{Version: 1, Inputs: []InputColumn{{Name: "a", Kind: "blob"}}}, `unknown kind "blob"`},
		{Preprocessor{Version: 1, Inputs: []InputColumn{{Name: "a", Kind: Categorical, Categories: []string{"b", "a"}}}}, "not sorted"},
		{Preprocessor{Version: 1, Inputs: []InputColumn{{Name: "a", Kind: Numeric, Fill: &nan}}}, "not a finite number"},
	} {
		if err := c.p.Check(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Check() = %v, want %q", err, c.want)
		}
	}
}

func TestImputeStrategies(t *testing.T) {
	content := "a,s,y\n1,u,0\n,v,1\n2,u,0\n2,v,1\n10,u,0\n"
	for _, c := range []struct {
		how  Impute
		want float64
	}{{ImputeMean, 3.75}, {ImputeMedian, 2}, {ImputeMostFrequent, 2}, {"Mean", 3.75}, {" median", 2}} {
		d, err := Load(writeTemp(t, "i.csv", []byte(content)), LoadOptions{Table: &TableOptions{Impute: c.how}})
		if err != nil {
			t.Fatal(err)
		}
		p, err := FitPreprocessor(d)
		if err != nil || p.Inputs[0].Fill == nil || *p.Inputs[0].Fill != c.want {
			t.Errorf("%s: fill %v (%v), want %v", c.how, p.Inputs[0].Fill, err, c.want)
		}
	}
	if got := imputeValue([]float64{3, 1, 3, 1}, ImputeMostFrequent); got != 1 {
		t.Errorf("most frequent of a tie = %v, want the smallest, 1", got)
	}
}

// Numeric data needs no preprocessing: the split comes back as it was.
func TestPreprocessNumericIsIdentity(t *testing.T) {
	d, err := Load("iris", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sp, _ := d.Split(0.2, 0.2, 1)
	out, p, err := sp.Preprocess()
	if err != nil || p != nil || out.Train != sp.Train || out.Test != sp.Test {
		t.Errorf("numeric split preprocessed: %v %v", p, err)
	}
	if _, err := FitPreprocessor(sp.Train); err == nil {
		t.Error("FitPreprocessor accepted numeric data")
	}
	// A preprocessor applied to another table's columns is an error, not a panic.
	a, err := Load(writeTemp(t, "a.csv", []byte("c,v,y\nS,1,0\nC,2,1\nS,3,0\n")), LoadOptions{Table: &TableOptions{}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load(writeTemp(t, "b.csv", []byte("c,v,y\n1,S,0\n2,C,1\n3,S,0\n")), LoadOptions{Table: &TableOptions{}})
	if err != nil {
		t.Fatal(err)
	}
	pa, err := FitPreprocessor(a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pa.Encode(b); err == nil || !strings.Contains(err.Error(), `input 0 is categorical column "c", the data's is numeric column "c"`) {
		t.Errorf("Encode on another table: %v", err)
	}
}

func TestPreprocessorReadCSV(t *testing.T) {
	p := &Preprocessor{Version: 1, Inputs: []InputColumn{
		{Name: "age", Kind: Numeric},
		{Name: "port", Kind: Categorical, Categories: []string{"C", "S"}},
	}}
	tests := []struct {
		name, in string
		want     [][]float64
		err      string
	}{
		{"header by name, extra columns ignored", "Name,PORT,age,survived\nAnn,S,30,1\nBob,Q,40,0\n", [][]float64{{30, 0, 1, 0}, {40, 0, 0, 1}}, ""},
		{"no header, inputs in order", "30,C\n41.5,S\n", [][]float64{{30, 1, 0, 0}, {41.5, 0, 1, 0}}, ""},
		{"semicolons and decimal commas", "age;port\n5,5;C\n", [][]float64{{5.5, 1, 0, 0}}, ""},
		{"a header that names other columns", "a,b\n1,S\n", nil, "does not name the model's 2 inputs (age, port)"},
		{"a bad value names row and column", "age,port\n1,S\nold,C\n", nil, `row 2, column "age": "old" is not a number`},
		{"wrong width", "30,C,1\n", nil, "row 1: 3 values, expected 2"},
		{"empty", "\n", nil, "no rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.ReadCSV([]byte(tt.in), 0)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Fatalf("%v %v, want %v", got, err, tt.want)
			}
		})
	}
	if _, err := p.ReadCSV([]byte(strings.Repeat("30,C\n", 10000)), 64<<10); !errors.Is(err, ErrTooBig) {
		t.Errorf("over the budget: %v, want ErrTooBig", err)
	}
}
