package tui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"workbench/engine"
	"workbench/engine/onnx/onnxtest"
	"workbench/sessions"
)

func typeText(tm *teatest.TestModel, s string) {
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)})
}

// TestExportFromSessionsPane trains a session, then exports it from the
// Sessions pane as ONNX and as JSON and reads both files back.
func TestExportFromSessionsPane(t *testing.T) {
	store := newStore(t)
	app := newTestApp(t, Options{Store: store})
	dir := t.TempDir()
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	typeText(tm, "3")
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor(t, tm, "finished", contains("finished"))
	typeText(tm, "5")
	waitFor(t, tm, "listed", contains("sessions · 1, newest first", "e export"))

	export := func(format, file string) {
		typeText(tm, "e")
		for range indexOf(format) {
			tm.Send(tea.KeyMsg{Type: tea.KeyTab})
		}
		// One wait: frames read together are consumed together.
		waitFor(t, tm, format+" chosen", contains("["+format+"]", "enter export"))
		tm.Send(tea.KeyMsg{Type: tea.KeyDown})
		tm.Send(tea.KeyMsg{Type: tea.KeyCtrlU})
		typeText(tm, filepath.Join(dir, file))
		tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
		waitFor(t, tm, "exported "+file, contains("to "+filepath.Join(dir, file)+" (", " kB)"))
	}
	export("onnx", "m.onnx")
	export("json", "m.json")
	typeText(tm, "q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))

	es, err := store.List()
	if err != nil || len(es) != 1 {
		t.Fatalf("sessions %v, %v", es, err)
	}
	s := es[0].Session
	b, err := os.ReadFile(filepath.Join(dir, "m.onnx"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := onnxtest.Read(b)
	if err != nil {
		t.Fatalf("exported ONNX does not decode: %v", err)
	}
	// 32:relu,32:relu plus the output layer.
	if len(e.Layers) != 3 || strings.Join(e.Classes, ",") != strings.Join(s.Data.Classes, ",") {
		t.Errorf("ONNX holds %d layers and classes %v; want 3 and %v", len(e.Layers), e.Classes, s.Data.Classes)
	}
	b, err = os.ReadFile(filepath.Join(dir, "m.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Format    string `json:"format"`
		SessionID string `json:"session_id"`
		Layers    []struct {
			Units   int         `json:"units"`
			Weights [][]float64 `json:"weights"`
		} `json:"layers"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("exported JSON does not decode: %v", err)
	}
	if doc.Format != "workbench-model" || doc.SessionID != s.ID || len(doc.Layers) != 3 || len(doc.Layers[0].Weights) != 4 {
		t.Errorf("JSON export: format %q, session %q, %d layers", doc.Format, doc.SessionID, len(doc.Layers))
	}
}

func indexOf(format string) int {
	for i, f := range []string{"onnx", "safetensors", "json", "triton"} {
		if f == format {
			return i
		}
	}
	return -1
}

// TestExportPrompt: the default path follows the format until the user
// edits it, bad paths are refused in words before anything is written, and
// the prompt fits a small terminal.
func TestExportPrompt(t *testing.T) {
	a := newTestApp(t, Options{})
	sp := a.impl.panes[paneSessions].(*sessionsPane)
	size(a, 80, 24)
	press(a, "5")
	s := &sessions.Session{ID: "20260101-iris", Name: "iris demo", Status: sessions.Finished,
		History: []engine.EpochStats{{Epoch: 1, Loss: 1}}}
	a.Update(sessionsListedMsg{entries: []sessions.Entry{{ID: s.ID, Session: s}, {ID: "new", Session: &sessions.Session{ID: "new", Name: "new"}}}})
	press(a, "e")
	ep := sp.export
	if !ep.active || !sp.Capturing() {
		t.Fatal("e does not open the export prompt")
	}
	cwd, _ := os.Getwd()
	want := func(name string) {
		t.Helper()
		if got := ep.path.Value(); got != filepath.Join(cwd, name) {
			t.Errorf("path %q, want %q", got, filepath.Join(cwd, name))
		}
	}
	want("iris_demo.onnx")
	press(a, "tab")
	want("iris_demo.safetensors")
	a.Update(tea.KeyMsg{Type: tea.KeyRight})
	want("iris_demo.json")
	a.Update(tea.KeyMsg{Type: tea.KeyShiftTab})
	want("iris_demo.safetensors")
	a.Update(tea.KeyMsg{Type: tea.KeyLeft})
	a.Update(tea.KeyMsg{Type: tea.KeyLeft})
	want("model_repository") // wrapped round to triton
	v := a.View()
	checkFits(t, v, 80, 24)
	if !strings.Contains(v, "[triton]") || !strings.Contains(v, "esc cancel") {
		t.Errorf("prompt not shown:\n%s", v)
	}

	dir := t.TempDir()
	file := filepath.Join(dir, "f.onnx")
	os.WriteFile(file, nil, 0o644)
	for _, tc := range []struct {
		name, format, path, want string
	}{
		{"missing folder", "onnx", filepath.Join(dir, "no", "m.onnx"), "folder " + filepath.Join(dir, "no") + " does not exist"},
		{"folder for a file", "json", dir, "is a folder; give a file name"},
		{"file for triton", "triton", file, "is a file; triton writes a model repository folder"},
		{"empty", "onnx", "  ", "no path given"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ep.choice = indexOf(tc.format)
			ep.path.SetValue(tc.path)
			msg := ep.start()()
			a.Update(msg)
			if !strings.Contains(sp.msg, tc.want) || !ep.active {
				t.Errorf("message %q (prompt open %v), want one containing %q with the prompt still open", sp.msg, ep.active, tc.want)
			}
			checkFits(t, a.View(), 80, 24)
		})
	}
	press(a, "esc")
	if ep.active {
		t.Fatal("esc does not close the prompt")
	}
	press(a, "j", "e")
	if ep.active || !strings.Contains(sp.msg, "no trained epoch") {
		t.Errorf("untrained session: prompt %v, message %q", ep.active, sp.msg)
	}
}

func TestHumanBytes(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		want string
	}{{0, "0 B"}, {999, "999 B"}, {1000, "1.0 kB"}, {12345, "12.3 kB"}, {4_100_000, "4.1 MB"}, {2_500_000_000, "2.5 GB"}} {
		if got := humanBytes(tc.n); got != tc.want {
			t.Errorf("humanBytes(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
