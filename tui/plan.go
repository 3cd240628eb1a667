package tui

import (
	"fmt"
	"strings"

	"workbench/datasets"
	"workbench/engine"
	"workbench/sessions"
)

// defaultLayers is the small network a new user starts with (shared with
// `workbench train`).
const defaultLayers = sessions.DefaultLayers

// plan is what the next run trains: the Data and Model panes ask the root
// to change it with planChangedMsg.
type plan struct {
	DataRef   string
	Load      datasets.LoadOptions // how DataRef was loaded (a CSV's target, task, missing values)
	Val, Test float64
	Layers    []engine.LayerSpec // replaced whole on a change, never edited in place
	// Hyper.Seed also seeds the split: sessions.Prepare has one seed for
	// split, weights and shuffling, so the Data pane's split seed edits it.
	Hyper sessions.Hyper
}

func (p plan) sessionsPlan() sessions.Plan {
	return sessions.Plan{
		DataRef: p.DataRef,
		Load:    p.Load,
		Val:     p.Val,
		Test:    p.Test,
		Layers:  engine.FormatLayers(p.Layers),
		Hyper:   p.Hyper,
	}
}

func sessionName(s *sessions.Session) string {
	switch {
	case s.Name != "":
		return sessions.Printable(s.Name)
	case s.ID != "":
		return s.ID
	}
	return "new"
}

// layerChain renders "16:relu,16:relu" with 3 outputs as "16 relu → 16 relu → 3".
func layerChain(spec string, outputs int) string {
	var parts []string
	for _, p := range strings.Split(spec, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		parts = append(parts, strings.ReplaceAll(p, ":", " "))
	}
	if outputs > 0 {
		parts = append(parts, fmt.Sprint(outputs))
	}
	if len(parts) == 0 {
		return "linear"
	}
	return strings.Join(parts, " → ")
}
