package tui

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// TestCompareSmoothLogSave: in the compare view s smooths and L puts the
// metric on a log axis (both in the head), and p saves the overlaid
// curves as an SVG that parses as XML.
func TestCompareSmoothLogSave(t *testing.T) {
	store := newStore(t)
	trainRuns(t, store, runSpec{"slow", 0.001, 3}, runSpec{"fast", 0.1, 6})
	app := newTestApp(t, Options{Store: store})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	typeText(tm, "5")
	waitFor(t, tm, "listed", contains("sessions · 2, newest first"))
	for _, k := range []string{"m", "j", "m", "="} {
		typeText(tm, k)
	}
	waitFor(t, tm, "compare", contains("compare · 2 runs", "no smoothing", "linear y"))
	typeText(tm, "s")
	waitFor(t, tm, "smoothed", contains("smooth 0.6"))
	typeText(tm, "L")
	waitFor(t, tm, "log y", contains("log y"))
	typeText(tm, "+")
	waitFor(t, tm, "zoomed", contains("showing 20–100% of the epoch axis"))
	typeText(tm, "p")
	waitFor(t, tm, "prompt", contains("save picture", "[loss]", "val_loss"))
	path := filepath.Join(t.TempDir(), "cmp.svg")
	tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlU})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(path), Paste: true})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "saved", contains("saved the loss picture"))
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := d.Token(); err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatalf("%s is no XML: %v", path, err)
			}
			break
		}
	}
	if len(b) < 1000 {
		t.Errorf("%s is %d bytes, too small for two curves", path, len(b))
	}
	if !bytes.Contains(b, []byte("epochs 2–6")) {
		t.Errorf("%s does not keep the zoom (epochs 2–6 of 6)", path)
	}
}
