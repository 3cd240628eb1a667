package datasets

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The preprocessing matches scikit-learn's ColumnTransformer (SimpleImputer,
// OneHotEncoder(handle_unknown="ignore")) fitted on the same rows; the
// reference is testdata/tables/sklearn_test.csv, made by sklearn_encode.py
// beside it. scikit-learn has no unknown slot (an unseen category is all
// zeros), so ours is checked apart: 1 exactly where scikit-learn's block is 0.
func TestPreprocessMatchesScikitLearn(t *testing.T) {
	d, err := Load("testdata/tables/mixed.csv", LoadOptions{Table: &TableOptions{Impute: ImputeMedian}})
	if err != nil {
		t.Fatal(err)
	}
	var trainRows, testRows []int
	for i := range d.Rows() {
		if i < 150 {
			trainRows = append(trainRows, i)
		} else {
			testRows = append(testRows, i)
		}
	}
	p, err := FitPreprocessor(d.withRows(trainRows))
	if err != nil {
		t.Fatal(err)
	}
	enc, err := p.Encode(d.withRows(testRows))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("testdata/tables/sklearn_test.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ref, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Our port block: the sklearn categories, in the same order, then unknown.
	var refPort []string
	for _, h := range ref[0] {
		if c, ok := strings.CutPrefix(h, "port__x1_"); ok {
			refPort = append(refPort, c)
		}
	}
	if got := p.Inputs[1].Categories; strings.Join(got, "|") != strings.Join(refPort, "|") {
		t.Fatalf("categories %q, scikit-learn's %q", got, refPort)
	}
	unknown := 1 + len(refPort)
	if len(ref)-1 != enc.Rows() || len(ref[0]) != enc.Features()-1 {
		t.Fatalf("%d×%d encoded, scikit-learn %d×%d+1", enc.Rows(), enc.Features(), len(ref)-1, len(ref[0]))
	}
	unseen := 0
	for i, row := range ref[1:] {
		ours := enc.X.RawRowView(i)
		ours = append(append([]float64(nil), ours[:unknown]...), ours[unknown+1:]...)
		portSum := 0.0
		for j, cell := range row {
			want, err := strconv.ParseFloat(cell, 64)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(ours[j]-want) > 1e-12 {
				t.Errorf("test row %d, %s: %v, scikit-learn %v", i, ref[0][j], ours[j], want)
			}
			if j >= 1 && j < unknown {
				portSum += want
			}
		}
		if u := enc.X.At(i, unknown); u != 1-portSum {
			t.Errorf("test row %d: unknown slot %v with scikit-learn's block summing to %v", i, u, portSum)
		}
		if portSum == 0 {
			unseen++
		}
	}
	if unseen == 0 {
		t.Error("no test row has an unseen category; the check of the unknown slot is idle")
	}
}
