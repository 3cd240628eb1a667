package cli

import (
	"bytes"
	"io"

	"workbench/sessions"
)

// jsonObj is a JSON object whose keys keep the order they are given in, so
// JSON lines read well (type and session first).
type jsonObj []jsonField

type jsonField struct {
	Key   string
	Value any
}

func (o jsonObj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := sessions.EncodeJSON(f.Key, "")
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := sessions.EncodeJSON(f.Value, "")
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// writeLine writes v as one line of JSON.
func writeLine(w io.Writer, v any) error {
	b, err := sessions.EncodeJSON(v, "")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// writeJSON writes v as indented JSON and a newline.
func writeJSON(w io.Writer, v any) error {
	b, err := sessions.EncodeJSON(v, "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
