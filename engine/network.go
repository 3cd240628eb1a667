package engine

import "math/rand/v2"

// workspace holds every buffer one forward (and backward) pass needs for up
// to rows examples. Smaller batches use leading-row views of the same
// buffers, so a training run allocates them once.
type workspace[T float] struct {
	rows int
	z, a []general[T] // per layer; a shares z's storage where f is linear
	d    []general[T] // per layer, ∂L/∂a (training only)
	mask [][]T        // dropout masks (training only)
	dwt  []general[T] // out×in scratch per hidden dense layer (training only)
	in   general[T]   // float32 inference: the input rows converted (see predict.go)
}

func newWorkspace[T float](m *model, rows int, train bool) *workspace[T] {
	ws := &workspace[T]{rows: rows}
	n := len(m.layers)
	ws.z, ws.a = make([]general[T], n), make([]general[T], n)
	if train {
		ws.d = make([]general[T], n)
		ws.dwt = make([]general[T], n)
		ws.mask = make([][]T, n)
	}
	for i, l := range m.layers {
		switch l.kind {
		case kindDense:
			ws.z[i] = newGeneral[T](rows, l.out)
			ws.a[i] = ws.z[i]
			if l.act != actLinear && !l.output {
				ws.a[i] = newGeneral[T](rows, l.out)
			}
		case kindDropout:
			if train {
				ws.a[i] = newGeneral[T](rows, l.out)
				ws.mask[i] = make([]T, rows*l.out)
			}
		}
		if train {
			ws.d[i] = newGeneral[T](rows, l.out)
			if l.kind == kindDense && !l.output {
				ws.dwt[i] = newGeneral[T](l.out, l.in)
			}
		}
	}
	if is32[T]() && !train {
		ws.in = newGeneral[T](rows, m.cfg.Inputs)
	}
	return ws
}

func newGeneral[T float](r, c int) general[T] {
	return general[T]{Rows: r, Cols: c, Stride: c, Data: make([]T, r*c)}
}

// view is the first r rows of g.
func view[T float](g general[T], r int) general[T] {
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
func forward[T float](m *model, params []T, ws *workspace[T], x general[T], train bool, rng *rand.Rand) general[T] {
	return forwardFrom(m, 0, params, ws, x, train, rng)
}

// forward is forward for a float64 model (the gradient checks' form).
func (m *model) forward(params []float64, ws *workspace[float64], x general[float64], train bool, rng *rand.Rand) general[float64] {
	return forward(m, params, ws, x, train, rng)
}

// forwardFrom runs layers first.. on x, the output of layer first-1 (or the
// input when first is 0).
func forwardFrom[T float](m *model, first int, params []T, ws *workspace[T], x general[T], train bool, rng *rand.Rand) general[T] {
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
func backward[T float](m *model, params, grads []T, ws *workspace[T], x general[T], wt []general[T], noDW0 bool) {
	r := x.Rows
	for i := len(m.layers) - 1; i >= 0; i-- {
		l := &m.layers[i]
		in := x
		var dx, lwt general[T]
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

// backward is backward for a float64 model (the gradient checks' form).
func (m *model) backward(params, grads []float64, ws *workspace[float64], x general[float64], wt []general[float64], noDW0 bool) {
	backward(m, params, grads, ws, x, wt, noDW0)
}
