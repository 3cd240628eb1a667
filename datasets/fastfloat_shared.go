package datasets

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// FastFloat converts a decimal number whose syntax is already checked
// (-?digits[.digits][(e|E)[+-]digits], as JSON writes numbers; a caller
// that has not checked it calls ParseFastFloat), in the two cases
// that cover nearly every feature value: Clinger's fast path (a mantissa
// of at most 2^53 and an exact power of ten, so one correctly rounded
// multiplication or division: "5.1", "-12.75") and divPow10 (up to 19
// digits over a power of ten: "0.37944549835531083"). Either gives exactly
// what strconv.ParseFloat gives (serve's TestFastFloat and FuzzFastFloat*, and TestParseFastFloat here, check bit
// for bit); anything else returns ok false for ParseFloat to handle.
func FastFloat(b []byte) (float64, bool) {
	i, neg := 0, false
	if b[0] == '-' {
		i, neg = 1, true
	}
	var mant uint64
	exp := 0
	var ok bool
	if i, mant, ok = digits(b, i, mant); !ok {
		return 0, false
	}
	if i < len(b) && b[i] == '.' {
		start := i + 1
		if i, mant, ok = digits(b, start, mant); !ok {
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
	var v float64
	switch {
	case mant == 0:
		v = 0
	case mant > 1<<53:
		if exp > 0 || exp < -19 {
			return 0, false
		}
		v = divPow10(mant, -exp)
	case exp == 0:
		v = float64(mant)
	case exp > 0 && exp < len(pow10):
		v = float64(mant) * pow10[exp]
	case exp < 0 && -exp < len(pow10):
		v = float64(mant) / pow10[-exp]
	default:
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// digits accumulates the decimal digits of b from i into mant, eight at a
// time where it can (one multiply-and-shift sequence instead of eight
// dependent multiply-adds). ok is false beyond 19 significant digits.
func digits(b []byte, i int, mant uint64) (int, uint64, bool) {
	for len(b)-i >= 8 && mant < 1e10 {
		v := binary.LittleEndian.Uint64(b[i:])
		if (v&0xF0F0F0F0F0F0F0F0)|(((v+0x0606060606060606)&0xF0F0F0F0F0F0F0F0)>>4) != 0x3333333333333333 {
			break // not eight digits
		}
		mant = mant*1e8 + eightDigits(v)
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

// divPow10 is m / 10^k correctly rounded, for mantissas beyond 2^53 (the
// 17-digit numbers that shortest float formatting writes half the time):
// one exact 128-by-64-bit integer division gives a 63- or 64-bit quotient
// and its remainder, which round to 53 bits exactly as ParseFloat does.
// m > 2^53, 0 <= k <= 19.
func divPow10(m uint64, k int) float64 {
	d := uint64(1)
	for ; k > 0; k-- {
		d *= 10
	}
	lz := bits.LeadingZeros64(m)
	m <<= lz // top bit set
	// N = m·2^s with s = len(d)-1 keeps N's high word below d, so the
	// quotient fits in 64 bits and has at least 63 of them.
	s := bits.Len64(d) - 1
	var hi, lo uint64
	if s > 0 {
		hi, lo = m>>(64-s), m<<s
	} else {
		hi, lo = 0, m
	}
	q, r := bits.Div64(hi, lo, d)
	drop := bits.Len64(q) - 53
	mant := q >> drop
	rem := q & (1<<drop - 1)
	half := uint64(1) << (drop - 1)
	if rem > half || (rem == half && (r != 0 || mant&1 == 1)) {
		mant++
		if mant == 1<<53 {
			mant >>= 1
			drop++
		}
	}
	return math.Ldexp(float64(mant), drop-s-lz)
}

// eightDigits converts eight ASCII digits, little-endian in v (the first
// digit in the low byte), to their value.
func eightDigits(v uint64) uint64 {
	const mask = 0x000000FF000000FF
	const mul1 = 100 + 1000000<<32
	const mul2 = 1 + 10000<<32
	v -= 0x3030303030303030
	v = v*10 + v>>8
	return ((v&mask)*mul1 + (v>>16&mask)*mul2) >> 32
}
