package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// pathPrompt is what the export and save-picture prompts share: a row of
// choices (a format, a picture) over a path field whose default follows
// the choice until the user types their own.
type pathPrompt struct {
	st    *Styles
	files files
	keys  exportKeys
	width int

	active  bool
	busy    bool // the file is being written; keys wait
	choices []string
	choice  int
	onPath  bool // the path row has the focus (else the choice row)
	path    textinput.Model
	def     string // the default path last filled in
	note    string // a paste cut to the path's cap, until the next key
	// defaultPath is the path the field holds until the user edits it.
	defaultPath func() string
}

// newPathPrompt makes the prompt; what the choice row picks ("format",
// "picture") and what enter does ("export", "save") name its keys.
func newPathPrompt(st *Styles, f files, what, do string) pathPrompt {
	ti := textinput.New()
	ti.Prompt = "  path: "
	capField(&ti, pathField)
	ti.PromptStyle = st.Dim
	ti.Cursor.Style = st.Cursor
	ti.Cursor.SetMode(cursor.CursorStatic)
	return pathPrompt{st: st, files: f, path: ti, keys: exportKeys{
		Next:   k("tab", what, "tab"),
		Prev:   k("shift+tab", "previous "+what, "shift+tab"),
		Up:     k("↑", what+" row", "up"),
		Down:   k("↓", "path row", "down"),
		Left:   k("←", "previous "+what, "left"),
		Right:  k("→", "next "+what, "right"),
		Export: k("enter", do, "enter"),
		Cancel: k("esc", "cancel", "esc"),
	}}
}

// reset opens the prompt on choices, the first chosen, the path its default.
func (e *pathPrompt) reset(choices []string) {
	e.active, e.busy, e.onPath = true, false, false
	e.choices, e.choice, e.def = choices, 0, ""
	e.fillDefault()
	e.path.Blur()
}

func (e *pathPrompt) close() {
	e.active = false
	e.path.Blur()
}

// fillDefault puts the default path in the field unless the user typed
// their own.
func (e *pathPrompt) fillDefault() {
	if v := e.path.Value(); e.def != "" && v != e.def {
		return
	}
	e.def = e.defaultPath()
	e.path.SetValue(e.def)
	e.path.CursorEnd()
}

func (e *pathPrompt) cycle(by int) {
	n := len(e.choices)
	e.choice = ((e.choice+by)%n + n) % n
	e.fillDefault()
}

func (e *pathPrompt) ShortHelp() []key.Binding {
	if e.busy {
		return nil
	}
	return []key.Binding{e.keys.Next, both(e.keys.Up, e.keys.Down, "↑/↓", "field"), e.keys.Export, e.keys.Cancel}
}

func (e *pathPrompt) FullHelp() [][]key.Binding {
	return [][]key.Binding{{e.keys.Next, e.keys.Prev, e.keys.Left, e.keys.Right}, {e.keys.Up, e.keys.Down, e.keys.Export, e.keys.Cancel}}
}

// key handles a key of the open prompt: enter calls start, esc cancel.
func (e *pathPrompt) key(msg tea.KeyMsg, start func() tea.Cmd, cancel func()) tea.Cmd {
	switch {
	case key.Matches(msg, e.keys.Cancel):
		e.close()
		cancel()
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
		return start()
	case !e.onPath && key.Matches(msg, e.keys.Left):
		e.cycle(-1)
		return nil
	case !e.onPath && key.Matches(msg, e.keys.Right):
		e.cycle(1)
		return nil
	}
	// Typing on the choice row edits the path: there is nothing else to
	// type into.
	var focus tea.Cmd
	if !e.onPath {
		e.onPath = true
		focus = e.path.Focus()
	}
	var cmd tea.Cmd
	e.path, cmd, e.note = updateField(e.path, msg, pathField)
	return tea.Batch(focus, cmd)
}

// rows are the prompt's choice row (after head) and path row.
func (e *pathPrompt) rows(head string) (string, string) {
	st := e.st
	var cs []string
	for i, c := range e.choices {
		if i == e.choice {
			cs = append(cs, st.Selected.Render("["+c+"]"))
		} else {
			cs = append(cs, st.Dim.Render(" "+c+" "))
		}
	}
	mark := func(on bool) string {
		if on {
			return st.Selected.Render("▸")
		}
		return " "
	}
	e.path.Width = max(10, e.width-12)
	return mark(!e.onPath) + head + strings.Join(cs, " "), mark(e.onPath) + e.path.View()
}
