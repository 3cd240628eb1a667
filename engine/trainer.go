package engine

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/blas/blas64"
)

// trainer owns everything one training run mutates besides the weights:
// buffers sized once for the batch size, gradients, optimizer state and the
// random stream for dropout. step allocates nothing.
type trainer struct {
	m     *model
	opts  FitOptions
	ws    *workspace
	grads []float64
	opt   optimizer
	rng   *rand.Rand
}

func newTrainer(m *model, opts FitOptions, batch int, rng *rand.Rand) *trainer {
	t := &trainer{
		m:     m,
		opts:  opts,
		ws:    newWorkspace(m, batch, true),
		grads: make([]float64, len(m.params)),
		opt:   newOptimizer(opts, len(m.params), m.nWeights),
		rng:   rng,
	}
	if m.cfg.Task == Regression {
		t.ws.reg = newRegStats(m.cfg.Outputs)
	}
	return t
}

// step trains on the first r rows of the workspace's x and y and returns
// the batch's summed loss and correct count (classification). The weights
// are left untouched when the loss is not finite, so the caller can stop
// with the last good ones.
func (t *trainer) step(r int, lr float64) (sum float64, correct int) {
	m, ws := t.m, t.ws
	x, y := view(ws.x, r), view(ws.y, r)
	out := m.forward(m.params, ws, x, true, t.rng)
	d := view(ws.d[len(m.layers)-1], r)
	if m.cfg.Task == Classification {
		sum, correct = softmaxCrossEntropy(out, y, d)
	} else {
		sum = regressionLoss(m.cfg.Loss == "huber", out, y, d)
		ws.reg.add(out, y)
	}
	if !finite(sum) {
		return sum, correct
	}
	m.backward(m.params, t.grads, ws, x)
	if t.opts.ClipNorm > 0 {
		clipNorm(t.grads, t.opts.ClipNorm)
	}
	if t.opts.L1 > 0 || t.opts.L2 > 0 {
		addPenalties(m.params[:m.nWeights], t.grads, t.opts.L1, t.opts.L2)
	}
	t.opt.step(m.params, t.grads, lr)
	return sum, correct
}

// gather copies the rows idx of x and y into the workspace's batch buffers.
func (t *trainer) gather(x, y blas64.General, idx []int) {
	bx, by := t.ws.x, t.ws.y
	for k, i := range idx {
		copy(bx.Data[k*bx.Stride:k*bx.Stride+bx.Cols], x.Data[i*x.Stride:i*x.Stride+x.Cols])
		copy(by.Data[k*by.Stride:k*by.Stride+by.Cols], y.Data[i*y.Stride:i*y.Stride+y.Cols])
	}
}
