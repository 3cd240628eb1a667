package tui

// The Sessions pane's export prompt: pick a format, edit the output path,
// enter writes the file through sessions.Export (the same code as
// `workbench export`) off the UI goroutine. How it ended reaches the pane
// as exportDoneMsg.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"workbench/sessions"
)

// exportKeys is the keys of the open prompt.
type exportKeys struct {
	Next, Prev, Up, Down, Left, Right, Export, Cancel key.Binding
}

type exportPrompt struct {
	st      *Styles
	ask     ask
	store   *sessions.Store // where the session is loaded from
	files   files
	formats []string
	keys    exportKeys
	width   int

	active bool
	busy   bool // an export is being written
	id     string
	name   string // as listed
	slug   string // file-name form of name
	format int
	onPath bool // the path row has the focus (else the format row)
	path   textinput.Model
	def    string // the default path last filled in, replaced when the format changes
	note   string // a paste cut to the path's cap, until the next key
}

func newExportPrompt(st *Styles, ask ask, store *sessions.Store, f files) *exportPrompt {
	ti := textinput.New()
	ti.Prompt = "  path: "
	capField(&ti, pathField)
	ti.PromptStyle = st.Dim
	ti.Cursor.Style = st.Cursor
	ti.Cursor.SetMode(cursor.CursorStatic)
	return &exportPrompt{st: st, ask: ask, store: store, files: f, formats: sessions.ExportFormats(), path: ti,
		keys: exportKeys{
			Next:   k("tab", "format", "tab"),
			Prev:   k("shift+tab", "previous format", "shift+tab"),
			Up:     k("↑", "format row", "up"),
			Down:   k("↓", "path row", "down"),
			Left:   k("←", "previous format", "left"),
			Right:  k("→", "next format", "right"),
			Export: k("enter", "export", "enter"),
			Cancel: k("esc", "cancel", "esc"),
		}}
}

// open starts the prompt for one session, onnx first.
func (e *exportPrompt) open(s *sessions.Session) tea.Cmd {
	e.active, e.busy, e.onPath = true, false, false
	e.id, e.name, e.slug = s.ID, sessionName(s), sessions.TritonName(s)
	e.format = 0
	e.def = ""
	e.fillDefault()
	e.path.Blur()
	return nil
}

func (e *exportPrompt) close() {
	e.active = false
	e.path.Blur()
}

// defaultPath is <session-name>.<ext> in the default folder; triton writes
// a model repository folder.
func (e *exportPrompt) defaultPath() string {
	f := e.formats[e.format]
	name := e.slug + sessions.ExportExt(f)
	if f == "triton" {
		name = "model_repository"
	}
	return filepath.Join(e.files.dir(), name)
}

// fillDefault puts the default path in the field unless the user typed
// their own.
func (e *exportPrompt) fillDefault() {
	if v := e.path.Value(); e.def != "" && v != e.def {
		return
	}
	e.def = e.defaultPath()
	e.path.SetValue(e.def)
	e.path.CursorEnd()
}

func (e *exportPrompt) cycle(by int) {
	n := len(e.formats)
	e.format = ((e.format+by)%n + n) % n
	e.fillDefault()
}

func (e *exportPrompt) ShortHelp() []key.Binding {
	if e.busy {
		return nil
	}
	return []key.Binding{e.keys.Next, both(e.keys.Up, e.keys.Down, "↑/↓", "field"), e.keys.Export, e.keys.Cancel}
}

func (e *exportPrompt) FullHelp() [][]key.Binding {
	return [][]key.Binding{{e.keys.Next, e.keys.Prev, e.keys.Left, e.keys.Right}, {e.keys.Up, e.keys.Down, e.keys.Export, e.keys.Cancel}}
}

func (e *exportPrompt) SetSize(w, _ int) { e.width = w }

// Update handles a key while the prompt is open, and the export's result.
func (e *exportPrompt) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case sessionExportedMsg:
		e.ask(exportDoneMsg{p: e, line: e.done(msg)})
		return nil
	case tea.KeyMsg:
		if !e.active || e.busy {
			return nil // the export finishes on its own; keys wait for it
		}
		return e.updateKey(msg)
	}
	return nil
}

func (e *exportPrompt) updateKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, e.keys.Cancel):
		e.close()
		e.ask(exportDoneMsg{p: e})
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
	if !e.onPath {
		// Typing on the format row edits the path: there is nothing else
		// to type into.
		e.onPath = true
		cmd := e.path.Focus()
		var c2 tea.Cmd
		e.path, c2, e.note = updateField(e.path, msg, pathField)
		return tea.Batch(cmd, c2)
	}
	var cmd tea.Cmd
	e.path, cmd, e.note = updateField(e.path, msg, pathField)
	return cmd
}

// start checks the path and writes the export in a command: checking
// stats the disk (resolving links under the files root too), which the
// UI goroutine must not wait on.
func (e *exportPrompt) start() tea.Cmd {
	store, format := e.store, e.formats[e.format]
	files, typed := e.files, e.path.Value()
	e.busy = true
	id, name, slug := e.id, e.name, e.slug
	return func() tea.Msg {
		path, err := files.resolve(typed)
		if err == nil {
			err = checkExportTarget(path, format)
		}
		if err != nil {
			return sessionExportedMsg{name: name, err: err}
		}
		out := sessionExportedMsg{name: name, path: path}
		out.err = safely(func() error {
			s, err := store.Load(id)
			if err != nil {
				return err
			}
			out.files, err = sessions.Export(s, format, path)
			return err
		})
		if format == "triton" {
			out.path = filepath.Join(path, slug)
		}
		for _, f := range out.files {
			if fi, err := os.Stat(f); err == nil {
				out.size += fi.Size()
			}
		}
		return out
	}
}

// checkExportTarget says in words what is wrong with an output path before
// anything is written.
func checkExportTarget(path, format string) error {
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir() && format != "triton":
		return fmt.Errorf("%s is a folder; give a file name, e.g. %s", path, filepath.Join(path, "model"+sessions.ExportExt(format)))
	case err == nil && !fi.IsDir() && format == "triton":
		return fmt.Errorf("%s is a file; triton writes a model repository folder", path)
	case err == nil || format == "triton":
		return nil // an existing file is replaced whole; triton makes its folder
	}
	dir := filepath.Dir(path)
	if di, err := os.Stat(dir); err != nil || !di.IsDir() {
		return fmt.Errorf("folder %s does not exist", dir)
	}
	return nil
}

// done records the result; it returns the line the pane shows.
func (e *exportPrompt) done(msg sessionExportedMsg) string {
	e.busy = false
	if msg.err != nil {
		// Keep the prompt open so the path can be fixed.
		return "export of " + msg.name + " failed: " + msg.err.Error()
	}
	e.close()
	what := ""
	if len(msg.files) > 1 {
		names := make([]string, len(msg.files))
		for i, f := range msg.files {
			names[i], _ = filepath.Rel(msg.path, f)
		}
		what = strings.Join(names, " + ") + ", "
	}
	return fmt.Sprintf("exported %s to %s (%s%s)", msg.name, msg.path, what, humanBytes(msg.size))
}

// View is the prompt's three lines, in the width SetSize gave.
func (e *exportPrompt) View() string {
	st, w := e.st, e.width
	var fs []string
	for i, f := range e.formats {
		if i == e.format {
			fs = append(fs, st.Selected.Render("["+f+"]"))
		} else {
			fs = append(fs, st.Dim.Render(" "+f+" "))
		}
	}
	mark := func(on bool) string {
		if on {
			return st.Selected.Render("▸")
		}
		return " "
	}
	e.path.Width = max(10, w-12)
	status := st.Dim.Render("tab/←→ format · ↑↓ field · enter export · esc cancel")
	if e.note != "" {
		status = st.Warn.Render(e.note)
	}
	if e.busy {
		status = st.Warn.Render("exporting " + e.name + "…")
	}
	return strings.Join([]string{
		mark(!e.onPath) + st.Bold.Render("export "+trunc(e.name, 28)) + "  format " + strings.Join(fs, " "),
		mark(e.onPath) + e.path.View(),
		status,
	}, "\n")
}

// humanBytes is a size in SI units: 812 B, 12.3 kB, 4.1 MB.
func humanBytes(n int64) string {
	if n < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	v, unit := float64(n)/1000, "kB"
	for _, u := range []string{"MB", "GB"} {
		if v < 1000 {
			break
		}
		v, unit = v/1000, u
	}
	return fmt.Sprintf("%.1f %s", v, unit)
}
