package datasets

import (
	"reflect"
	"strings"
	"testing"
)

func TestReadFeatureRows(t *testing.T) {
	iris := []string{"sepal_length", "sepal_width", "petal_length", "petal_width"}
	for _, c := range []struct {
		name, in string
		features []string
		want     [][]float64
		err      string
	}{
		{"plain", "5.1,3.5,1.4,0.2\n6.2,2.9,4.3,1.3\n", iris, [][]float64{{5.1, 3.5, 1.4, 0.2}, {6.2, 2.9, 4.3, 1.3}}, ""},
		{"semicolons with decimal commas", "sepal_length;sepal_width;petal_length;petal_width\n5,1;3,5;1,4;0,2\n6,2;2,9;4,3;1,3\n", iris,
			[][]float64{{5.1, 3.5, 1.4, 0.2}, {6.2, 2.9, 4.3, 1.3}}, ""},
		{"one semicolon row with decimal commas", "5,1;3,5;1,4;0,2\n", iris, [][]float64{{5.1, 3.5, 1.4, 0.2}}, ""},
		{"tabs, BOM, CRLF", "\xef\xbb\xbf5.1\t3.5\t1.4\t0.2\r\n", iris, [][]float64{{5.1, 3.5, 1.4, 0.2}}, ""},
		{"header by name, reordered, extra column", "id,petal_width,Petal_Length,sepal_width,sepal_length\n7,0.2,1.4,3.5,5.1\n", iris,
			[][]float64{{5.1, 3.5, 1.4, 0.2}}, ""},
		{"header by position", "a,b,c,d\n1,2,3,4\n", iris, [][]float64{{1, 2, 3, 4}}, ""},
		{"one feature", "x\n1.5\n2\n", []string{"x"}, [][]float64{{1.5}, {2}}, ""},
		{"header of other width", "a,b,c\n1,2,3\n", iris, nil, "the header has 3 columns (a, b, c) and does not name the session's 4 features"},
		{"short row", "1,2,3,4\n1,2,3\n", iris, nil, "row 2: 3 values, expected 4 (sepal_length, sepal_width, petal_length, petal_width)"},
		{"missing value", "1,2,3,4\n1,,3,4\n", iris, nil, "row 2, column 2 (sepal_width): missing value"},
		{"text", "1,2,3,4\n1,2,x,4\n", iris, nil, `row 2, column 3 (petal_length): "x" is not a number`},
		{"NaN", "1,2,3,NaN\n", iris, nil, `row 1, column 4 (petal_width): "NaN" is not a number`},
		{"decimal comma outside semicolons", "1,5\n", []string{"x"}, nil, `row 1: 2 values, expected 1`},
		{"only a header", "a,b,c,d\n", iris, nil, "no rows in the input"},
		{"empty", "\n\n", iris, nil, "no rows in the input"},
	} {
		got, err := ReadFeatureRows([]byte(c.in), c.features)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want one containing %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %v, %v; want %v", c.name, got, err, c.want)
		}
	}
}

// TestTrainingAndPredictionReadTheSameFile: a file that trains predicts.
func TestTrainingAndPredictionReadTheSameFile(t *testing.T) {
	file := "a;b;label\n1,5;2,25;x\n3,0;4,5;y\n0,5;1,0;x\n"
	d, err := parseCSV("f.csv", []byte(file), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := ReadFeatureRows([]byte(file), d.FeatureNames)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{1.5, 2.25}, {3, 4.5}, {0.5, 1}}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("rows %v, want %v", rows, want)
	}
}
