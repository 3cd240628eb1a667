package serve

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
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
		var keys keySet
		for {
			raw, esc, err := s.str()
			if err != nil {
				return err
			}
			if err := keys.add(raw, esc); err != nil {
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

// objectRawFields walks the fields of an object whose '{' was consumed,
// calling f with each key's raw bytes (escapes not decoded) and the scanner
// positioned on its value. A caller that only matches known keys compares
// the raw bytes and decodes nothing.
//
// A key given twice in one object is refused (400) whatever the object: a
// reader that kept the first, the last or both would each answer something
// the client did not mean.
func objectRawFields(s *scanner, f func(raw []byte, escaped bool) error) error {
	if s.eat('}') {
		return nil
	}
	var keys keySet
	for {
		raw, esc, err := s.str()
		if err != nil {
			return err
		}
		if err := keys.add(raw, esc); err != nil {
			return err
		}
		if err := s.expect(':', "':' after a key"); err != nil {
			return err
		}
		if err := f(raw, esc); err != nil {
			return err
		}
		if s.eat('}') {
			return nil
		}
		if err := s.expect(',', "',' or '}' after a value"); err != nil {
			return err
		}
	}
}

// keySet holds the keys seen in one object, as raw bytes of the body: the
// first few in an array (no allocation; a slice of its own array would
// move the set to the heap on every request), any more in a slice.
type keySet struct {
	buf  [8][]byte
	n    int
	more [][]byte
}

// add records a key, refusing one already seen ("a" and "\u0061" are the
// same key).
func (k *keySet) add(raw []byte, escaped bool) error {
	if escaped {
		raw = []byte(decodeString(raw, true))
	}
	for _, seen := range k.buf[:k.n] {
		if string(seen) == string(raw) {
			return badRequest("field %q is given twice; send each field once", string(raw))
		}
	}
	for _, seen := range k.more {
		if string(seen) == string(raw) {
			return badRequest("field %q is given twice; send each field once", string(raw))
		}
	}
	if k.n < len(k.buf) {
		k.buf[k.n] = raw
		k.n++
	} else {
		k.more = append(k.more, raw)
	}
	return nil
}
