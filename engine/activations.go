package engine

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
)

// Activations returns what hidden dense layer `layer` outputs for the rows
// of x, after its activation function: n×units, float64 for a model of
// either DType. Layers are counted as DenseLayers counts them (dense only,
// from 0; dropout is the identity at inference), and only hidden layers
// qualify, so layer runs from 0 to the number of dense layers in
// Config().Layers minus one. It is what the TUI's neuron maps draw. Like
// Predict it panics when x has the wrong number of columns, and it panics
// when layer is out of range: callers check both first.
func (m *Model) Activations(x *mat.Dense, layer int) *mat.Dense {
	li := m.impl.hiddenDense(layer)
	if li < 0 {
		panic(fmt.Sprintf("engine: Activations: layer %d is not a hidden dense layer of this model", layer))
	}
	if x.IsEmpty() {
		return &mat.Dense{}
	}
	r, c := x.Dims()
	m.checkInputs("Activations", c)
	dst := mat.NewDense(r, m.impl.layers[li].out, nil)
	g, xg := fromRaw(dst.RawMatrix()), fromRaw(x.RawMatrix())
	if m.impl.cfg.DType == Float32 {
		eachChunk(m.impl, r, func(ws *workspace[float32], _, start, n int) { activationRows(m.impl, li, ws, g, xg, start, n) })
	} else {
		eachChunk(m.impl, r, func(ws *workspace[float64], _, start, n int) { activationRows(m.impl, li, ws, g, xg, start, n) })
	}
	return dst
}

// hiddenDense is the index in m.layers of hidden dense layer k, or -1.
func (m *model) hiddenDense(k int) int {
	for i, l := range m.layers {
		if l.kind != kindDense || l.output {
			continue
		}
		if k == 0 {
			return i
		}
		k--
	}
	return -1
}

// activationRows runs rows [start, start+r) of x through layers 0..last
// and copies layer last's activations into dst.
func activationRows[T float](m *model, last int, ws *workspace[T], dst, x general[float64], start, r int) {
	params := paramsOf[T](m)
	in := inputRows(ws, x, start, r)
	for i := 0; i <= last; i++ {
		l := &m.layers[i]
		if l.kind != kindDense {
			continue
		}
		z, a := view(ws.z[i], r), view(ws.a[i], r)
		denseForward(l, params, in, z, a)
		in = a
	}
	writeRows(dst, start, in)
}
