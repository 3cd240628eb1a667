package datasets

// ParseFastFloat reads the decimals CSV files are made of ("-12.5",
// "3e-4") without strconv's general machinery: a mantissa below 2^53 and a
// power of ten up to 22 are both exact in float64, so one multiply or
// divide gives the correctly rounded result (Clinger's fast path, as
// strconv itself uses). Anything else reports false for strconv to handle.
// Profiling the 100k-row load showed strconv's parsing as its main cost.
//
// It is FastFloat (shared with serve's JSON scanner) for unchecked text:
// [+-]?digits[.digits][(e|E)[+-]digits] (".5" and "5." too) and reports
// false for anything else, or for a number FastFloat leaves to strconv.
// Whenever it answers, the answer is strconv.ParseFloat's to the bit.
func ParseFastFloat(b []byte) (float64, bool) {
	i := 0
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		i++
	}
	body := i
	saw := false
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		saw = true
	}
	if i < len(b) && b[i] == '.' {
		i++
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			saw = true
		}
	}
	if !saw {
		return 0, false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '-' || b[i] == '+') {
			i++
		}
		d := i
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		}
		if i == d {
			return 0, false
		}
	}
	if i != len(b) {
		return 0, false
	}
	v, ok := FastFloat(b[body:])
	if b[0] == '-' {
		v = -v
	}
	return v, ok
}
