package tui

import (
	"strings"
)

func (p *sessionsPane) View() string {
	if p.cmp != nil {
		return p.compareView()
	}
	if p.hp != nil {
		return p.hpView()
	}
	st := p.st
	var lines []string
	shown, widths, dropped := p.table.layout(p.width - 2 - 3)
	lines = append(lines, st.Bold.Render("   "+p.table.header(shown, widths)))
	help := wrapParts("", strings.Split("enter open · c continue · m mark, = compare · / filter · s sort, o order · C columns · H by setting · R rename · d delete · e export · + serve too", " · "), " · ", max(10, p.width-4), 2)
	if p.listErr != "" {
		lines = append(lines, st.Error.Render("✗ "+p.listErr))
	}
	switch {
	case len(p.entries) == 0 && p.listErr == "":
		lines = append(lines, st.Dim.Render("  no sessions yet: train one (3, then space) and it is saved here"))
	case len(p.table.rows) == 0 && len(p.entries) > 0:
		lines = append(lines, st.Dim.Render("  no session matches the filter: / edits it, an empty filter shows all"))
	}
	msg := wrapRunes(p.msg, max(10, p.width-4), 3)
	status := max(len(msg), len(help)) // lines under the list
	if p.export.active {
		status = 3 + len(msg)
	}
	if p.renaming {
		status = max(status, 1+len(msg))
	}
	filterErr := wrapRunes(p.filterErr, max(10, p.width-4), 3)
	if p.filtering {
		status = 1 + max(1, len(filterErr))
	}
	// At 80 columns the question pushed "n keep" off the edge.
	confirm := wrapRunes("delete "+p.delName+"? its weights and history go too.  y delete · n keep", max(10, p.width-4), 2)
	if p.confirmDel != "" {
		status = max(status, len(confirm))
	}
	room := p.height - 5 - status
	if p.choosing {
		lines = append(lines[:0], p.chooserView(p.height-3, dropped)...)
		room = 0
	}
	start := 0
	if p.cursor >= room {
		start = p.cursor - room + 1
	}
	for i := start; i < len(p.table.rows) && i-start < room; i++ {
		r := p.table.rows[i]
		mark := "  "
		for j, m := range p.marked {
			if m == r.ID {
				mark = st.class(j).Render(string(runMark(j))) + " "
			}
		}
		text := p.table.line(r, shown, widths)
		if r.Session == nil {
			text = st.Error.Render(text)
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
		lines = append(lines, strings.Split(render(p.export, p.width-4), "\n")...)
		for _, l := range msg {
			lines = append(lines, st.Error.Render(l))
		}
	case p.renaming:
		lines = append(lines, p.rename.View())
		for _, l := range msg {
			lines = append(lines, st.Warn.Render(l))
		}
	case p.filtering:
		lines = append(lines, p.filterIn.View())
		for _, l := range filterErr {
			lines = append(lines, st.Error.Render(l))
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
	title := p.tableTitle(dropped)
	return st.box(title, strings.Join(lines, "\n"), p.width, p.height, true)
}
