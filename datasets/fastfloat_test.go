package datasets

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// checkFastFloat: whenever the fast path answers, it agrees with strconv
// to the bit.
func checkFastFloat(t *testing.T, s string) {
	t.Helper()
	got, ok := ParseFastFloat([]byte(s))
	if !ok {
		return
	}
	want, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("fast path accepted %q, strconv says %v", s, err)
	}
	if math.Float64bits(got) != math.Float64bits(want) {
		t.Fatalf("%q: fast %v (%x), strconv %v (%x)", s, got, math.Float64bits(got), want, math.Float64bits(want))
	}
}

func TestParseFastFloat(t *testing.T) {
	taken := 0
	for _, s := range []string{"0", "-0", "+1", "1.", ".5", "-.5", "12.5", "3e-4", "1E+22", "1e23", "9007199254740993",
		"123456789012345", "0.000000000000000000001", "1e-22", "1.5e-30", "00012", "1.7976931348623157e308",
		".", "-", "e5", "1e", "1e+", "1.2.3", "0x10", "1_0", "inf", "NaN", " 1", "1 ", ""} {
		checkFastFloat(t, s)
		if _, ok := ParseFastFloat([]byte(s)); ok {
			taken++
		}
	}
	if taken < 10 {
		t.Errorf("fast path took only %d of the ordinary decimals", taken)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 200000 {
		v := r.NormFloat64() * math.Pow(10, float64(r.IntN(20)-10))
		for _, s := range []string{
			strconv.FormatFloat(v, 'f', r.IntN(12), 64),
			strconv.FormatFloat(v, 'e', r.IntN(14), 64),
			strconv.FormatFloat(v, 'g', -1, 64),
		} {
			checkFastFloat(t, s)
		}
	}
}

func FuzzParseFastFloat(f *testing.F) {
	for _, s := range []string{"1.5", "-3e-4", "12345678901234567890", "1e400"} {
		f.Add(s)
	}
	f.Fuzz(checkFastFloat)
}
