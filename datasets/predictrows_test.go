package datasets

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// summary is what a test compares of an InputRows: the row numbers read,
// the failed rows' messages and the count dropped.
func summary(in *InputRows) (nums []int, failed []string, dropped int) {
	for _, f := range in.Failed {
		failed = append(failed, f.Error())
	}
	return in.Numbers, failed, in.Dropped
}

func TestReadFeatureRowsEach(t *testing.T) {
	iris := []string{"a", "b", "c", "d"}
	in := "a,b,c,d\n1,2,3,4\n1,,3,4\n1,x,3,4\n1,2,3\n5,6,7,8\n"
	for _, c := range []struct {
		name    string
		opts    RowOptions
		nums    []int
		failed  []string
		dropped int
		err     string
	}{
		{"plain stops at the first bad row", RowOptions{}, nil, nil, 0, "row 2, column 2 (b): missing value"},
		{"drop-missing skips the gap, stops at text", RowOptions{DropMissing: true}, nil, nil, 0, `row 3, column 2 (b): "x" is not a number`},
		{"keep-going records every bad row", RowOptions{KeepGoing: true}, []int{1, 5}, []string{
			"row 2, column 2 (b): missing value", `row 3, column 2 (b): "x" is not a number`, "row 4: 3 values, expected 4 (a, b, c, d)"}, 0, ""},
		{"both", RowOptions{KeepGoing: true, DropMissing: true}, []int{1, 5}, []string{
			`row 3, column 2 (b): "x" is not a number`, "row 4: 3 values, expected 4 (a, b, c, d)"}, 1, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := ReadFeatureRowsEach([]byte(in), iris, c.opts)
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			nums, failed, dropped := summary(got)
			if !reflect.DeepEqual(nums, c.nums) || !reflect.DeepEqual(failed, c.failed) || dropped != c.dropped {
				t.Fatalf("rows %v failed %q dropped %d, want %v %q %d", nums, failed, dropped, c.nums, c.failed, c.dropped)
			}
			if want := [][]float64{{1, 2, 3, 4}, {5, 6, 7, 8}}; !reflect.DeepEqual(got.Rows, want) {
				t.Fatalf("rows %v, want %v", got.Rows, want)
			}
		})
	}
}

func TestPreprocessorReadCSVEach(t *testing.T) {
	fill := 35.0
	p := &Preprocessor{Version: 1, Inputs: []InputColumn{
		{Name: "age", Kind: Numeric},
		{Name: "port", Kind: Categorical, Categories: []string{"C", "S"}},
		{Name: "fare", Kind: Numeric, Fill: &fill},
	}}
	in := "age,port,fare\n30,C,1\n,S,2\nold,C,3\n40,S,\n"
	got, err := p.ReadCSVEach([]byte(in), RowOptions{KeepGoing: true, DropMissing: true})
	if err != nil {
		t.Fatal(err)
	}
	// Row 2's age has no fill: dropped. Row 4's fare has one: read.
	nums, failed, dropped := summary(got)
	if !reflect.DeepEqual(nums, []int{1, 4}) || !reflect.DeepEqual(failed, []string{`row 3, column "age": "old" is not a number`}) || dropped != 1 {
		t.Fatalf("rows %v failed %q dropped %d", nums, failed, dropped)
	}
	if want := []float64{40, 0, 1, 0, 35}; !reflect.DeepEqual(got.Rows[1], want) {
		t.Fatalf("row 4 encodes as %v, want %v", got.Rows[1], want)
	}
	if _, err := p.ReadCSV([]byte(in), 0); err == nil || err.Error() != `row 2, column "age" is missing, and the model was trained without --impute` {
		t.Fatalf("plain ReadCSV: %v", err)
	}
}

func TestReadJSONRowsEach(t *testing.T) {
	// parse stands in for the server's decoder: a row of two numbers.
	parse := func(one []byte) ([]float64, error) {
		var rows [][]*float64
		if err := json.Unmarshal(one, &rows); err != nil || len(rows) != 1 || len(rows[0]) != 2 || rows[0][0] == nil || rows[0][1] == nil {
			return nil, errors.New("input[0] is not two numbers")
		}
		return []float64{*rows[0][0], *rows[0][1]}, nil
	}
	body := `{"input_data": [[1, 2], [3, null], {"a": 1}, ["x", 4], [5, 6]]}`
	got, err := ReadJSONRowsEach([]byte(body), []string{"a", "b"}, RowOptions{KeepGoing: true, DropMissing: true}, parse)
	if err != nil {
		t.Fatal(err)
	}
	// Row 2 holds null and row 3 lacks "b": dropped. Row 4 is named as
	// the server would name it in the whole body.
	nums, failed, dropped := summary(got)
	if !reflect.DeepEqual(nums, []int{1, 5}) || !reflect.DeepEqual(failed, []string{"row 4: input_data[3] is not two numbers"}) || dropped != 2 {
		t.Fatalf("rows %v failed %q dropped %d", nums, failed, dropped)
	}
	if _, err := ReadJSONRowsEach([]byte(`[[1, 2], [3, null]]`), []string{"a", "b"}, RowOptions{}, parse); err == nil || err.Error() != "row 2: input[1] is not two numbers" {
		t.Errorf("without options: %v", err)
	}
	if _, err := ReadJSONRowsEach([]byte(`{"inputs": []}`), nil, RowOptions{KeepGoing: true}, parse); err == nil || err.Error() != "input[0] is not two numbers" {
		t.Errorf("another shape gets the decoder's own message: %v", err)
	}
}
