package tui

// The save-picture prompt of the Train pane and the compare view: pick
// which picture, edit the path (its extension picks PNG, SVG or PDF),
// enter writes it with sessions/plots (the code of `workbench sessions
// plot`) off the UI goroutine. Over SSH the path resolves inside the
// user's files folder, as exports do.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/sessions/plots"
)

// picture is one figure the prompt offers: its name and how to draw it.
// draw runs in a command, on data nothing else changes.
type picture struct {
	name string
	draw func() (plots.Figure, error)
}

type plotPrompt struct {
	pathPrompt
	slug string // file-name form of what is drawn
	pics []picture
	line string // how the last save ended, shown by the pane
}

func newPlotPrompt(st *Styles, f files) *plotPrompt {
	e := &plotPrompt{pathPrompt: newPathPrompt(st, f, "picture", "save")}
	e.defaultPath = func() string {
		return filepath.Join(e.files.dir(), e.slug+"-"+strings.ReplaceAll(e.pics[e.choice].name, " ", "-")+".png")
	}
	return e
}

// open starts the prompt on pics, the first chosen.
func (e *plotPrompt) open(slug string, pics []picture) {
	e.slug, e.pics, e.line = slug, pics, ""
	names := make([]string, len(pics))
	for i, p := range pics {
		names[i] = p.name
	}
	e.reset(names)
}

// Update handles a key while the prompt is open, and the save's result.
func (e *plotPrompt) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case pictureSavedMsg:
		if msg.p == e {
			e.done(msg)
		}
	case tea.KeyMsg:
		if e.active && !e.busy {
			return e.key(msg, e.start, func() {})
		}
	}
	return nil
}

// start checks the path and draws and writes the picture in a command.
func (e *plotPrompt) start() tea.Cmd {
	files, typed, pic := e.files, e.path.Value(), e.pics[e.choice]
	e.busy = true
	return func() tea.Msg {
		out := pictureSavedMsg{p: e, name: pic.name}
		path, err := files.resolve(typed)
		if err == nil {
			_, err = plots.FormatOf(path)
		}
		if err == nil {
			err = checkExportTarget(path, "picture")
		}
		if err == nil {
			err = safely(func() error {
				fig, err := pic.draw()
				if err != nil {
					return err
				}
				return fig.Save(path)
			})
		}
		out.path, out.err = path, err
		if fi, serr := os.Stat(path); err == nil && serr == nil {
			out.size = fi.Size()
		}
		return out
	}
}

// done records how the save ended: on failure the prompt stays open so
// the path can be fixed.
func (e *plotPrompt) done(msg pictureSavedMsg) {
	e.busy = false
	if msg.err != nil {
		e.line = "not saved: " + msg.err.Error()
		return
	}
	e.close()
	e.line = fmt.Sprintf("saved the %s picture to %s (%s)", msg.name, msg.path, humanBytes(msg.size))
}

// View is the prompt's three lines, in the width SetSize gave.
func (e *plotPrompt) View() string {
	st := e.st
	choice, path := e.rows(st.Bold.Render("save picture") + "  ")
	status := st.Dim.Render("tab/←→ picture · ↑↓ field · .png .svg or .pdf · enter save · esc cancel")
	switch {
	case e.busy:
		status = st.Warn.Render("saving…")
	case e.note != "":
		status = st.Warn.Render(e.note)
	case e.line != "":
		status = st.Error.Width(max(e.width, 10)).Render(e.line) // the whole reason, wrapped
	}
	return strings.Join([]string{choice, path, status}, "\n")
}
