package serve

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// scanner is a minimal JSON reader over one request body. It exists because
// encoding/json's reflection costs more than the whole forward pass of a
// small model, and because its errors cannot say "input_data[3][1]". It
// follows RFC 8259 strictly (no NaN, no trailing commas, no leading zeros);
// FuzzScanner checks it never accepts what json.Valid rejects.
type scanner struct {
	b []byte
	i int
}

// maxDepth bounds nesting in skipped values so a body of a million '['
// cannot exhaust the stack.
const maxDepth = 64

// syntaxError is malformed JSON; off is the byte offset where it was found.
type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("bad JSON at byte %d: %s", e.off, e.msg)
}

func (s *scanner) fail(msg string) error { return &syntaxError{off: s.i, msg: msg} }

// ws skips whitespace and returns the next byte (0 at the end).
func (s *scanner) ws() byte {
	for s.i < len(s.b) {
		switch c := s.b[s.i]; c {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return c
		}
	}
	return 0
}

// atEnd reports whether only whitespace is left.
func (s *scanner) atEnd() bool {
	s.ws()
	return s.i >= len(s.b)
}

// eat consumes c if it is the next non-space byte.
func (s *scanner) eat(c byte) bool {
	if s.ws() == c && s.i < len(s.b) {
		s.i++
		return true
	}
	return false
}

// expect consumes c or fails naming what was found.
func (s *scanner) expect(c byte, what string) error {
	if s.eat(c) {
		return nil
	}
	return s.fail(fmt.Sprintf("expected %s, found %s", what, s.found()))
}

// found describes the next token for an error message.
func (s *scanner) found() string {
	c := s.ws()
	if s.i >= len(s.b) {
		return "the end of the body"
	}
	switch {
	case c == '"':
		return "a string"
	case c == '{':
		return "an object"
	case c == '[':
		return "a list"
	case s.startsWith("true") || s.startsWith("false"):
		return "a boolean"
	case s.startsWith("null"):
		return "null"
	case c == '-' || (c >= '0' && c <= '9'):
		return "a number"
	case c >= 0x20 && c < 0x7f:
		return strconv.Quote(string(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// startsWith reports whether the literal lit (true, false, null) comes next,
// so that a body such as "nope" is not described as null.
func (s *scanner) startsWith(lit string) bool {
	return len(s.b)-s.i >= len(lit) && string(s.b[s.i:s.i+len(lit)]) == lit
}

// kind names the JSON type of the next value, for "expected a number, got
// a string" messages.
func (s *scanner) kind() string {
	switch s.ws() {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "a list"
	case 't', 'f':
		if s.startsWith("true") || s.startsWith("false") {
			return "a boolean"
		}
	case 'n':
		if s.startsWith("null") {
			return "null"
		}
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return "a number"
	case 'N', 'I':
		return "NaN or Infinity, which JSON does not have (values must be finite)"
	}
	if s.atEnd() {
		return "the end of the body"
	}
	return "something that is not JSON"
}

// isNumber reports whether the next value starts like a number.
func (s *scanner) isNumber() bool {
	c := s.ws()
	return c == '-' || (c >= '0' && c <= '9')
}

// errNonFinite is returned by number for a value that overflows float64
// (1e999); JSON has no NaN or Infinity literals, which fail as syntax.
var errNonFinite = fmt.Errorf("non-finite number")

// number reads a JSON number.
func (s *scanner) number() (float64, error) {
	s.ws()
	b, start := s.b, s.i
	i := start
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
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
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			s.i = i
			return 0, s.fail("expected a digit after the decimal point")
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		d := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == d {
			s.i = i
			return 0, s.fail("expected a digit in the exponent")
		}
	}
	s.i = i
	if v, ok := fastFloat(b[start:i]); ok {
		return v, nil
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

// str reads a string and returns its raw bytes (between the quotes, escapes
// not decoded) and whether it contains escapes.
func (s *scanner) str() (raw []byte, escaped bool, err error) {
	if s.ws() != '"' {
		return nil, false, s.fail("expected a string, found " + s.found())
	}
	s.i++
	start := s.i
	b := s.b
	for s.i < len(b) {
		c := b[s.i]
		switch {
		case c == '"':
			raw = b[start:s.i]
			s.i++
			return raw, escaped, nil
		case c == '\\':
			escaped = true
			s.i++
			if s.i >= len(b) {
				return nil, false, s.fail("unterminated string")
			}
			switch b[s.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.i++
			case 'u':
				s.i++
				for k := 0; k < 4; k++ {
					if s.i >= len(b) || !isHex(b[s.i]) {
						return nil, false, s.fail(`expected 4 hex digits after \u`)
					}
					s.i++
				}
			default:
				return nil, false, s.fail(fmt.Sprintf("invalid escape \\%c in a string", b[s.i]))
			}
		case c < 0x20:
			return nil, false, s.fail("control character in a string (escape it)")
		default:
			s.i++
		}
	}
	return nil, false, s.fail("unterminated string")
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// text reads a string and decodes it. Strings without escapes (the common
// case) are converted directly.
func (s *scanner) text() (string, error) {
	raw, esc, err := s.str()
	if err != nil {
		return "", err
	}
	return decodeString(raw, esc), nil
}

// decodeString turns raw string bytes from str into a Go string.
func decodeString(raw []byte, escaped bool) string {
	if !escaped {
		if !utf8.Valid(raw) {
			return string([]rune(string(raw))) // replace bad bytes as encoding/json does
		}
		return string(raw)
	}
	q := make([]byte, 0, len(raw)+2)
	q = append(append(append(q, '"'), raw...), '"')
	var v string
	if json.Unmarshal(q, &v) != nil { // cannot happen: str validated the escapes
		return string(raw)
	}
	return v
}

// literal consumes one of true, false or null.
func (s *scanner) literal() error {
	for _, lit := range [...]string{"true", "false", "null"} {
		if len(s.b)-s.i >= len(lit) && string(s.b[s.i:s.i+len(lit)]) == lit {
			s.i += len(lit)
			return nil
		}
	}
	return s.fail("expected a value, found " + s.found())
}

// skip consumes any one value.
func (s *scanner) skip(depth int) error {
	if depth > maxDepth {
		return s.fail(fmt.Sprintf("nested deeper than %d levels", maxDepth))
	}
	switch s.ws() {
	case '"':
		_, _, err := s.str()
		return err
	case '{':
		s.i++
		if s.eat('}') {
			return nil
		}
		for {
			if _, _, err := s.str(); err != nil {
				return err
			}
			if err := s.expect(':', "':' after a key"); err != nil {
				return err
			}
			if err := s.skip(depth + 1); err != nil {
				return err
			}
			if s.eat('}') {
				return nil
			}
			if err := s.expect(',', "',' or '}' in an object"); err != nil {
				return err
			}
		}
	case '[':
		s.i++
		if s.eat(']') {
			return nil
		}
		for {
			if err := s.skip(depth + 1); err != nil {
				return err
			}
			if s.eat(']') {
				return nil
			}
			if err := s.expect(',', "',' or ']' in a list"); err != nil {
				return err
			}
		}
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		_, err := s.number()
		if err == errNonFinite {
			return nil // an ignored value may be as large as it likes
		}
		return err
	default:
		return s.literal()
	}
}

// end checks that only whitespace follows the top-level value.
func (s *scanner) end() error {
	if s.ws(); s.i < len(s.b) {
		return s.fail("unexpected " + s.found() + " after the end of the JSON value")
	}
	return nil
}

// appendJSONString appends s as a JSON string literal.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			q, _ := json.Marshal(s) // rare: names are plain ASCII
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// fastFloat converts a number that number has validated, in the two cases
// that cover nearly every feature value: Clinger's fast path (a mantissa
// of at most 2^53 and an exact power of ten, so one correctly rounded
// multiplication or division: "5.1", "-12.75") and divPow10 (up to 19
// digits over a power of ten: "0.37944549835531083"). Either gives exactly
// what strconv.ParseFloat gives (TestFastFloat and FuzzFastFloat check bit
// for bit); anything else returns ok false for ParseFloat to handle.
func fastFloat(b []byte) (float64, bool) {
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

// maxMant bounds the mantissas fastFloat reads: 19 digits fit in uint64.
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
