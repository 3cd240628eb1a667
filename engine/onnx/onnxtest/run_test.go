package onnxtest

// An interpreter of the operators the encoder writes, so `go test` checks
// what the bytes compute without ONNX Runtime. .ci/onnx.sh checks the same
// files in the real runtime.

import (
	"fmt"
	"math"
)

// run evaluates the decoded graph on x (rows of features) in float32, the
// precision ONNX Runtime uses, and returns the graph's single output.
func (m *decodedModel) run(x [][]float64) ([][]float64, error) {
	type ten struct {
		rows, cols int // rows 0 = a vector or scalar broadcast over rows
		d          []float32
	}
	env := map[string]ten{}
	for name, t := range m.inits {
		switch len(t.dims) {
		case 0:
			env[name] = ten{0, 1, t.data}
		case 1:
			env[name] = ten{0, t.dims[0], t.data}
		case 2:
			env[name] = ten{t.dims[0], t.dims[1], t.data}
		default:
			return nil, fmt.Errorf("initializer %s has %d dims", name, len(t.dims))
		}
	}
	in := ten{rows: len(x), cols: len(x[0])}
	for _, r := range x {
		for _, v := range r {
			in.d = append(in.d, float32(v))
		}
	}
	env[m.inputs[0].name] = in
	get := func(name string) (ten, error) {
		t, ok := env[name]
		if !ok {
			return t, fmt.Errorf("tensor %q used before it is produced", name)
		}
		return t, nil
	}
	at := func(t ten, r, c int) float32 {
		if t.rows == 0 {
			if len(t.d) == 1 {
				return t.d[0]
			}
			return t.d[c]
		}
		return t.d[r*t.cols+c]
	}
	for _, n := range m.nodes {
		args := make([]ten, len(n.in))
		for i, name := range n.in {
			t, err := get(name)
			if err != nil {
				return nil, err
			}
			args[i] = t
		}
		a := args[0]
		out := ten{rows: a.rows, cols: a.cols}
		unary := func(f func(float64) float64) {
			out.d = make([]float32, len(a.d))
			for i, v := range a.d {
				out.d[i] = float32(f(float64(v)))
			}
		}
		binary := func(f func(a, b float32) float32) {
			l, r := args[0], args[1]
			shape := l
			if shape.rows == 0 {
				shape = r
			}
			for _, t := range args {
				if t.rows == 0 && len(t.d) != 1 && len(t.d) != shape.cols {
					panic(fmt.Sprintf("%s: cannot broadcast %d values over %d columns", n.name, len(t.d), shape.cols))
				}
			}
			out = ten{rows: shape.rows, cols: shape.cols, d: make([]float32, shape.rows*shape.cols)}
			for i := 0; i < shape.rows; i++ {
				for c := 0; c < shape.cols; c++ {
					out.d[i*shape.cols+c] = f(at(l, i, c), at(r, i, c))
				}
			}
		}
		switch n.op {
		case "Sub":
			binary(func(a, b float32) float32 { return a - b })
		case "Div":
			binary(func(a, b float32) float32 { return a / b })
		case "Add":
			binary(func(a, b float32) float32 { return a + b })
		case "Mul":
			binary(func(a, b float32) float32 { return a * b })
		case "Gemm":
			w, b := args[1], args[2]
			if w.rows != a.cols {
				return nil, fmt.Errorf("%s: input has %d columns, weight %d rows", n.name, a.cols, w.rows)
			}
			if len(b.d) != w.cols {
				return nil, fmt.Errorf("%s: %d biases for %d units", n.name, len(b.d), w.cols)
			}
			out = ten{rows: a.rows, cols: w.cols, d: make([]float32, a.rows*w.cols)}
			for r := 0; r < a.rows; r++ {
				for c := 0; c < w.cols; c++ {
					var s float64
					for k := 0; k < a.cols; k++ {
						s += float64(a.d[r*a.cols+k]) * float64(w.d[k*w.cols+c])
					}
					out.d[r*w.cols+c] = float32(s + float64(b.d[c]))
				}
			}
		case "Relu":
			unary(func(v float64) float64 { return math.Max(v, 0) })
		case "LeakyRelu":
			alpha := float64(n.attrs["alpha"].f)
			unary(func(v float64) float64 {
				if v < 0 {
					return alpha * v
				}
				return v
			})
		case "Elu":
			alpha := float64(n.attrs["alpha"].f)
			unary(func(v float64) float64 {
				if v < 0 {
					return alpha * math.Expm1(v)
				}
				return v
			})
		case "Erf":
			unary(math.Erf)
		case "Tanh":
			unary(math.Tanh)
		case "Sigmoid":
			unary(func(v float64) float64 { return 1 / (1 + math.Exp(-v)) })
		case "Softmax":
			if ax := n.attrs["axis"]; ax.i != -1 && ax.i != 1 {
				return nil, fmt.Errorf("softmax over axis %d", ax.i)
			}
			out.d = make([]float32, len(a.d))
			for r := 0; r < a.rows; r++ {
				row := a.d[r*a.cols : (r+1)*a.cols]
				mx := math.Inf(-1)
				for _, v := range row {
					mx = math.Max(mx, float64(v))
				}
				var s float64
				for _, v := range row {
					s += math.Exp(float64(v) - mx)
				}
				for c, v := range row {
					out.d[r*a.cols+c] = float32(math.Exp(float64(v)-mx) / s)
				}
			}
		default:
			return nil, fmt.Errorf("operator %s is not in the encoder's set", n.op)
		}
		if _, dup := env[n.out[0]]; dup {
			return nil, fmt.Errorf("tensor %q produced twice", n.out[0])
		}
		env[n.out[0]] = out
	}
	res, err := get(m.outputs[0].name)
	if err != nil {
		return nil, err
	}
	y := make([][]float64, res.rows)
	for r := range y {
		y[r] = make([]float64, res.cols)
		for c := range y[r] {
			y[r][c] = float64(res.d[r*res.cols+c])
		}
	}
	return y, nil
}
