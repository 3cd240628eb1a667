package tui

import (
	"fmt"
	"io"
	"log/slog"
	"strings"

	"workbench/datasets"
	"workbench/engine"
	"workbench/serve"
	"workbench/sessions"
)

// defaultLayers is the small network a new user starts with (shared with
// `workbench train`).
const defaultLayers = sessions.DefaultLayers

// plan is what the next run trains: the Data and Model panes edit it.
type plan struct {
	DataRef   string
	Load      datasets.LoadOptions // how DataRef was loaded (a CSV's target, task, missing values)
	Val, Test float64
	Layers    []engine.LayerSpec
	// Hyper.Seed also seeds the split: sessions.Prepare has one seed for
	// split, weights and shuffling, so the Data pane's split seed edits it.
	Hyper sessions.Hyper
}

func (p plan) sessionsPlan() sessions.Plan {
	h := p.Hyper
	return sessions.Plan{
		DataRef: p.DataRef,
		Load:    p.Load,
		Val:     p.Val,
		Test:    p.Test,
		Layers:  engine.FormatLayers(p.Layers),
		Hyper:   h,
	}
}

// workbench is the state the panes share. Only the Bubble Tea goroutine
// touches it; background work reports through messages.
type workbench struct {
	opts   Options
	st     *Styles
	store  *sessions.Store
	files  files // resolves the paths the user types
	log    *slog.Logger
	nextID int

	plan      plan
	data      *datasets.Dataset // the dataset of the plan, loaded for previews
	planDirty bool              // the plan changed since current was trained or opened

	// current is the last finished or opened session; its Model is never
	// trained while it is current (continuing loads a fresh copy).
	current   *sessions.Session
	currentDS *datasets.Dataset

	run *trainRun // nil when no run is active

	srv        *serve.Server
	srvAddr    string // bound address while serving
	srvWant    string // address to bind next
	srvErr     string
	srvShort   string // srvErr in a few words for the footer, seen from every pane
	srvPending bool   // S pressed while training: start at the first snapshot
	srvEpoch   int    // epoch whose weights are being served
	srvName    string // session served
	srvRun     int    // run whose snapshots are being served (0 = none)
	srvSnap    *snapshot
	srvSess    *sessions.Session // what the server was started with
	stats      serve.Stats
}

func newWorkbench(opts Options) *workbench {
	w := &workbench{opts: opts, store: opts.Store}
	var out io.Writer = io.Discard
	if opts.Log != nil {
		out = opts.Log
	}
	w.log = slog.New(slog.NewTextHandler(out, nil))
	w.srvWant = opts.ServeAddr
	if w.srvWant == "" {
		w.srvWant = "127.0.0.1:8080"
	}
	layers, err := engine.ParseLayers(defaultLayers)
	if err != nil {
		w.log.Error("default layers", "err", err)
	}
	w.plan = plan{DataRef: "iris", Val: 0.2, Test: 0.2, Layers: layers, Hyper: sessions.DefaultHyper()}
	return w
}

// training reports an active run (preparing, queued, running or paused).
func (w *workbench) training() bool { return w.run != nil }

// sessionLabel describes the current session for the header; the short
// form leaves out the data reference.
func (w *workbench) sessionLabel(long bool) string {
	var name, ref, layers string
	outputs := 0
	switch {
	case w.run != nil && w.run.info != nil:
		s := w.run.info
		name, ref, layers = sessionName(s), s.Data.Ref, s.Layers
		outputs = len(s.Data.Classes)
		if outputs == 0 {
			outputs = max(1, len(s.Data.Targets))
		}
	case w.current != nil && !w.planDirty:
		s := w.current
		name, ref, layers = sessionName(s), s.Data.Ref, s.Layers
		outputs = len(s.Data.Classes)
		if outputs == 0 {
			outputs = max(1, len(s.Data.Targets))
		}
	default:
		name, ref, layers = "new", w.plan.DataRef, engine.FormatLayers(w.plan.Layers)
		if w.data != nil {
			outputs = w.data.Outputs()
		}
	}
	if !long {
		return fmt.Sprintf("%s · %s", name, layerChain(layers, outputs))
	}
	return fmt.Sprintf("%s · %s · %s", name, ref, layerChain(layers, outputs))
}

func sessionName(s *sessions.Session) string {
	switch {
	case s.Name != "":
		return s.Name
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
