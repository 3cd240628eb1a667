package onnxtest

// The encoder's tests that decode what it wrote: the structure of the graph
// and what it computes, against a float64 forward pass.

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"

	"workbench/engine"
	"workbench/engine/onnx"

	"workbench/engine/onnx/internal/onnxpb"
)

func randRows(rng *rand.Rand, n, f int, scale float64) [][]float64 {
	x := make([][]float64, n)
	for i := range x {
		x[i] = make([]float64, f)
		for j := range x[i] {
			x[i][j] = rng.NormFloat64()*scale + 3
		}
	}
	return x
}

// reference is the forward pass as the engine defines it, in float64.
func reference(e onnx.Export, x [][]float64) [][]float64 {
	out := make([][]float64, len(x))
	for i, row := range x {
		a := append([]float64(nil), row...)
		if e.Mean != nil {
			for j := range a {
				a[j] = (a[j] - e.Mean[j]) / e.Std[j]
			}
		}
		for _, l := range e.Layers {
			in, units := l.W.Dims()
			z := make([]float64, units)
			for c := 0; c < units; c++ {
				s := l.B[c]
				for k := 0; k < in; k++ {
					s += a[k] * l.W.At(k, c)
				}
				z[c] = s
			}
			a = activate(l.Activation, z)
		}
		out[i] = a
	}
	return out
}

func activate(act string, z []float64) []float64 {
	y := make([]float64, len(z))
	if act == "softmax" {
		mx := math.Inf(-1)
		for _, v := range z {
			mx = math.Max(mx, v)
		}
		var s float64
		for i, v := range z {
			y[i] = math.Exp(v - mx)
			s += y[i]
		}
		for i := range y {
			y[i] /= s
		}
		return y
	}
	for i, v := range z {
		switch act {
		case "relu":
			y[i] = math.Max(v, 0)
		case "leaky_relu":
			y[i] = v
			if v < 0 {
				y[i] = 0.01 * v
			}
		case "elu":
			y[i] = v
			if v < 0 {
				y[i] = math.Expm1(v)
			}
		case "gelu":
			y[i] = 0.5 * v * (1 + math.Erf(v/math.Sqrt2))
		case "tanh":
			y[i] = math.Tanh(v)
		case "sigmoid":
			y[i] = 1 / (1 + math.Exp(-v))
		default:
			y[i] = v
		}
	}
	return y
}

// close reports the first element where got and want differ by more than
// tol·(1+|want|), the same abs+rel test .ci/onnx.sh uses.
func close(t *testing.T, got, want [][]float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	worst := 0.0
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("row %d: %d columns, want %d", i, len(got[i]), len(want[i]))
		}
		for j := range want[i] {
			d := math.Abs(got[i][j] - want[i][j])
			worst = math.Max(worst, d)
			if !(d <= tol+tol*math.Abs(want[i][j])) {
				t.Fatalf("row %d col %d: got %v want %v (diff %g > %g abs+rel)", i, j, got[i][j], want[i][j], d, tol)
			}
		}
	}
	t.Logf("largest difference %.3g", worst)
}

func TestEncodeStructure(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		name    string
		e       onnx.Export
		ops     []string
		output  string
		outCols int
	}{
		{
			name: "classifier, one relu layer, scaler",
			e: onnx.Export{
				Layers:   []engine.DenseParams{RandomLayer(rng, 4, 8, "relu"), RandomLayer(rng, 8, 3, "softmax")},
				Mean:     []float64{5.8, 3.0, 3.7, 1.2},
				Std:      []float64{0.8, 0.4, 1.7, 0.7},
				Features: []string{"sepal length", "sepal width", "petal length", "petal width"},
				Classes:  []string{"setosa", "versicolor", "virginica"},
				Metadata: map[string]string{"session_id": "abc123", "layers": "8:relu"},
			},
			ops:     []string{"Sub", "Div", "Gemm", "Relu", "Gemm", "Softmax"},
			output:  onnx.ProbabilitiesName,
			outCols: 3,
		},
		{
			name: "regression, many layers, no scaler",
			e: onnx.Export{
				Layers: []engine.DenseParams{
					RandomLayer(rng, 10, 6, "gelu"), RandomLayer(rng, 6, 5, "leaky_relu"), RandomLayer(rng, 5, 4, "elu"),
					RandomLayer(rng, 4, 4, "tanh"), RandomLayer(rng, 4, 3, "sigmoid"), RandomLayer(rng, 3, 3, "linear"), RandomLayer(rng, 3, 2, "linear"),
				},
				Targets: []string{"y1", "y2"},
			},
			ops: []string{
				"Gemm", "Div", "Erf", "Add", "Mul", "Mul",
				"Gemm", "LeakyRelu", "Gemm", "Elu", "Gemm", "Tanh", "Gemm", "Sigmoid", "Gemm", "Gemm",
			},
			output:  onnx.OutputName,
			outCols: 2,
		},
		{
			name:    "regression, no hidden layer",
			e:       onnx.Export{Layers: []engine.DenseParams{RandomLayer(rng, 3, 1, "linear")}, Mean: []float64{0, 1, 2}, Std: []float64{1, 1, 1}},
			ops:     []string{"Sub", "Div", "Gemm"},
			output:  onnx.OutputName,
			outCols: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := onnx.Encode(tc.e)
			if err != nil {
				t.Fatal(err)
			}
			m, err := decodeModel(b)
			if err != nil {
				t.Fatal(err)
			}
			if m.ir != 8 || m.opset != 17 || m.opsetDomain != "" || m.producer != "workbench" {
				t.Errorf("ir %d opset %q:%d producer %q; want 8, \"\":17, workbench", m.ir, m.opsetDomain, m.opset, m.producer)
			}
			if len(m.unknownField) > 0 {
				t.Errorf("fields the reader does not know: %v", m.unknownField)
			}
			var ops []string
			for _, n := range m.nodes {
				ops = append(ops, n.op)
			}
			if !reflect.DeepEqual(ops, tc.ops) {
				t.Errorf("nodes %v, want %v", ops, tc.ops)
			}
			f := tc.e.Inputs()
			wantIn := decodedValue{name: "input", elemType: 1, dims: []string{"batch", itoa(f)}}
			if len(m.inputs) != 1 || !reflect.DeepEqual(m.inputs[0], wantIn) {
				t.Errorf("inputs %+v, want [%+v]", m.inputs, wantIn)
			}
			wantOut := decodedValue{name: tc.output, elemType: 1, dims: []string{"batch", itoa(tc.outCols)}}
			if len(m.outputs) != 1 || !reflect.DeepEqual(m.outputs[0], wantOut) {
				t.Errorf("outputs %+v, want [%+v]", m.outputs, wantOut)
			}
			if last := m.nodes[len(m.nodes)-1]; last.out[0] != tc.output {
				t.Errorf("last node %s writes %q, want %q", last.op, last.out[0], tc.output)
			}
			// Every Gemm takes W as stored (in×out, transB 0) and the
			// values are the float32 roundings of the engine's.
			g := 0
			for _, n := range m.nodes {
				if n.op != "Gemm" {
					continue
				}
				l := tc.e.Layers[g]
				g++
				if len(n.attrs) != 0 {
					t.Errorf("%s: attributes %v, want the defaults (alpha 1, beta 1, no transpose)", n.name, n.attrs)
				}
				w, bias := m.inits[n.in[1]], m.inits[n.in[2]]
				in, out := l.W.Dims()
				if !reflect.DeepEqual(w.dims, []int{in, out}) || !reflect.DeepEqual(bias.dims, []int{out}) || w.dtype != 1 {
					t.Fatalf("%s: W dims %v B dims %v dtype %d, want [%d %d] [%d] 1", n.name, w.dims, bias.dims, w.dtype, in, out, out)
				}
				for r := 0; r < in; r++ {
					for c := 0; c < out; c++ {
						if w.data[r*out+c] != float32(l.W.At(r, c)) {
							t.Fatalf("%s: W[%d][%d] = %v, want %v", n.name, r, c, w.data[r*out+c], float32(l.W.At(r, c)))
						}
					}
				}
			}
			if g != len(tc.e.Layers) {
				t.Errorf("%d Gemm nodes for %d layers", g, len(tc.e.Layers))
			}
			for _, n := range m.nodes {
				switch n.op {
				case "LeakyRelu":
					if a := n.attrs["alpha"]; a.typ != onnxpb.AttrTypeFloat || a.f != 0.01 {
						t.Errorf("LeakyRelu alpha %+v, want float 0.01", a)
					}
				case "Elu":
					if a := n.attrs["alpha"]; a.typ != onnxpb.AttrTypeFloat || a.f != 1 {
						t.Errorf("Elu alpha %+v, want float 1", a)
					}
				case "Softmax":
					if a := n.attrs["axis"]; a.typ != onnxpb.AttrTypeInt || a.i != -1 {
						t.Errorf("Softmax axis %+v, want int -1", a)
					}
				}
			}
			for k, v := range tc.e.Metadata {
				if m.meta[k] != v {
					t.Errorf("metadata %s = %q, want %q", k, m.meta[k], v)
				}
			}
			wantTask := map[bool]string{true: "classification", false: "regression"}[tc.output == onnx.ProbabilitiesName]
			if m.meta["task"] != wantTask {
				t.Errorf("metadata task %q, want %q", m.meta["task"], wantTask)
			}
			checkJSONMeta(t, m.meta, "features", tc.e.Features)
			checkJSONMeta(t, m.meta, "classes", tc.e.Classes)
			checkJSONMeta(t, m.meta, "targets", tc.e.Targets)
		})
	}
}

func checkJSONMeta(t *testing.T, meta map[string]string, key string, want []string) {
	t.Helper()
	v, ok := meta[key]
	if want == nil {
		if ok {
			t.Errorf("metadata %s = %q, want none", key, v)
		}
		return
	}
	var got []string
	if err := json.Unmarshal([]byte(v), &got); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("metadata %s = %q (%v), want JSON of %q", key, v, err, want)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestEncodeComputes runs every activation through the decoded graph and
// compares with the float64 forward pass.
func TestEncodeComputes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, act := range engine.Activations {
		for _, out := range []string{"softmax", "linear"} {
			t.Run(act+"/"+out, func(t *testing.T) {
				e := onnx.Export{
					Layers: []engine.DenseParams{RandomLayer(rng, 5, 7, act), RandomLayer(rng, 7, 6, act), RandomLayer(rng, 6, 3, out)},
					Mean:   []float64{3, 2, 3.5, 2.9, 3.1},
					Std:    []float64{1.5, 0.5, 2, 1, 0.9},
				}
				b, err := onnx.Encode(e)
				if err != nil {
					t.Fatal(err)
				}
				m, err := decodeModel(b)
				if err != nil {
					t.Fatal(err)
				}
				x := randRows(rng, 64, 5, 2)
				got, err := m.run(x)
				if err != nil {
					t.Fatal(err)
				}
				close(t, got, reference(e, x), 1e-5)
			})
		}
	}
}
