package tui

import (
	"fmt"
	"strings"
)

func (p *sessionsPane) View() string {
	if p.cmp != nil {
		return p.compareView()
	}
	st := p.st
	var lines []string
	// Status comes before epochs and date, and the text columns narrow
	// below 110 cells, so an 80-column terminal still shows whether a run
	// finished, failed or was interrupted.
	nw, dw, lw := 22, 18, 20
	if p.width < 110 {
		nw, dw, lw = 14, 12, 12
	}
	row := func(name, data, layers, best, status, epochs, date string) string {
		return fmt.Sprintf("%-*s %-*s %-*s %-14s %-11s %6s  %s", nw, trunc(name, nw), dw, trunc(data, dw), lw, trunc(layers, lw), best, status, epochs, date)
	}
	lines = append(lines, st.Bold.Render("   "+row("name", "dataset", "layers", "best val", "status", "epochs", "date")))
	help := wrapRunes("enter open · c continue training · m/space mark up to 8, then = compares them · R rename · d delete · e export · + serve alongside", max(10, p.width-4), 2)
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
				mark = st.class(j).Render(string(runMark(j))) + " "
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
			text = row(sessionName(s), s.Data.Ref, layers, s.BestVal(), string(s.Status), itoa(s.HistoryLen()), s.Created.Local().Format("2006-01-02 15:04"))
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
	title := fmt.Sprintf("sessions · %d, newest first", len(p.entries))
	if len(p.marked) > 0 {
		title += fmt.Sprintf(" · %d marked", len(p.marked))
	}
	return st.box(title, strings.Join(lines, "\n"), p.width, p.height, true)
}
