package serve

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/mat"

	"workbench/engine"
)

// smallForward runs the forward pass of a request of a few rows with
// gonum's own matrix-vector product. The engine sends every product, even a
// single row, through its packed matrix multiply, whose fixed cost of
// packing 64×64 weights and running 8-row kernels for one row was 30% of
// the server's CPU at 1-row requests; this path is several times cheaper
// there. It is checked against the engine's Predict when built (a model
// whose activations it does not know, or whose answers differ by more than
// rounding, keeps the engine's path), and larger requests always use the
// engine.
type smallForward struct {
	layers   []engine.DenseParams // W is in×out, row-major
	softmax  bool
	maxWidth int
}

// smallRows is the largest request smallForward takes.
const smallRows = 8

func newSmallForward(m *engine.Model) *smallForward {
	f := &smallForward{layers: m.DenseLayers()}
	if len(f.layers) == 0 {
		return nil
	}
	for i, l := range f.layers {
		_, c := l.W.Dims()
		if l.W.RawMatrix().Stride != c || len(l.B) != c {
			return nil
		}
		f.maxWidth = max(f.maxWidth, c)
		switch {
		case i == len(f.layers)-1 && l.Activation == "softmax":
			f.softmax = true
		case activate(l.Activation, nil):
		default:
			return nil // an activation this file does not know
		}
	}
	return f
}

// forward computes out (n×K) from scaled inputs in (n×d); tmp holds two
// n×maxWidth buffers.
func (f *smallForward) forward(in, out *mat.Dense, tmp []float64) {
	n, _ := in.Dims()
	raw := in.RawMatrix()
	w := f.maxWidth
	bufs := [2][]float64{tmp[:n*w], tmp[n*w : 2*n*w]}
	x, xStride := raw.Data, raw.Stride
	impl := gonum.Implementation{}
	for li, l := range f.layers {
		wr := l.W.RawMatrix()
		k, c := wr.Rows, wr.Cols
		y, yStride := bufs[li%2], w
		if li == len(f.layers)-1 {
			o := out.RawMatrix()
			y, yStride = o.Data, o.Stride
		}
		for r := 0; r < n; r++ {
			yr := y[r*yStride : r*yStride+c]
			copy(yr, l.B)
			// y = Wᵀ·x + y: W is in×out row-major, so its transpose is
			// what a row vector times W needs.
			impl.Dgemv(blas.Trans, k, c, 1, wr.Data, wr.Stride, x[r*xStride:r*xStride+k], 1, 1, yr, 1)
			if l.Activation == "softmax" {
				softmax(yr)
			} else {
				activate(l.Activation, yr)
			}
		}
		x, xStride = y, yStride
	}
}

// activate applies a hidden or output activation in place, with the
// engine's formulas; v nil only asks whether name is known.
func activate(name string, v []float64) bool {
	switch name {
	case "linear":
	case "relu":
		for i, z := range v {
			v[i] = max(z, 0)
		}
	case "leaky_relu":
		for i, z := range v {
			if z < 0 {
				v[i] = z * 0.01
			}
		}
	case "elu":
		for i, z := range v {
			if z < 0 {
				v[i] = math.Expm1(z)
			}
		}
	case "gelu":
		for i, z := range v {
			v[i] = 0.5 * z * (1 + math.Erf(z/math.Sqrt2))
		}
	case "tanh":
		for i, z := range v {
			v[i] = math.Tanh(z)
		}
	case "sigmoid":
		for i, z := range v {
			if z >= 0 {
				v[i] = 1 / (1 + math.Exp(-z))
			} else {
				e := math.Exp(z)
				v[i] = e / (1 + e)
			}
		}
	default:
		return false
	}
	return true
}

func softmax(v []float64) {
	mx := v[0]
	for _, z := range v {
		mx = max(mx, z)
	}
	s := 0.0
	for i, z := range v {
		e := math.Exp(z - mx)
		v[i] = e
		s += e
	}
	inv := 1 / s
	for i := range v {
		v[i] *= inv
	}
}

// agrees checks f against the engine's Predict on probe rows spread around
// the training data (inputs are scaled, so ±3 covers it): the two may
// differ by rounding only.
func (f *smallForward) agrees(m *engine.Model) bool {
	d := m.Config().Inputs
	k := m.Config().Outputs
	probe := mat.NewDense(smallRows, d, nil)
	for r := 0; r < smallRows; r++ {
		for j := 0; j < d; j++ {
			probe.Set(r, j, float64((r*7+j*3)%13-6)*0.5)
		}
	}
	want := m.Predict(probe)
	got := mat.NewDense(smallRows, k, nil)
	f.forward(probe, got, make([]float64, 2*smallRows*f.maxWidth))
	for r := 0; r < smallRows; r++ {
		for j := 0; j < k; j++ {
			a, b := got.At(r, j), want.At(r, j)
			if !(math.Abs(a-b) <= 1e-9*max(1, math.Abs(b))) {
				return false
			}
		}
	}
	return true
}
