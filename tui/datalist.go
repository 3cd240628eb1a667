package tui

import (
	"strings"

	"workbench/datasets"
)

// The Data pane's list: which catalogue rows the filter lets through, in
// which order, and the cursor over them.

// matches reports whether a catalogue entry passes the filter (case-blind
// substring of its name, kind, task or description).
func matches(in datasets.Info, filter string) bool {
	f := strings.ToLower(strings.TrimSpace(filter))
	if f == "" {
		return true
	}
	hay := strings.ToLower(in.Name + " " + in.Kind + " " + string(in.Task) + " " + in.Description)
	for _, word := range strings.Fields(f) {
		if !strings.Contains(hay, word) {
			return false
		}
	}
	return true
}

func (p *dataPane) refilter() {
	// Names that contain the filter come first, then other matches.
	p.visible = p.visible[:0]
	f := strings.ToLower(strings.TrimSpace(p.filter.Value()))
	var rest []int
	for i, in := range p.cat {
		switch {
		case !matches(in, f):
		case f != "" && strings.Contains(strings.ToLower(in.Name), f):
			p.visible = append(p.visible, i)
		default:
			rest = append(rest, i)
		}
	}
	p.visible = append(p.visible, rest...)
	p.visible = append(p.visible, -1)
	p.cursor = min(p.cursor, len(p.visible)-1)
}

func (p *dataPane) selected() (datasets.Info, bool) {
	if p.cursor < 0 || p.cursor >= len(p.visible) || p.visible[p.cursor] < 0 {
		return datasets.Info{}, false
	}
	return p.cat[p.visible[p.cursor]], true
}

func (p *dataPane) move(down bool) {
	if down {
		p.cursor = min(p.cursor+1, len(p.visible)-1)
	} else {
		p.cursor = max(p.cursor-1, 0)
	}
}
