package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
)

// Moving the cursor over the dataset list previews the dataset under it
// without choosing it (enter chooses). The load and its statistics run in
// a tea.Cmd; an installed set (Fashion-MNIST: 60,000×784 from disk) waits
// until the cursor rests on it, so scrolling past it costs nothing.

// peekRest is how long the cursor rests on an installed set before it loads.
const peekRest = 150 * time.Millisecond

// peekDueMsg: the cursor rested on the row of request seq.
type peekDueMsg struct {
	seq int
	ref string
}

// dataPeekMsg carries a preview with its statistics, computed off the UI
// goroutine.
type dataPeekMsg struct {
	seq     int
	ref     string
	ds      *datasets.Dataset
	summary []datasets.FeatureSummary
	counts  []int
	err     error
}

// peekView is a previewed dataset (not the plan's).
type peekView struct {
	ref     string
	ds      *datasets.Dataset
	summary []datasets.FeatureSummary
	counts  []int
	err     string
}

// rowRef is what loading a catalogue entry asks for, with edited parameters.
func (p *dataPane) rowRef(in datasets.Info) string {
	if p.params != nil && p.paramFor == in.Name {
		return p.paramRef(in)
	}
	return in.Ref
}

// peekCmd previews the row under the cursor, if it is not the plan's.
func (p *dataPane) peekCmd() tea.Cmd {
	p.peekSeq++
	p.peekLoading = ""
	in, ok := p.selected()
	if !ok {
		return nil
	}
	ref := p.rowRef(in)
	if ref == p.sh.Plan().DataRef || (p.peek != nil && p.peek.ref == ref) {
		return nil
	}
	seq := p.peekSeq
	p.peekLoading = in.Name
	if in.Kind == "installed" {
		return tea.Tick(peekRest, func(time.Time) tea.Msg { return peekDueMsg{seq: seq, ref: ref} })
	}
	return p.peekLoad(seq, ref)
}

func (p *dataPane) peekLoad(seq int, ref string) tea.Cmd {
	opts := p.files.loadOptions(datasets.LoadOptions{})
	return func() tea.Msg {
		ds, err := loadDataset(ref, opts)
		msg := dataPeekMsg{seq: seq, ref: ref, ds: ds, err: err}
		if err == nil && ds != nil {
			err = safely(func() error { msg.summary, msg.counts = ds.Summary(), ds.ClassCounts(); return nil })
			msg.err = err
		}
		return msg
	}
}

// updatePeek handles the preview's messages; false when msg is not one.
func (p *dataPane) updatePeek(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case peekDueMsg:
		if msg.seq != p.peekSeq {
			return nil, true // the cursor moved on
		}
		return p.peekLoad(msg.seq, msg.ref), true
	case dataPeekMsg:
		if msg.seq != p.peekSeq {
			return nil, true
		}
		p.peekLoading = ""
		pv := &peekView{ref: msg.ref, ds: msg.ds, summary: msg.summary, counts: msg.counts}
		if msg.err != nil {
			pv.ds, pv.err = nil, msg.err.Error()
		}
		p.peek = pv
		return nil, true
	}
	return nil, false
}

// peeking is the preview the cursor shows, nil when it shows the plan's data.
func (p *dataPane) peeking() *peekView {
	in, ok := p.selected()
	if !ok || p.peek == nil {
		return nil
	}
	ref := p.rowRef(in)
	if ref != p.peek.ref || ref == p.sh.Plan().DataRef {
		return nil
	}
	return p.peek
}

// shownData is the dataset the preview shows.
func (p *dataPane) shownData() *datasets.Dataset {
	if pv := p.peeking(); pv != nil && pv.ds != nil {
		return pv.ds
	}
	return p.sh.Data()
}
