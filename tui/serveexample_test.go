package tui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestWideExampleIsRunnable: for digits (64 values) the Serve pane's
// example was "curl … -d '{"input_data": [[…, … 64 values in all]]}'",
// which cannot be run. f writes the whole row to a file in the files
// folder and the example posts that file; a file of the same name that is
// not an earlier example is left alone.
func TestWideExampleIsRunnable(t *testing.T) {
	fl, err := newFiles(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	p, _ := servePaneOn(t, "digits", fl, 120, 40)
	if v := p.View(); strings.Contains(v, "values in all") || !strings.Contains(v, "f writes the row (64 values)") {
		t.Fatalf("the wide example is not offered as a file:\n%s", v)
	}
	press := func() {
		t.Helper()
		cmd := p.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("f")})
		if cmd == nil {
			t.Fatalf("f started nothing: %s", p.exampleNote)
		}
		p.Update(cmd())
	}
	// A user's own file of that name is not replaced.
	path := filepath.Join(fl.root, "digits-example.json")
	if err := os.WriteFile(path, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	press()
	if b, _ := os.ReadFile(path); string(b) != "mine\n" {
		t.Fatalf("f replaced the user's file: %q", b)
	}
	if v := p.View(); !strings.Contains(v, "rename or remove it first") {
		t.Errorf("f on a user's file does not say why nothing was written:\n%s", v)
	}
	os.Remove(path)
	press()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		InputData [][]float64 `json:"input_data"`
	}
	if err := json.Unmarshal(b, &body); err != nil || len(body.InputData) != 1 || len(body.InputData[0]) != 64 {
		t.Fatalf("the example file is not one row of 64 values (%v): %s", err, b)
	}
	v := p.View()
	if !strings.Contains(v, "--data-binary @"+path) || !strings.Contains(v, "curl -s http://127.0.0.1:8080/predict \\") {
		t.Errorf("the example does not post the written file:\n%s", v)
	}
	press() // an earlier example is replaced
	p.form.inputs[0].SetValue("3")
	if v := p.View(); !strings.Contains(v, "the row changed since") {
		t.Errorf("an edited row does not say the file is older:\n%s", v)
	}
}
