package tui

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// TestSavePictureFromTrainPane trains iris, then p saves the loss curve as
// a PNG (decoded here, ≥ 800 px wide), tab picks the next picture and a
// .svg path writes SVG; a bad extension is refused with its name and the
// prompt stays open.
func TestSavePictureFromTrainPane(t *testing.T) {
	dir := t.TempDir()
	app := newTestApp(t, Options{})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	keys := func(s string) { tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}) }
	typePath := func(path string) {
		tm.Send(tea.KeyMsg{Type: tea.KeyDown})
		tm.Send(tea.KeyMsg{Type: tea.KeyCtrlU})
		tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(path), Paste: true})
		tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	}
	keys("3")
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor(t, tm, "finished", contains("finished", "macro avg"))

	keys("p")
	waitFor(t, tm, "the prompt", contains("save picture", "[loss]", "confusion"))
	pngPath := filepath.Join(dir, "loss.png")
	typePath(pngPath)
	waitFor(t, tm, "saved", contains("saved the loss picture"))

	keys("p")
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	bad := filepath.Join(dir, "acc.gif")
	typePath(bad)
	waitFor(t, tm, "refused", contains("not saved", "format \".gif\""))
	svgPath := filepath.Join(dir, "acc.svg")
	typePath(svgPath)
	waitFor(t, tm, "saved", contains("saved the accuracy picture"))
	keys("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))

	b, err := os.ReadFile(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s is no PNG: %v", pngPath, err)
	}
	if r := img.Bounds(); r.Dx() < 800 || r.Dy() < 500 {
		t.Errorf("PNG is %dx%d, want at least 800x500", r.Dx(), r.Dy())
	}
	s, err := os.ReadFile(svgPath)
	if err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(bytes.NewReader(s))
	for {
		if _, err := d.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("%s is no XML: %v", svgPath, err)
			}
			break
		}
	}
	if !strings.Contains(string(s), "<svg") {
		t.Errorf("%s has no <svg> element", svgPath)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Errorf("%s was written though its format is unknown", bad)
	}
}

// TestSavedPictureKeepsTheZoom: a zoomed chart saves the epochs it shows,
// and the file's title says which.
func TestSavedPictureKeepsTheZoom(t *testing.T) {
	dir := t.TempDir()
	app := newTestApp(t, Options{})
	tm := teatest.NewTestModel(t, app, teatest.WithInitialTermSize(160, 48))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("3")})
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor(t, tm, "finished", contains("finished", "macro avg"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("+")})
	waitFor(t, tm, "zoomed", contains("epochs "))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("p")})
	waitFor(t, tm, "the prompt", contains("save picture", "[loss]"))
	path := filepath.Join(dir, "zoom.svg")
	tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlU})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(path), Paste: true})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "saved", contains("saved the loss picture"))
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	tm.WaitFinished(t, teatest.WithFinalTimeout(waitLong))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "epochs ") {
		t.Errorf("the saved picture's title does not name the zoomed epochs")
	}
}
