package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
)

// Entering the Data pane scans the catalogue again (a tea.Cmd: it looks
// on disk for installed sets), so Fashion-MNIST installed while the
// workbench runs appears without a restart.

// catalogMsg carries a fresh scan of the catalogue.
type catalogMsg struct {
	cat []datasets.Info
	err error
}

func rescanCatalog() tea.Msg {
	var cat []datasets.Info
	err := safely(func() error { cat = datasets.Catalog(); return nil })
	return catalogMsg{cat: cat, err: err}
}

// recatalog takes a fresh scan, the cursor staying on the same name.
func (p *dataPane) recatalog(msg catalogMsg) {
	if msg.err != nil {
		p.catErr = msg.err.Error()
		return
	}
	name := ""
	if in, ok := p.selected(); ok {
		name = in.Name
	}
	p.cat, p.catErr = msg.cat, ""
	p.refilter()
	for i, idx := range p.visible {
		if idx >= 0 && p.cat[idx].Name == name {
			p.cursor = i
		}
	}
}

// fashionMissing reports that Fashion-MNIST is not installed, for the
// list's line on how to get it.
func (p *dataPane) fashionMissing() bool {
	for _, in := range p.cat {
		if in.Name == "fashion-mnist" {
			return false
		}
	}
	return p.catErr == ""
}
