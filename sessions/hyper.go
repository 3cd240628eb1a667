package sessions

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"workbench/engine"
)

// DefaultLayers is the hidden-layer spec `workbench train` and the TUI start
// from when the user gives none.
//
// With DefaultHyper, measured over split seeds 1-8 (iris) and 1-5 (digits):
// iris test accuracy 0.90-1.00 (mean 0.946, 1.00 at the default seed 1) and
// digits 0.969-0.983 (mean 0.974). Two 32-unit relu layers overfit iris's 90
// training rows within a few epochs (0.83 at seed 1); 32:tanh does as well
// on iris but less on digits; the small L2 penalty is what keeps one wide
// relu layer calibrated enough for early stopping on the validation loss.
const DefaultLayers = "64:relu"

// DefaultHyper is what `workbench train --data iris` and the TUI start from.
func DefaultHyper() Hyper {
	return Hyper{
		Epochs:       100,
		BatchSize:    32,
		Optimizer:    "adam",
		LearningRate: 0.01,
		Schedule:     "constant",
		L2:           0.001,
		Patience:     20,
		Seed:         1,
		DType:        "float32",
	}
}

// EngineDType is the compute type h names; "" (a session saved before
// float32 existed) is float64.
func (h Hyper) EngineDType() engine.DType {
	d, err := engine.ParseDType(h.DType)
	if err != nil {
		return engine.Float64
	}
	return d
}

// FitOptions converts h to engine options.
func (h Hyper) FitOptions() engine.FitOptions {
	return engine.FitOptions{
		Epochs:       h.Epochs,
		BatchSize:    h.BatchSize,
		Optimizer:    h.Optimizer,
		LearningRate: h.LearningRate,
		Schedule:     h.Schedule,
		L1:           h.L1,
		L2:           h.L2,
		ClipNorm:     h.ClipNorm,
		Patience:     h.Patience,
		Seed:         h.Seed,
		KeepLast:     h.KeepLast,
	}
}

// withDefaults fills the fields whose zero value means "not chosen". L1, L2,
// ClipNorm, Patience and Seed keep their zero: zero is a real choice there.
func (h Hyper) withDefaults() Hyper {
	d := DefaultHyper()
	if h.Epochs == 0 {
		h.Epochs = d.Epochs
	}
	if h.BatchSize == 0 {
		h.BatchSize = d.BatchSize
	}
	if h.Optimizer == "" {
		h.Optimizer = d.Optimizer
	}
	if h.LearningRate == 0 {
		h.LearningRate = d.LearningRate
	}
	if h.Schedule == "" {
		h.Schedule = d.Schedule
	}
	if h.DType == "" {
		h.DType = d.DType
	}
	return h
}

// Validate reports the first hyper-parameter a user got wrong, naming it and
// what is allowed.
func (h Hyper) Validate() error {
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case h.Epochs < 1:
		return fmt.Errorf("epochs must be at least 1, got %d", h.Epochs)
	case h.BatchSize < 1:
		return fmt.Errorf("batch size must be at least 1, got %d", h.BatchSize)
	case !slices.Contains(engine.Optimizers, h.Optimizer):
		return fmt.Errorf("unknown optimizer %q; choose one of %s", h.Optimizer, strings.Join(engine.Optimizers, ", "))
	case !slices.Contains(engine.Schedules, h.Schedule):
		return fmt.Errorf("unknown schedule %q; choose one of %s", h.Schedule, strings.Join(engine.Schedules, ", "))
	case !finite(h.LearningRate) || h.LearningRate <= 0:
		return fmt.Errorf("learning rate must be a positive number, got %v", h.LearningRate)
	case !finite(h.L1) || h.L1 < 0:
		return fmt.Errorf("l1 must be zero or positive, got %v", h.L1)
	case !finite(h.L2) || h.L2 < 0:
		return fmt.Errorf("l2 must be zero or positive, got %v", h.L2)
	case !finite(h.ClipNorm) || h.ClipNorm < 0:
		return fmt.Errorf("clip norm must be zero (off) or positive, got %v", h.ClipNorm)
	case h.Patience < 0:
		return fmt.Errorf("patience must be zero (off) or positive, got %d", h.Patience)
	case h.DType != "":
		if _, err := engine.ParseDType(h.DType); err != nil {
			return err
		}
	}
	return nil
}
