package onnx

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"

	"workbench/engine"

	"workbench/engine/onnx/internal/onnxpb"
)

// The versions written. IR version 8 is the one that goes with opset 17
// (ONNX 1.12); every ONNX Runtime since 1.12 and Debian's python3-onnx load it.
const (
	IRVersion = 8
	Opset     = 17
	Producer  = "workbench"
)

// Tensor names of the graph's interface.
const (
	InputName         = "input"         // float32 [batch, features], raw feature units
	ProbabilitiesName = "probabilities" // classification: float32 [batch, classes]
	OutputName        = "output"        // regression: float32 [batch, targets]
)

// Activation constants of the engine, repeated here because the engine keeps
// them unexported; TestMatchesEngine fails if they ever drift apart.
const (
	LeakySlope = 0.01 // leaky_relu: x for x > 0, LeakySlope·x otherwise
	EluAlpha   = 1.0  // elu: x for x > 0, EluAlpha·(eˣ − 1) otherwise
)

// Export is everything the encoder needs: a model's dense layers and the
// scaler that prepares raw features for it.
type Export struct {
	// Layers are engine.Model.DenseLayers(): hidden layers with one of
	// engine.Activations, the output layer last with "softmax"
	// (classification) or "linear" (regression).
	Layers []engine.DenseParams
	// Mean and Std are the session's scaler, one value per feature; both nil
	// when the model takes features as they are.
	Mean, Std []float64
	// Features names the input columns (optional; length must match).
	Features []string
	// Classes names the softmax outputs, Targets the regression outputs
	// (optional; length must match).
	Classes, Targets []string
	// Metadata is added to metadata_props as given (session id, spec …).
	Metadata map[string]string
	// Name is the graph name; default "workbench".
	Name string
	// Doc is the model's doc_string (optional).
	Doc string
}

// Inputs is the number of features the graph takes.
func (e Export) Inputs() int {
	if len(e.Layers) == 0 || e.Layers[0].W == nil {
		return 0
	}
	r, _ := e.Layers[0].W.Dims()
	return r
}

// Outputs is the number of columns the graph returns.
func (e Export) Outputs() int {
	if len(e.Layers) == 0 || e.Layers[len(e.Layers)-1].W == nil {
		return 0
	}
	_, c := e.Layers[len(e.Layers)-1].W.Dims()
	return c
}

// Classifier reports whether the graph ends in Softmax.
func (e Export) Classifier() bool {
	return len(e.Layers) > 0 && e.Layers[len(e.Layers)-1].Activation == "softmax"
}

// OutputTensor is the name of the graph's output: ProbabilitiesName or
// OutputName.
func (e Export) OutputTensor() string {
	if e.Classifier() {
		return ProbabilitiesName
	}
	return OutputName
}

// Validate checks that e describes a graph the encoder can write: shapes
// chain, names match counts, every number fits a float32. Each error names
// the layer or field at fault.
func (e Export) Validate() error {
	if len(e.Layers) == 0 {
		return errors.New("onnx: the model has no layers")
	}
	prev := -1
	for i, l := range e.Layers {
		at := fmt.Sprintf("onnx: layer %d (dense, %s)", i+1, l.Activation)
		if l.W == nil {
			return fmt.Errorf("%s: no weights", at)
		}
		in, out := l.W.Dims()
		if prev >= 0 && in != prev {
			return fmt.Errorf("%s: takes %d inputs but the layer before gives %d", at, in, prev)
		}
		if len(l.B) != out {
			return fmt.Errorf("%s: %d biases for %d units", at, len(l.B), out)
		}
		last := i == len(e.Layers)-1
		switch {
		case last && l.Activation != "softmax" && l.Activation != "linear":
			return fmt.Errorf("%s: the output layer must be softmax or linear", at)
		case !last && !hiddenActivation(l.Activation):
			return fmt.Errorf("%s: unknown activation %q (want one of %v)", at, l.Activation, engine.Activations)
		}
		for r := 0; r < in; r++ {
			for c := 0; c < out; c++ {
				if !fitsFloat32(l.W.At(r, c)) {
					return fmt.Errorf("%s: weight [%d][%d] = %v is not a finite float32", at, r, c, l.W.At(r, c))
				}
			}
		}
		for c, b := range l.B {
			if !fitsFloat32(b) {
				return fmt.Errorf("%s: bias [%d] = %v is not a finite float32", at, c, b)
			}
		}
		prev = out
	}
	f, k := e.Inputs(), e.Outputs()
	if (e.Mean == nil) != (e.Std == nil) {
		return errors.New("onnx: scaler needs both mean and std")
	}
	if e.Mean != nil {
		if len(e.Mean) != f || len(e.Std) != f {
			return fmt.Errorf("onnx: scaler has %d means and %d stds for %d features", len(e.Mean), len(e.Std), f)
		}
		for i := range e.Mean {
			if !fitsFloat32(e.Mean[i]) {
				return fmt.Errorf("onnx: scaler mean of feature %d is %v", i, e.Mean[i])
			}
			if !fitsFloat32(e.Std[i]) || float32(e.Std[i]) == 0 {
				return fmt.Errorf("onnx: scaler std of feature %d is %v; it must be a finite non-zero number", i, e.Std[i])
			}
		}
	}
	if e.Features != nil && len(e.Features) != f {
		return fmt.Errorf("onnx: %d feature names for %d inputs", len(e.Features), f)
	}
	if e.Classifier() {
		if e.Classes != nil && len(e.Classes) != k {
			return fmt.Errorf("onnx: %d class names for %d outputs", len(e.Classes), k)
		}
	} else if e.Targets != nil && len(e.Targets) != k {
		return fmt.Errorf("onnx: %d target names for %d outputs", len(e.Targets), k)
	}
	return nil
}

func hiddenActivation(a string) bool {
	for _, n := range engine.Activations {
		if a == n {
			return true
		}
	}
	return false
}

func fitsFloat32(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0) && math.Abs(v) <= math.MaxFloat32
}

// Write encodes e and writes it to w.
func Write(w io.Writer, e Export) error {
	b, err := Encode(e)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Encode returns the serialized ModelProto for e.
func Encode(e Export) ([]byte, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	g := &graph{}
	cur := InputName
	if e.Mean != nil {
		g.init("scaler_mean", []int{len(e.Mean)}, e.Mean)
		g.init("scaler_std", []int{len(e.Std)}, e.Std)
		cur = g.op("Sub", "scaler_centered", cur, "scaler_mean")
		cur = g.op("Div", "scaled", cur, "scaler_std")
	}
	for i, l := range e.Layers {
		n := i + 1
		in, out := l.W.Dims()
		w := make([]float64, 0, in*out)
		for r := 0; r < in; r++ {
			for c := 0; c < out; c++ {
				w = append(w, l.W.At(r, c))
			}
		}
		wName, bName := fmt.Sprintf("dense%d_weight", n), fmt.Sprintf("dense%d_bias", n)
		g.init(wName, []int{in, out}, w)
		g.init(bName, []int{out}, l.B)
		// W is stored in×out as the engine keeps it, so transB stays 0.
		cur = g.op("Gemm", fmt.Sprintf("dense%d", n), cur, wName, bName)
		cur = g.activation(l.Activation, fmt.Sprintf("dense%d_%s", n, l.Activation), cur)
	}
	g.rename(cur, e.OutputTensor())

	name := e.Name
	if name == "" {
		name = "workbench"
	}
	var gm msg
	for _, n := range g.nodes {
		gm = gm.sub(onnxpb.GraphNode, n)
	}
	gm = gm.str(onnxpb.GraphName, name)
	for _, t := range g.inits {
		gm = gm.sub(onnxpb.GraphInitializer, t)
	}
	gm = gm.sub(onnxpb.GraphInput, valueInfo(InputName, e.Inputs()))
	gm = gm.sub(onnxpb.GraphOutput, valueInfo(e.OutputTensor(), e.Outputs()))

	var m msg
	m = m.int(onnxpb.ModelIRVersion, IRVersion)
	m = m.str(onnxpb.ModelProducerName, Producer)
	m = m.str(onnxpb.ModelProducerVer, "1")
	m = m.int(onnxpb.ModelModelVersion, 1)
	if e.Doc != "" {
		m = m.str(onnxpb.ModelDocString, e.Doc)
	}
	m = m.sub(onnxpb.ModelOpsetImport, msg(nil).str(onnxpb.OpsetDomain, "").int(onnxpb.OpsetVersion, Opset))
	meta, err := e.metadata()
	if err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(meta))
	for k := range meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m = m.sub(onnxpb.ModelMetadataProps, msg(nil).str(onnxpb.EntryKey, k).str(onnxpb.EntryValue, meta[k]))
	}
	// The graph goes last: cut anywhere, a file then always ends inside its
	// length-prefixed bytes, so truncation is detected, not read as a model
	// with fewer metadata entries.
	m = m.sub(onnxpb.ModelGraph, gm)
	return m, nil
}

// metadata is what metadata_props carry: the caller's entries plus the
// names a client needs to read the output, as JSON arrays.
func (e Export) metadata() (map[string]string, error) {
	meta := map[string]string{}
	for k, v := range e.Metadata {
		meta[k] = v
	}
	add := func(key string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("onnx: metadata %s: %w", key, err)
		}
		meta[key] = string(b)
		return nil
	}
	if e.Classifier() {
		meta["task"] = "classification"
		if e.Classes != nil {
			if err := add("classes", e.Classes); err != nil {
				return nil, err
			}
		}
	} else {
		meta["task"] = "regression"
		if e.Targets != nil {
			if err := add("targets", e.Targets); err != nil {
				return nil, err
			}
		}
	}
	if e.Features != nil {
		if err := add("features", e.Features); err != nil {
			return nil, err
		}
	}
	return meta, nil
}

// graph collects nodes and initializers in order.
type graph struct {
	nodes []msg
	inits []msg
	outs  []string // output name of each node, for rename
	attrs [][]msg
	ops   []string
	ins   [][]string
}

func (g *graph) init(name string, dims []int, data []float64) {
	f := make([]float32, len(data))
	for i, v := range data {
		f[i] = float32(v)
	}
	g.inits = append(g.inits, tensor(name, dims, f))
}

func (g *graph) scalar(name string, v float64) string {
	g.init(name, nil, []float64{v})
	return name
}

// op appends a node and returns its output name. Nodes are built at the end
// (in rename) so the last output can still be renamed.
func (g *graph) op(opType, out string, in ...string) string {
	return g.opAttr(opType, out, nil, in...)
}

func (g *graph) opAttr(opType, out string, attrs []msg, in ...string) string {
	g.ops = append(g.ops, opType)
	g.outs = append(g.outs, out)
	g.ins = append(g.ins, in)
	g.attrs = append(g.attrs, attrs)
	return out
}

// activation appends the nodes for one activation and returns the tensor
// holding its result.
func (g *graph) activation(act, out, x string) string {
	switch act {
	case "linear":
		return x
	case "relu":
		return g.op("Relu", out, x)
	case "leaky_relu":
		return g.opAttr("LeakyRelu", out, []msg{floatAttr("alpha", LeakySlope)}, x)
	case "elu":
		return g.opAttr("Elu", out, []msg{floatAttr("alpha", EluAlpha)}, x)
	case "tanh":
		return g.op("Tanh", out, x)
	case "sigmoid":
		return g.op("Sigmoid", out, x)
	case "softmax":
		// Opset 13+ Softmax normalises along one axis, the classes.
		return g.opAttr("Softmax", out, []msg{intAttr("axis", -1)}, x)
	case "gelu":
		return g.gelu(out, x)
	}
	panic("onnx: activation " + act + " passed Validate") // unreachable: Validate lists them
}

// gelu writes the exact (erf) form, 0.5·x·(1 + erf(x/√2)), which the engine
// uses; Gelu itself only exists from opset 20.
func (g *graph) gelu(out, x string) string {
	sqrt2 := g.scalar(out+"_sqrt2", math.Sqrt2)
	one := g.scalar(out+"_one", 1)
	half := g.scalar(out+"_half", 0.5)
	t := g.op("Div", out+"_scaled", x, sqrt2)
	t = g.op("Erf", out+"_erf", t)
	t = g.op("Add", out+"_erf1", t, one)
	t = g.op("Mul", out+"_xerf1", x, t)
	return g.op("Mul", out, t, half)
}

// rename gives the tensor cur the public output name and builds the nodes.
func (g *graph) rename(cur, final string) {
	for i := range g.ops {
		if g.outs[i] == cur {
			g.outs[i] = final
		}
		for j, in := range g.ins[i] {
			if in == cur {
				g.ins[i][j] = final
			}
		}
	}
	g.nodes = g.nodes[:0]
	for i, op := range g.ops {
		n := msg(nil)
		for _, in := range g.ins[i] {
			n = n.str(onnxpb.NodeInput, in)
		}
		n = n.str(onnxpb.NodeOutput, g.outs[i])
		n = n.str(onnxpb.NodeName, g.outs[i]+"_"+op)
		n = n.str(onnxpb.NodeOpType, op)
		for _, a := range g.attrs[i] {
			n = n.sub(onnxpb.NodeAttribute, a)
		}
		g.nodes = append(g.nodes, n)
	}
}
