package tui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"workbench/sessions"
)

// sessionsKeys is the Sessions pane's keys on the list.
type sessionsKeys struct {
	Up, Down, Open, Continue, Rename, Delete, Mark, Compare, Export, ServeAlso key.Binding
}

// renameKeys is the keys while a new name is typed.
type renameKeys struct{ Confirm, Cancel key.Binding }

// deleteKeys is the keys of the delete question; any other key keeps.
type deleteKeys struct{ Yes, No key.Binding }

type sessionsPane struct {
	env
	store         *sessions.Store
	keys          sessionsKeys
	renameKeys    renameKeys
	deleteKeys    deleteKeys
	compareKeys   compareKeys
	tableKeys     tableKeys
	exprKeys      exprKeys
	chooserKeys   chooserKeys
	hpKeys        hpKeys
	width, height int

	entries []sessions.Entry
	table   runsTable
	// filtering: a filter is being typed in filterIn; filterWas is the one
	// esc goes back to, filterErr what is wrong with the text typed.
	filtering bool
	filterIn  textinput.Model
	filterWas sessions.Filter
	filterErr string
	choosing  bool // the column chooser is open
	chooseAt  int
	topNext   bool // the next listing puts the cursor on the current session (a sweep's best)
	listErr   string
	cursor    int
	marked    []string // up to maxCompare ids, in mark order
	msg       string

	renaming   bool
	rename     textinput.Model
	confirmDel string      // id awaiting y/n
	delName    string      // its name, as the question says it
	cmp        *comparison // the open comparison, nil on the list
	hp         *hpState    // the open metric-vs-setting view
	export     *exportPrompt
	plot       *plotPrompt // the compare view's save-picture prompt
}

func newSessionsPane(e env, store *sessions.Store, fl files) *sessionsPane {
	ti := textinput.New()
	ti.Prompt = "new name: "
	capField(&ti, nameField)
	ti.PromptStyle = e.st.Dim
	ti.Cursor.Style = e.st.Cursor
	ti.Cursor.SetMode(cursor.CursorStatic)
	tk, fk, ck := newTableKeys()
	return &sessionsPane{
		env: e, store: store, rename: ti, export: newExportPrompt(e.st, e.ask, store, fl), plot: newPlotPrompt(e.st, fl),
		table: newRunsTable(), filterIn: newFilterInput(e.st), chooseAt: 1,
		tableKeys: tk, exprKeys: fk, chooserKeys: ck, hpKeys: newHPKeys(),
		renameKeys:  renameKeys{Confirm: k("enter", "rename", "enter"), Cancel: k("esc", "cancel", "esc")},
		deleteKeys:  deleteKeys{Yes: k("y", "delete", "y", "Y"), No: k("n", "keep", "n")},
		compareKeys: newCompareKeys(),
		keys: sessionsKeys{
			Up:        k("↑/k", "up", "up", "k"),
			Down:      k("↓/j", "down", "down", "j"),
			Open:      k("enter", "open", "enter"),
			Continue:  k("c", "continue training", "c"),
			Rename:    k("R", "rename", "R"),
			Delete:    k("d", "delete", "d"),
			Mark:      k("m", "mark (up to 8)", "m", " ", "space"),
			Compare:   k("=", "compare marked", "="),
			Export:    k("e", "export", "e"),
			ServeAlso: k("+", "serve it alongside on the running server (/models/NAME/predict)", "+"),
		},
	}
}

func (p *sessionsPane) Title() string { return "Sessions" }
func (p *sessionsPane) Capturing() bool {
	return p.renaming || p.confirmDel != "" || p.export.active || p.filtering || p.choosing || p.plot.active
}
func (p *sessionsPane) SetSize(w, h int) { p.width, p.height = w, h }
func (p *sessionsPane) Init() tea.Cmd    { return p.refresh() }

func (p *sessionsPane) ShortHelp() []key.Binding {
	switch {
	case p.renaming:
		return []key.Binding{p.renameKeys.Confirm, p.renameKeys.Cancel}
	case p.confirmDel != "":
		return []key.Binding{p.deleteKeys.Yes, p.deleteKeys.No}
	case p.cmp != nil && p.plot.active:
		return p.plot.ShortHelp()
	case p.cmp != nil:
		return []key.Binding{brief(p.compareKeys.Metric, "metric"), brief(p.compareKeys.Scale, "epoch axis"), brief(p.compareKeys.Smooth, "smooth"), brief(p.compareKeys.LogY, "log y"), brief(p.compareKeys.ZoomIn, "zoom"), brief(p.compareKeys.Save, "save"), p.compareKeys.Back}
	case p.export.active:
		return p.export.ShortHelp()
	case p.hp != nil:
		return []key.Binding{p.hpKeys.Metric, p.hpKeys.Back}
	case p.filtering:
		return []key.Binding{p.exprKeys.Apply, p.exprKeys.Cancel}
	case p.choosing:
		return []key.Binding{p.chooserKeys.Toggle, p.chooserKeys.Close}
	}
	return []key.Binding{p.keys.Open, brief(p.keys.Continue, "continue"), brief(p.keys.Mark, "mark"), brief(p.keys.Compare, "compare"), brief(p.tableKeys.Filter, "filter"), brief(p.tableKeys.Sort, "sort"), brief(p.keys.Rename, "rename"), p.keys.Delete, p.keys.Export}
}

func (p *sessionsPane) FullHelp() [][]key.Binding {
	return [][]key.Binding{{p.keys.Up, p.keys.Down, p.keys.Open, p.keys.Continue}, {p.keys.Mark, p.keys.Compare, p.compareKeys.Metric, p.compareKeys.Scale, p.compareKeys.Smooth, p.compareKeys.LogY, p.compareKeys.ZoomIn, p.compareKeys.ZoomOut, p.compareKeys.PanLeft, p.compareKeys.PanRight, p.compareKeys.Save, p.compareKeys.Back}, {p.tableKeys.Sort, p.tableKeys.Order, p.tableKeys.Filter, p.tableKeys.Columns, p.hpKeys.Open}, {p.keys.Rename, p.keys.Delete, p.keys.Export, p.keys.ServeAlso}}
}

func (p *sessionsPane) refresh() tea.Cmd {
	st := p.store
	return func() tea.Msg {
		var es []sessions.Entry
		err := safely(func() error {
			var err error
			es, err = st.List()
			return err
		})
		return sessionsListedMsg{entries: es, err: err}
	}
}

// selected is the row under the cursor, as filtered and sorted.
func (p *sessionsPane) selected() (sessions.Record, bool) {
	if p.cursor < 0 || p.cursor >= len(p.table.rows) {
		return sessions.Record{}, false
	}
	return p.table.rows[p.cursor], true
}

func (p *sessionsPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case sessionsListedMsg:
		id := ""
		if r, ok := p.selected(); ok {
			id = r.ID
		}
		p.entries, p.listErr = msg.entries, ""
		if msg.err != nil {
			p.listErr = msg.err.Error()
		}
		p.table.set(msg.entries)
		if p.topNext {
			// On the sweep's best, which the root made current: on a tie
			// in the metric it need not be the first row.
			id, p.topNext = "", false
			p.cursor = 0
			if c := p.sh.Current(); c != nil {
				id = c.ID
			}
		}
		p.follow(id)
		return nil
	case showSweepMsg:
		return p.showSweep(msg)
	case sweepInfoMsg:
		p.hpLoaded(msg)
		return nil
	case sessionOpenedMsg:
		if msg.err == nil {
			return nil
		}
		if errors.Is(msg.err, sessions.ErrNotFound) {
			p.msg = "session " + msg.id + " is gone (deleted meanwhile?); the list is refreshed"
		} else {
			p.msg = "cannot open: " + msg.err.Error()
		}
		return p.refresh()
	case compareHistoriesMsg:
		return p.compareLoaded(msg)
	case paneFocusMsg, trainDoneMsg, sweepRunDoneMsg:
		return p.refresh()
	case sessionExportedMsg:
		return p.export.Update(msg)
	case pictureSavedMsg:
		return p.plot.Update(msg)
	case exportDoneMsg:
		if msg.p == p.export {
			p.msg = msg.line
		}
		return nil
	case sessionRenamedMsg:
		if msg.err != nil {
			p.msg = "rename failed: " + msg.err.Error()
			return nil
		}
		p.msg = "renamed to " + msg.name
		return p.refresh()
	case sessionDeletedMsg:
		if msg.err != nil {
			p.msg = "delete failed: " + msg.err.Error()
			return nil
		}
		p.msg = "deleted " + msg.id
		p.unmark(msg.id)
		return p.refresh()
	case tea.KeyMsg:
		return p.updateKey(msg)
	}
	return nil
}

func (p *sessionsPane) updateKey(msg tea.KeyMsg) tea.Cmd {
	if p.renaming {
		switch {
		case key.Matches(msg, p.renameKeys.Cancel):
			p.renaming = false
			p.rename.Blur()
		case key.Matches(msg, p.renameKeys.Confirm):
			name := strings.TrimSpace(p.rename.Value())
			if name == "" {
				// Closing silently looked like a rename that worked.
				p.msg = "a session needs a name: type one, or esc keeps the old name"
				return nil
			}
			p.renaming, p.msg = false, ""
			p.rename.Blur()
			e, ok := p.selected()
			if !ok {
				return nil
			}
			p.ask(renameSessionMsg{id: e.ID, name: name})
			return nil
		default:
			var cmd tea.Cmd
			var note string
			p.rename, cmd, note = updateField(p.rename, msg, nameField)
			if note != "" {
				p.msg = note
			}
			return cmd
		}
		return nil
	}
	if p.confirmDel != "" {
		id := p.confirmDel
		p.confirmDel = ""
		if !key.Matches(msg, p.deleteKeys.Yes) {
			p.msg = "kept"
			return nil
		}
		if r := p.sh.Run(); r.Info != nil && r.Info.ID == id {
			p.msg = "that session is training; stop it first (3, then x)"
			return nil
		}
		p.ask(deleteSessionMsg{id: id})
		return nil
	}
	if p.export.active {
		if !key.Matches(msg, p.export.keys.Export) || !p.export.busy {
			p.msg = ""
		}
		return p.export.Update(msg)
	}
	if p.cmp != nil && p.plot.active {
		return p.plot.Update(msg)
	}
	if p.cmp != nil {
		p.plot.line = ""
		p.compareKey(msg)
		return nil
	}
	if p.hp != nil {
		p.hpKey(msg)
		return nil
	}
	if p.filtering {
		return p.filterKey(msg)
	}
	if p.choosing {
		p.chooserKey(msg)
		return nil
	}
	p.msg = ""
	switch {
	case key.Matches(msg, p.keys.Up):
		p.cursor = max(p.cursor-1, 0)
	case key.Matches(msg, p.keys.Down):
		p.cursor = min(p.cursor+1, max(len(p.table.rows)-1, 0))
	case key.Matches(msg, p.tableKeys.Sort), key.Matches(msg, p.tableKeys.Order):
		id := ""
		if r, ok := p.selected(); ok {
			id = r.ID
		}
		if key.Matches(msg, p.tableKeys.Sort) {
			p.table.nextSort()
		} else {
			p.table.desc = !p.table.desc
			p.table.apply()
		}
		p.follow(id)
	case key.Matches(msg, p.tableKeys.Filter):
		return p.openFilter()
	case key.Matches(msg, p.tableKeys.Columns):
		p.choosing = true
	case key.Matches(msg, p.hpKeys.Open):
		return p.openHP()
	case key.Matches(msg, p.keys.Mark):
		if e, ok := p.selected(); ok {
			p.toggleMark(e.ID)
		}
	case key.Matches(msg, p.keys.Compare):
		return p.compare()
	case key.Matches(msg, p.keys.Continue):
		return p.open(true)
	case key.Matches(msg, p.keys.Open):
		return p.open(false)
	case key.Matches(msg, p.keys.Rename):
		if e, ok := p.selected(); ok && e.Session != nil {
			p.renaming, p.msg = true, ""
			p.rename.SetValue(e.Session.Name)
			p.rename.CursorEnd()
			return p.rename.Focus()
		}
	case key.Matches(msg, p.keys.Delete):
		if e, ok := p.selected(); ok {
			p.confirmDel, p.delName = e.ID, e.ID
			if e.Session != nil && e.Session.Name != "" && e.Session.Name != e.ID {
				p.delName = fmt.Sprintf("%q (%s)", e.Session.Name, e.ID)
			}
		}
	case key.Matches(msg, p.keys.ServeAlso):
		if e, ok := p.selected(); ok && e.Session != nil {
			p.ask(serveAlsoMsg{id: e.ID})
		}
	case key.Matches(msg, p.keys.Export):
		e, ok := p.selected()
		switch {
		case !ok:
			p.msg = "no session to export: train one first (3, then space)"
		case e.Session == nil || e.Damaged != "":
			p.msg = "cannot export a damaged session: " + e.Damaged
		case e.Session.HistoryLen() == 0:
			p.msg = "nothing to export: " + sessionName(e.Session) + " has no trained epoch yet"
		default:
			return p.export.open(e.Session)
		}
	}
	return nil
}

func (p *sessionsPane) toggleMark(id string) {
	if slices.Contains(p.marked, id) {
		p.unmark(id)
		return
	}
	if len(p.marked) >= maxCompare {
		p.msg = fmt.Sprintf("%d sessions are marked, the most a comparison shows: unmark one (m) first", maxCompare)
		return
	}
	p.marked = append(p.marked, id)
}

func (p *sessionsPane) unmark(id string) {
	p.marked = slices.DeleteFunc(p.marked, func(m string) bool { return m == id })
}

func (p *sessionsPane) entry(id string) *sessions.Session {
	for _, e := range p.entries {
		if e.ID == id && e.Session != nil {
			return e.Session
		}
	}
	return nil
}

func (p *sessionsPane) open(cont bool) tea.Cmd {
	e, ok := p.selected()
	if !ok {
		return nil
	}
	if e.Damaged != "" {
		p.msg = "damaged: " + e.Damaged
		return nil
	}
	if p.sh.Run().Active {
		p.msg = "a run is training; stop it (3, then x) before opening another session"
		return nil
	}
	p.ask(openSessionMsg{id: e.ID, cont: cont})
	return nil
}
