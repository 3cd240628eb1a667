package tui

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"workbench/sessions"
)

type sessionsKeys struct {
	Up, Down, Open, Continue, Rename, Delete, Mark, Compare, Export, Back key.Binding
}

type sessionsPane struct {
	w             *workbench
	st            *Styles
	keys          sessionsKeys
	width, height int

	entries []sessions.Entry
	listErr string
	cursor  int
	marked  []string // up to two ids, oldest mark first
	msg     string

	renaming   bool
	rename     textinput.Model
	confirmDel string // id awaiting y/n
	comparing  bool
	export     *exportPrompt
}

func newSessionsPane(w *workbench) *sessionsPane {
	ti := textinput.New()
	ti.Prompt = "new name: "
	ti.PromptStyle = w.st.Dim
	ti.Cursor.Style = w.st.Cursor
	ti.Cursor.SetMode(cursor.CursorStatic)
	return &sessionsPane{
		w: w, st: w.st, rename: ti, export: newExportPrompt(w.st, w.files),
		keys: sessionsKeys{
			Up:       k("↑/k", "up", "up", "k"),
			Down:     k("↓/j", "down", "down", "j"),
			Open:     k("enter", "open", "enter"),
			Continue: k("c", "continue / compare", "c"),
			Rename:   k("R", "rename", "R"),
			Delete:   k("d", "delete", "d"),
			Mark:     k("m", "mark to compare", "m", " ", "space"),
			Compare:  k("=", "compare marked", "="),
			Export:   k("e", "export", "e"),
			Back:     k("esc", "back", "esc"),
		},
	}
}

func (p *sessionsPane) Title() string { return "Sessions" }
func (p *sessionsPane) Capturing() bool {
	return p.renaming || p.confirmDel != "" || p.export.active
}
func (p *sessionsPane) SetSize(w, h int) { p.width, p.height = w, h }
func (p *sessionsPane) Init() tea.Cmd    { return p.refresh() }

func (p *sessionsPane) ShortHelp() []key.Binding {
	switch {
	case p.renaming:
		return []key.Binding{k("enter", "rename", "enter"), k("esc", "cancel", "esc")}
	case p.confirmDel != "":
		return []key.Binding{k("y", "delete", "y"), k("n", "keep", "n")}
	case p.comparing:
		return []key.Binding{p.keys.Back}
	case p.export.active:
		return p.export.help()
	}
	return []key.Binding{p.keys.Open, k("c", "continue", "c"), k("m", "mark", "m"), k("R", "rename", "R"), p.keys.Delete, p.keys.Export}
}

func (p *sessionsPane) FullHelp() [][]key.Binding {
	return [][]key.Binding{{p.keys.Up, p.keys.Down, p.keys.Open, p.keys.Continue}, {p.keys.Mark, p.keys.Compare, p.keys.Back}, {p.keys.Rename, p.keys.Delete, p.keys.Export}}
}

func (p *sessionsPane) refresh() tea.Cmd {
	st := p.w.store
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

func (p *sessionsPane) selected() (sessions.Entry, bool) {
	if p.cursor < 0 || p.cursor >= len(p.entries) {
		return sessions.Entry{}, false
	}
	return p.entries[p.cursor], true
}

func (p *sessionsPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case sessionsListedMsg:
		p.entries, p.listErr = msg.entries, ""
		if msg.err != nil {
			p.listErr = msg.err.Error()
		}
		p.cursor = min(p.cursor, max(len(p.entries)-1, 0))
		return nil
	case paneFocusMsg, trainDoneMsg:
		return p.refresh()
	case sessionExportedMsg:
		p.msg = p.export.done(msg)
		return nil
	case tea.KeyMsg:
		return p.updateKey(msg)
	}
	return nil
}

func (p *sessionsPane) updateKey(msg tea.KeyMsg) tea.Cmd {
	if p.renaming {
		switch msg.String() {
		case "esc":
			p.renaming = false
			p.rename.Blur()
		case "enter":
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
			if err := safely(func() error { return p.w.store.Rename(e.ID, name) }); err != nil {
				p.msg = "rename failed: " + err.Error()
				return nil
			}
			p.msg = "renamed to " + name
			if c := p.w.current; c != nil && c.ID == e.ID {
				c.Name = name
			}
			return p.refresh()
		default:
			var cmd tea.Cmd
			p.rename, cmd = p.rename.Update(msg)
			return cmd
		}
		return nil
	}
	if p.confirmDel != "" {
		id := p.confirmDel
		p.confirmDel = ""
		if msg.String() != "y" && msg.String() != "Y" {
			p.msg = "kept"
			return nil
		}
		if r := p.w.run; r != nil && r.info != nil && r.info.ID == id {
			p.msg = "that session is training; stop it first (3, then x)"
			return nil
		}
		if err := safely(func() error { return p.w.store.Delete(id) }); err != nil {
			p.msg = "delete failed: " + err.Error()
			return nil
		}
		p.msg = "deleted " + id
		p.unmark(id)
		if c := p.w.current; c != nil && c.ID == id {
			p.w.current = nil
		}
		return p.refresh()
	}
	if p.export.active {
		if msg.String() != "enter" || !p.export.busy {
			p.msg = ""
		}
		return p.export.update(msg, p.w.store)
	}
	if p.comparing {
		if key.Matches(msg, p.keys.Back) || msg.String() == "q" {
			p.comparing = false
		}
		return nil
	}
	p.msg = ""
	switch {
	case key.Matches(msg, p.keys.Up):
		p.cursor = max(p.cursor-1, 0)
	case key.Matches(msg, p.keys.Down):
		p.cursor = min(p.cursor+1, max(len(p.entries)-1, 0))
	case key.Matches(msg, p.keys.Mark):
		if e, ok := p.selected(); ok {
			p.toggleMark(e.ID)
		}
	case key.Matches(msg, p.keys.Compare):
		return p.compare()
	case key.Matches(msg, p.keys.Continue):
		if len(p.marked) == 2 {
			return p.compare()
		}
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
			p.confirmDel = e.ID
		}
	case key.Matches(msg, p.keys.Export):
		e, ok := p.selected()
		switch {
		case !ok:
			p.msg = "no session to export: train one first (3, then space)"
		case e.Session == nil || e.Damaged != "":
			p.msg = "cannot export a damaged session: " + e.Damaged
		case len(e.Session.History) == 0:
			p.msg = "nothing to export: " + sessionName(e.Session) + " has no trained epoch yet"
		default:
			return p.export.open(e.Session)
		}
	}
	return nil
}

func (p *sessionsPane) toggleMark(id string) {
	for _, m := range p.marked {
		if m == id {
			p.unmark(id)
			return
		}
	}
	p.marked = append(p.marked, id)
	if len(p.marked) > 2 {
		p.marked = p.marked[1:]
	}
}

func (p *sessionsPane) unmark(id string) {
	out := p.marked[:0]
	for _, m := range p.marked {
		if m != id {
			out = append(out, m)
		}
	}
	p.marked = out
}

func (p *sessionsPane) compare() tea.Cmd {
	if len(p.marked) != 2 {
		p.msg = "mark two sessions with m (or space) to compare them"
		return nil
	}
	if p.entry(p.marked[0]) == nil || p.entry(p.marked[1]) == nil {
		p.msg = "a marked session is gone or damaged"
		return nil
	}
	p.comparing = true
	return nil
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
	if p.w.training() {
		p.msg = "a run is training; stop it (3, then x) before opening another session"
		return nil
	}
	st, fl, id := p.w.store, p.w.files, e.ID
	return tea.Sequence(func() tea.Msg {
		sess, ds, err := openSession(st, fl, id)
		return sessionOpenedMsg{sess: sess, ds: ds, err: err, cont: cont}
	}, func() tea.Msg { return switchPaneMsg{to: paneTrain} })
}

// wrapRunes cuts s into at most n lines of w cells (a long path stays
// whole where it fits); "" is no lines.
func wrapRunes(s string, w, n int) []string {
	var out []string
	r := []rune(s)
	for len(r) > 0 && len(out) < n {
		cut := min(w, len(r))
		if len(out) == n-1 && len(r) > w {
			out = append(out, trunc(string(r), w))
			break
		}
		out = append(out, string(r[:cut]))
		r = r[cut:]
	}
	return out
}

// bestVal is a session's best validation metric as shown in the list.
func bestVal(s *sessions.Session) string {
	if s.BestEpoch <= 0 {
		return "–"
	}
	for _, h := range s.History {
		if h.Epoch == s.BestEpoch {
			m := h.ValAccuracy
			if math.IsNaN(m) {
				m = h.Accuracy
			}
			if len(s.Data.Classes) > 0 {
				return fmt.Sprintf("acc %.3f", m)
			}
			return fmt.Sprintf("R² %.3f", m)
		}
	}
	return "–"
}

func (p *sessionsPane) View() string {
	if p.comparing {
		return p.compareView()
	}
	st := p.st
	var lines []string
	// Status comes before epochs and date, and the text columns narrow
	// below 110 cells, so an 80-column terminal still shows whether a run
	// finished, failed or was interrupted.
	nw, dw, lw := 22, 18, 20
	if p.width < 110 {
		nw, dw, lw = 16, 14, 12
	}
	row := func(name, data, layers, best, status, epochs, date string) string {
		return fmt.Sprintf("%-*s %-*s %-*s %-10s %-11s %6s  %s", nw, trunc(name, nw), dw, trunc(data, dw), lw, trunc(layers, lw), best, status, epochs, date)
	}
	lines = append(lines, st.Bold.Render("   "+row("name", "dataset", "layers", "best val", "status", "epochs", "date")))
	help := wrapRunes("enter open · c continue training · m/space mark two, then c or = to compare · R rename · d delete · e export", max(10, p.width-4), 2)
	if p.listErr != "" {
		lines = append(lines, st.Error.Render("✗ "+p.listErr))
	}
	if len(p.entries) == 0 && p.listErr == "" {
		lines = append(lines, st.Dim.Render("  no sessions yet: train one (3, then space) and it is saved here"))
	}
	msg := wrapRunes(p.msg, max(10, p.width-4), 3)
	status := max(len(msg), len(help)) // lines under the list
	if p.export.active {
		status = 3 + len(msg)
	}
	if p.renaming {
		status = max(status, 1+len(msg))
	}
	// At 80 columns the question pushed "n keep" off the edge.
	confirm := wrapRunes("delete "+p.confirmDel+"? its weights and history go too.  y delete · n keep", max(10, p.width-4), 2)
	if p.confirmDel != "" {
		status = max(status, len(confirm))
	}
	room := p.height - 5 - status
	start := 0
	if p.cursor >= room {
		start = p.cursor - room + 1
	}
	for i := start; i < len(p.entries) && i-start < room; i++ {
		e := p.entries[i]
		mark := "  "
		for j, m := range p.marked {
			if m == e.ID {
				mark = st.Changed.Render(fmt.Sprintf("%c ", 'A'+j))
			}
		}
		var text string
		if e.Session == nil || e.Damaged != "" {
			text = st.Error.Render(fmt.Sprintf("%-*s damaged: %s", nw, trunc(e.ID, nw), e.Damaged))
		} else {
			s := e.Session
			layers := s.Layers
			if layers == "" {
				layers = "(none)"
			}
			text = row(sessionName(s), s.Data.Ref, layers, bestVal(s), string(s.Status), itoa(len(s.History)), s.Created.Local().Format("2006-01-02 15:04"))
		}
		if i == p.cursor {
			text = st.Selected.Render("▸") + text
		} else {
			text = " " + text
		}
		lines = append(lines, mark+text)
	}
	lines = append(lines, "")
	switch {
	case p.export.active:
		lines = append(lines, p.export.view(p.width-4)...)
		for _, l := range msg {
			lines = append(lines, st.Error.Render(l))
		}
	case p.renaming:
		lines = append(lines, p.rename.View())
		for _, l := range msg {
			lines = append(lines, st.Warn.Render(l))
		}
	case p.confirmDel != "":
		for _, l := range confirm {
			lines = append(lines, st.Warn.Render(l))
		}
	case p.msg != "":
		for _, l := range msg {
			lines = append(lines, st.Warn.Render(l))
		}
	default:
		for _, l := range help {
			lines = append(lines, st.Dim.Render(l))
		}
	}
	return st.box(fmt.Sprintf("sessions · %d, newest first", len(p.entries)), strings.Join(lines, "\n"), p.width, p.height, true)
}

func (p *sessionsPane) compareView() string {
	st := p.st
	a, b := p.entry(p.marked[0]), p.entry(p.marked[1])
	if a == nil || b == nil {
		p.comparing = false
		return p.View()
	}
	rows := compareRows(a, b)
	tw := min(p.width/2, 64)
	var lines []string
	// Both columns share what the box leaves after the names: at 80
	// columns a fixed 24 cells each pushed B off the edge.
	cw2 := max(6, min(24, (tw-2-13-1)/2))
	lines = append(lines, st.Bold.Render(fmt.Sprintf("%-12s %-*s %-*s", "", cw2, "A "+trunc(sessionName(a), cw2-2), cw2, "B "+trunc(sessionName(b), cw2-2))))
	for _, r := range rows {
		l := fmt.Sprintf("%-12s %-*s %-*s", r.name, cw2, trunc(r.a, cw2), cw2, trunc(r.b, cw2))
		if r.a != r.b {
			l = st.Changed.Render(l)
		}
		lines = append(lines, l)
	}
	lines = append(lines, "", st.Dim.Render("differences highlighted · esc back"))
	table := st.box("settings", strings.Join(lines, "\n"), tw, p.height, false)
	cw := p.width - tw
	chart := lineChart(chartSpec{
		w: cw - 2, h: p.height - 3,
		series: []series{
			{ys: lossOf(a, false), x0: 1, style: st.Train},
			{ys: lossOf(a, true), x0: 1, style: st.Train, dotted: true},
			{ys: lossOf(b, false), x0: 1, style: st.Val},
			{ys: lossOf(b, true), x0: 1, style: st.Val, dotted: true},
		},
		xMin: 1, xMax: 2, yMin: math.NaN(), yMax: math.NaN(), axis: st.Axis,
	})
	legend := st.Train.Render("━ A train ┄ A val") + "  " + st.Val.Render("━ B train ┄ B val")
	return hjoin(table, st.box("loss", legend+"\n"+chart, cw, p.height, false))
}

func lossOf(s *sessions.Session, val bool) []float64 {
	out := make([]float64, len(s.History))
	for i, h := range s.History {
		out[i] = h.Loss
		if val {
			out[i] = h.ValLoss
		}
	}
	return out
}

type compareRow struct{ name, a, b string }

// compareRows lists two sessions' settings and results side by side.
func compareRows(a, b *sessions.Session) []compareRow {
	f := func(s *sessions.Session) []string {
		h := s.Hyper
		test := "–"
		if s.Test != nil {
			if len(s.Data.Classes) > 0 {
				test = fmt.Sprintf("acc %.4f", s.Test.Accuracy)
			} else {
				test = fmt.Sprintf("R² %.4f", s.Test.R2)
			}
		}
		return []string{
			s.Data.Ref, s.Layers, h.Optimizer, ftoa(h.LearningRate), h.Schedule, itoa(h.BatchSize),
			itoa(h.Epochs), ftoa(h.L1), ftoa(h.L2), itoa(h.Patience), itoa(h.Seed),
			fmt.Sprintf("%g/%g seed %d", s.Split.Val, s.Split.Test, s.Split.Seed),
			fmt.Sprint(len(s.History)), fmt.Sprint(s.BestEpoch), bestVal(s), test, string(s.Status),
		}
	}
	names := []string{"data", "layers", "optimizer", "lr", "schedule", "batch", "epochs", "L1", "L2", "patience", "seed", "split", "trained", "best epoch", "best val", "test", "status"}
	va, vb := f(a), f(b)
	rows := make([]compareRow, len(names))
	for i := range names {
		rows[i] = compareRow{names[i], va[i], vb[i]}
	}
	return rows
}
