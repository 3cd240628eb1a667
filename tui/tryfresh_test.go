package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
	"workbench/sessions"
)

// fakeShared answers the Serve pane's questions with fixed values.
type fakeShared struct {
	shared
	cur *sessions.Session
	ds  *datasets.Dataset
	sv  serveView
}

func (f *fakeShared) Current() *sessions.Session     { return f.cur }
func (f *fakeShared) CurrentData() *datasets.Dataset { return f.ds }
func (f *fakeShared) Data() *datasets.Dataset        { return f.ds }
func (f *fakeShared) Run() runView                   { return runView{} }
func (f *fakeShared) Serving() serveView             { return f.sv }

// servePaneOn is a Serve pane whose current session is an untrained one of
// the built-in set name, with the server off, sized w×h and settled.
func servePaneOn(t *testing.T, name string, fl files, w, h int) (*servePane, *fakeShared) {
	t.Helper()
	ds, err := loadDataset(name, datasets.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := &sessions.Session{ID: "20261207-120000-" + name, Name: name}
	s.Data.Ref, s.Data.Features, s.Data.Classes = ds.Ref, ds.FeatureNames, ds.ClassNames
	s.Split.Val, s.Split.Test, s.Split.Seed = 0.2, 0.2, 1
	sh := &fakeShared{cur: s, ds: ds, sv: serveView{Want: "127.0.0.1:8080"}}
	p := newServePane(env{st: DefaultStyles(asciiRenderer()), sh: sh, ask: func(tea.Msg) {}}, fl)
	p.SetSize(w, h)
	p.Update(settledMsg{})
	return p, sh
}

// TestTryItResultFollowsRowAndServer: the try-it answer and the example's
// true label describe what is on screen — after S the "server off" answer
// goes, and an edited row shows no true label.
func TestTryItResultFollowsRowAndServer(t *testing.T) {
	p, sh := servePaneOn(t, "iris", files{}, 100, 30)
	s := sh.cur
	if v := p.View(); !strings.Contains(v, "(true: ") {
		t.Fatalf("the example row shows no true label:\n%s", v)
	}
	p.Update(tryResultMsg{out: []float64{0.1, 0.8, 0.1}, via: "the model (server off)", key: p.tryKey()})
	if v := p.View(); !strings.Contains(v, "via the model (server off)") {
		t.Fatalf("the answer is not shown:\n%s", v)
	}
	sh.sv = serveView{On: true, Addr: "127.0.0.1:8080", Want: "127.0.0.1:8080", ID: s.ID, Sess: s}
	if v := p.View(); strings.Contains(v, "server off)") || !strings.Contains(v, "server now on: enter predicts again") {
		t.Errorf("after S the try-it line still says server off:\n%s", v)
	}
	p.Update(tryResultMsg{out: []float64{0.1, 0.8, 0.1}, via: "POST /predict", key: p.tryKey()})
	p.form.inputs[0].SetValue("9.5")
	v := p.View()
	if strings.Contains(v, "(true: ") || strings.Contains(v, "via POST /predict") {
		t.Errorf("after editing the row the old label or answer stays:\n%s", v)
	}
	if !strings.Contains(v, "edited: no true label") || !strings.Contains(v, "row changed: enter predicts again") {
		t.Errorf("after editing the row the pane does not say why the answer went:\n%s", v)
	}
}
