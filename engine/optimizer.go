package engine

import (
	"math"
)

// optimizer updates the flat parameter slice from the flat gradient. Each
// implementation is one fused pass over its state, so a step costs a few
// memory sweeps, not one per layer and tensor; the pass works on a range so
// that the trainer can split it across cores. An update depends on nothing
// outside its element, so any split gives the same bits.
//
// The state (moments, velocities) is kept in the compute type T; the
// hyper-parameters stay float64 and are rounded to T once per step.
type optimizer[T float] interface {
	prepare(lr float64)          // once per step, before update
	update(p, g []T, lo, hi int) // params[lo:hi]
}

func newOptimizer[T float](o FitOptions, n, nWeights int) optimizer[T] {
	switch o.Optimizer {
	case "sgd":
		return &sgd[T]{}
	case "momentum", "nesterov":
		return &momentum[T]{mu: o.Momentum, nesterov: o.Optimizer == "nesterov", v: make([]T, n)}
	case "rmsprop":
		return &rmsprop[T]{rho: 0.9, s: make([]T, n)}
	default: // adam, adamw
		a := &adam[T]{b1: 0.9, b2: 0.999, m: make([]T, n), v: make([]T, n), nWeights: nWeights}
		if o.Optimizer == "adamw" {
			a.decay = o.WeightDecay
		}
		return a
	}
}

const optEps = 1e-8

type sgd[T float] struct{ lr float64 }

func (o *sgd[T]) prepare(lr float64) { o.lr = lr }

func (o *sgd[T]) update(p, g []T, lo, hi int) {
	p, g, lr := p[lo:hi], g[lo:hi], T(o.lr)
	for i, v := range g {
		p[i] = flushTiny(p[i] - lr*v)
	}
}

// momentum is heavy-ball (PyTorch form v = μv + g) or Nesterov's variant.
type momentum[T float] struct {
	mu, lr   float64
	nesterov bool
	v        []T
}

func (o *momentum[T]) prepare(lr float64) { o.lr = lr }

func (o *momentum[T]) update(p, g []T, lo, hi int) {
	p, g, v := p[lo:hi], g[lo:hi], o.v[lo:hi]
	mu, lr := T(o.mu), T(o.lr)
	v = v[:len(g)]
	p = p[:len(g)]
	if o.nesterov {
		for i, gi := range g {
			vi := flushTiny(mu*v[i] + gi)
			v[i] = vi
			p[i] = flushTiny(p[i] - lr*(gi+mu*vi))
		}
		return
	}
	for i, gi := range g {
		vi := flushTiny(mu*v[i] + gi)
		v[i] = vi
		p[i] = flushTiny(p[i] - lr*vi)
	}
}

type rmsprop[T float] struct {
	rho, lr float64
	s       []T
}

func (o *rmsprop[T]) prepare(lr float64) { o.lr = lr }

func (o *rmsprop[T]) update(p, g []T, lo, hi int) {
	p, g, s := p[lo:hi], g[lo:hi], o.s[lo:hi]
	rho, lr := T(o.rho), T(o.lr)
	s = s[:len(g)]
	p = p[:len(g)]
	for i, gi := range g {
		si := flushTiny(rho*s[i] + (1-rho)*gi*gi)
		s[i] = si
		p[i] = flushTiny(p[i] - lr*gi/(T(math.Sqrt(float64(si)))+optEps))
	}
}

// adam is Adam, or AdamW when decay > 0: decay then shrinks the weights
// (never the biases) directly, apart from the gradient's moments.
type adam[T float] struct {
	b1, b2, decay float64
	m, v          []T
	t             int
	nWeights      int
	lr, c1, c2    float64
}

func (o *adam[T]) prepare(lr float64) {
	o.t++
	o.lr = lr
	o.c1 = 1 / (1 - math.Pow(o.b1, float64(o.t)))
	o.c2 = 1 / (1 - math.Pow(o.b2, float64(o.t)))
}

func (o *adam[T]) update(p, g []T, lo, hi int) { o.updateSum(p, g, nil, lo, hi) }

// sumUpdater is an optimizer that can take the gradient as the sum of two
// shards' (g + g2, added as the trainer's reduce adds them) in its own
// pass, sparing the trainer a separate sweep that stores the sum. g is
// then left unspecified.
type sumUpdater[T float] interface {
	updateSum(p, g, g2 []T, lo, hi int)
}

// updateSum is update on g + g2, or on g alone when g2 is nil.
func (o *adam[T]) updateSum(p, g, g2 []T, lo, hi int) {
	if w := min(hi, o.nWeights); lo < w {
		o.run(p[lo:w], g[lo:w], part(g2, lo, w), o.m[lo:w], o.v[lo:w], o.lr*o.decay)
		lo = w
	}
	if lo < hi {
		o.run(p[lo:hi], g[lo:hi], part(g2, lo, hi), o.m[lo:hi], o.v[lo:hi], 0)
	}
}

func part[T float](s []T, lo, hi int) []T {
	if s == nil {
		return nil
	}
	return s[lo:hi]
}

// penaltyUpdater is an optimizer that can add the L1/L2 penalty's
// gradient to the weights' gradient in its own pass (update after
// addPenalties on [lo, min(hi, nWeights)), with the same bits).
type penaltyUpdater[T float] interface {
	updatePenalized(p, g []T, lo, hi int, l1, l2 float64)
}

func (o *adam[T]) updatePenalized(p, g []T, lo, hi int, l1, l2 float64) {
	if w := min(hi, o.nWeights); lo < w {
		k := o.consts(o.lr * o.decay)
		k.pen, k.pl2, k.pl1, k.negZero = 1, 2*l2, l1, math.Copysign(0, -1)
		if is32[T]() {
			adamUpdate32(f32s(p[lo:w]), f32s(g[lo:w]), nil, f32s(o.m[lo:w]), f32s(o.v[lo:w]), &k)
		} else {
			adamUpdate(f64s(p[lo:w]), f64s(g[lo:w]), f64s(o.m[lo:w]), f64s(o.v[lo:w]), &k)
		}
		lo = w
	}
	if lo < hi {
		o.run(p[lo:hi], g[lo:hi], nil, o.m[lo:hi], o.v[lo:hi], 0)
	}
}

// consts folds the bias corrections: lr·m̂/(√v̂+ε) = (lr·c1)·m/(√(v·c2)+ε).
func (o *adam[T]) consts(shrink float64) adamConst {
	return adamConst{b1: o.b1, ob1: 1 - o.b1, b2: o.b2, ob2: 1 - o.b2, lc: o.lr * o.c1, c2: o.c2, eps: optEps, shrink: shrink}
}

func (o *adam[T]) run(p, g, g2, m, v []T, shrink float64) {
	k := o.consts(shrink)
	if is32[T]() {
		var g232 []float32
		if g2 != nil {
			g232 = f32s(g2[:len(p)])
		}
		adamUpdate32(f32s(p), f32s(g[:len(p)]), g232, f32s(m[:len(p)]), f32s(v[:len(p)]), &k)
		return
	}
	p64, g64, m64, v64 := f64s(p), f64s(g[:len(p)]), f64s(m[:len(p)]), f64s(v[:len(p)])
	if g2 != nil {
		adamSumUpdate(p64, g64, f64s(g2[:len(p)]), m64, v64, &k)
		return
	}
	adamUpdate(p64, g64, m64, v64, &k)
}

// adamConst is what one Adam pass needs, laid out for the assembly loop.
// With pen set, the single-gradient loops first add the L1/L2 penalty's
// gradient to g, exactly as addPenaltiesGo does (pl2 = 2·L2, pl1 = L1),
// without storing it: one pass over the weights instead of two.
type adamConst struct {
	b1, ob1, b2, ob2, lc, c2, eps, shrink float64
	pl2, pl1, negZero                     float64
	pen                                   int64
}

// adamInvConsts are adamInv's constants in the order the assembly loops
// load them: tiny, the magic number's bits, 1, and flushTiny's bound and
// the mask that clears a float64's sign bit.
var adamInvConsts = [5]float64{adamTiny, math.Float64frombits(adamMagicQ), 1, tinyWeight, math.Float64frombits(1<<63 - 1)}

// tinyWeight is the magnitude below which flushTiny makes a value 0.
const tinyWeight = 0x1p-500

// flushTiny returns x, or +0 if |x| < 2⁻⁵⁰⁰ (~3e-151). Every optimizer
// stores its state through it, and the SGD family its weights too. With a
// penalty, Adam drives the weights of a dead unit (or of an input that is
// always 0) and their moments towards 0 ever faster, into the subnormal
// range, where every multiply that reads or makes a subnormal takes a
// microcode assist of ~100 cycles: Fashion-MNIST, 784-64-10 with the CLI's
// defaults, went from ~260k samples/s to 6.5k by epoch 16, with 22k
// subnormal weights. Flushing only subnormals left products of tiny
// weights and inputs in that range (~57k). Adam's first moment, flushed,
// stops such a weight near 1e-147 (its step is then 0), so Adam's loops
// leave the weights alone (1% of a 784-256-128-10 step). A value under
// 2⁻⁵⁰⁰ changes no output by anything that shows, and a second moment
// that small is far under ε² anyway.
//
// In float32 the subnormal range starts near 1e-38, so the bound there is
// tinyWeight32 (2⁻¹⁰⁰, ~8e-31): the same margin for products of a tiny
// weight and an input.
func flushTiny[T float](x T) T {
	if is32[T]() {
		if x < tinyWeight32 && x > -tinyWeight32 {
			return 0
		}
		return x
	}
	if math.Abs(float64(x)) < tinyWeight {
		return 0
	}
	return x
}

// tinyWeight32 is flushTiny's bound for float32.
const tinyWeight32 = 0x1p-100

// adamInv's constants. Below tiny, √y is far under an ulp of any ε the
// optimizer uses (√1e-200 = 1e-100), so clamping y there changes no bit of
// 1/(√y+ε) while keeping the reciprocal's bit trick away from zero (ε may
// be 0). The magic number is the usual first guess for 1/d (relative
// error under 13%).
const (
	adamTiny   = 1e-200
	adamMagicQ = 0x7FDE623822FC16E6
)

// adamInv returns 1/(√y + eps) with a correctly rounded square root and
// Newton's iterations for the reciprocal. A vector square root costs about
// as much as the four Newton steps it replaced (BenchmarkAdamSum: 1.53 →
// 1.05 ns a parameter with 8 lanes), but a division stays slower than the
// three cubic steps (1.70), which take the reciprocal from 1.3e-1 to
// 1e-16. The result is not correctly rounded, but the assembly loops do
// exactly these operations and IEEE square roots are the same everywhere,
// so every machine gets the same bits.
func adamInv(y, eps float64) float64 {
	if !(y > adamTiny) {
		y = adamTiny
	}
	d := math.Sqrt(y) + eps
	q := math.Float64frombits(adamMagicQ - math.Float64bits(d))
	for range 3 {
		e := math.FMA(-d, q, 1)
		q = math.FMA(q, math.FMA(e, e, e), q)
	}
	return q
}

// adamGo is the reference loop; adam_amd64.s does the same operations in
// the same order, several lanes at a time, so both give the same bits.
func adamGo(p, g, m, v []float64, k *adamConst) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	b1, ob1, b2, ob2, lc, c2, eps, shrink := k.b1, k.ob1, k.b2, k.ob2, k.lc, k.c2, k.eps, k.shrink
	for i, gi := range g {
		if k.pen != 0 {
			d := float64(k.pl2 * p[i])
			if p[i] > 0 {
				d += k.pl1
			} else if p[i] < 0 {
				d -= k.pl1
			}
			gi += d
		}
		mi := flushTiny(b1*m[i] + ob1*gi)
		vi := flushTiny(b2*v[i] + ob2*gi*gi)
		m[i], v[i] = mi, vi
		p[i] -= lc*mi*adamInv(vi*c2, eps) + shrink*p[i]
	}
}

// addPenaltiesGo adds the gradients of L1·Σ|w| and L2·Σw² over the
// weights w to g; addPenalties (elementwise_*.go) runs it several lanes at
// a time with the same roundings.
func addPenaltiesGo[T float](w, g []T, l1, l2 float64) {
	g = g[:len(w)]
	l2x2, l1t := T(2*l2), T(l1)
	for i, wi := range w {
		d := T(l2x2 * wi) // rounded, never fused with what follows
		if wi > 0 {
			d += l1t
		} else if wi < 0 {
			d -= l1t
		}
		g[i] += d
	}
}

// penaltyConst is addPenalties' constants as the assembly loop loads them.
type penaltyConst struct {
	l2x2, l1, negZero float64
}

// penalty is the L1/L2 term those gradients belong to.
func penalty[T float](w []T, l1, l2 float64) float64 {
	s := 0.0
	for _, wt := range w {
		wi := float64(wt)
		s += l1*math.Abs(wi) + l2*wi*wi
	}
	return s
}
