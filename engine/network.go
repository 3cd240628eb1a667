package engine

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/blas/blas64"
)

// workspace holds every buffer one forward (and backward) pass needs for up
// to rows examples. Smaller batches use leading-row views of the same
// buffers, so a training run allocates them once.
type workspace struct {
	rows int
	z, a []blas64.General // per layer; a shares z's storage where f is linear
	d    []blas64.General // per layer, ∂L/∂a (training only)
	mask [][]float64      // dropout masks (training only)
	dwt  []blas64.General // out×in scratch per hidden dense layer (training only)
}

func newWorkspace(m *model, rows int, train bool) *workspace {
	ws := &workspace{rows: rows}
	n := len(m.layers)
	ws.z, ws.a = make([]blas64.General, n), make([]blas64.General, n)
	if train {
		ws.d = make([]blas64.General, n)
		ws.dwt = make([]blas64.General, n)
		ws.mask = make([][]float64, n)
	}
	for i, l := range m.layers {
		switch l.kind {
		case kindDense:
			ws.z[i] = newGeneral(rows, l.out)
			ws.a[i] = ws.z[i]
			if l.act != actLinear && !l.output {
				ws.a[i] = newGeneral(rows, l.out)
			}
		case kindDropout:
			if train {
				ws.a[i] = newGeneral(rows, l.out)
				ws.mask[i] = make([]float64, rows*l.out)
			}
		}
		if train {
			ws.d[i] = newGeneral(rows, l.out)
			if l.kind == kindDense && !l.output {
				ws.dwt[i] = newGeneral(l.out, l.in)
			}
		}
	}
	return ws
}

func newGeneral(r, c int) blas64.General {
	return blas64.General{Rows: r, Cols: c, Stride: c, Data: make([]float64, r*c)}
}

// view is the first r rows of g.
func view(g blas64.General, r int) blas64.General {
	g.Rows = r
	if r == 0 {
		g.Data = g.Data[:0]
	} else {
		g.Data = g.Data[:(r-1)*g.Stride+g.Cols]
	}
	return g
}

// forward runs x through every layer and returns the output layer's
// pre-softmax values (a view into ws). Dropout acts only when train is set.
func (m *model) forward(params []float64, ws *workspace, x blas64.General, train bool, rng *rand.Rand) blas64.General {
	return m.forwardFrom(0, params, ws, x, train, rng)
}

// forwardFrom runs layers first.. on x, the output of layer first-1 (or the
// input when first is 0).
func (m *model) forwardFrom(first int, params []float64, ws *workspace, x blas64.General, train bool, rng *rand.Rand) blas64.General {
	in, r := x, x.Rows
	for i := first; i < len(m.layers); i++ {
		l := &m.layers[i]
		switch l.kind {
		case kindDense:
			z, a := view(ws.z[i], r), view(ws.a[i], r)
			denseForward(l, params, in, z, a)
			in = a
		case kindDropout:
			if train {
				a := view(ws.a[i], r)
				dropoutForward(l.rate, in, a, ws.mask[i], rng)
				in = a
			}
		}
	}
	return in
}

// backward propagates ws.d of the last layer (∂L/∂output, set by the loss)
// back to every parameter, overwriting grads. It needs the buffers of a
// forward pass made with train set. wt[i], when it has rows, is layer i's
// Wᵀ (see trainer.transposeWeights). With noDW0 the first layer's weight
// gradient is left to the caller (it still gets ∂L/∂z in ws.d[0]).
func (m *model) backward(params, grads []float64, ws *workspace, x blas64.General, wt []blas64.General, noDW0 bool) {
	r := x.Rows
	for i := len(m.layers) - 1; i >= 0; i-- {
		l := &m.layers[i]
		in := x
		var dx, lwt blas64.General
		if i > 0 {
			in = view(ws.a[i-1], r)
			dx = view(ws.d[i-1], r)
		}
		if wt != nil {
			lwt = wt[i]
		}
		d := view(ws.d[i], r)
		switch l.kind {
		case kindDense:
			denseBackward(l, params, grads, in, view(ws.z[i], r), view(ws.a[i], r), d, dx, lwt, ws.dwt[i], noDW0 && i == 0)
		case kindDropout:
			if i > 0 {
				dropoutBackward(d, dx, ws.mask[i])
			}
		}
	}
}
