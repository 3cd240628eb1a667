package tui

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
)

type dataKeys struct {
	Up, Down, Choose, Filter, Open, Split, Params, CSV key.Binding
}

// openFileItem is the list's last row: it opens the path prompt.
const openFileItem = "open file…"

type dataPane struct {
	w             *workbench
	st            *Styles
	keys          dataKeys
	width, height int

	cat       []datasets.Info
	catErr    string
	filter    textinput.Model
	filtering bool
	visible   []int // indexes into cat; -1 is the open-file row
	cursor    int

	path    textinput.Model
	opening bool
	choices []string // completion candidates
	loadErr string
	loadFix string // what fixes loadErr, on its own line so a long error cannot hide it
	loading string
	split   *form

	// statistics of statsFor, computed once per dataset (a pass over
	// 60,000×784 values is too slow for every frame)
	statsFor *datasets.Dataset
	summary  []datasets.FeatureSummary
	counts   []int
	params   *form
	paramFor string // catalogue name the params form edits

	// the CSV options form: fileRef is the last file opened (even if it
	// failed to load, so a missing value can be fixed by dropping rows)
	csv      *form
	fileRef  string
	fileOpts datasets.LoadOptions
}

func newDataPane(w *workbench) *dataPane {
	p := &dataPane{
		w: w, st: w.st,
		keys: dataKeys{
			Up:     k("↑/k", "up", "up", "k"),
			Down:   k("↓/j", "down", "down", "j"),
			Choose: k("enter", "choose", "enter"),
			Filter: k("/", "filter", "/"),
			Open:   k("o", "open file", "o"),
			Split:  k("e", "edit split", "e"),
			Params: k("p", "synthetic params", "p"),
			CSV:    k("t", "CSV target, task, missing values", "t"),
		},
	}
	p.filter = p.input("filter: ")
	p.path = p.input("path: ")
	p.path.Placeholder = "./data.csv or ./train-images-idx3-ubyte.gz"
	err := safely(func() error { p.cat = datasets.Catalog(); return nil })
	if err != nil {
		p.catErr = err.Error()
	}
	p.refilter()
	return p
}

func (p *dataPane) input(prompt string) textinput.Model {
	ti := textinput.New()
	ti.Prompt = prompt
	ti.PromptStyle = p.st.Dim
	ti.PlaceholderStyle = p.st.Dim
	ti.Cursor.Style = p.st.Cursor
	ti.Cursor.SetMode(cursor.CursorStatic)
	return ti
}

func (p *dataPane) Title() string { return "Data" }
func (p *dataPane) Init() tea.Cmd { return nil }
func (p *dataPane) Capturing() bool {
	return p.filtering || p.opening || (p.split != nil && p.split.active) || (p.params != nil && p.params.active) || (p.csv != nil && p.csv.active)
}
func (p *dataPane) SetSize(w, h int) { p.width, p.height = w, h }

func (p *dataPane) ShortHelp() []key.Binding {
	switch {
	case p.filtering:
		return []key.Binding{k("enter", "keep filter", "enter"), k("esc", "clear", "esc")}
	case p.opening:
		return []key.Binding{k("tab", "complete", "tab"), k("enter", "load", "enter"), k("esc", "cancel", "esc")}
	case p.Capturing():
		return []key.Binding{formKeys.Next, formKeys.Apply, formKeys.Cancel}
	}
	if p.fileRef != "" {
		return []key.Binding{p.keys.Choose, p.keys.Filter, k("o", "open", "o"), k("t", "target", "t"), k("e", "split", "e")}
	}
	return []key.Binding{p.keys.Choose, p.keys.Filter, k("o", "open", "o"), k("e", "split", "e"), k("p", "params", "p")}
}

func (p *dataPane) FullHelp() [][]key.Binding {
	return [][]key.Binding{{p.keys.Up, p.keys.Down, p.keys.Choose}, {p.keys.Filter, p.keys.Open, p.keys.CSV, p.keys.Split, p.keys.Params}}
}

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

func (p *dataPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case dataLoadedMsg:
		p.loading = ""
		if msg.err != nil {
			p.loadErr, p.loadFix = fmt.Sprintf("could not load %s: %v", msg.ref, msg.err), ""
			if strings.HasPrefix(msg.err.Error(), msg.ref) {
				// A file's errors start with its path: once is enough.
				p.loadErr = "could not load " + msg.err.Error()
			}
			if msg.ref == p.fileRef && csvFixable(msg.err) {
				p.loadFix = "press t to choose the target column or drop rows with missing values"
			}
		} else {
			p.loadErr, p.loadFix = "", ""
			if msg.ref != p.fileRef {
				p.fileRef, p.fileOpts = "", datasets.LoadOptions{}
			}
		}
		return nil
	case sessionOpenedMsg:
		// t then edits the opened session's file, if it has one.
		p.fileRef, p.fileOpts = "", datasets.LoadOptions{}
		return nil
	case tea.KeyMsg:
		return p.updateKey(msg)
	}
	return nil
}

func (p *dataPane) updateKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case p.filtering:
		switch msg.String() {
		case "esc":
			p.filter.SetValue("")
			p.filtering = false
			p.filter.Blur()
			p.refilter()
			return nil
		case "enter":
			p.filtering = false
			p.filter.Blur()
			return nil
		case "up", "down":
			p.move(msg.String() == "down")
			return nil
		}
		var cmd tea.Cmd
		p.filter, cmd = p.filter.Update(msg)
		p.cursor = 0
		p.refilter()
		return cmd
	case p.opening:
		switch msg.String() {
		case "esc":
			p.opening, p.choices = false, nil
			p.path.Blur()
			return nil
		case "tab":
			p.complete()
			return nil
		case "enter":
			ref := strings.TrimSpace(p.path.Value())
			if ref == "" {
				return nil
			}
			ref, err := p.w.files.checkRef(ref)
			if err != nil {
				// The prompt stays open so the path can be fixed.
				p.loadErr, p.loadFix, p.choices = err.Error(), "", nil
				return nil
			}
			p.opening, p.choices = false, nil
			p.path.Blur()
			if ref != p.fileRef {
				// Another file's target name means nothing here.
				p.fileRef, p.fileOpts = ref, datasets.LoadOptions{}
			}
			return p.loadWith(ref, p.fileOpts)
		}
		var cmd tea.Cmd
		p.path, cmd = p.path.Update(msg)
		p.choices = nil
		return cmd
	case p.split != nil && p.split.active:
		applied, cmd := p.split.update(msg)
		if applied {
			val, test := atof(p.split.value(0)), atof(p.split.value(1))
			if val+test >= 1 {
				p.split.err = fmt.Sprintf("val %g + test %g leaves nothing to train on; keep the sum below 1", val, test)
				p.split.active = true
				return p.split.inputs[0].Focus()
			}
			p.w.plan.Val, p.w.plan.Test, p.w.plan.Hyper.Seed = val, test, atoi64(p.split.value(2))
			p.w.planDirty = true
		}
		return cmd
	case p.csv != nil && p.csv.active:
		applied, cmd := p.csv.update(msg)
		if applied {
			opts := datasets.LoadOptions{Target: p.csv.value(0), DropMissing: p.csv.value(2) == "yes"}
			if t := p.csv.value(1); t != "auto" {
				opts.Task = datasets.Task(t)
			}
			p.fileOpts = opts
			return p.loadWith(p.fileRef, opts)
		}
		return cmd
	case p.params != nil && p.params.active:
		applied, cmd := p.params.update(msg)
		if applied {
			if in, ok := p.byName(p.paramFor); ok {
				return p.load(p.paramRef(in))
			}
		}
		return cmd
	}
	switch {
	case key.Matches(msg, p.keys.Up):
		p.move(false)
	case key.Matches(msg, p.keys.Down):
		p.move(true)
	case key.Matches(msg, p.keys.Filter):
		p.filtering = true
		return p.filter.Focus()
	case key.Matches(msg, p.keys.Open):
		p.opening = true
		return p.path.Focus()
	case key.Matches(msg, p.keys.Split):
		pl := p.w.plan
		p.split = newForm(p.st, "split").
			add("val", ftoa(pl.Val), checkFloat(0, 1, true)).
			add("test", ftoa(pl.Test), checkFloat(0, 1, true)).
			add("seed", itoa(pl.Hyper.Seed), checkInt(-1<<31, 1<<31))
		return p.split.open()
	case key.Matches(msg, p.keys.CSV):
		return p.openCSV()
	case key.Matches(msg, p.keys.Params):
		in, ok := p.selected()
		if !ok || len(in.Params) == 0 {
			p.loadFix = ""
			p.loadErr = "p edits the parameters of a synthetic dataset; pick one first (spiral, moons, …)"
			return nil
		}
		return p.openParams(in)
	case key.Matches(msg, p.keys.Choose):
		if p.cursor < len(p.visible) && p.visible[p.cursor] < 0 {
			p.opening = true
			return p.path.Focus()
		}
		in, ok := p.selected()
		if !ok {
			return nil
		}
		ref := in.Ref
		if p.params != nil && p.paramFor == in.Name {
			ref = p.paramRef(in)
		}
		return p.load(ref)
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
		return p.params.open()
	}
	f := newForm(p.st, "parameters")
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
	return f.open()
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

func (p *dataPane) move(down bool) {
	if down {
		p.cursor = min(p.cursor+1, len(p.visible)-1)
	} else {
		p.cursor = max(p.cursor-1, 0)
	}
}

func (p *dataPane) load(ref string) tea.Cmd { return p.loadWith(ref, datasets.LoadOptions{}) }

func (p *dataPane) loadWith(ref string, opts datasets.LoadOptions) tea.Cmd {
	p.loading, p.loadErr, p.loadFix = ref, "", ""
	return func() tea.Msg {
		ds, err := loadDataset(ref, opts)
		return dataLoadedMsg{ref: ref, opts: opts, ds: ds, err: err}
	}
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
	if p.fileRef == "" {
		if _, builtin := p.byName(strings.SplitN(p.w.plan.DataRef, "?", 2)[0]); !builtin && p.w.plan.DataRef != "" {
			p.fileRef, p.fileOpts = p.w.plan.DataRef, p.w.plan.Load
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
	p.csv = newForm(p.st, "csv").
		add("target", o.Target, func(string) error { return nil }).
		add("task", task, checkOneOf([]string{"auto", "classification", "regression"})).
		add("drop missing", drop, checkOneOf([]string{"no", "yes"}))
	return p.csv.open()
}

// complete extends the typed path to the longest common prefix of the
// matching files, listing them when there are several.
func (p *dataPane) complete() {
	v, choices := p.w.files.complete(p.path.Value())
	p.choices = choices
	p.path.SetValue(v)
	p.path.CursorEnd()
}

func (p *dataPane) View() string {
	lw := min(36, max(28, p.width*2/5))
	if p.width < 100 {
		lw = 30
	}
	left := p.st.box("datasets  / filter", p.listView(lw-2, p.height-2), lw, p.height, true)
	right := p.st.box(p.previewTitle(), p.previewView(p.width-lw-2, p.height-2), p.width-lw, p.height, false)
	return hjoin(left, right)
}

func (p *dataPane) listView(w, h int) string {
	st := p.st
	var lines []string
	if p.filtering || p.filter.Value() != "" {
		p.filter.Width = w - 10
		lines = append(lines, p.filter.View())
	}
	if p.catErr != "" {
		lines = append(lines, st.Error.Render("catalogue: "+p.catErr))
	}
	room := h - len(lines)
	start := 0
	if p.cursor >= room {
		start = p.cursor - room + 1
	}
	for i := start; i < len(p.visible) && len(lines) < h; i++ {
		idx := p.visible[i]
		var text string
		if idx < 0 {
			text = openFileItem
		} else {
			in := p.cat[idx]
			size := fmt.Sprintf("%d×%d", in.Rows, in.Features)
			kind := in.Kind
			if kind == "installed" {
				kind = "inst"
			}
			if in.Task == datasets.Regression {
				kind = "regr"
			} else if in.Features == 2 {
				kind = "2-D"
			}
			text = fmt.Sprintf("%-14s %-4s %s", in.Name, kind, size)
			if in.Ref == p.w.plan.DataRef || strings.HasPrefix(p.w.plan.DataRef, in.Name+"?") {
				text += " ✓"
			}
		}
		if i == p.cursor {
			lines = append(lines, st.Selected.Render("▸ "+text))
		} else {
			lines = append(lines, "  "+text)
		}
	}
	if len(p.visible) == 1 && p.filter.Value() != "" {
		lines = append(lines, st.Dim.Render("  no dataset matches"))
	}
	return strings.Join(lines, "\n")
}

func (p *dataPane) previewTitle() string {
	d := p.w.data
	if d == nil {
		return "preview"
	}
	s := fmt.Sprintf("%s — %d rows · %d feature", d.Name, d.Rows(), d.Features())
	if d.Features() != 1 {
		s += "s" // "sine — 200 rows · 1 features" read wrong
	}
	if d.Task == datasets.Classification {
		s += fmt.Sprintf(" · %d classes", d.Outputs())
	}
	return s + " · " + string(d.Task)
}

func (p *dataPane) previewView(w, h int) string {
	st := p.st
	var lines []string
	if p.loadErr != "" {
		for _, l := range wrapRunes("✗ "+p.loadErr, max(10, w), 4) {
			lines = append(lines, st.Error.Render(l))
		}
		if p.loadFix != "" {
			for _, l := range wrapRunes(p.loadFix, max(10, w), 2) {
				lines = append(lines, st.Warn.Render(l))
			}
		}
		lines = append(lines, "")
	}
	if p.loading != "" {
		lines = append(lines, st.Warn.Render("loading "+p.loading+"…"))
	}
	if p.opening {
		p.path.Width = w - 8
		lines = append(lines, p.path.View())
		if len(p.choices) > 0 {
			c := p.choices
			if len(c) > 6 {
				c = append(c[:6:6], fmt.Sprintf("… %d more", len(p.choices)-6))
			}
			for _, l := range wrapRunes(strings.Join(c, "  "), max(10, w), 2) {
				lines = append(lines, st.Dim.Render(l))
			}
		}
		lines = append(lines, st.Dim.Render("CSV (last column is the target; t changes it) or IDX images; tab completes"))
		if fl := p.w.files; fl.confined() {
			note := p.w.opts.FileNote
			if note == "" {
				note = "only files in " + fl.root + " can be opened; ~/ and relative paths start there"
			}
			for _, l := range wrapRunes(note, max(10, w), 3) {
				lines = append(lines, st.Dim.Render(l))
			}
		}
		lines = append(lines, "")
	}
	if p.params != nil && p.params.active {
		lines = append(lines, st.Bold.Render(p.paramFor+" parameters"), p.params.view(w), "")
	}
	if p.csv != nil && p.csv.active {
		lines = append(lines, st.Bold.Render(trunc("load "+p.fileRef, max(10, w))), p.csv.view(w))
		for _, l := range wrapRunes("target: a column name or 0-based index (empty: the last column) · task: auto, classification or regression · drop missing: yes or no", max(10, w), 3) {
			lines = append(lines, st.Dim.Render(l))
		}
		lines = append(lines, "")
	}
	d := p.w.data
	if d == nil {
		lines = append(lines, st.Dim.Render("no dataset loaded: choose one on the left"))
		return strings.Join(lines, "\n")
	}
	if p.statsFor != d {
		p.statsFor, p.summary, p.counts = d, d.Summary(), d.ClassCounts()
	}
	if counts := p.counts; len(counts) > 0 {
		hi := 0
		for _, c := range counts {
			hi = max(hi, c)
		}
		lines = append(lines, st.Bold.Render("classes"))
		show := min(len(counts), max(3, (h-12)/2))
		if d.Features() == 2 {
			show = min(len(counts), 4)
		}
		for i := 0; i < show; i++ {
			name := fmt.Sprint(i)
			if i < len(d.ClassNames) {
				name = d.ClassNames[i]
			}
			bw := max(4, min(30, w-30))
			frac := 0.0
			if hi > 0 {
				frac = float64(counts[i]) / float64(hi)
			}
			lines = append(lines, fmt.Sprintf("  %-14s %s %d", trunc(name, 14), st.class(i).Render(bar(frac, bw)), counts[i]))
		}
		if show < len(counts) {
			lines = append(lines, st.Dim.Render(fmt.Sprintf("  … %d more classes", len(counts)-show)))
		}
	}
	lines = append(lines, "")
	pl := p.w.plan
	splitLine := fmt.Sprintf("split  train %.0f%% · val %.0f%% · test %.0f%% · seed %d", (1-pl.Val-pl.Test)*100, pl.Val*100, pl.Test*100, pl.Hyper.Seed)
	if d.Task == datasets.Classification {
		splitLine += "  (stratified)"
	}
	if p.split != nil && p.split.active {
		lines = append(lines, st.Bold.Render("split"), p.split.view(w))
	} else {
		lines = append(lines, splitLine)
		if p.split != nil && p.split.err != "" {
			lines = append(lines, st.Error.Render(p.split.err))
		}
	}
	if d.Source != "" {
		lines = append(lines, st.Dim.Render("source: "+d.Source))
	}
	lines = append(lines, "")
	room := h - len(lines)
	if d.Features() == 2 && room >= 6 {
		lines = append(lines, st.Bold.Render("scatter")+st.Dim.Render(" (x: "+d.FeatureNames[0]+", y: "+d.FeatureNames[1]+")"))
		sw := min(w, 2*(room-1)+4)
		lines = append(lines, st.plot2d(d, nil, sw, room-1))
		return strings.Join(lines, "\n")
	}
	// The name gives way first: at 80 columns a fixed 20 cut off mean and std.
	nw := max(8, min(20, w-36))
	lines = append(lines, st.Bold.Render(fmt.Sprintf("%-*s %8s %8s %8s %8s", nw, "feature", "min", "max", "mean", "std")))
	sum := p.summary
	for i, f := range sum {
		if len(lines) >= h-1 && i < len(sum)-1 {
			lines = append(lines, st.Dim.Render(fmt.Sprintf("… %d more features", len(sum)-i)))
			break
		}
		lines = append(lines, fmt.Sprintf("%-*s %8.3g %8.3g %8.3g %8.3g", nw, trunc(f.Name, nw), f.Min, f.Max, f.Mean, f.Std))
	}
	return strings.Join(lines, "\n")
}

func trunc(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
