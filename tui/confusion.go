package tui

import (
	"fmt"
	"strings"
)

// confusion renders [true][predicted] counts with the diagonal highlighted.
func (p *trainPane) confusion(c [][]int, w int) string {
	st := p.st
	names := make([]string, len(c))
	lw := 9 // "true\pred"
	for i := range c {
		n := fmt.Sprint(i)
		if i < len(p.classes) {
			n = p.classes[i]
		}
		names[i] = n
		lw = max(lw, min(len(n), 12))
	}
	cw := 5
	for _, row := range c {
		for _, v := range row {
			cw = max(cw, len(fmt.Sprint(v))+1)
		}
	}
	// Whole class names as column heads when they fit.
	wide := cw
	for _, n := range names {
		wide = max(wide, min(len(n), 11)+1)
	}
	if lw+1+wide*len(c) <= w {
		cw = wide
	}
	// Column heads are cut names, or class numbers when cut names clash.
	heads := make([]string, len(c))
	seen := map[string]bool{}
	unique := true
	for j := range c {
		h := trunc(names[j], cw-1)
		heads[j] = h
		if seen[h] {
			unique = false
		}
		seen[h] = true
	}
	if !unique {
		for j := range heads {
			heads[j] = fmt.Sprint(j)
			names[j] = trunc(fmt.Sprintf("%d %s", j, names[j]), lw)
		}
	}
	var b strings.Builder
	b.WriteString(st.Dim.Render(fmt.Sprintf("%-*s", lw+1, "true\\pred")))
	for j := range c {
		b.WriteString(st.Dim.Render(fmt.Sprintf("%*s", cw, heads[j])))
	}
	for i, row := range c {
		b.WriteString("\n")
		n := trunc(names[i], lw)
		b.WriteString(st.class(i).Render(fmt.Sprintf("%-*s", lw+1, n)))
		for j, v := range row {
			cell := fmt.Sprintf("%*d", cw, v)
			switch {
			case i == j:
				b.WriteString(st.Good.Render(cell))
			case v > 0:
				b.WriteString(st.Error.Render(cell))
			default:
				b.WriteString(st.Dim.Render(cell))
			}
		}
	}
	return b.String()
}
