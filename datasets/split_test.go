package datasets

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestSplitStratified(t *testing.T) {
	tests := []struct {
		ref       string
		val, test float64
	}{
		{"iris", 0.2, 0.2},
		{"wine", 0.1, 0.2},
		{"breast-cancer", 0, 0.25},
		{"blobs?k=4&n=103", 0.15, 0},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			d, err := Load(tt.ref, LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			s, err := d.Split(tt.val, tt.test, 3)
			if err != nil {
				t.Fatal(err)
			}
			wantVal := int(math.Round(float64(d.Rows()) * tt.val))
			wantTest := int(math.Round(float64(d.Rows()) * tt.test))
			if s.Val.Rows() != wantVal || s.Test.Rows() != wantTest || s.Train.Rows() != d.Rows()-wantVal-wantTest {
				t.Fatalf("sizes %d/%d/%d, want %d/%d/%d", s.Train.Rows(), s.Val.Rows(), s.Test.Rows(), d.Rows()-wantVal-wantTest, wantVal, wantTest)
			}
			// Each part keeps the class proportions to within one row.
			all := d.ClassCounts()
			for _, part := range []struct {
				name string
				ds   *Dataset
				frac float64
			}{{"val", s.Val, tt.val}, {"test", s.Test, tt.test}} {
				if part.ds.Features() != d.Features() || !slices.Equal(part.ds.ClassNames, d.ClassNames) {
					t.Errorf("%s lost metadata", part.name)
				}
				for c, n := range part.ds.ClassCounts() {
					if exp := float64(all[c]) * part.frac; math.Abs(float64(n)-exp) > 1 {
						t.Errorf("%s class %d: %d rows, expected about %.1f", part.name, c, n, exp)
					}
				}
			}
			// The three parts partition the rows (as a multiset of
			// (features, label) rows).
			count := map[string]int{}
			key := func(ds *Dataset, i int) string {
				var b strings.Builder
				for _, v := range ds.X.RawRowView(i) {
					b.WriteString(strconvF(v))
				}
				return b.String() + "|" + strconvF(ds.Y.At(i, 0))
			}
			for i := range d.Rows() {
				count[key(d, i)]++
			}
			for _, part := range []*Dataset{s.Train, s.Val, s.Test} {
				for i := range part.Rows() {
					count[key(part, i)]--
				}
			}
			for k, n := range count {
				if n != 0 {
					t.Fatalf("row %s off by %d", k, n)
				}
			}
			// Same seed → same split; another seed → another.
			s2, _ := d.Split(tt.val, tt.test, 3)
			s3, _ := d.Split(tt.val, tt.test, 4)
			if !mat.Equal(s.Train.X, s2.Train.X) {
				t.Error("same seed, different split")
			}
			if mat.Equal(s.Train.X, s3.Train.X) {
				t.Error("different seeds, same split")
			}
		})
	}
}

func strconvF(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) + "," }

func TestSplitRegression(t *testing.T) {
	d, _ := Load("diabetes", LoadOptions{})
	s, err := d.Split(0.1, 0.2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if s.Train.Rows() != 310 || s.Val.Rows() != 44 || s.Test.Rows() != 88 {
		t.Fatalf("sizes %d/%d/%d", s.Train.Rows(), s.Val.Rows(), s.Test.Rows())
	}
	if s.Train.Task != Regression || s.Test.Outputs() != 1 || s.Test.TargetNames[0] != "disease progression" {
		t.Errorf("metadata lost: %+v", s.Test)
	}
	// An empty part still knows its shape.
	s, err = d.Split(0, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if s.Val.Rows() != 0 || s.Val.Features() != 10 || s.Val.Outputs() != 1 || s.Train.Rows() != 442 {
		t.Errorf("empty split: %d rows %d features; train %d", s.Val.Rows(), s.Val.Features(), s.Train.Rows())
	}
}

func TestSplitErrors(t *testing.T) {
	iris, _ := Load("iris", LoadOptions{})
	tiny := iris.withRows([]int{0, 1, 2, 3, 50, 51, 52, 53, 100, 101}) // 4, 4, 2 rows
	diab, _ := Load("diabetes", LoadOptions{})
	small := diab.withRows([]int{0, 1, 2, 3, 4, 5, 6, 7})
	single := iris.withRows([]int{0, 1, 2, 3, 50, 51, 52, 53, 100}) // virginica has 1 row
	tests := []struct {
		name      string
		d         *Dataset
		val, test float64
		want      string
	}{
		{"negative", iris, -0.1, 0.2, "validation fraction -0.1"},
		{"NaN", iris, 0.1, math.NaN(), "test fraction NaN"},
		{"sum one", iris, 0.5, 0.5, "must be below 1"},
		{"sum over", iris, 0.7, 0.6, "must be below 1"},
		{"class too small", tiny, 0.1, 0.1, `class "virginica" has only 2 rows, too few to appear in training, validation and test`},
		{"class of one row", single, 0.1, 0.1, `class "virginica" has only 1 row, too few`},
		{"empty val", small, 0.01, 0.3, "validation fraction of 0.01: it would be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.d.Split(tt.val, tt.test, 1)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := diab.withRows([]int{0, 1}).Split(0.3, 0.3, 1); err == nil {
		t.Error("2 regression rows split three ways")
	}
}

func TestApportion(t *testing.T) {
	tests := []struct {
		sizes []int
		frac  float64
		want  []int
	}{
		{[]int{50, 50, 50}, 0.2, []int{10, 10, 10}},
		{[]int{59, 71, 48}, 0.2, []int{12, 14, 10}},
		{[]int{212, 357}, 0.25, []int{53, 89}},
		{[]int{3, 3, 3}, 0.5, []int{2, 2, 1}}, // 4.5 rounds to 5 rows overall
		{[]int{5, 0}, 0.5, []int{3, 0}},
	}
	for _, tt := range tests {
		if got := apportion(tt.sizes, tt.frac); !slices.Equal(got, tt.want) {
			t.Errorf("apportion(%v, %v) = %v, want %v", tt.sizes, tt.frac, got, tt.want)
		}
	}
}

// A rare class still appears in every part asked for.
func TestSplitRareClass(t *testing.T) {
	iris, _ := Load("iris", LoadOptions{})
	idx := []int{100, 101, 102} // three virginica among all setosa/versicolor
	for i := range 100 {
		idx = append(idx, i)
	}
	d := iris.withRows(idx)
	s, err := d.Split(0.1, 0.1, 5)
	if err != nil {
		t.Fatal(err)
	}
	for name, part := range map[string]*Dataset{"train": s.Train, "val": s.Val, "test": s.Test} {
		if n := part.ClassCounts()[2]; n != 1 {
			t.Errorf("%s has %d virginica rows, want 1", name, n)
		}
	}
}
