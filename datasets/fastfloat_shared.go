package datasets

import (
	"encoding/binary"
)

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// FastFloat converts a decimal number whose syntax is already checked
// (-?digits[.digits][(e|E)[+-]digits], as JSON writes numbers; a caller
// that has not checked it calls ParseFastFloat) of at most 19 significant
// digits, which covers nearly every feature value: see FromDecimal. Its
// answer is exactly strconv.ParseFloat's (serve's TestFastFloat and
// FuzzFastFloat*, and TestParseFastFloat here, check bit for bit);
// anything else returns ok false for ParseFloat to handle.
func FastFloat(b []byte) (float64, bool) {
	i, neg := 0, false
	if b[0] == '-' {
		i, neg = 1, true
	}
	var mant uint64
	exp := 0
	var ok bool
	if i, mant, ok = Digits(b, i, mant); !ok {
		return 0, false
	}
	if i < len(b) && b[i] == '.' {
		start := i + 1
		if i, mant, ok = Digits(b, start, mant); !ok {
			return 0, false
		}
		exp = start - i
	}
	if i < len(b) { // exponent
		i++
		eneg := false
		if b[i] == '+' || b[i] == '-' {
			eneg = b[i] == '-'
			i++
		}
		e := 0
		for ; i < len(b); i++ {
			if e > 1000 {
				return 0, false
			}
			e = e*10 + int(b[i]-'0')
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	return FromDecimal(mant, exp, neg)
}

// FromDecimal is ±mant·10^exp10 correctly rounded to float64, exactly as
// strconv.ParseFloat rounds the decimal it came from (mant being all of
// its digits, never a truncation): Clinger's fast path (a mantissa of at
// most 2^53 and an exact power of ten: one correctly rounded multiply or
// divide, "5.1", "-12.75"), else Eisel–Lemire (fastfloat_eisel.go: the
// 17-digit "0.37944549835531083" that shortest formatting writes). ok is
// false, rarely, for ParseFloat to decide (and for results that overflow
// or are subnormal).
func FromDecimal(mant uint64, exp10 int, neg bool) (float64, bool) {
	if mant > 1<<53 {
		return eiselLemire(mant, exp10, neg)
	}
	var v float64
	switch {
	case mant == 0:
		v = 0
	case exp10 == 0:
		v = float64(mant)
	case exp10 > 0 && exp10 < len(pow10):
		v = float64(mant) * pow10[exp10]
	case exp10 < 0 && -exp10 < len(pow10):
		v = float64(mant) / pow10[-exp10]
	default:
		return eiselLemire(mant, exp10, neg)
	}
	if neg {
		v = -v
	}
	return v, true
}

// Digits accumulates the decimal digits of b from i into mant (mant·10 +
// digit for each), eight at a time where it can (one multiply-and-shift
// sequence instead of eight dependent multiply-adds), and returns where
// they end. ok is false once the mantissa would pass 19 digits; i is then
// where it stopped, and the caller skips the rest of the digits itself.
func Digits(b []byte, i int, mant uint64) (int, uint64, bool) {
	for len(b)-i >= 8 && mant < 1e10 {
		v := binary.LittleEndian.Uint64(b[i:])
		if !IsEightDigits(v) {
			break
		}
		mant = mant*1e8 + EightDigits(v)
		i += 8
	}
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		if mant >= maxMant/10 {
			return i, 0, false
		}
		mant = mant*10 + uint64(b[i]-'0')
	}
	return i, mant, true
}

// maxMant bounds the mantissas FastFloat reads: 19 digits fit in uint64.
const maxMant = 1e19

// IsEightDigits reports whether the eight bytes of v (read little-endian)
// are all ASCII digits.
func IsEightDigits(v uint64) bool {
	return (v&0xF0F0F0F0F0F0F0F0)|(((v+0x0606060606060606)&0xF0F0F0F0F0F0F0F0)>>4) == 0x3333333333333333
}

// EightDigits converts eight ASCII digits, little-endian in v (the first
// digit in the low byte), to their value.
func EightDigits(v uint64) uint64 {
	const mask = 0x000000FF000000FF
	const mul1 = 100 + 1000000<<32
	const mul2 = 1 + 10000<<32
	v -= 0x3030303030303030
	v = v*10 + v>>8
	return ((v&mask)*mul1 + (v>>16&mask)*mul2) >> 32
}
