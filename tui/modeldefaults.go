package tui

import (
	"strings"

	"workbench/engine"
	"workbench/sessions"
)

// Settings carry from one dataset to the next (epochs 3000 chosen for
// spiral stay when Fashion-MNIST is picked), so the Model pane marks each
// one that differs from what a new session starts with, and D puts them
// all back.

// changedMark follows a value that differs from the default.
const changedMark = "*"

// defaultPlanLayers is sessions.DefaultLayers parsed (nil if it could not be,
// which the app already logs at start).
func defaultPlanLayers() []engine.LayerSpec {
	l, _ := engine.ParseLayers(defaultLayers)
	return l
}

// layersChanged reports whether the plan's hidden layers differ from the
// defaults.
func layersChanged(pl plan) bool {
	return engine.FormatLayers(pl.Layers) != engine.FormatLayers(defaultPlanLayers())
}

// resetDefaults asks the root to make the training settings and layers
// sessions.DefaultHyper() and sessions.DefaultLayers; the data and split
// fractions stay.
func (p *modelPane) resetDefaults() {
	pl := p.sh.Plan()
	pl.Hyper, pl.Layers = sessions.DefaultHyper(), defaultPlanLayers()
	p.cursor = 0
	p.ask(planChangedMsg{plan: pl})
	p.msg = "settings and layers: the defaults"
}

// hyperView shows the training settings, each changed one marked, and says
// how to put them back.
func (p *modelPane) hyperView() string {
	if p.hyper != nil && (p.hyper.active || p.hyper.err != "") {
		return render(p.hyper, p.width-4)
	}
	pl := p.sh.Plan()
	h, d, st := pl.Hyper, sessions.DefaultHyper(), p.st
	mark := func(v string, changed bool) string {
		if changed {
			return st.Warn.Render(v + changedMark)
		}
		return v
	}
	line1 := st.kv("optimizer", mark(h.Optimizer, h.Optimizer != d.Optimizer),
		"lr", mark(ftoa(h.LearningRate), h.LearningRate != d.LearningRate),
		"schedule", mark(h.Schedule, h.Schedule != d.Schedule),
		"batch", mark(itoa(h.BatchSize), h.BatchSize != d.BatchSize),
		"epochs", mark(itoa(h.Epochs), h.Epochs != d.Epochs))
	line2 := st.kv("patience", mark(itoa(h.Patience), h.Patience != d.Patience),
		"L1", mark(ftoa(h.L1), h.L1 != d.L1),
		"L2", mark(ftoa(h.L2), h.L2 != d.L2),
		"clip", mark(ftoa(h.ClipNorm), h.ClipNorm != d.ClipNorm),
		"seed", mark(itoa(h.Seed), h.Seed != d.Seed))
	// Changed settings this box does not show are named.
	var also []string
	if h.KeepLast != d.KeepLast {
		also = append(also, "restore best")
	}
	if h.EngineDType() != d.EngineDType() {
		also = append(also, "dtype")
	}
	if layersChanged(pl) {
		also = append(also, "layers")
	}
	changed := len(also) > 0 || strings.Contains(line1+line2, changedMark)
	if !changed {
		return line1 + "\n" + line2 + "\n" + st.Dim.Render("the defaults · t edits these")
	}
	note := changedMark + " changed from the defaults"
	if len(also) > 0 {
		note += " (also " + strings.Join(also, ", ") + ")"
	}
	return line1 + "\n" + line2 + "\n" + st.Warn.Render(note) + st.Dim.Render(" · D resets · t edits")
}
