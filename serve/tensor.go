package serve

import "net/http"

// tensorReader decodes a V2 tensor's "data": a flat list of numbers or
// lists nested to any depth (row-major), recording the nesting so it can be
// checked against the declared shape. Ragged lists are an error.
type tensorReader struct {
	x     []float64
	dims  []int // length at each depth; [count] when flat
	leaf  int   // depth at which numbers sit; -1 before the first
	limit int   // most values accepted (max rows × features)
}

func (t *tensorReader) reset(limit int) {
	t.x, t.dims, t.leaf, t.limit = t.x[:0], t.dims[:0], -1, limit
}

// nested reports whether data held lists of lists.
func (t *tensorReader) nested() bool { return t.leaf > 0 }

// maxTensorDepth bounds nesting (shapes have at most 8 dimensions).
const maxTensorDepth = 8

func (t *tensorReader) read(s *scanner, field string) error {
	if s.ws() != '[' {
		return badRequest("%s must be a list of numbers (flat or nested); got %s", field, s.kind())
	}
	return t.list(s, field, 0)
}

func (t *tensorReader) list(s *scanner, field string, depth int) error {
	if depth >= maxTensorDepth {
		return badRequest("%s is nested deeper than %d levels", field, maxTensorDepth)
	}
	for len(t.dims) <= depth {
		t.dims = append(t.dims, -1) // filled when the first list at this depth ends
	}
	s.i++ // '['
	n := 0
	if !s.eat(']') {
		for {
			switch {
			case s.ws() == '[':
				if t.leaf >= 0 && depth >= t.leaf {
					return badRequest("%s is ragged: a list where a number was expected (after %d values)", field, len(t.x))
				}
				if err := t.list(s, field, depth+1); err != nil {
					return err
				}
			case s.isNumber():
				if t.leaf < 0 {
					t.leaf = depth
				} else if t.leaf != depth {
					return badRequest("%s is ragged: a number where a list was expected (after %d values)", field, len(t.x))
				}
				if len(t.x) >= t.limit {
					return errorf(http.StatusRequestEntityTooLarge, "%s has more than %d values, the row limit (--max-rows) times the model's features", field, t.limit)
				}
				v, err := s.number()
				if err == errNonFinite {
					return badRequest("%s value %d is not a finite number (it overflows float64)", field, len(t.x))
				}
				if err != nil {
					return err
				}
				t.x = append(t.x, v)
			default:
				if s.atEnd() {
					return s.fail("unterminated list in " + field)
				}
				return badRequest("%s must hold numbers (datatype FP32 or FP64); value %d is %s", field, len(t.x), s.kind())
			}
			n++
			if s.eat(']') {
				break
			}
			if !s.eat(',') {
				return s.fail("expected " + "',' or ']' in " + field + ", found " + s.found())
			}
		}
	}
	switch {
	case t.dims[depth] < 0:
		t.dims[depth] = n
	case t.dims[depth] != n:
		return badRequest("%s is ragged: lists at depth %d have %d and %d elements", field, depth+1, t.dims[depth], n)
	}
	return nil
}
