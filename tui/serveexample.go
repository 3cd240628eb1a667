package tui

// The Serve pane's example for wide data: a row of 64 (or 784) values does
// not fit on screen, and a command with "… 64 values in all" in it cannot
// be run. f writes the whole example body to a file in the user's files
// folder (confined over SSH, as exports are) and the example posts it with
// curl --data-binary @FILE.

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/sessions"
)

// exampleWrittenMsg: the example body was written to path, or why not.
type exampleWrittenMsg struct {
	path string
	err  error
	key  string // the rowKey written
}

// exampleFile is the name the example body is written under.
func exampleFile(s *sessions.Session) string {
	return sessions.TritonName(s) + "-example.json"
}

// wide reports whether the try-it row has more values than the form edits,
// so the example cannot be shown inline.
func (p *servePane) wide() bool {
	return p.form != nil && p.formFor != nil && len(p.formFor.Data.Features) > len(p.form.inputs)
}

// writeExample writes the whole try-it row as a /predict body, off the UI
// goroutine.
func (p *servePane) writeExample() tea.Cmd {
	if p.form == nil || p.formFor == nil {
		return nil
	}
	row, err := p.row()
	if err != nil {
		p.exampleNote = "example not written: " + err.Error()
		return nil
	}
	body, err := json.Marshal(map[string]any{"input_data": [][]float64{row}})
	if err != nil {
		p.exampleNote = "example not written: " + err.Error()
		return nil
	}
	fl, name, key := p.files, exampleFile(p.formFor), p.rowKey()
	return func() tea.Msg {
		path, err := fl.resolve(name)
		if err == nil {
			err = safely(func() error { return writeExampleBody(path, append(body, '\n')) })
		}
		return exampleWrittenMsg{path: path, err: err, key: key}
	}
}

// writeExampleBody replaces path with body: a new file, or one that holds
// an earlier example (only "input_data"); any other file is left alone.
func writeExampleBody(path string, body []byte) error {
	if old, err := os.ReadFile(path); err == nil {
		var prev map[string]json.RawMessage
		if json.Unmarshal(old, &prev) != nil || len(prev) != 1 || prev["input_data"] == nil {
			return fmt.Errorf("%s exists and is not an earlier example: rename or remove it first", path)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".example-*.json")
	if err != nil {
		return err
	}
	werr := tmp.Chmod(0o644) // a file the user reads and shares, as exports are
	if werr == nil {
		_, werr = tmp.Write(body)
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
	}
	return werr
}

// exampleDone records where the body went.
func (p *servePane) exampleDone(msg exampleWrittenMsg) {
	if msg.err != nil {
		p.examplePath, p.exampleNote = "", "example not written: "+msg.err.Error()
		return
	}
	p.examplePath, p.exampleKey, p.exampleNote = msg.path, msg.key, ""
}

// exampleLines is the runnable example for a wide row: the curl command
// that posts the written file, and what f does.
func (p *servePane) exampleLines(url string) []string {
	st := p.st
	n := len(p.formFor.Data.Features)
	path := p.examplePath
	note := fmt.Sprintf("f writes the row (%d values) to %s, then:", n, exampleFile(p.formFor))
	switch {
	case p.exampleNote != "":
		note = p.exampleNote
	case path != "" && p.exampleKey != p.rowKey():
		note = "the row changed since " + path + " was written: f writes it again"
	case path != "":
		note = fmt.Sprintf("the row (%d values) is in %s:", n, path)
	}
	if path == "" {
		path = exampleFile(p.formFor)
	}
	lines := []string{"", st.Bold.Render("example")}
	for _, l := range wrapParts("", strings.Fields(note), " ", max(10, p.width-4), 4) {
		lines = append(lines, st.Dim.Render(l))
	}
	return append(lines, "curl -s "+url+` \`, "  --data-binary @"+path)
}
