package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/sessions"
)

// TestDataPaneMemoryBudget: data over the program's memory budget (the SSH
// host's per-user --max-memory) is refused in the Data pane with a message
// that names the budget, and the plan keeps its data.
func TestDataPaneMemoryBudget(t *testing.T) {
	root := t.TempDir()
	big := filepath.Join(root, "big.csv")
	if err := os.WriteFile(big, []byte("a,b,y\n"+strings.Repeat("1,2,0\n2,1,1\n", 20000)), 0o644); err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, Options{FileRoot: root, MaxMemory: 64 << 10})
	dp := a.impl.panes[paneData].(*dataPane)
	size(a, 160, 48)
	before := a.impl.plan.DataRef
	press(a, "o")
	dp.path.SetValue("~/big.csv")
	cmd := dp.updateKey(tea.KeyMsg{Type: tea.KeyEnter})
	if cmd == nil {
		t.Fatalf("no load started (error %q)", dp.loadErr)
	}
	a.Update(cmd())
	if !strings.Contains(dp.loadErr, "memory budget of 64 KiB") {
		t.Errorf("Data pane error = %q, want the memory budget named", dp.loadErr)
	}
	if v := a.View(); !strings.Contains(v, "memory budget") {
		t.Errorf("the refusal is not on screen:\n%s", v)
	}
	if a.impl.plan.DataRef != before {
		t.Errorf("plan changed to %q by a refused load", a.impl.plan.DataRef)
	}
}

// TestHyperFormRestoreBest: the training settings have a "restore best"
// field; "no" keeps the last epoch's weights (--restore-best=false).
func TestHyperFormRestoreBest(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 100, 30)
	press(a, "2", "t")
	for range 10 {
		press(a, "tab")
	}
	mp := a.impl.panes[paneModel].(*modelPane)
	if got := mp.hyper.value(10); got != "yes" {
		t.Fatalf("restore best starts %q, want yes", got)
	}
	press(a, "backspace", "backspace", "backspace", "n", "o", "enter")
	if !a.impl.plan.Hyper.KeepLast {
		t.Fatalf("restore best = no did not reach the plan (form error %q)", mp.hyper.err)
	}
}

// TestChartMarksContinuedSegment: a continued session's charts mark where
// the continued segment starts (issue 14 item 6).
func TestChartMarksContinuedSegment(t *testing.T) {
	st := newStore(t)
	pr, err := sessions.Prepare(sessions.Plan{DataRef: "iris", Hyper: sessions.Hyper{Epochs: 3, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := st.Train(context.Background(), pr, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	pr2, err := sessions.Reprepare(s)
	if err != nil {
		t.Fatal(err)
	}
	pr2.Epochs = 3
	if s, err = st.Train(context.Background(), pr2, nil, nil); err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, Options{Store: st, SessionID: s.ID})
	size(a, 160, 48)
	press(a, "3")
	if v := a.View(); !strings.Contains(v, "┴ continued") || strings.Count(v, "┴") < 3 {
		t.Errorf("the charts do not mark the continued segment:\n%s", v)
	}
}

// TestIDXLabelsConfined: the labels file an IDX load opens beside the
// images goes through the same confinement as the typed path: a link in
// the user's folder to another user's labels is refused, before anything of
// it is read (issue 14 item 13).
func TestIDXLabelsConfined(t *testing.T) {
	root, other := sandbox(t)
	images := []byte{0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 10, 20}
	labels := []byte{0, 0, 8, 1, 0, 0, 0, 2, 0, 1}
	if err := os.WriteFile(filepath.Join(root, "x-images-idx3-ubyte"), images, 0o600); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(other, "x-labels-idx1-ubyte")
	if err := os.WriteFile(secret, labels, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(root, "x-labels-idx1-ubyte")); err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, Options{FileRoot: root})
	dp := a.impl.panes[paneData].(*dataPane)
	size(a, 160, 48)
	press(a, "o")
	dp.path.SetValue("~/x-images-idx3-ubyte")
	cmd := dp.updateKey(tea.KeyMsg{Type: tea.KeyEnter})
	if cmd == nil {
		t.Fatalf("the images file itself was refused: %q", dp.loadErr)
	}
	msg := cmd().(dataLoadedMsg)
	if msg.err == nil || !strings.Contains(msg.err.Error(), "outside your files folder") {
		t.Fatalf("labels through a link out of the folder: %v, want refused as outside", msg.err)
	}
	// Without the link, the same files inside load.
	os.Remove(filepath.Join(root, "x-labels-idx1-ubyte"))
	if err := os.WriteFile(filepath.Join(root, "x-labels-idx1-ubyte"), labels, 0o600); err != nil {
		t.Fatal(err)
	}
	if msg := cmd().(dataLoadedMsg); msg.err != nil {
		t.Errorf("labels inside the folder: %v", msg.err)
	}
}

// TestHyperFormDType: the training settings show the compute type,
// float32 by default, and a typed float64 reaches the plan; a bad type is
// refused naming the choices (issue 15).
func TestHyperFormDType(t *testing.T) {
	a := newTestApp(t, Options{})
	size(a, 100, 30)
	press(a, "2", "t")
	for range 11 {
		press(a, "tab")
	}
	mp := a.impl.panes[paneModel].(*modelPane)
	if got := mp.hyper.value(11); got != "float32" {
		t.Fatalf("dtype starts %q, want float32", got)
	}
	press(a, "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace")
	press(a, "f", "l", "o", "a", "t", "1", "6", "enter")
	if mp.hyper.err == "" || a.impl.plan.Hyper.DType != "float32" {
		t.Fatalf("float16 accepted: form error %q, plan dtype %q", mp.hyper.err, a.impl.plan.Hyper.DType)
	}
	press(a, "backspace", "backspace", "6", "4", "enter")
	if a.impl.plan.Hyper.DType != "float64" {
		t.Fatalf("dtype float64 did not reach the plan (form error %q)", mp.hyper.err)
	}
}

// TestPreviewNamesTheOfficialTestSet: IDX data with a t10k pair beside it
// is tested on that pair (sessions.Prepare), and the Data pane's split line
// says so instead of promising a test fraction of the file (issue 18).
func TestPreviewNamesTheOfficialTestSet(t *testing.T) {
	root, _ := sandbox(t)
	images := []byte{0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 10, 20}
	labels := []byte{0, 0, 8, 1, 0, 0, 0, 2, 0, 1}
	for name, b := range map[string][]byte{"train-images-idx3-ubyte": images, "train-labels-idx1-ubyte": labels} {
		if err := os.WriteFile(filepath.Join(root, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	load := func() string {
		a := newTestApp(t, Options{FileRoot: root})
		dp := a.impl.panes[paneData].(*dataPane)
		size(a, 160, 48)
		press(a, "o")
		dp.path.SetValue("~/train-images-idx3-ubyte")
		cmd := dp.updateKey(tea.KeyMsg{Type: tea.KeyEnter})
		if cmd == nil {
			t.Fatalf("refused: %q", dp.loadErr)
		}
		msg := cmd().(dataLoadedMsg)
		if msg.err != nil {
			t.Fatal(msg.err)
		}
		a.Update(msg)
		return a.View()
	}
	if v := load(); strings.Contains(v, "official test set") || !strings.Contains(v, "test 20%") {
		t.Fatalf("without a t10k pair the split line should be fractions:\n%s", v)
	}
	for name, b := range map[string][]byte{"t10k-images-idx3-ubyte": images, "t10k-labels-idx1-ubyte": labels} {
		if err := os.WriteFile(filepath.Join(root, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if v := load(); !strings.Contains(v, "test: the official test set") {
		t.Fatalf("the split line does not name the official test set:\n%s", v)
	}
}
