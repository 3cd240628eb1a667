package engine

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// withDefaults fills FitOptions' documented defaults and rejects bad values.
func (o FitOptions) withDefaults() (FitOptions, error) {
	bad := func(field string, v any, want string) (FitOptions, error) {
		return o, fmt.Errorf("fit options: %s %v invalid; %s", field, v, want)
	}
	if o.Epochs == 0 {
		o.Epochs = 100
	}
	if o.BatchSize == 0 {
		o.BatchSize = 32
	}
	if o.Optimizer == "" {
		o.Optimizer = "adam"
	}
	if !slices.Contains(Optimizers, o.Optimizer) {
		return bad("Optimizer", fmt.Sprintf("%q", o.Optimizer), "allowed: "+strings.Join(Optimizers, ", "))
	}
	if o.LearningRate == 0 {
		o.LearningRate = 0.001
		if o.Optimizer == "sgd" || o.Optimizer == "momentum" || o.Optimizer == "nesterov" {
			o.LearningRate = 0.01
		}
	}
	if o.Momentum == 0 {
		o.Momentum = 0.9
	}
	if o.WeightDecay == 0 {
		o.WeightDecay = 0.01
	}
	if o.Schedule == "" {
		o.Schedule = "constant"
	}
	if o.StepSize == 0 {
		o.StepSize = 10
	}
	if o.StepGamma == 0 {
		o.StepGamma = 0.5
	}
	if o.PlateauPatience == 0 {
		o.PlateauPatience = 5
	}
	if o.PlateauFactor == 0 {
		o.PlateauFactor = 0.5
	}
	if o.Progress == 0 {
		o.Progress = 50 * time.Millisecond
	}
	pos := func(v float64) bool { return v > 0 && !math.IsInf(v, 0) }
	nonneg := func(v float64) bool { return v >= 0 && !math.IsInf(v, 0) }
	switch {
	case o.Epochs < 0:
		return bad("Epochs", o.Epochs, "want >= 1")
	case o.BatchSize < 0:
		return bad("BatchSize", o.BatchSize, "want >= 1")
	case !pos(o.LearningRate):
		return bad("LearningRate", o.LearningRate, "want > 0")
	case !(o.Momentum >= 0 && o.Momentum < 1):
		return bad("Momentum", o.Momentum, "want 0 <= momentum < 1")
	case !nonneg(o.WeightDecay):
		return bad("WeightDecay", o.WeightDecay, "want >= 0")
	case !nonneg(o.L1):
		return bad("L1", o.L1, "want >= 0")
	case !nonneg(o.L2):
		return bad("L2", o.L2, "want >= 0")
	case !nonneg(o.ClipNorm):
		return bad("ClipNorm", o.ClipNorm, "want >= 0 (0 = off)")
	case !slices.Contains(Schedules, o.Schedule):
		return bad("Schedule", fmt.Sprintf("%q", o.Schedule), "allowed: "+strings.Join(Schedules, ", "))
	case o.StepSize < 0:
		return bad("StepSize", o.StepSize, "want >= 1")
	case !(o.StepGamma > 0 && o.StepGamma <= 1):
		return bad("StepGamma", o.StepGamma, "want 0 < gamma <= 1")
	case o.PlateauPatience < 0:
		return bad("PlateauPatience", o.PlateauPatience, "want >= 1")
	case !(o.PlateauFactor > 0 && o.PlateauFactor < 1):
		return bad("PlateauFactor", o.PlateauFactor, "want 0 < factor < 1")
	case o.Patience < 0:
		return bad("Patience", o.Patience, "want >= 0 (0 = off)")
	case o.StartEpoch < 0:
		return bad("StartEpoch", o.StartEpoch, "want >= 0")
	case o.Progress < 0:
		return bad("Progress", o.Progress, "want >= 0")
	}
	return o, nil
}

// learningRate is the scheduled rate for the 0-based absolute epoch e of
// total epochs.
func (o FitOptions) learningRate(e, total int) float64 {
	switch o.Schedule {
	case "step":
		return o.LearningRate * math.Pow(o.StepGamma, float64(e/o.StepSize))
	case "cosine":
		return o.LearningRate * 0.5 * (1 + math.Cos(math.Pi*float64(e)/float64(max(total, 1))))
	}
	return o.LearningRate
}
