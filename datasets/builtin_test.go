package datasets

import (
	"math"
	"slices"
	"testing"
)

func TestBuiltins(t *testing.T) {
	tests := []struct {
		name                    string
		task                    Task
		rows, features, outputs int
		classCounts             []int
		firstFeature            string
		lastFeature             string
		firstRow0               float64 // X[0][0] from the raw file
	}{
		{"iris", Classification, 150, 4, 3, []int{50, 50, 50}, "sepal length (cm)", "petal width (cm)", 5.1},
		{"wine", Classification, 178, 13, 3, []int{59, 71, 48}, "alcohol", "proline", 14.23},
		{"breast-cancer", Classification, 569, 30, 2, []int{212, 357}, "mean radius", "worst fractal dimension", 17.99},
		{"digits", Classification, 1797, 64, 10, nil, "pixel 0,0", "pixel 7,7", 0},
		{"diabetes", Regression, 442, 10, 1, nil, "age", "s6", 59},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Load(tt.name, LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if d.Task != tt.task || d.Rows() != tt.rows || d.Features() != tt.features || d.Outputs() != tt.outputs {
				t.Fatalf("got %s %d×%d→%d, want %s %d×%d→%d", d.Task, d.Rows(), d.Features(), d.Outputs(), tt.task, tt.rows, tt.features, tt.outputs)
			}
			if len(d.FeatureNames) != tt.features || d.FeatureNames[0] != tt.firstFeature || d.FeatureNames[tt.features-1] != tt.lastFeature {
				t.Errorf("feature names %q", d.FeatureNames)
			}
			if r, c := d.Y.Dims(); r != tt.rows || c != 1 {
				t.Errorf("Y is %d×%d", r, c)
			}
			if got := d.X.At(0, 0); got != tt.firstRow0 {
				t.Errorf("X[0][0] = %v, want %v", got, tt.firstRow0)
			}
			if d.Ref != tt.name || d.Name != tt.name || d.Source == "" || d.Description == "" {
				t.Errorf("metadata: %+v", d)
			}
			for i := range d.Rows() {
				for j := range d.Features() {
					if v := d.X.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
						t.Fatalf("X[%d][%d] = %v", i, j, v)
					}
				}
			}
			if tt.task == Classification {
				counts := d.ClassCounts()
				total := 0
				for c, n := range counts {
					if n == 0 {
						t.Errorf("class %d (%s) is empty", c, d.ClassNames[c])
					}
					total += n
				}
				if total != tt.rows {
					t.Errorf("class counts %v sum to %d", counts, total)
				}
				if tt.classCounts != nil && !slices.Equal(counts, tt.classCounts) {
					t.Errorf("class counts %v, want %v", counts, tt.classCounts)
				}
			} else if d.ClassCounts() != nil || len(d.TargetNames) != 1 {
				t.Errorf("regression: class counts %v, targets %q", d.ClassCounts(), d.TargetNames)
			}
		})
	}
}

func TestBuiltinClassNames(t *testing.T) {
	for name, want := range map[string][]string{
		"iris":          {"setosa", "versicolor", "virginica"},
		"wine":          {"class_0", "class_1", "class_2"},
		"breast-cancer": {"malignant", "benign"},
		"digits":        {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"},
	} {
		d, err := Load(name, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(d.ClassNames, want) {
			t.Errorf("%s classes %q, want %q", name, d.ClassNames, want)
		}
	}
}

func TestBuiltinRanges(t *testing.T) {
	digits, err := Load("digits", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range digits.Summary() {
		if s.Min < 0 || s.Max > 16 {
			t.Fatalf("digits %s in [%v,%v], want within [0,16]", s.Name, s.Min, s.Max)
		}
	}
	diab, err := Load("diabetes", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range diab.Rows() {
		lo, hi = math.Min(lo, diab.Y.At(i, 0)), math.Max(hi, diab.Y.At(i, 0))
	}
	if lo != 25 || hi != 346 {
		t.Errorf("diabetes target in [%v,%v], want [25,346]", lo, hi)
	}
}

// Callers own what Load returns: scaling one copy must not change the next.
func TestBuiltinCopies(t *testing.T) {
	a, _ := Load("iris", LoadOptions{})
	a.X.Set(0, 0, -1)
	b, err := Load("iris", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if b.X.At(0, 0) != 5.1 {
		t.Fatalf("second load sees the first one's edit: %v", b.X.At(0, 0))
	}
}

func TestBuiltinRejectsParams(t *testing.T) {
	if _, err := Load("iris?n=3", LoadOptions{}); err == nil {
		t.Fatal("iris?n=3 loaded")
	}
}
