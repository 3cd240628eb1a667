package datasets

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Issue 14 item 10: CSV numbers are decimal, not Go syntax.
func TestCSVRefusesGoNumberSyntax(t *testing.T) {
	for _, cell := range []string{"0x1p3", "1_0", "0X10", "1_000.5"} {
		path := writeTemp(t, "go.csv", []byte("a,b,y\n1,2,0\n"+cell+",3,1\n2,2,0\n"))
		_, err := Load(path, LoadOptions{})
		if !errors.Is(err, ErrNonNumeric) || !strings.Contains(err.Error(), cell) {
			t.Errorf("%s: error %v, want a non-numeric value named", cell, err)
		}
	}
}

// Issue 14 item 10: a header naming the target twice is ambiguous.
func TestCSVTargetNamedTwice(t *testing.T) {
	path := writeTemp(t, "twice.csv", []byte("a,y,b,Y\n1,0,2,1\n2,1,3,0\n3,0,1,1\n"))
	for _, target := range []string{"y", "Y"} {
		_, err := Load(path, LoadOptions{Target: target})
		if err != nil && strings.Contains(err.Error(), "twice") {
			t.Errorf("target %q: exact match refused: %v", target, err)
		}
	}
	path = writeTemp(t, "twice.csv", []byte("a,y,b,y\n1,0,2,1\n2,1,3,0\n3,0,1,1\n"))
	_, err := Load(path, LoadOptions{Target: "y"})
	if !errors.Is(err, ErrTarget) || !strings.Contains(err.Error(), "columns 2") || !strings.Contains(err.Error(), "and 4") {
		t.Errorf("error %v, want the target refused naming columns 2 and 4", err)
	}
}

// Issue 14 item 10: IDX classes are the labels present.
func TestIDXClassesArePresentLabels(t *testing.T) {
	dir := t.TempDir()
	path := writeIn(t, dir, "x-images-idx3-ubyte", idxImages(3, 1, 1, func(i, _ int) byte { return byte(i) }))
	writeIn(t, dir, "x-labels-idx1-ubyte", idxLabels(255, 0, 1))
	d, err := Load(path, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.ClassNames, []string{"0", "1", "255"}) || d.Outputs() != 3 {
		t.Fatalf("classes %q (%d outputs), want 0, 1, 255", d.ClassNames, d.Outputs())
	}
	if got := []float64{d.Y.At(0, 0), d.Y.At(1, 0), d.Y.At(2, 0)}; !slices.Equal(got, []float64{2, 0, 1}) {
		t.Errorf("classes of the rows %v, want [2 0 1]", got)
	}
}

// Issue 14 items 10 and 11: a scaler that overflowed or was tampered with
// fails Validate, naming the column.
func TestScalerValidate(t *testing.T) {
	x := mat.NewDense(3, 2, []float64{1e308, 1, 1.7e308, 2, 1.5e308, 3})
	if err := FitScaler(x).Validate([]string{"big", "small"}); err == nil || !strings.Contains(err.Error(), `"big"`) {
		t.Errorf("overflowing column: %v", err)
	}
	for _, s := range []*Scaler{
		{Mean: []float64{0, 0}, Std: []float64{1, 0}},
		{Mean: []float64{0, 0}, Std: []float64{1, -2}},
		{Mean: []float64{0}, Std: []float64{1, 1}},
	} {
		if err := s.Validate(nil); err == nil {
			t.Errorf("%+v accepted", s)
		}
	}
	if err := (&Scaler{Mean: []float64{0}, Std: []float64{2}}).Validate([]string{"a"}); err != nil {
		t.Errorf("good scaler refused: %v", err)
	}
}
