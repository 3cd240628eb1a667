package tui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"workbench/datasets"
	"workbench/sessions"
)

// sweepAxes are the settings the sweep form offers, in its order: the
// training flags the issue names (sessions.SweepKeys has them all).
var sweepAxes = []string{"layers", "lr", "optimizer", "batch", "l2", "dropout", "epochs", "seed", "schedule"}

// The form's fields after the axes.
const (
	sweepMetric = iota + 9
	sweepRandom
	sweepName
)

// sweepForm is the Model pane's sweep form: values to try for each
// setting (empty = the plan's value), the metric that picks the best,
// and the count of runs, kept up to date as the user types.
type sweepForm struct {
	f     *form
	count int    // runs the sweep would start; 0 while it cannot start
	why   string // why it cannot start, in sessions' words
}

func newSweepForm(st *Styles, ask ask, pl plan, task datasets.Task) *sweepForm {
	f := newForm(st, ask, "sweep")
	for _, k := range sweepAxes {
		f.add(k, "", nil)
	}
	metric := "val_accuracy"
	if task == datasets.Regression {
		metric = "val_r2"
	}
	f.add("metric", metric, nil).add("random", "0", checkInt(0, sessions.MaxSweepRuns)).add("name", "", nil)
	for i := range f.inputs {
		f.inputs[i].CharLimit = exprField.limit
	}
	s := &sweepForm{f: f}
	s.recount(pl)
	return s
}

// sweep is the form as a sessions.Sweep over the plan.
func (s *sweepForm) sweep(pl plan) (sessions.Sweep, error) {
	f := s.f
	sw := sessions.Sweep{Base: pl.sessionsPlan(), Metric: f.value(sweepMetric), Name: f.value(sweepName), Seed: pl.Hyper.Seed}
	for i, k := range sweepAxes {
		if v := f.value(i); v != "" {
			a, err := sessions.ParseAxis(k + "=" + v)
			if err != nil {
				return sw, err
			}
			sw.Axes = append(sw.Axes, a)
		}
	}
	if len(sw.Axes) == 0 {
		return sw, fmt.Errorf("type the values to try for at least one setting, separated by | (lr: 0.01|0.001)")
	}
	if r := f.value(sweepRandom); r != "" && r != "0" {
		if err := checkInt(1, sessions.MaxSweepRuns)(r); err != nil {
			return sw, fmt.Errorf("random: %v", err)
		}
		sw.Random = atoi(r)
	}
	return sw, nil
}

// recount checks the sweep as it stands, for the count line.
func (s *sweepForm) recount(pl plan) {
	s.count, s.why = 0, ""
	sw, err := s.sweep(pl)
	if err == nil {
		var runs []sessions.Run
		err = safely(func() error {
			var err error
			runs, err = sw.Runs()
			return err
		})
		s.count = len(runs)
	}
	if err != nil {
		s.why = err.Error()
	}
}

// openSweep opens the form over the plan as it stands.
func (p *modelPane) openSweep() tea.Cmd {
	task := datasets.Classification
	if d := p.sh.Data(); d != nil {
		task = d.Task
	}
	p.sweep = newSweepForm(p.st, p.ask, p.sh.Plan(), task)
	return p.sweep.f.open()
}

// sweepKey edits the form and counts again.
func (p *modelPane) sweepKey(msg tea.KeyMsg) tea.Cmd {
	cmd := p.sweep.f.Update(msg)
	if p.sweep.f.active {
		p.sweep.recount(p.sh.Plan())
	}
	return cmd
}

// sweepDone starts the sweep the form describes, or keeps it open saying
// why not.
func (p *modelPane) sweepDone() tea.Cmd {
	s := p.sweep
	pl := p.sh.Plan()
	s.recount(pl)
	switch {
	case s.why != "":
		return s.f.refuse(s.f.focus, s.why)
	case p.sh.Run().Active:
		return s.f.refuse(s.f.focus, "a run is training: stop it (3, then x) before starting a sweep")
	}
	sw, _ := s.sweep(pl)
	p.ask(startSweepMsg{sweep: sw})
	p.ask(switchPaneMsg{to: paneTrain})
	return nil
}

// sweepView draws the open form as the whole pane: one setting a line
// with the plan's value beside it, then the count or what is wrong.
func (p *modelPane) sweepView() string {
	st, s := p.st, p.sweep
	f := s.f
	pl := p.sh.Plan()
	now := map[string]string{
		"layers": pl.sessionsPlan().Layers, "lr": ftoa(pl.Hyper.LearningRate), "optimizer": pl.Hyper.Optimizer,
		"batch": itoa(pl.Hyper.BatchSize), "l2": ftoa(pl.Hyper.L2), "dropout": "as in layers", "epochs": itoa(pl.Hyper.Epochs),
		"seed": itoa(pl.Hyper.Seed), "schedule": pl.Hyper.Schedule,
		"metric": "picks the best (or val_loss …)",
		"random": "0 = all; N = N of them drawn", "name": "runs are <name>-1, -2 …",
	}
	iw := max(16, min(40, (p.width-18)/2)) // the hints stay in one column
	for i := range f.inputs {
		f.inputs[i].Width = iw
	}
	lines := []string{st.Dim.Render("values to try, separated by |, e.g. 32:relu|64:relu,64:relu; empty = as now")}
	for i, l := range f.labels {
		label := fmt.Sprintf("  %-10s", l)
		if f.active && i == f.focus {
			label = st.Selected.Render(fmt.Sprintf("▸ %-10s", l))
		}
		hint := now[l]
		if i < len(sweepAxes) {
			hint = "now " + hint
		}
		lines = append(lines, label+" "+f.inputs[i].View()+"  "+st.Dim.Render(hint))
	}
	lines = append(lines, "")
	switch {
	case f.err != "":
		lines = append(lines, wrapStyled(st.Error, "✗ "+f.err, p.width-4)...)
	case s.why != "":
		lines = append(lines, wrapStyled(st.Warn, s.why, p.width-4)...)
	default:
		lines = append(lines, st.Good.Render(fmt.Sprintf("%d runs", s.count))+" of "+pl.DataRef+" · enter starts them (one at a time, on the Train pane)")
	}
	lines = append(lines, st.Dim.Render("tab/↓ next · shift+tab/↑ previous · enter start · esc cancel"))
	return st.box("sweep · "+pl.DataRef, strings.Join(lines, "\n"), p.width, p.height, true)
}

func wrapStyled(s interface{ Render(...string) string }, text string, w int) []string {
	var out []string
	for _, l := range wrapRunes(text, max(10, w), 3) {
		out = append(out, s.Render(l))
	}
	return out
}
