package serve

import (
	"encoding/json"
	"math"
	"strconv"
	"testing"
)

var fuzzSeeds = []string{
	`{"input_data": [[5.1, 3.5, 1.4, 0.2]]}`,
	`{"input_data": [{"sepal length (cm)": 1, "sepal width (cm)": 2, "petal length (cm)": 3, "petal width (cm)": 4}]}`,
	`{"input_data": [[1,2,3,4],[1e308,-1e308,1e308,1e308]]}`,
	`{"input_data": [[1,2,3]]}`, `{"input_data": []}`, `{"input_data": [1,2]}`, `{}`, `[]`, ``, `nul`,
	`{"input_data": [[1,2,3,4e999]]}`, `{"input_data": [["\u0041", "\"", 3, 4]]}`, `{"a\u0000": 1}`,
	`{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[[1,2,3,4]]}]}`,
	`{"inputs":[{"name":"input","shape":[2,4],"datatype":"FP64","data":[1,2,3,4,5,6,7,8]}],"outputs":[{"name":"label"}],"id":"x"}`,
	`{"dataframe_split":{"columns":["petal width (cm)"],"data":[[1]]}}`,
	"{\"input_data\": [[1,2,3,4]]}\xff", "\xef\xbb\xbf{}", `{"input_data": [[-0, 0.0e+0, 1E-2, -12.5]]}`,
}

// FuzzPredictBody: any body on any predict route is a 2xx, or a 4xx with a
// JSON {"error": ...}; never a 500 or a panic.
func FuzzPredictBody(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), uint8(0))
	}
	h := New(irisSession(f, 1), Options{MaxRows: 50, MaxBody: 1 << 16}).Handler()
	paths := []string{"/predict", "/v2/models/iris/infer", "/v1/models/iris:predict", "/invocations"}
	f.Fuzz(func(t *testing.T, body []byte, route uint8) {
		checkAnyBody(t, h, paths[int(route)%len(paths)], body)
	})
}

// FuzzScanner: the scanner accepts exactly the JSON that encoding/json
// accepts, except nesting beyond maxDepth, which it refuses on purpose.
func FuzzScanner(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	for _, s := range []string{`"a\ud800"`, `1.`, `-`, `01`, `1e`, `[1,]`, `{"a":1,}`, `"\x"`, `true `, `nulll`, ` [ ] `, `"é"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		s := scanner{b: body}
		err := s.skip(0)
		if err == nil {
			err = s.end()
		}
		valid := json.Valid(body)
		if (err == nil) != valid {
			if se, ok := err.(*syntaxError); ok && valid && se.msg == "nested deeper than 64 levels" {
				return
			}
			t.Fatalf("scanner err %v, json.Valid %v, for %q", err, valid, body)
		}
	})
}

// FuzzFastFloat: every number the scanner reads equals strconv.ParseFloat's
// reading, bit for bit.
func FuzzFastFloat(f *testing.F) {
	for _, s := range []string{"0", "-0", "5.1", "0.5388963095056818", "-0.8612853557763446", "1e22", "1e23",
		"9007199254740993", "9007199254740992", "123456789012345678901", "0.000001", "1.5e-300", "2.2250738585072014e-308",
		"-12.75E+3", "4.9e-324", "1e400", "17976931348623157e292", "0.1e1", "100000000000000000000000e-24"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, num string) {
		if num == "" || num[0] == ' ' || num[0] == '\t' || num[0] == '\n' || num[0] == '\r' {
			return
		}
		s := scanner{b: []byte(num)}
		got, err := s.number()
		if err != nil || s.i != len(num) {
			return // not a whole JSON number
		}
		want, perr := strconv.ParseFloat(num, 64)
		if perr != nil && math.IsInf(want, 0) {
			if err != nil {
				return
			}
			t.Fatalf("%q: got %v, want an overflow", num, got)
		}
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%q: got %v (%x), ParseFloat %v (%x)", num, got, math.Float64bits(got), want, math.Float64bits(want))
		}
	})
}

func TestFastFloat(t *testing.T) {
	for _, num := range []string{
		"0.37944549835531083", "-0.07473804659119399", "0.20006841200604142", "9007199254740993", "9007199254740995",
		"18446744073709551615", "1844674407370955161", "12345678901234567.5", "0.1000000000000000055511151231257827",
		"4.9406564584124654e-324", "1.7976931348623157e308", "2.2250738585072011e-308", "1e-19", "99999999999999999e-19",
		"0.9999999999999999999", "123456789012345678e-18", "7.2057594037927933e16", "3.0000000000000004", "5e-1",
	} {
		want, _ := strconv.ParseFloat(num, 64)
		s := scanner{b: []byte(num)}
		got, err := s.number()
		if err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("%s: got %v (%v), ParseFloat %v", num, got, err, want)
		}
	}
}

// FuzzFastFloatDigits aims at the long mantissas Eisel–Lemire handles: m's
// digits with the point moved by k places (and an exponent e).
func FuzzFastFloatDigits(f *testing.F) {
	f.Add(uint64(37944549835531083), uint8(17), int8(0))
	f.Add(uint64(9007199254740993), uint8(0), int8(0))
	f.Add(uint64(18446744073709551615), uint8(19), int8(-3))
	f.Fuzz(func(t *testing.T, m uint64, k uint8, e int8) {
		digits := strconv.FormatUint(m, 10)
		p := int(k) % (len(digits) + 1)
		num := digits[:p] + "." + digits[p:]
		if p == len(digits) {
			num = digits
		} else if p == 0 {
			num = "0" + num
		}
		if e != 0 {
			num += "e" + strconv.Itoa(int(e))
		}
		want, perr := strconv.ParseFloat(num, 64)
		s := scanner{b: []byte(num)}
		got, err := s.number()
		if perr != nil {
			return // out of range: TestPredictErrors covers overflow
		}
		if err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%s: got %v (%v), ParseFloat %v", num, got, err, want)
		}
	})
}
