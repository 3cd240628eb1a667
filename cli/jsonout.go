package cli

import (
	"bytes"
	"fmt"
	"io"

	"github.com/spf13/pflag"

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

// outputChoice is how a command that prints data chooses its form: a table
// on a terminal, JSON when stdout is not one (a pipe, a file) — one rule
// for every command, so scripts get JSON without asking and people get
// tables. --json and --table choose explicitly.
type outputChoice struct{ json, table *bool }

func outputFlags(fs *pflag.FlagSet, jsonHelp string) outputChoice {
	return outputChoice{
		json:  fs.Bool("json", false, jsonHelp+" (the default when stdout is not a terminal)"),
		table: fs.Bool("table", false, "print the table even when stdout is not a terminal"),
	}
}

// asJSON reports whether to print JSON to w.
func (o outputChoice) asJSON(cmd string, w io.Writer) (bool, error) {
	switch {
	case *o.json && *o.table:
		return false, fmt.Errorf("%s: --json and --table ask for two forms; give one", cmd)
	case *o.json:
		return true, nil
	case *o.table:
		return false, nil
	}
	return !isTerminal(w), nil
}
