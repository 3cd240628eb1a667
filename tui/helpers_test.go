package tui

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"workbench/engine"
	"workbench/sessions"
)

// updating reports -update (the flag is defined by teatest's golden package,
// which we share).
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// asciiRenderer gives stable, colour-free output for goldens and teatest.
func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	r.SetHasDarkBackground(true)
	return r
}

func newStore(t testing.TB) *sessions.Store {
	t.Helper()
	st, err := sessions.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// newTestApp builds an app on a fresh store with few epochs so flows are quick.
func newTestApp(t testing.TB, opts Options) *App {
	t.Helper()
	if opts.Store == nil {
		opts.Store = newStore(t)
	}
	if opts.Renderer == nil {
		opts.Renderer = asciiRenderer()
	}
	if opts.ServeAddr == "" {
		opts.ServeAddr = "127.0.0.1:0"
	}
	a, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	a.impl.plan.Hyper.Epochs = 8
	// Pinned here so flows and goldens do not move with the product default.
	a.impl.plan.Layers, err = engine.ParseLayers("32:relu,32:relu")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// size sends a window size straight to the model (no program running).
func size(a *App, w, h int) {
	a.Update(tea.WindowSizeMsg{Width: w, Height: h})
}

// press delivers keys straight to the model, running no commands.
func press(a *App, keys ...string) {
	for _, k := range keys {
		var msg tea.KeyMsg
		switch k {
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		case "tab":
			msg = tea.KeyMsg{Type: tea.KeyTab}
		case "backspace":
			msg = tea.KeyMsg{Type: tea.KeyBackspace}
		case "space":
			msg = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		a.Update(msg)
	}
}

// checkFits fails if any line of a view is wider than w or there are more
// than h lines: nothing may wrap or overflow.
func checkFits(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Errorf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if n := lipgloss.Width(l); n > w {
			t.Errorf("line %d is %d cells wide (max %d): %q", i, n, w, l)
		}
	}
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if updating() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -run %s -update to create it)", err, t.Name())
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (go test ./tui -update to accept):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// loadAfter delivers key to the app and runs what it started, returning
// the dataLoadedMsg among the results (nil if none): a form applies
// through the root, so its load is not the pane's own return value.
func loadAfter(a *App, key tea.KeyMsg) tea.Msg {
	_, cmd := a.Update(key)
	var find func(tea.Cmd) tea.Msg
	find = func(c tea.Cmd) tea.Msg {
		if c == nil {
			return nil
		}
		switch m := c().(type) {
		case tea.BatchMsg:
			for _, c := range m {
				if got := find(c); got != nil {
					return got
				}
			}
		case dataLoadedMsg:
			return m
		}
		return nil
	}
	return find(cmd)
}
