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

// tableKeys sort, filter and choose the runs table's columns.
type tableKeys struct {
	Sort, Order, Filter, Columns key.Binding
}

// exprKeys is the keys while a filter is typed.
type exprKeys struct{ Apply, Cancel key.Binding }

// chooserKeys is the keys of the column chooser.
type chooserKeys struct{ Up, Down, Toggle, Close key.Binding }

func newTableKeys() (tableKeys, exprKeys, chooserKeys) {
	return tableKeys{
			Sort:    k("s", "sort by next column", "s"),
			Order:   k("o", "flip order ▲/▼", "o"),
			Filter:  k("/", "filter (lr<0.01 and …)", "/"),
			Columns: k("C", "columns shown", "C"),
		}, exprKeys{
			Apply:  k("enter", "keep this filter (empty = none)", "enter"),
			Cancel: k("esc", "back to the previous filter", "esc"),
		}, chooserKeys{
			Up:     k("↑/k", "up", "up", "k"),
			Down:   k("↓/j", "down", "down", "j"),
			Toggle: k("space", "show/hide the column", " ", "space", "x"),
			Close:  k("esc", "close", "esc", "enter", "C"),
		}
}

func newFilterInput(st *Styles) textinput.Model {
	ti := textinput.New()
	ti.Prompt = "/"
	capField(&ti, exprField)
	ti.PromptStyle = st.Key
	ti.Cursor.Style = st.Cursor
	ti.Cursor.SetMode(cursor.CursorStatic)
	return ti
}

// openFilter starts typing a filter, from the one in force.
func (p *sessionsPane) openFilter() tea.Cmd {
	p.filtering, p.filterErr = true, ""
	p.filterWas = p.table.filter
	p.filterIn.SetValue(p.table.filter.String())
	p.filterIn.CursorEnd()
	return p.filterIn.Focus()
}

// filterKey edits the filter; the rows follow each expression that parses,
// and one that does not says which token is wrong.
func (p *sessionsPane) filterKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, p.exprKeys.Cancel):
		p.filtering, p.filterErr = false, ""
		p.filterIn.Blur()
		p.setFilter(p.filterWas)
		return nil
	case key.Matches(msg, p.exprKeys.Apply):
		if p.filterErr != "" {
			return nil // the error stays in view until the expression is fixed
		}
		p.filtering = false
		p.filterIn.Blur()
		return nil
	}
	var cmd tea.Cmd
	var note string
	p.filterIn, cmd, note = updateField(p.filterIn, msg, exprField)
	f, err := sessions.ParseFilter(p.filterIn.Value())
	switch {
	case err != nil:
		p.filterErr = filterProblem(err)
	default:
		p.filterErr = note
		p.setFilter(f)
	}
	return cmd
}

// filterProblem words a parse error for the one line under the input.
func filterProblem(err error) string {
	var fe *sessions.FilterError
	if errors.As(err, &fe) {
		return err.Error()
	}
	return "filter: " + err.Error()
}

// setFilter shows the rows f matches, keeping the cursor on the same
// session where it still shows.
func (p *sessionsPane) setFilter(f sessions.Filter) {
	id := ""
	if r, ok := p.selected(); ok {
		id = r.ID
	}
	p.table.filter = f
	p.table.apply()
	p.follow(id)
}

// follow puts the cursor on session id if it is shown, else clamps it.
func (p *sessionsPane) follow(id string) {
	for i, r := range p.table.rows {
		if r.ID == id {
			p.cursor = i
			return
		}
	}
	p.cursor = min(p.cursor, max(len(p.table.rows)-1, 0))
}

func (p *sessionsPane) chooserKey(msg tea.KeyMsg) {
	switch {
	case key.Matches(msg, p.chooserKeys.Close):
		p.choosing = false
	case key.Matches(msg, p.chooserKeys.Up):
		p.chooseAt = max(p.chooseAt-1, 1)
	case key.Matches(msg, p.chooserKeys.Down):
		p.chooseAt = min(p.chooseAt+1, len(runsCols)-1)
	case key.Matches(msg, p.chooserKeys.Toggle):
		f := runsCols[p.chooseAt].field
		p.table.hidden[f] = !p.table.hidden[f]
		p.table.gen++
	}
}

// chooserView lists the columns with their state; name always shows.
func (p *sessionsPane) chooserView(h int, dropped []string) []string {
	st := p.st
	lines := []string{st.Bold.Render("columns (space shows/hides, esc closes); one with no room is left out")}
	start := max(0, min(p.chooseAt-h+3, len(runsCols)-h+2))
	for i := max(start, 1); i < len(runsCols) && len(lines) < h; i++ {
		c := runsCols[i]
		box := "[x]"
		if p.table.hidden[c.field] {
			box = "[ ]"
		}
		l := fmt.Sprintf("%s %-10s %s", box, c.head, st.Dim.Render(c.field))
		if slices.Contains(dropped, c.head) {
			l += st.Warn.Render("  (no room at this width)")
		}
		if i == p.chooseAt {
			l = st.Selected.Render("▸" + l)
		} else {
			l = " " + l
		}
		lines = append(lines, l)
	}
	return lines
}

// tableTitle says what the table shows: how many of how many, the filter,
// the sort, the marks and any columns left out for width.
func (p *sessionsPane) tableTitle(dropped []string) string {
	t := &p.table
	var parts []string
	order := "newest first"
	if s := t.sortText(); s != "" {
		order = "sorted by " + s
	}
	if t.filter.Empty() {
		parts = append(parts, fmt.Sprintf("sessions · %d, %s", len(t.records), order))
	} else {
		parts = append(parts, fmt.Sprintf("sessions · %d of %d, %s · /%s", len(t.rows), len(t.records), order, t.filter.String()))
	}
	if len(p.marked) > 0 {
		parts = append(parts, fmt.Sprintf("%d marked", len(p.marked)))
	}
	if len(dropped) > 0 {
		parts = append(parts, fmt.Sprintf("+%d cols (C)", len(dropped)))
	}
	return strings.Join(parts, " · ")
}

// showSweep filters the table to a sweep that ended and sorts it by the
// sweep's metric, best first, with the cursor on the best.
func (p *sessionsPane) showSweep(msg showSweepMsg) tea.Cmd {
	f, err := sessions.ParseFilter("sweep=" + msg.id)
	if err != nil {
		p.msg = "cannot show sweep " + msg.id + ": " + err.Error()
		return p.refresh()
	}
	p.table.filter = f
	p.table.sortByMetric(msg.metric)
	p.cmp, p.hp, p.choosing, p.topNext = nil, nil, false, true
	p.msg = fmt.Sprintf("best first by %s · S serves the best (now current) · / shows all", msg.metric)
	return p.refresh()
}
