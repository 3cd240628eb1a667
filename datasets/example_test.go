package datasets_test

import (
	"fmt"

	"workbench/datasets"
)

func ExampleLoad() {
	d, err := datasets.Load("spiral?n=300&arms=3", datasets.LoadOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Ref)
	fmt.Println(d.Rows(), d.Features(), d.ClassNames)

	s, err := d.Split(0.1, 0.2, 42)
	if err != nil {
		panic(err)
	}
	scaler := datasets.FitScaler(s.Train.X) // fitted on training rows only
	test := scaler.Transform(s.Test.X)
	r, c := test.Dims()
	fmt.Println(s.Train.Rows(), s.Val.Rows(), r, c)
	// Output:
	// spiral?n=300&noise=0.2&seed=1&arms=3
	// 300 2 [arm 1 arm 2 arm 3]
	// 210 30 60 2
}

// A table with a category, a date and an identifier: split, fit the
// preprocessing on the training part, then encode a raw row for prediction.
func ExampleSplit_Preprocess() {
	d, err := datasets.Load("testdata/tables/mixed.csv", datasets.LoadOptions{
		Target: "survived",
		Table:  &datasets.TableOptions{Impute: datasets.ImputeMedian},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Notes())
	for _, c := range d.ColumnStats() {
		fmt.Println(c.Name, c.Role, c.Kind, c.Distinct, c.Missing)
	}
	s, err := d.Split(0.2, 0.2, 1)
	if err != nil {
		panic(err)
	}
	s, pre, err := s.Preprocess() // fitted on s.Train only
	if err != nil {
		panic(err)
	}
	scaler := datasets.FitScaler(s.Train.X)
	fmt.Println(pre.InputNames(), pre.Outputs(), len(scaler.Mean))

	row, err := pre.Transform([]string{"", "C", "19-Sep-03", "7.25"}) // unseen values are fine
	fmt.Println(row[0] == *pre.Inputs[0].Fill, row[len(row)-1], err)
	_, err = pre.Transform([]string{"30", "C", "19.09.2003", "7.25"})
	fmt.Println(err)
	// Output:
	// [column "name" left out: every value differs (200 values): an identifier, not a category]
	// name ignored text 200 0
	// age feature numeric 50 23
	// port feature categorical 13 40
	// boarded feature date 14 0
	// fare feature numeric 17 0
	// survived target categorical 2 0
	// [age port boarded fare] 21 21
	// true 7.25 <nil>
	// column "boarded": "19.09.2003" is not a date in a known form (2003-09-19, 2003-09-19T10:00[:00][Z|+02:00], 2003-09-19 10:00, 19-Sep-03, 9/19/2003)
}
