package datasets

import (
	"errors"
	"fmt"
	"strings"
)

// Kinds of bad input, for errors.Is. Every error that Load returns for a
// bad file is a *FileError wrapping one of these.
var (
	ErrEmptyFile      = errors.New("no data rows")
	ErrNonNumeric     = errors.New("value is not a number")
	ErrMissingValue   = errors.New("missing value")
	ErrRaggedRow      = errors.New("wrong number of fields")
	ErrBadQuote       = errors.New("malformed quoted field")
	ErrTargetNotFound = errors.New("target column not found")
	ErrTarget         = errors.New("unusable target column")
	ErrBadIDX         = errors.New("malformed IDX file")
	ErrTooBig         = errors.New("too large for the memory budget")
	ErrCountLine      = errors.New("count line before the header")
	ErrColumn         = errors.New("unusable column")
	ErrDate           = errors.New("date in an unknown form")
)

// FileError locates bad input in a user's file. Line and Column are
// 1-based (as an editor shows them); 0 means the error concerns the whole
// file or line.
type FileError struct {
	File       string
	Line       int
	Column     int
	ColumnName string // the header's name for Column, if there is a header
	Kind       error  // one of the Err* values above
	Detail     string
}

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ", column %d", e.Column)
			if e.ColumnName != "" {
				fmt.Fprintf(&b, " (%q)", e.ColumnName)
			}
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Kind.Error())
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

func (e *FileError) Unwrap() error { return e.Kind }
