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

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"workbench/sessions"
)

// exportKeys is the keys of the open prompt.
type exportKeys struct {
	Next, Prev, Up, Down, Left, Right, Export, Cancel key.Binding
}

type exportPrompt struct {
	pathPrompt
	ask     ask
	store   *sessions.Store // where the session is loaded from
	formats []string

	id   string
	name string // as listed
	slug string // file-name form of name
}

func newExportPrompt(st *Styles, ask ask, store *sessions.Store, f files) *exportPrompt {
	e := &exportPrompt{pathPrompt: newPathPrompt(st, f, "format", "export"), ask: ask, store: store, formats: sessions.ExportFormats()}
	e.defaultPath = e.pathFor
	return e
}

// open starts the prompt for one session, onnx first.
func (e *exportPrompt) open(s *sessions.Session) tea.Cmd {
	e.id, e.name, e.slug = s.ID, sessionName(s), sessions.TritonName(s)
	e.reset(e.formats)
	return nil
}

// pathFor is <session-name>.<ext> in the default folder; triton writes a
// model repository folder.
func (e *exportPrompt) pathFor() string {
	f := e.formats[e.choice]
	name := e.slug + sessions.ExportExt(f)
	if f == "triton" {
		name = "model_repository"
	}
	return filepath.Join(e.files.dir(), name)
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
		return e.key(msg, e.start, func() { e.ask(exportDoneMsg{p: e}) })
	}
	return nil
}

// start checks the path and writes the export in a command: checking
// stats the disk (resolving links under the files root too), which the
// UI goroutine must not wait on.
func (e *exportPrompt) start() tea.Cmd {
	store, format := e.store, e.formats[e.choice]
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
	st := e.st
	choice, path := e.rows(st.Bold.Render("export "+trunc(e.name, 28)) + "  format ")
	status := st.Dim.Render("tab/←→ format · ↑↓ field · enter export · esc cancel")
	if e.note != "" {
		status = st.Warn.Render(e.note)
	}
	if e.busy {
		status = st.Warn.Render("exporting " + e.name + "…")
	}
	return strings.Join([]string{choice, path, status}, "\n")
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
