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

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
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
	st    *Styles
	files files
	keys  exportKeys
	width int

	active bool
	busy   bool
	slug   string // file-name form of what is drawn
	pics   []picture
	pic    int
	onPath bool
	path   textinput.Model
	def    string
	note   string
	line   string // how the last save ended, shown by the pane
}

func newPlotPrompt(st *Styles, f files) *plotPrompt {
	ti := textinput.New()
	ti.Prompt = "  path: "
	capField(&ti, pathField)
	ti.PromptStyle = st.Dim
	ti.Cursor.Style = st.Cursor
	ti.Cursor.SetMode(cursor.CursorStatic)
	return &plotPrompt{st: st, files: f, path: ti, keys: exportKeys{
		Next:   k("tab", "picture", "tab"),
		Prev:   k("shift+tab", "previous picture", "shift+tab"),
		Up:     k("↑", "picture row", "up"),
		Down:   k("↓", "path row", "down"),
		Left:   k("←", "previous picture", "left"),
		Right:  k("→", "next picture", "right"),
		Export: k("enter", "save", "enter"),
		Cancel: k("esc", "cancel", "esc"),
	}}
}

// open starts the prompt on pics, the first chosen.
func (e *plotPrompt) open(slug string, pics []picture) {
	e.active, e.busy, e.onPath = true, false, false
	e.slug, e.pics, e.pic, e.def, e.line = slug, pics, 0, "", ""
	e.fillDefault()
	e.path.Blur()
}

func (e *plotPrompt) defaultPath() string {
	return filepath.Join(e.files.dir(), e.slug+"-"+strings.ReplaceAll(e.pics[e.pic].name, " ", "-")+".png")
}

// fillDefault puts the default path in unless the user typed their own.
func (e *plotPrompt) fillDefault() {
	if v := e.path.Value(); e.def != "" && v != e.def {
		return
	}
	e.def = e.defaultPath()
	e.path.SetValue(e.def)
	e.path.CursorEnd()
}

func (e *plotPrompt) cycle(by int) {
	n := len(e.pics)
	e.pic = ((e.pic+by)%n + n) % n
	e.fillDefault()
}

func (e *plotPrompt) ShortHelp() []key.Binding {
	if e.busy {
		return nil
	}
	return []key.Binding{e.keys.Next, both(e.keys.Up, e.keys.Down, "↑/↓", "field"), e.keys.Export, e.keys.Cancel}
}

func (e *plotPrompt) FullHelp() [][]key.Binding {
	return [][]key.Binding{{e.keys.Next, e.keys.Prev, e.keys.Left, e.keys.Right}, {e.keys.Up, e.keys.Down, e.keys.Export, e.keys.Cancel}}
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
			return e.updateKey(msg)
		}
	}
	return nil
}

func (e *plotPrompt) updateKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, e.keys.Cancel):
		e.active = false
		e.path.Blur()
		return nil
	case key.Matches(msg, e.keys.Next):
		e.cycle(1)
		return nil
	case key.Matches(msg, e.keys.Prev):
		e.cycle(-1)
		return nil
	case key.Matches(msg, e.keys.Up):
		e.onPath = false
		e.path.Blur()
		return nil
	case key.Matches(msg, e.keys.Down):
		e.onPath = true
		return e.path.Focus()
	case key.Matches(msg, e.keys.Export):
		return e.start()
	case !e.onPath && key.Matches(msg, e.keys.Left):
		e.cycle(-1)
		return nil
	case !e.onPath && key.Matches(msg, e.keys.Right):
		e.cycle(1)
		return nil
	}
	var focus tea.Cmd
	if !e.onPath {
		e.onPath = true
		focus = e.path.Focus()
	}
	var cmd tea.Cmd
	e.path, cmd, e.note = updateField(e.path, msg, pathField)
	return tea.Batch(focus, cmd)
}

// start checks the path and draws and writes the picture in a command.
func (e *plotPrompt) start() tea.Cmd {
	files, typed, pic := e.files, e.path.Value(), e.pics[e.pic]
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
	e.active = false
	e.path.Blur()
	e.line = fmt.Sprintf("saved the %s picture to %s (%s)", msg.name, msg.path, humanBytes(msg.size))
}

// View is the prompt's three lines, in the width SetSize gave.
func (e *plotPrompt) View() string {
	st, w := e.st, e.width
	var ps []string
	for i, p := range e.pics {
		if i == e.pic {
			ps = append(ps, st.Selected.Render("["+p.name+"]"))
		} else {
			ps = append(ps, st.Dim.Render(" "+p.name+" "))
		}
	}
	mark := func(on bool) string {
		if on {
			return st.Selected.Render("▸")
		}
		return " "
	}
	e.path.Width = max(10, w-12)
	status := st.Dim.Render("tab/←→ picture · ↑↓ field · .png .svg or .pdf · enter save · esc cancel")
	switch {
	case e.busy:
		status = st.Warn.Render("saving…")
	case e.note != "":
		status = st.Warn.Render(e.note)
	case e.line != "":
		status = st.Error.Width(max(w, 10)).Render(e.line) // the whole reason, wrapped
	}
	return strings.Join([]string{
		mark(!e.onPath) + st.Bold.Render("save picture") + "  " + strings.Join(ps, " "),
		mark(e.onPath) + e.path.View(),
		status,
	}, "\n")
}
