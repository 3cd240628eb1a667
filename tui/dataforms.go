package tui

// The Data pane's forms: the split, a synthetic set's parameters and a
// CSV file's load options.

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
)

// formDone applies the split, reloads with new parameters or CSV options.
func (p *dataPane) formDone(msg formDoneMsg) tea.Cmd {
	if p.openForm() != msg.f {
		return nil
	}
	p.mode = dataList
	if !msg.applied {
		return nil
	}
	switch msg.f {
	case p.split:
		val, test := atof(p.split.value(0)), atof(p.split.value(1))
		if val+test >= 1 {
			p.mode = dataSplit
			return p.split.refuse(0, fmt.Sprintf("val %g + test %g leaves nothing to train on; keep the sum below 1", val, test))
		}
		pl := p.sh.Plan()
		pl.Val, pl.Test, pl.Hyper.Seed = val, test, atoi64(p.split.value(2))
		p.ask(planChangedMsg{plan: pl})
	case p.csv:
		opts := datasets.LoadOptions{Target: p.csv.value(0), DropMissing: p.csv.value(2) == "yes"}
		if t := p.csv.value(1); t != "auto" {
			opts.Task = datasets.Task(t)
		}
		p.fileOpts = opts
		return p.loadWith(p.fileRef, opts)
	case p.params:
		if in, ok := p.byName(p.paramFor); ok {
			return p.load(p.paramRef(in))
		}
	}
	return nil
}

func (p *dataPane) byName(name string) (datasets.Info, bool) {
	for _, in := range p.cat {
		if in.Name == name {
			return in, true
		}
	}
	return datasets.Info{}, false
}

// openParams edits a synthetic set's parameters, starting from its ref.
func (p *dataPane) openParams(in datasets.Info) tea.Cmd {
	vals := url.Values{}
	if i := strings.IndexByte(in.Ref, '?'); i >= 0 {
		vals, _ = url.ParseQuery(in.Ref[i+1:])
	}
	if p.params != nil && p.paramFor == in.Name {
		return p.openWith(dataParams, p.params)
	}
	f := newForm(p.st, p.ask, "parameters")
	for _, name := range in.Params {
		var check func(string) error
		switch name {
		case "n":
			check = checkInt(10, 1_000_000)
		case "noise":
			check = checkFloat(0, 10, false)
		case "seed":
			check = checkInt(-1<<31, 1<<31)
		default:
			check = checkNumber
		}
		f.add(name, vals.Get(name), check)
	}
	p.params, p.paramFor = f, in.Name
	return p.openWith(dataParams, f)
}

func (p *dataPane) paramRef(in datasets.Info) string {
	base := in.Ref
	if i := strings.IndexByte(base, '?'); i >= 0 {
		base = base[:i]
	}
	var q []string
	for i, name := range p.params.labels {
		if v := p.params.value(i); v != "" {
			q = append(q, name+"="+url.QueryEscape(v))
		}
	}
	if len(q) == 0 {
		return base
	}
	return base + "?" + strings.Join(q, "&")
}

// csvFixable is true for load errors the CSV options form can fix.
func csvFixable(err error) bool {
	for _, e := range []error{datasets.ErrMissingValue, datasets.ErrTarget, datasets.ErrTargetNotFound} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// openCSV edits how the last opened file loads: the target column, the
// task and whether rows with missing values are dropped (the flags
// --target, --task and --drop-missing of 'workbench train').
func (p *dataPane) openCSV() tea.Cmd {
	if pl := p.sh.Plan(); p.fileRef == "" {
		if _, builtin := p.byName(strings.SplitN(pl.DataRef, "?", 2)[0]); !builtin && pl.DataRef != "" {
			p.fileRef, p.fileOpts = pl.DataRef, pl.Load
		}
	}
	if p.fileRef == "" {
		p.loadFix = ""
		p.loadErr = "t sets the target column of a CSV file; open one first (o)"
		return nil
	}
	o := p.fileOpts
	task, drop := "auto", "no"
	if o.Task != "" {
		task = string(o.Task)
	}
	if o.DropMissing {
		drop = "yes"
	}
	p.csv = newForm(p.st, p.ask, "csv").
		add("target", o.Target, func(string) error { return nil }).
		choice("task", task, []string{"auto", "classification", "regression"}, true).
		choice("drop missing", drop, []string{"no", "yes"}, true)
	return p.openWith(dataCSV, p.csv)
}
