package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
	"workbench/engine"
	"workbench/sessions"
)

// modelKeys is the Model pane's keys while no form is open.
type modelKeys struct {
	Up, Down, Add, Delete, MoveUp, MoveDown, Edit, Hyper, Sweep, Defaults key.Binding
}

type modelPane struct {
	env
	keys          modelKeys
	width, height int

	cursor int
	layer  *form // editing the layer under the cursor
	hyper  *form // editing the training settings
	sweep  *sweepForm
	msg    string

	// summary cache, keyed by what it depends on
	sumKey  string
	summary string
	params  int
	sumErr  string
}

func newModelPane(e env) *modelPane {
	return &modelPane{
		env: e,
		keys: modelKeys{
			Up:       k("↑/k", "up", "up", "k"),
			Down:     k("↓/j", "down", "down", "j"),
			Add:      k("a", "add layer", "a"),
			Delete:   k("d", "delete", "d"),
			MoveUp:   k("K", "move up", "K"),
			MoveDown: k("J", "move down", "J"),
			Edit:     k("enter", "edit layer", "enter"),
			Hyper:    k("t", "training settings", "t"),
			Sweep:    k("w", "sweep: train every combination of values you list", "w"),
			Defaults: k("D", "reset training settings and layers to the defaults", "D"),
		},
	}
}

func (p *modelPane) Title() string   { return "Model" }
func (p *modelPane) Init() tea.Cmd   { return nil }
func (p *modelPane) Capturing() bool { return p.openForm() != nil }

// openForm is the form that has the keys, nil when none is open.
func (p *modelPane) openForm() *form {
	fs := []*form{p.layer, p.hyper}
	if p.sweep != nil {
		fs = append(fs, p.sweep.f)
	}
	for _, f := range fs {
		if f != nil && f.active {
			return f
		}
	}
	return nil
}
func (p *modelPane) SetSize(w, h int) { p.width, p.height = w, h }

func (p *modelPane) ShortHelp() []key.Binding {
	if f := p.openForm(); f != nil {
		return f.ShortHelp()
	}
	return []key.Binding{p.keys.Add, p.keys.Delete, both(p.keys.MoveUp, p.keys.MoveDown, "K/J", "move"), brief(p.keys.Edit, "edit"), brief(p.keys.Hyper, "settings"), brief(p.keys.Sweep, "sweep")}
}

func (p *modelPane) FullHelp() [][]key.Binding {
	return [][]key.Binding{{p.keys.Up, p.keys.Down, p.keys.Edit}, {p.keys.Add, p.keys.Delete, p.keys.MoveUp, p.keys.MoveDown}, {p.keys.Hyper, p.keys.Defaults, p.keys.Sweep}}
}

func (p *modelPane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case formDoneMsg:
		return p.formDone(msg)
	case tea.KeyMsg:
		if f := p.openForm(); f != nil {
			if p.sweep != nil && f == p.sweep.f {
				return p.sweepKey(msg)
			}
			return f.Update(msg)
		}
		return p.updateKey(msg)
	}
	return nil
}

// formDone applies a layer or the training settings to the plan.
func (p *modelPane) formDone(msg formDoneMsg) tea.Cmd {
	if !msg.applied {
		return nil
	}
	switch layers := p.sh.Plan().Layers; msg.f {
	case p.layer:
		if p.cursor >= len(layers) {
			return nil
		}
		l, err := layerFromForm(p.layer)
		if err != nil {
			return p.layer.refuse(p.layer.focus, err.Error())
		}
		p.setLayers(replace(layers, p.cursor, l))
	case p.hyper:
		p.applyHyper()
	default:
		if p.sweep != nil && msg.f == p.sweep.f {
			return p.sweepDone()
		}
	}
	return nil
}

func (p *modelPane) updateKey(km tea.KeyMsg) tea.Cmd {
	layers := p.sh.Plan().Layers
	p.msg = ""
	switch {
	case key.Matches(km, p.keys.Up):
		p.cursor = max(p.cursor-1, 0)
	case key.Matches(km, p.keys.Down):
		p.cursor = min(p.cursor+1, max(len(layers)-1, 0))
	case key.Matches(km, p.keys.Add):
		l := engine.LayerSpec{Kind: "dense", Units: 16, Activation: "relu"}
		at := min(p.cursor+1, len(layers))
		if len(layers) == 0 {
			at = 0
		}
		p.setLayers(insert(layers, at, l))
		p.cursor = at
	case key.Matches(km, p.keys.Delete):
		if len(layers) == 0 {
			p.msg = "no hidden layer to delete: the model is the output layer alone"
			return nil
		}
		rest := append(append([]engine.LayerSpec(nil), layers[:p.cursor]...), layers[p.cursor+1:]...)
		p.setLayers(rest)
		p.cursor = min(p.cursor, max(len(rest)-1, 0))
	case key.Matches(km, p.keys.MoveUp):
		if p.cursor > 0 && p.cursor < len(layers) {
			p.setLayers(swap(layers, p.cursor, p.cursor-1))
			p.cursor--
		}
	case key.Matches(km, p.keys.MoveDown):
		if p.cursor+1 < len(layers) {
			p.setLayers(swap(layers, p.cursor, p.cursor+1))
			p.cursor++
		}
	case key.Matches(km, p.keys.Edit):
		if p.cursor >= len(layers) {
			p.msg = "no hidden layer yet: a adds one"
			return nil
		}
		p.layer = layerForm(p.st, p.ask, layers[p.cursor])
		return p.layer.open()
	case key.Matches(km, p.keys.Sweep):
		return p.openSweep()
	case key.Matches(km, p.keys.Defaults):
		p.resetDefaults()
	case key.Matches(km, p.keys.Hyper):
		p.hyper = hyperForm(p.st, p.ask, p.sh.Plan())
		return p.hyper.open()
	}
	return nil
}

func (p *modelPane) setLayers(l []engine.LayerSpec) {
	pl := p.sh.Plan()
	pl.Layers = l
	p.ask(planChangedMsg{plan: pl})
}

func replace(l []engine.LayerSpec, i int, v engine.LayerSpec) []engine.LayerSpec {
	out := append([]engine.LayerSpec(nil), l...)
	out[i] = v
	return out
}

func insert(l []engine.LayerSpec, i int, v engine.LayerSpec) []engine.LayerSpec {
	out := append([]engine.LayerSpec(nil), l[:i]...)
	out = append(out, v)
	return append(out, l[i:]...)
}

func swap(l []engine.LayerSpec, i, j int) []engine.LayerSpec {
	out := append([]engine.LayerSpec(nil), l...)
	out[i], out[j] = out[j], out[i]
	return out
}

// layerForm edits one layer: kind, then units+activation or rate.
func layerForm(st *Styles, ask ask, l engine.LayerSpec) *form {
	f := newForm(st, ask, "layer").choice("kind", l.Kind, []string{"dense", "dropout"}, true)
	units, act, rate := "16", "relu", "0.2"
	if l.Kind == "dense" {
		units, act = itoa(l.Units), l.Activation
	} else {
		rate = ftoa(l.Rate)
	}
	return f.add("units", units, nil).choice("activation", act, engine.Activations, false).add("dropout rate", rate, nil)
}

// layerFromForm validates the form's fields for the chosen kind.
func layerFromForm(f *form) (engine.LayerSpec, error) {
	switch f.value(0) {
	case "dense":
		// 1<<16 is the engine's limit; a wider bound let 70000 through
		// the form, to fail later as the engine's "config: Layers[1]".
		if err := checkInt(1, 1<<16)(f.value(1)); err != nil {
			return engine.LayerSpec{}, fmt.Errorf("units: %v", err)
		}
		if err := checkOneOf(engine.Activations)(f.value(2)); err != nil {
			return engine.LayerSpec{}, fmt.Errorf("activation: %v", err)
		}
		return engine.LayerSpec{Kind: "dense", Units: atoi(f.value(1)), Activation: f.value(2)}, nil
	case "dropout":
		if err := checkFloat(0, 1, true)(f.value(3)); err != nil {
			return engine.LayerSpec{}, fmt.Errorf("dropout rate: %v", err)
		}
		return engine.LayerSpec{Kind: "dropout", Rate: atof(f.value(3))}, nil
	}
	return engine.LayerSpec{}, fmt.Errorf("kind: %q is not dense or dropout", f.value(0))
}

func hyperForm(st *Styles, ask ask, pl plan) *form {
	h := pl.Hyper
	return newForm(st, ask, "training").
		choice("optimizer", h.Optimizer, engine.Optimizers, true).
		add("lr", ftoa(h.LearningRate), checkPositive).
		choice("schedule", h.Schedule, engine.Schedules, true).
		add("batch", itoa(h.BatchSize), checkInt(1, 1_000_000)).
		add("epochs", itoa(h.Epochs), checkInt(1, 1_000_000)).
		add("L1", ftoa(h.L1), checkFloat(0, 1e6, false)).
		add("L2", ftoa(h.L2), checkFloat(0, 1e6, false)).
		add("clip", ftoa(h.ClipNorm), checkFloat(0, 1e9, false)).
		add("patience", itoa(h.Patience), checkInt(0, 1_000_000)).
		add("seed", itoa(h.Seed), checkInt(-1<<31, 1<<31)).
		choice("restore best", yesNo(!h.KeepLast), []string{"yes", "no"}, true).
		choice("dtype", h.EngineDType().String(), engine.DTypes, true)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func (p *modelPane) applyHyper() {
	pl := p.sh.Plan()
	f, h := p.hyper, &pl.Hyper
	h.Optimizer, h.LearningRate, h.Schedule = f.value(0), atof(f.value(1)), f.value(2)
	h.BatchSize, h.Epochs = atoi(f.value(3)), atoi(f.value(4))
	h.L1, h.L2, h.ClipNorm = atof(f.value(5)), atof(f.value(6)), atof(f.value(7))
	h.Patience, h.Seed = atoi(f.value(8)), atoi64(f.value(9))
	h.KeepLast = f.value(10) == "no"
	h.DType = f.value(11)
	p.ask(planChangedMsg{plan: pl})
}

// refreshSummary rebuilds the model for its parameter count and table when
// the layers or the data's shape change.
func (p *modelPane) refreshSummary() {
	d, layers := p.sh.Data(), p.sh.Plan().Layers
	if d == nil {
		p.summary, p.sumErr, p.params = "", "no dataset loaded", 0
		return
	}
	spec := engine.FormatLayers(layers)
	key := fmt.Sprintf("%s|%d|%d|%s", spec, d.Features(), d.Outputs(), d.Task)
	if key == p.sumKey {
		return
	}
	p.sumKey = key
	task := sessions.EngineTask(d.Task)
	err := safely(func() error {
		m, err := engine.NewModel(engine.Config{Inputs: d.Features(), Outputs: d.Outputs(), Task: task, Layers: layers, Seed: 1})
		if err != nil {
			return err
		}
		p.summary, p.params = summaryTable(m.Summary()), m.ParamCount()
		return nil
	})
	p.sumErr = ""
	if err != nil {
		p.summary, p.params, p.sumErr = "", 0, err.Error()
	}
}

func (p *modelPane) View() string {
	st := p.st
	if p.sweep != nil && (p.sweep.f.active || p.sweep.f.err != "") {
		return p.sweepView()
	}
	p.refreshSummary()
	hyperH := 5
	if p.hyper != nil && (p.hyper.active || p.hyper.err != "") {
		hyperH = 7
	}
	topH := p.height - hyperH
	lw := p.width / 2
	left := st.box("layers", p.layersView(lw-2), lw, topH, true)
	title := "summary"
	if p.params > 0 {
		title = fmt.Sprintf("summary · %s parameters", fmtInt(int64(p.params)))
	}
	sum := p.summary
	if p.sumErr != "" {
		sum = st.Error.Render("✗ " + p.sumErr)
	}
	right := st.box(title, sum, p.width-lw, topH, false)
	return hjoin(left, right) + "\n" + st.box("training", p.hyperView(), p.width, hyperH, false)
}

func (p *modelPane) layersView(w int) string {
	st := p.st
	d, layers := p.sh.Data(), p.sh.Plan().Layers
	var lines []string
	in := "?"
	if d != nil {
		in = fmt.Sprintf("%d features", d.Features())
	}
	lines = append(lines, st.Dim.Render("  input            "+in))
	for i, l := range layers {
		text := fmt.Sprintf("dense %-5d %s", l.Units, l.Activation)
		if l.Kind == "dropout" {
			text = fmt.Sprintf("dropout %.2g", l.Rate)
		}
		if i == p.cursor {
			lines = append(lines, st.Selected.Render("▸ "+text))
			if p.layer != nil && (p.layer.active || p.layer.err != "") {
				lines = append(lines, indent(render(p.layer, w-4), "    "))
			}
		} else {
			lines = append(lines, "  "+text)
		}
	}
	if len(layers) == 0 {
		lines = append(lines, st.Dim.Render("  (no hidden layer: a adds one)"))
	}
	if d != nil {
		out := fmt.Sprintf("  output %-5d softmax · from the task", d.Outputs())
		if d.Task == datasets.Regression {
			out = fmt.Sprintf("  output %-5d linear · from the task", d.Outputs())
		}
		lines = append(lines, st.Dim.Render(out))
	}
	lines = append(lines, "")
	if p.msg != "" {
		lines = append(lines, st.Warn.Render(p.msg))
	}
	lines = append(lines, st.Dim.Render("a add · d delete · K/J move · w sweep"), st.Dim.Render("enter edit · t training settings"))
	return strings.Join(lines, "\n")
}

// summaryTable is a compact layer/output/params table that fits half an
// 80-column screen.
func summaryTable(rows []engine.SummaryRow) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-16s %-10s %8s", "layer", "output", "params")
	total := 0
	for _, r := range rows {
		fmt.Fprintf(&b, "\n%-16s %-10s %8s", trunc(r.Layer, 16), trunc(r.Output, 10), fmtInt(int64(r.Params)))
		total += r.Params
	}
	fmt.Fprintf(&b, "\n%-16s %-10s %8s", "total", "", fmtInt(int64(total)))
	return b.String()
}

func indent(s, pre string) string {
	return pre + strings.ReplaceAll(s, "\n", "\n"+pre)
}
