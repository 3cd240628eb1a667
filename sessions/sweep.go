package sessions

// Sweeps: a base plan, the settings to vary and their values, expanded into
// the plans of a grid (or N random draws from it), checked before any run
// starts; and the one rule for which run of a sweep is best.

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"workbench/engine"
)

// SweepKeys are the settings a sweep may vary, in the order they are
// applied (layers before dropout, which rewrites the layers' dropout).
var SweepKeys = []string{"layers", "dropout", "lr", "optimizer", "batch", "l1", "l2", "epochs", "seed", "schedule", "patience", "clip", "dtype"}

// MaxSweepRuns bounds a sweep: a grid of thousands of runs is a typo.
const MaxSweepRuns = 1000

// DefaultSweepMetric is what picks a sweep's best run when none is given:
// the validation loss the engine itself keeps the best epoch by.
const DefaultSweepMetric = "best_val_loss"

// Axis is one varied setting: its key (one of SweepKeys) and its values as
// typed on the command line.
type Axis struct {
	Key    string   `json:"key"`
	Values []string `json:"values"`
}

// ParseAxis reads KEY=V1|V2|... (values separated by | since layer specs
// hold commas). Values are checked by Sweep.Plans.
func ParseAxis(s string) (Axis, error) {
	key, vals, ok := strings.Cut(s, "=")
	key = strings.ToLower(strings.TrimSpace(key))
	if !ok || key == "" {
		return Axis{}, fmt.Errorf("--set %q: want KEY=V1|V2|... (e.g. lr=0.01|0.001)", s)
	}
	if !slices.Contains(SweepKeys, key) {
		return Axis{}, fmt.Errorf("--set: unknown setting %q; a sweep can vary %s", key, strings.Join(SweepKeys, ", "))
	}
	a := Axis{Key: key}
	for _, v := range strings.Split(vals, "|") {
		v = strings.TrimSpace(v)
		if v == "" && key != "layers" { // "" is no hidden layer
			return Axis{}, fmt.Errorf("--set %s: an empty value in %q; separate values with |", key, vals)
		}
		if slices.Contains(a.Values, v) {
			return Axis{}, fmt.Errorf("--set %s: %q is given twice", key, v)
		}
		a.Values = append(a.Values, v)
	}
	return a, nil
}

// Sweep is a set of runs that differ in a few settings.
type Sweep struct {
	// Name names the sweep and its runs (<name>-1, <name>-2, ...); "" is
	// the dataset's name with "-sweep". The id recorded in each run is the
	// name made unique among the store's sweeps.
	Name string
	Base Plan   // what every run shares; Base.Name is ignored
	Axes []Axis // the settings varied; at least one
	// Random, when above 0, runs that many distinct combinations drawn
	// from the grid with Seed instead of the whole grid.
	Random int
	Seed   int64
	// Metric picks the best run (a field with a direction, e.g.
	// best_val_loss, val_accuracy, test_accuracy); "" = DefaultSweepMetric.
	Metric string
}

// Run is one plan of a sweep and the settings that make it differ.
type Run struct {
	Plan     Plan
	Settings []Setting // one per axis, in axis order
}

// Setting is one varied setting's value in a run.
type Setting struct{ Key, Value string }

// MetricField checks a sweep metric: a field with a direction.
func MetricField(name string) (Field, error) {
	if name == "" {
		name = DefaultSweepMetric
	}
	f, ok := LookupField(name)
	if !ok || f.Better == 0 {
		var ms []string
		for _, f := range Fields {
			if f.Better != 0 {
				ms = append(ms, f.Name)
			}
		}
		return Field{}, fmt.Errorf("--metric: %q is not a metric; choose one of %s (or val_loss, val_accuracy, val_r2)", name, strings.Join(ms, ", "))
	}
	return f, nil
}

// Runs expands the sweep into its runs' plans, checking every value of
// every axis first: an unknown key, a duplicate key or a bad value is an
// error naming it, and nothing runs.
func (sw Sweep) Runs() ([]Run, error) {
	if len(sw.Axes) == 0 {
		return nil, fmt.Errorf("a sweep needs at least one --set KEY=V1|V2|...")
	}
	if _, err := MetricField(sw.Metric); err != nil {
		return nil, err
	}
	axes := slices.Clone(sw.Axes)
	seen := map[string]bool{}
	total := 1
	for _, a := range axes {
		if !slices.Contains(SweepKeys, a.Key) {
			return nil, fmt.Errorf("--set: unknown setting %q; a sweep can vary %s", a.Key, strings.Join(SweepKeys, ", "))
		}
		if seen[a.Key] {
			return nil, fmt.Errorf("--set %s is given twice; put all its values in one --set separated by |", a.Key)
		}
		seen[a.Key] = true
		if len(a.Values) == 0 {
			return nil, fmt.Errorf("--set %s has no values", a.Key)
		}
		for _, v := range a.Values {
			p := sw.Base
			if err := apply(&p, a.Key, v); err != nil {
				return nil, err
			}
			if err := checkPlan(p); err != nil {
				return nil, fmt.Errorf("--set %s=%s: %w", a.Key, v, err)
			}
		}
		total *= len(a.Values)
		if total > MaxSweepRuns {
			return nil, fmt.Errorf("the grid has more than %d runs; vary fewer settings or use --random N", MaxSweepRuns)
		}
	}
	if sw.Random < 0 {
		return nil, fmt.Errorf("--random must be 1 or more, got %d", sw.Random)
	}
	if sw.Random > total {
		return nil, fmt.Errorf("--random %d: the grid has only %d combinations", sw.Random, total)
	}
	picks := make([]int, total)
	for i := range picks {
		picks[i] = i
	}
	if sw.Random > 0 {
		rng := rand.New(rand.NewPCG(uint64(sw.Seed), 0x5eed))
		rng.Shuffle(len(picks), func(i, j int) { picks[i], picks[j] = picks[j], picks[i] })
		picks = picks[:sw.Random]
		slices.Sort(picks) // grid order reads better
	}
	// Applied in SweepKeys order whatever the order of the flags, so
	// dropout rewrites the layers the run really has.
	order := slices.Clone(axes)
	slices.SortStableFunc(order, func(a, b Axis) int {
		return slices.Index(SweepKeys, a.Key) - slices.Index(SweepKeys, b.Key)
	})
	runs := make([]Run, 0, len(picks))
	for _, n := range picks {
		r := Run{Plan: sw.Base}
		// The last axis varies fastest.
		idx := make([]int, len(axes))
		for i := len(axes) - 1; i >= 0; i-- {
			idx[i] = n % len(axes[i].Values)
			n /= len(axes[i].Values)
		}
		val := map[string]string{}
		for i, a := range axes {
			val[a.Key] = a.Values[idx[i]]
			r.Settings = append(r.Settings, Setting{a.Key, a.Values[idx[i]]})
		}
		for _, a := range order {
			if err := apply(&r.Plan, a.Key, val[a.Key]); err != nil {
				return nil, err
			}
		}
		if err := checkPlan(r.Plan); err != nil {
			return nil, fmt.Errorf("run %s: %w", settingsText(r.Settings), err)
		}
		runs = append(runs, r)
	}
	return runs, nil
}

func settingsText(ss []Setting) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = s.Key + "=" + s.Value
	}
	return strings.Join(parts, " ")
}

// String reads "lr=0.01 layers=64:relu".
func (r Run) String() string { return settingsText(r.Settings) }

// checkPlan runs Prepare's checks that need no data.
func checkPlan(p Plan) error {
	if _, err := engine.ParseLayers(p.Layers); err != nil {
		return fmt.Errorf("layers: %w", err)
	}
	return p.Hyper.withDefaults().Validate()
}

// apply sets one swept setting on a plan, naming the key and value when the
// value does not parse.
func apply(p *Plan, key, v string) error {
	num := func() (float64, error) {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, fmt.Errorf("--set %s: %q is not a number", key, v)
		}
		return f, nil
	}
	whole := func() (int, error) {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, fmt.Errorf("--set %s: %q is not a whole number", key, v)
		}
		return n, nil
	}
	var err error
	h := &p.Hyper
	switch key {
	case "layers":
		p.Layers = v
	case "dropout":
		var r float64
		if r, err = num(); err == nil {
			p.Layers, err = withDropout(p.Layers, r)
		}
	case "lr":
		h.LearningRate, err = num()
		if err == nil && !(h.LearningRate > 0) {
			err = fmt.Errorf("--set lr: %q must be positive", v)
		}
	case "optimizer":
		h.Optimizer = strings.ToLower(v)
	case "schedule":
		h.Schedule = strings.ToLower(v)
	case "dtype":
		var d engine.DType
		if d, err = engine.ParseDType(strings.ToLower(v)); err == nil {
			h.DType = d.String()
		} else {
			err = fmt.Errorf("--set dtype: %w", err)
		}
	case "batch":
		h.BatchSize, err = whole()
		if err == nil && h.BatchSize < 1 {
			err = fmt.Errorf("--set batch: %q must be 1 or more", v)
		}
	case "epochs":
		h.Epochs, err = whole()
		if err == nil && h.Epochs < 1 {
			err = fmt.Errorf("--set epochs: %q must be 1 or more", v)
		}
	case "l1":
		h.L1, err = num()
	case "l2":
		h.L2, err = num()
	case "clip":
		h.ClipNorm, err = num()
	case "patience":
		h.Patience, err = whole()
	case "seed":
		var n int64
		n, err = strconv.ParseInt(v, 10, 64)
		if err != nil {
			err = fmt.Errorf("--set seed: %q is not a whole number", v)
		}
		h.Seed = n
	default:
		err = fmt.Errorf("--set: unknown setting %q; a sweep can vary %s", key, strings.Join(SweepKeys, ", "))
	}
	return err
}

// withDropout sets every dropout layer of spec to rate; a spec without
// dropout gets one after each dense layer; rate 0 removes them.
func withDropout(spec string, rate float64) (string, error) {
	if !(rate >= 0 && rate < 1) {
		return "", fmt.Errorf("--set dropout: %v is out of range; want 0 <= rate < 1", rate)
	}
	layers, err := engine.ParseLayers(spec)
	if err != nil {
		return "", fmt.Errorf("layers: %w", err)
	}
	has := slices.ContainsFunc(layers, func(l engine.LayerSpec) bool { return l.Kind == "dropout" })
	var out []engine.LayerSpec
	for _, l := range layers {
		if l.Kind == "dropout" {
			if rate > 0 {
				out = append(out, engine.LayerSpec{Kind: "dropout", Rate: rate})
			}
			continue
		}
		out = append(out, l)
		if !has && rate > 0 {
			out = append(out, engine.LayerSpec{Kind: "dropout", Rate: rate})
		}
	}
	return engine.FormatLayers(out), nil
}

// Better reports whether a beats b on metric (a field with a direction);
// a missing value never beats anything.
func Better(metric Field, a, b Value) bool {
	if a.Missing {
		return false
	}
	if b.Missing {
		return true
	}
	if metric.Better < 0 {
		return a.Num < b.Num
	}
	return a.Num > b.Num
}

// BestRecord is the record that does best on metric (see MetricField),
// among the finished or stopped runs that have it. On a tie the newer run
// wins: the one List (newest first) shows first, so the first row of
// `sessions --sort -METRIC` (a stable sort of that list) is the best too.
// This is the one rule for a sweep's best run; the CLI, the TUI's
// leaderboard and `S` on a sweep all use it.
func BestRecord(rs []Record, metric string) (Record, bool) {
	f, err := MetricField(metric)
	if err != nil {
		return Record{}, false
	}
	best, found := Record{}, false
	for _, r := range rs {
		if !ranked(r) {
			continue
		}
		v := r.Get(f.Name)
		if v.Missing {
			continue
		}
		bv := best.Get(f.Name)
		if !found || Better(f, v, bv) || (!Better(f, bv, v) && newerFirst(r, best) < 0) {
			best, found = r, true
		}
	}
	return best, found
}

// newerFirst orders records as List orders entries: newest first, then by
// id, descending.
func newerFirst(a, b Record) int {
	ea, eb := Entry{ID: a.ID, Session: a.Session}, Entry{ID: b.ID, Session: b.Session}
	if c := eb.created().Compare(ea.created()); c != 0 {
		return c
	}
	return strings.Compare(b.ID, a.ID)
}

// ranked reports whether a run competes for best: it finished or was
// stopped (a failed run's figures are those of a diverged model).
func ranked(r Record) bool {
	return r.Session != nil && (r.Session.Status == Finished || r.Session.Status == Stopped)
}

// Leaderboard sorts rs best first by metric, for a sweep's live table and
// the Sessions pane opened on a finished sweep: the runs BestRecord ranks
// first (so the top one is the best), then the others (failed, running,
// damaged), each group by the metric with missing values last.
func Leaderboard(rs []Record, metric string) error {
	f, err := MetricField(metric)
	if err != nil {
		return err
	}
	slices.SortStableFunc(rs, newerFirst) // ties as BestRecord breaks them
	SortBy(rs, f.Name, f.Better > 0)
	slices.SortStableFunc(rs, func(a, b Record) int {
		ra, rb := ranked(a), ranked(b)
		switch {
		case ra == rb:
			return 0
		case ra:
			return -1
		}
		return 1
	})
	return nil
}
