package engine

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// optimizer updates the flat parameter slice from the flat gradient. Each
// implementation is one fused pass over its state, so a step costs a few
// memory sweeps, not one per layer and tensor; the pass works on a range so
// that the trainer can split it across cores. An update depends on nothing
// outside its element, so any split gives the same bits.
type optimizer interface {
	prepare(lr float64)                // once per step, before update
	update(p, g []float64, lo, hi int) // params[lo:hi]
}

func newOptimizer(o FitOptions, n, nWeights int) optimizer {
	switch o.Optimizer {
	case "sgd":
		return &sgd{}
	case "momentum", "nesterov":
		return &momentum{mu: o.Momentum, nesterov: o.Optimizer == "nesterov", v: make([]float64, n)}
	case "rmsprop":
		return &rmsprop{rho: 0.9, s: make([]float64, n)}
	default: // adam, adamw
		a := &adam{b1: 0.9, b2: 0.999, m: make([]float64, n), v: make([]float64, n), nWeights: nWeights}
		if o.Optimizer == "adamw" {
			a.decay = o.WeightDecay
		}
		return a
	}
}

const optEps = 1e-8

type sgd struct{ lr float64 }

func (o *sgd) prepare(lr float64) { o.lr = lr }

func (o *sgd) update(p, g []float64, lo, hi int) {
	p, g, lr := p[lo:hi], g[lo:hi], o.lr
	for i, v := range g {
		p[i] -= lr * v
	}
}

// momentum is heavy-ball (PyTorch form v = μv + g) or Nesterov's variant.
type momentum struct {
	mu, lr   float64
	nesterov bool
	v        []float64
}

func (o *momentum) prepare(lr float64) { o.lr = lr }

func (o *momentum) update(p, g []float64, lo, hi int) {
	p, g, v := p[lo:hi], g[lo:hi], o.v[lo:hi]
	mu, lr := o.mu, o.lr
	v = v[:len(g)]
	p = p[:len(g)]
	if o.nesterov {
		for i, gi := range g {
			vi := mu*v[i] + gi
			v[i] = vi
			p[i] -= lr * (gi + mu*vi)
		}
		return
	}
	for i, gi := range g {
		vi := mu*v[i] + gi
		v[i] = vi
		p[i] -= lr * vi
	}
}

type rmsprop struct {
	rho, lr float64
	s       []float64
}

func (o *rmsprop) prepare(lr float64) { o.lr = lr }

func (o *rmsprop) update(p, g []float64, lo, hi int) {
	p, g, s := p[lo:hi], g[lo:hi], o.s[lo:hi]
	rho, lr := o.rho, o.lr
	s = s[:len(g)]
	p = p[:len(g)]
	for i, gi := range g {
		si := rho*s[i] + (1-rho)*gi*gi
		s[i] = si
		p[i] -= lr * gi / (math.Sqrt(si) + optEps)
	}
}

// adam is Adam, or AdamW when decay > 0: decay then shrinks the weights
// (never the biases) directly, apart from the gradient's moments.
type adam struct {
	b1, b2, decay float64
	m, v          []float64
	t             int
	nWeights      int
	lr, c1, c2    float64
}

func (o *adam) prepare(lr float64) {
	o.t++
	o.lr = lr
	o.c1 = 1 / (1 - math.Pow(o.b1, float64(o.t)))
	o.c2 = 1 / (1 - math.Pow(o.b2, float64(o.t)))
}

func (o *adam) update(p, g []float64, lo, hi int) {
	if w := min(hi, o.nWeights); lo < w {
		o.run(p[lo:w], g[lo:w], o.m[lo:w], o.v[lo:w], o.lr*o.decay)
		lo = w
	}
	if lo < hi {
		o.run(p[lo:hi], g[lo:hi], o.m[lo:hi], o.v[lo:hi], 0)
	}
}

func (o *adam) run(p, g, m, v []float64, shrink float64) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	b1, b2, lr, c1, c2 := o.b1, o.b2, o.lr, o.c1, o.c2
	// Folding the bias corrections: lr·m̂/(√v̂+ε) = (lr·c1)·m/(√(v·c2)+ε).
	lc := lr * c1
	for i, gi := range g {
		mi := b1*m[i] + (1-b1)*gi
		vi := b2*v[i] + (1-b2)*gi*gi
		m[i], v[i] = mi, vi
		p[i] -= lc*mi/(math.Sqrt(vi*c2)+optEps) + shrink*p[i]
	}
}

// addPenalties adds the gradients of L1·Σ|w| and L2·Σw² over the weights.
func addPenalties(w, g []float64, l1, l2 float64) {
	g = g[:len(w)]
	for i, wi := range w {
		d := 2 * l2 * wi
		if wi > 0 {
			d += l1
		} else if wi < 0 {
			d -= l1
		}
		g[i] += d
	}
}

// penalty is the L1/L2 term those gradients belong to.
func penalty(w []float64, l1, l2 float64) float64 {
	s := 0.0
	for _, wi := range w {
		s += l1*math.Abs(wi) + l2*wi*wi
	}
	return s
}

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
