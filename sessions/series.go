package sessions

import (
	"fmt"
	"math"
	"strings"

	"workbench/engine"
)

// Series is one metric of a session's history, epoch by epoch, as charts
// draw it (on screen and in files). Epochs without the metric (a
// validation metric of a run without a validation split) are NaN in Y.
type Series struct {
	Name   string    // the metric's name as MetricNames lists it
	Epochs []float64 // X: the epoch numbers
	Y      []float64
}

// MetricNames lists the metrics a session's history can chart, in the words
// of its JSON and metric lines: loss, accuracy or r2, their val_ forms, and
// lr (the learning rate each epoch ran at).
func (s *Session) MetricNames() []string {
	m := s.MetricName()
	return []string{"loss", m, "val_loss", "val_" + m, "lr"}
}

// SeriesOf is the named metric of s's history. "accuracy" and "r2" are
// accepted for either task's metric (a classification's r2 is its
// accuracy's name mistyped, not a different figure), so one --metric can
// overlay runs of both kinds; other names are errors that list the known
// ones.
func (s *Session) SeriesOf(metric string) (Series, error) {
	name := strings.ToLower(strings.TrimSpace(metric))
	get, ok := map[string]func(e engine.EpochStats) float64{
		"loss":         func(e engine.EpochStats) float64 { return e.Loss },
		"val_loss":     func(e engine.EpochStats) float64 { return e.ValLoss },
		"accuracy":     func(e engine.EpochStats) float64 { return e.Accuracy },
		"r2":           func(e engine.EpochStats) float64 { return e.Accuracy },
		"val_accuracy": func(e engine.EpochStats) float64 { return e.ValAccuracy },
		"val_r2":       func(e engine.EpochStats) float64 { return e.ValAccuracy },
		"lr":           func(e engine.EpochStats) float64 { return e.LearningRate },
	}[name]
	if !ok {
		return Series{}, fmt.Errorf("unknown metric %q; choose one of %s", metric, strings.Join(s.MetricNames(), ", "))
	}
	switch name {
	case "accuracy", "r2":
		name = s.MetricName()
	case "val_accuracy", "val_r2":
		name = "val_" + s.MetricName()
	}
	out := Series{Name: name, Epochs: make([]float64, len(s.History)), Y: make([]float64, len(s.History))}
	for i, e := range s.History {
		out.Epochs[i], out.Y[i] = float64(e.Epoch), get(e)
	}
	return out, nil
}

// Smooth is TensorBoard's smoothing of a curve: an exponential moving
// average with weight in [0, 1) (0 leaves the curve as it is), debiased so
// the first points are not pulled towards 0. NaN points stay NaN and do not
// enter the average. A weight outside [0, 1) is clamped into it.
func Smooth(ys []float64, weight float64) []float64 {
	weight = math.Min(math.Max(weight, 0), 0.999)
	out := make([]float64, len(ys))
	// pow is weight^n for the n points averaged so far, kept as a running
	// product: math.Pow per point was two thirds of redrawing a smoothed
	// 100,000-epoch chart.
	last, pow := 0.0, 1.0
	for i, y := range ys {
		if math.IsNaN(y) || math.IsInf(y, 0) {
			out[i] = y
			continue
		}
		last = last*weight + (1-weight)*y
		pow *= weight
		debias := 1.0
		if weight > 0 {
			debias = 1 - pow
		}
		out[i] = last / debias
	}
	return out
}
