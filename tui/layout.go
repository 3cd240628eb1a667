package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// fitLine cuts or pads one line to exactly w cells so that nothing wraps.
func fitLine(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := cellWidth(s)
	if n > w {
		s = ansi.Truncate(s, w, "…")
		n = ansi.StringWidth(s)
	}
	if n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// fitBlock makes s exactly w×h cells: lines cut or padded, rows cut or added.
func fitBlock(s string, w, h int) string {
	if h <= 0 || w <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lines[i] = fitLine(l, w)
	}
	return strings.Join(lines, "\n")
}

// box draws a rounded frame of w×h cells with the title set into its top
// edge (lipgloss borders cannot carry a title).
func (st *Styles) box(title, body string, w, h int, focused bool) string {
	if w < 4 || h < 2 {
		return fitBlock("", w, h)
	}
	bs := st.Box
	if focused {
		bs = st.BoxFocused
	}
	// The frame is drawn by hand in the border's colour.
	es := st.r.NewStyle().Foreground(bs.GetBorderTopForeground())
	c := func(s string) string { return es.Render(s) }

	inner := w - 2
	var b strings.Builder
	top := "─"
	if title != "" {
		t := ansi.Truncate(" "+title+" ", inner-1, "…")
		b.WriteString(c("╭" + top))
		b.WriteString(st.BoxTitle.Render(t))
		rest := inner - 1 - ansi.StringWidth(t)
		b.WriteString(c(strings.Repeat("─", max(rest, 0)) + "╮"))
	} else {
		b.WriteString(c("╭" + strings.Repeat("─", inner) + "╮"))
	}
	b.WriteByte('\n')
	side := c("│")
	lines := strings.Split(body, "\n")
	for i := 0; i < h-2; i++ {
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		b.WriteString(side)
		b.WriteString(fitLine(l, inner))
		b.WriteString(side)
		b.WriteByte('\n')
	}
	b.WriteString(c("╰" + strings.Repeat("─", inner) + "╯"))
	return b.String()
}

// hjoin puts fixed-size blocks (every line of a block equally wide, as box
// and fitBlock make them) side by side without measuring them again.
func hjoin(blocks ...string) string {
	cols := make([][]string, len(blocks))
	rows := 0
	for i, b := range blocks {
		cols[i] = strings.Split(b, "\n")
		rows = max(rows, len(cols[i]))
	}
	var sb strings.Builder
	for r := 0; r < rows; r++ {
		if r > 0 {
			sb.WriteByte('\n')
		}
		for _, c := range cols {
			if r < len(c) {
				sb.WriteString(c[r])
			} else if len(c) > 0 {
				sb.WriteString(strings.Repeat(" ", cellWidth(c[0])))
			}
		}
	}
	return sb.String()
}

// render draws c in w cells of width.
func render(c component, w int) string {
	c.SetSize(w, 0)
	return c.View()
}

// kv renders "key value" pairs with the keys dimmed.
func (st *Styles) kv(pairs ...string) string {
	var parts []string
	for i := 0; i+1 < len(pairs); i += 2 {
		parts = append(parts, st.Dim.Render(pairs[i])+" "+pairs[i+1])
	}
	return strings.Join(parts, "   ")
}
