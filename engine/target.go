package engine

import (
	"fmt"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// Target scaling (Config.TargetMean/TargetStd). The network only ever sees
// standardised targets, (y−mean)/std: Fit converts Y once per call, and
// every way out of the model (Predict, Evaluate's metrics, DenseLayers,
// the safetensors file) converts back. Keeping it outside the layers means
// the gradients, the optimizer and the gradient checks are untouched.

// checkTargetScale validates Config.TargetMean/TargetStd against the task
// and the number of outputs.
func checkTargetScale(cfg Config) error {
	if cfg.TargetMean == nil && cfg.TargetStd == nil {
		return nil
	}
	if cfg.Task != Regression {
		return fmt.Errorf("config: TargetMean/TargetStd are for regression only; leave them nil for %s", cfg.Task)
	}
	for _, f := range []struct {
		name string
		v    []float64
		ok   func(float64) bool
		want string
	}{
		{"TargetMean", cfg.TargetMean, finite, "a finite number"},
		{"TargetStd", cfg.TargetStd, func(v float64) bool { return finite(v) && v > 0 }, "a finite number > 0"},
	} {
		if len(f.v) != cfg.Outputs {
			return fmt.Errorf("config: %s has %d values, want %d (one per output; or leave both TargetMean and TargetStd nil)", f.name, len(f.v), cfg.Outputs)
		}
		for j, v := range f.v {
			if !f.ok(v) {
				return fmt.Errorf("config: %s[%d] is %v; want %s", f.name, j, v, f.want)
			}
		}
	}
	return nil
}

// scaled reports whether the model standardises its targets.
func (m *model) scaled() bool { return m.cfg.TargetStd != nil }

// standardise returns d with Y replaced by a standardised copy; d itself
// (the caller's data) is not changed. Without target scaling it returns d.
func (m *model) standardise(d Data) Data {
	if !m.scaled() || d.Y == nil || d.Y.IsEmpty() {
		return d
	}
	mean, std := m.cfg.TargetMean, m.cfg.TargetStd
	r, c := d.Y.Dims()
	y := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		src, dst := d.Y.RawRowView(i), y.RawRowView(i)
		dst = dst[:len(src)]
		for j, v := range src {
			dst[j] = (v - mean[j]) / std[j]
		}
	}
	return Data{X: d.X, Y: y}
}

// unstandardise turns one row of network outputs into the target's units.
func (m *model) unstandardise(row []float64) {
	mean, std := m.cfg.TargetMean, m.cfg.TargetStd
	row = row[:len(std)]
	for j, s := range std {
		row[j] = row[j]*s + mean[j]
	}
}

// foldTargetScale makes an output layer's copy compute the target's units
// directly: y = (x·W + b)·diag(std) + mean = x·(W·diag(std)) + (b·std + mean).
func (m *model) foldTargetScale(p *DenseParams) {
	if !m.scaled() {
		return
	}
	mean, std := m.cfg.TargetMean, m.cfg.TargetStd
	r, _ := p.W.Dims()
	for i := 0; i < r; i++ {
		row := p.W.RawRowView(i)
		for j, s := range std {
			row[j] *= s
		}
	}
	for j, s := range std {
		p.B[j] = p.B[j]*s + mean[j]
	}
}

func cloneTargetScale(c *Config) {
	c.TargetMean, c.TargetStd = slices.Clone(c.TargetMean), slices.Clone(c.TargetStd)
}
