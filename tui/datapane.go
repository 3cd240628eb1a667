package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
)

// dataKeys is the Data pane's keys on the list.
type dataKeys struct {
	Up, Down, Top, Bottom, Choose, Filter, Open, Split, Params, CSV key.Binding
}

// filterKeys is the keys while the filter is typed.
type filterKeys struct{ Keep, Clear, Up, Down key.Binding }

// openKeys is the keys while a path is typed.
type openKeys struct{ Complete, Load, Cancel key.Binding }

// dataMode is what has the Data pane's keys.
type dataMode int

const (
	dataList dataMode = iota
	dataFilter
	dataOpen
	dataSplit  // the split form
	dataParams // a synthetic set's parameters form
	dataCSV    // the CSV options form
)

// openFileItem is the list's last row: it opens the path prompt.
const openFileItem = "open file…"

type dataPane struct {
	env
	files         files
	fileNote      string
	keys          dataKeys
	filterKeys    filterKeys
	openKeys      openKeys
	width, height int
	mode          dataMode

	cat     []datasets.Info
	catErr  string
	filter  textinput.Model
	visible []int // indexes into cat; -1 is the open-file row
	cursor  int

	path    textinput.Model
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

	// the "train it now" offer (dataoffer.go): offerRef is loading
	offerRef string
	offering bool

	// the preview of the row under the cursor (datapeek.go)
	peek        *peekView
	peekSeq     int
	peekLoading string // the name whose preview is on its way
}

func newDataPane(e env, fl files, fileNote string) *dataPane {
	p := &dataPane{
		env: e, files: fl, fileNote: fileNote,
		filterKeys: filterKeys{
			Keep:  k("enter", "choose", "enter"),
			Clear: k("esc", "clear", "esc"),
			Up:    k("↑", "up", "up"),
			Down:  k("↓", "down", "down"),
		},
		openKeys: openKeys{
			Complete: k("tab", "complete", "tab"),
			Load:     k("enter", "load", "enter"),
			Cancel:   k("esc", "cancel", "esc"),
		},
		keys: dataKeys{
			Up:     k("↑/k", "up", "up", "k"),
			Down:   k("↓/j", "down", "down", "j"),
			Top:    k("g/home", "first", "g", "home"),
			Bottom: k("G/end", "last", "G", "end"),
			Choose: k("enter", "choose", "enter"),
			Filter: k("/", "filter", "/"),
			Open:   k("o", "open file", "o"),
			Split:  k("e", "edit split", "e"),
			Params: k("p", "synthetic params", "p"),
			CSV:    k("t", "CSV target, task, missing values", "t"),
		},
	}
	p.filter = p.input("filter: ")
	capField(&p.filter, filterField)
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
	capField(&ti, pathField)
	ti.PromptStyle = p.st.Dim
	ti.PlaceholderStyle = p.st.Dim
	ti.Cursor.Style = p.st.Cursor
	ti.Cursor.SetMode(cursor.CursorStatic)
	return ti
}

func (p *dataPane) Title() string   { return "Data" }
func (p *dataPane) Init() tea.Cmd   { return nil }
func (p *dataPane) Capturing() bool { return p.mode != dataList }

// openForm is the form that has the keys, nil when none.
func (p *dataPane) openForm() *form {
	switch p.mode {
	case dataSplit:
		return p.split
	case dataParams:
		return p.params
	case dataCSV:
		return p.csv
	}
	return nil
}

func (p *dataPane) openWith(m dataMode, f *form) tea.Cmd {
	p.mode = m
	return f.open()
}
func (p *dataPane) SetSize(w, h int) { p.width, p.height = w, h }

func (p *dataPane) ShortHelp() []key.Binding {
	switch p.mode {
	case dataFilter:
		return []key.Binding{p.filterKeys.Keep, p.filterKeys.Clear}
	case dataOpen:
		return []key.Binding{p.openKeys.Complete, p.openKeys.Load, p.openKeys.Cancel}
	case dataSplit, dataParams, dataCSV:
		return p.openForm().ShortHelp()
	}
	if p.offering {
		return []key.Binding{dataOfferKeys.Train, dataOfferKeys.Not}
	}
	open, split := brief(p.keys.Open, "open"), brief(p.keys.Split, "split")
	if p.fileRef != "" {
		return []key.Binding{p.keys.Choose, p.keys.Filter, open, brief(p.keys.CSV, "target"), split}
	}
	return []key.Binding{p.keys.Choose, p.keys.Filter, open, split, brief(p.keys.Params, "params")}
}

func (p *dataPane) FullHelp() [][]key.Binding {
	return [][]key.Binding{{p.keys.Up, p.keys.Down, p.keys.Top, p.keys.Bottom, p.keys.Choose}, {p.keys.Filter, p.keys.Open, p.keys.CSV, p.keys.Split, p.keys.Params}}
}

func (p *dataPane) Update(msg tea.Msg) tea.Cmd {
	if cmd, ok := p.updatePeek(msg); ok {
		return cmd
	}
	switch msg := msg.(type) {
	case dataLoadedMsg:
		p.loading = ""
		p.loadedForOffer(msg)
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
	case formDoneMsg:
		return p.formDone(msg)
	case paneFocusMsg:
		p.offering = false
		return rescanCatalog
	case catalogMsg:
		p.recatalog(msg)
		return nil
	case tea.KeyMsg:
		return p.updateKey(msg)
	}
	return nil
}

func (p *dataPane) updateKey(msg tea.KeyMsg) tea.Cmd {
	switch p.mode {
	case dataFilter:
		return p.updateFilter(msg)
	case dataOpen:
		return p.updateOpen(msg)
	case dataSplit, dataParams, dataCSV:
		return p.openForm().Update(msg)
	}
	if p.answerOffer(msg) {
		return nil
	}
	switch {
	case key.Matches(msg, p.keys.Up):
		p.move(false)
		return p.peekCmd()
	case key.Matches(msg, p.keys.Down):
		p.move(true)
		return p.peekCmd()
	case key.Matches(msg, p.keys.Top):
		p.cursor = 0
		return p.peekCmd()
	case key.Matches(msg, p.keys.Bottom):
		p.cursor = len(p.visible) - 1
		return p.peekCmd()
	case key.Matches(msg, p.keys.Filter):
		p.mode = dataFilter
		return p.filter.Focus()
	case key.Matches(msg, p.keys.Open):
		p.mode = dataOpen
		return p.path.Focus()
	case key.Matches(msg, p.keys.Split):
		pl := p.sh.Plan()
		p.split = newForm(p.st, p.ask, "split").
			add("val", ftoa(pl.Val), checkFloat(0, 1, true)).
			add("test", ftoa(pl.Test), checkFloat(0, 1, true)).
			add("seed", itoa(pl.Hyper.Seed), checkInt(-1<<31, 1<<31))
		return p.openWith(dataSplit, p.split)
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
			p.mode = dataOpen
			return p.path.Focus()
		}
		in, ok := p.selected()
		if !ok {
			return nil
		}
		ref := p.rowRef(in)
		p.offerAfterLoad(ref)
		return p.load(ref)
	}
	return nil
}

func (p *dataPane) updateFilter(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, p.filterKeys.Clear):
		p.filter.SetValue("")
		p.mode = dataList
		p.filter.Blur()
		p.refilter()
		return nil
	case key.Matches(msg, p.filterKeys.Keep):
		// One enter keeps the filter and chooses the row under the cursor.
		p.mode = dataList
		p.filter.Blur()
		if _, ok := p.selected(); ok {
			return p.updateKey(msg)
		}
		return nil
	case key.Matches(msg, p.filterKeys.Up), key.Matches(msg, p.filterKeys.Down):
		p.move(key.Matches(msg, p.filterKeys.Down))
		return p.peekCmd()
	}
	var cmd tea.Cmd
	var note string
	p.filter, cmd, note = updateField(p.filter, msg, filterField)
	if note != "" {
		p.loadErr, p.loadFix = note, ""
	}
	p.cursor = 0
	p.refilter()
	return tea.Batch(cmd, p.peekCmd())
}

func (p *dataPane) updateOpen(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, p.openKeys.Cancel):
		p.mode, p.choices = dataList, nil
		p.path.Blur()
		p.path.SetValue("") // a cancelled prompt opens empty next time
		return nil
	case key.Matches(msg, p.openKeys.Complete):
		p.complete()
		return nil
	case key.Matches(msg, p.openKeys.Load):
		ref := strings.TrimSpace(p.path.Value())
		if ref == "" {
			return nil
		}
		ref, err := p.files.checkRef(ref)
		if err != nil {
			// The prompt stays open so the path can be fixed.
			p.loadErr, p.loadFix, p.choices = err.Error(), "", nil
			return nil
		}
		p.mode, p.choices = dataList, nil
		p.path.Blur()
		if ref != p.fileRef {
			// Another file's target name means nothing here.
			p.fileRef, p.fileOpts = ref, datasets.LoadOptions{}
		}
		return p.loadWith(ref, p.fileOpts)
	}
	var cmd tea.Cmd
	var note string
	p.path, cmd, note = updateField(p.path, msg, pathField)
	if note != "" {
		p.loadErr, p.loadFix = note, ""
	}
	p.choices = nil
	return cmd
}

func (p *dataPane) load(ref string) tea.Cmd { return p.loadWith(ref, datasets.LoadOptions{}) }

func (p *dataPane) loadWith(ref string, opts datasets.LoadOptions) tea.Cmd {
	p.loading, p.loadErr, p.loadFix = ref, "", ""
	return func() tea.Msg {
		ds, err := loadDataset(ref, p.files.loadOptions(opts))
		return dataLoadedMsg{ref: ref, opts: opts, ds: ds, err: err}
	}
}

// complete extends the typed path to the longest common prefix of the
// matching files, listing them when there are several.
func (p *dataPane) complete() {
	v, choices := p.files.complete(p.path.Value())
	p.choices = choices
	p.path.SetValue(v)
	p.path.CursorEnd()
}
