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
