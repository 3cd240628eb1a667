package datasets

import (
	"errors"
	"fmt"
	"strings"
)

// RowOptions says what prediction input readers do with a row they cannot
// read (workbench predict --drop-missing and --keep-going).
type RowOptions struct {
	// DropMissing skips (and counts) a row that cannot be read because a
	// value is missing — an empty cell, or a gap the model has no fill for.
	DropMissing bool
	// KeepGoing records a bad row in Failed and reads on, instead of
	// failing the whole input on it.
	KeepGoing bool
	// MaxMemory bounds the rows held, in bytes (0 = DefaultMaxMemory()).
	MaxMemory int64
}

// InputRows is prediction input read row by row: the rows read, each with
// its number as the user counts them (first data row 1, after any header),
// the rows that failed (RowOptions.KeepGoing) and how many were dropped
// (RowOptions.DropMissing).
type InputRows struct {
	Rows    [][]float64
	Numbers []int
	Failed  []*RowError
	Dropped int
}

// RowError is one input row that could not be read. Row is 1-based, as the
// user counts data rows; Err says why without naming the row again.
type RowError struct {
	Row int
	Err error
}

// Error reads "row N, column …" when the reason names a column (as
// InputError does) and "row N: …" otherwise.
func (e *RowError) Error() string {
	if msg := e.Err.Error(); strings.HasPrefix(msg, "column ") {
		return fmt.Sprintf("row %d, %s", e.Row, msg)
	}
	return fmt.Sprintf("row %d: %v", e.Row, e.Err)
}
func (e *RowError) Unwrap() error { return e.Err }

// add files one row's outcome by opts: a read row is kept; a row missing a
// value is dropped under DropMissing; another bad row is recorded under
// KeepGoing and otherwise returned, ending the read.
func (in *InputRows) add(opts RowOptions, n int, row []float64, err error) error {
	switch {
	case err == nil:
		in.Rows = append(in.Rows, row)
		in.Numbers = append(in.Numbers, n)
	case opts.DropMissing && errors.Is(err, ErrMissingValue):
		in.Dropped++
	case opts.KeepGoing:
		in.Failed = append(in.Failed, &RowError{Row: n, Err: err})
	default:
		return rowError(n, err)
	}
	return nil
}

// rowError names row n in err, a row's error that does not: an
// InputError carries it (its message reads "row N, column …", as before
// RowOptions), anything else is wrapped as "row N: …".
func rowError(n int, err error) error {
	if ie, ok := err.(*InputError); ok {
		named := *ie
		named.Row = n
		return &named
	}
	return &RowError{Row: n, Err: err}
}

// rowsOrNone is the plain readers' result: the rows, or an error when none
// were read.
func rowsOrNone(in *InputRows, err error) ([][]float64, error) {
	if err != nil {
		return nil, err
	}
	if len(in.Rows) == 0 {
		return nil, errors.New("no rows in the input")
	}
	return in.Rows, nil
}
