package datasets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ReadJSONRowsEach reads prediction rows given as JSON — a bare list of
// rows [[...], ...] or {"input_data": [[...], ...]} — one row at a time,
// so that opts can skip a row missing a value or read on past a bad one
// (predict --drop-missing, --keep-going). parse decodes a one-row body
// [row] (the predict server's decoder, so each row is read as the server
// would); its errors, which call that row input[0], are renamed to the
// row's place in body (input_data[7]). A row fails for a missing value
// when it holds null or, as an object, lacks one of names. The JSON itself
// being malformed or of another shape fails the whole input.
func ReadJSONRowsEach(body []byte, names []string, opts RowOptions, parse func(oneRow []byte) ([]float64, error)) (*InputRows, error) {
	rows, field, err := splitJSONRows(body)
	if err != nil {
		// The decoder's message for the whole body says where it is wrong.
		if _, perr := parse(body); perr != nil {
			return nil, perr
		}
		return nil, err
	}
	in := &InputRows{}
	b := newBudget("input", LoadOptions{MaxMemory: opts.MaxMemory})
	one := make([]byte, 0, 64)
	for i, raw := range rows {
		one = append(append(append(one[:0], '['), raw...), ']')
		row, err := parse(one)
		if err != nil {
			msg := strings.Replace(err.Error(), "input[0]", fmt.Sprintf("%s[%d]", field, i), 1)
			if jsonRowHasGap(raw, names) {
				err = gapError(msg)
			} else {
				err = errors.New(msg)
			}
		}
		if err := in.add(opts, i+1, row, err); err != nil {
			return nil, err
		}
		if len(in.Rows) == 1 && err == nil {
			// The rows held, each as wide as the first, must fit.
			if err := b.check(int64(len(body))+int64(len(rows))*int64(8*len(row)+48), fmt.Sprintf("%d rows", len(rows))); err != nil {
				return nil, err
			}
		}
	}
	return in, nil
}

// splitJSONRows is body's rows, undecoded, and the name the server's
// messages give them.
func splitJSONRows(body []byte) ([]json.RawMessage, string, error) {
	var rows []json.RawMessage
	body = bytes.TrimSpace(body)
	if len(body) > 0 && body[0] == '[' {
		if err := json.Unmarshal(body, &rows); err != nil {
			return nil, "", fmt.Errorf("not valid JSON rows: %v", err)
		}
		return rows, "input", nil
	}
	var obj struct {
		InputData *[]json.RawMessage `json:"input_data"`
	}
	if err := json.Unmarshal(body, &obj); err != nil || obj.InputData == nil {
		return nil, "", errors.New(`row by row reading takes {"input_data": [[...], ...]} or a bare list of rows [[...], ...]`)
	}
	return *obj.InputData, "input_data", nil
}

// jsonRowHasGap reports whether a row holds null, or is an object without
// one of names (compared case-insensitively).
func jsonRowHasGap(raw json.RawMessage, names []string) bool {
	var list []any
	if json.Unmarshal(raw, &list) == nil {
		for _, v := range list {
			if v == nil {
				return true
			}
		}
		return false
	}
	var obj map[string]any
	if json.Unmarshal(raw, &obj) != nil {
		return false
	}
	have := make(map[string]bool, len(obj))
	for k, v := range obj {
		if v == nil {
			return true
		}
		have[strings.ToLower(k)] = true
	}
	for _, n := range names {
		if !have[strings.ToLower(n)] {
			return true
		}
	}
	return false
}

// gapError is a JSON row's error when the row has a gap: the decoder's
// message, and ErrMissingValue for errors.Is.
type gapError string

func (e gapError) Error() string { return string(e) }
func (e gapError) Unwrap() error { return ErrMissingValue }
