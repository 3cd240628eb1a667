package serve

// Numbers in a JSON body: syntax, digits and conversion in one pass.

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"unsafe"

	"workbench/datasets"
)

// isNumber reports whether the next value starts like a number.
func (s *scanner) isNumber() bool {
	c := s.ws()
	return c == '-' || (c >= '0' && c <= '9')
}

// errNonFinite is returned by number for a value that overflows float64
// (1e999); JSON has no NaN or Infinity literals, which fail as syntax.
var errNonFinite = fmt.Errorf("non-finite number")

// number reads a JSON number. One pass checks its syntax and gathers its
// mantissa (datasets.Digits, eight digits at a time) and exponent, which
// datasets.FromDecimal turns into the float64 ParseFloat would give; only
// a number of more than 19 significant digits, a huge exponent or one
// FromDecimal cannot decide goes to strconv. Profiling showed the scan
// and the conversion of 17-digit numbers as half a request's time.
func (s *scanner) number() (float64, error) {
	s.ws()
	return s.numberHere()
}

// numberHere is number at s.i, with no whitespace to skip.
func (s *scanner) numberHere() (float64, error) {
	b, start := s.b, s.i
	i := start
	neg := false
	if i < len(b) && b[i] == '-' {
		i++
		neg = true
	}
	var mant uint64
	exp, fast := 0, true
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		i, mant, fast = scanDigits(b, i, 0)
		i = skipDigits(b, i)
	default:
		s.i = i
		if i < len(b) && (b[i] == 'I' || b[i] == 'N') {
			return 0, s.fail("NaN and Infinity are not JSON numbers; values must be finite")
		}
		return 0, s.fail("expected a digit in a number, found " + s.found())
	}
	if i < len(b) && b[i] == '.' {
		i++
		d := i
		if fast {
			i, mant, fast = scanDigits(b, i, mant)
			exp = d - i
		}
		i = skipDigits(b, i)
		if i == d {
			s.i = i
			return 0, s.fail("expected a digit after the decimal point")
		}
	}
	if i < len(b) && b[i]|0x20 == 'e' {
		i++
		eneg := false
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			eneg = b[i] == '-'
			i++
		}
		d, e := i, 0
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			if e < 100000 {
				e = e*10 + int(b[i]-'0')
			}
		}
		if i == d {
			s.i = i
			return 0, s.fail("expected a digit in the exponent")
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	s.i = i
	if fast && !strconvOnly {
		if v, ok := datasets.FromDecimal(mant, exp, neg); ok {
			return v, nil
		}
	}
	// unsafe.String: string(b) would allocate for every number here (it
	// escapes into ParseFloat), and ParseFloat keeps no reference to its
	// argument (its errors hold a clone).
	v, err := strconv.ParseFloat(unsafe.String(&b[start], i-start), 64)
	if err != nil || math.IsInf(v, 0) {
		if v == 0 { // underflow rounds to zero, as every JSON reader does
			return 0, nil
		}
		return 0, errNonFinite
	}
	return v, nil
}

// scanDigits is datasets.Digits for a JSON number's digits: up to two blocks of eight digits at once
// (a typical 17-digit fraction is 8 + 8 + 1), then one at a time. ok is
// false once the mantissa would pass 19 digits; i is then where it
// stopped, and number skips the rest.
func scanDigits(b []byte, i int, mant uint64) (int, uint64, bool) {
	// Unrolled: a loop over the two blocks cost a fifth of the scan's
	// instructions in its own bookkeeping.
	if len(b)-i >= 8 && mant < 1e10 {
		if v := binary.LittleEndian.Uint64(b[i:]); datasets.IsEightDigits(v) {
			mant = mant*1e8 + datasets.EightDigits(v)
			i += 8
			if len(b)-i >= 8 && mant < 1e10 {
				if v := binary.LittleEndian.Uint64(b[i:]); datasets.IsEightDigits(v) {
					mant = mant*1e8 + datasets.EightDigits(v)
					i += 8
				}
			}
		}
	}
	for ; i < len(b); i++ {
		d := b[i] - '0'
		if d > 9 {
			break
		}
		if mant >= 1e18 {
			return i, mant, false
		}
		mant = mant*10 + uint64(d)
	}
	return i, mant, true
}

// skipDigits returns the end of the digits at b[i:].
func skipDigits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

// strconvOnly makes number leave every value to strconv.ParseFloat: the
// baseline of BenchmarkPredict*Strconv, which keeps FastFloat honest (it
// stays while /predict runs >= 1.3x faster with it).
var strconvOnly bool
