package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"unsafe"

	"gonum.org/v1/gonum/mat"
)

type layerKind int

const (
	kindDense layerKind = iota
	kindDropout
)

// layer describes one layer; its parameters live in model.params at wOff and
// bOff so that optimizers, clipping and cloning work on one flat slice.
type layer struct {
	kind    layerKind
	in, out int
	act     activation // dense
	output  bool       // the output layer (softmax or linear by task)
	rate    float64    // dropout
	wOff    int        // dense: in×out weights, row-major
	bOff    int        // dense: out biases
}

type model struct {
	cfg    Config
	layers []layer
	// params holds every dense layer's weights first, then every bias, so
	// that L1/L2 and weight decay apply to params[:nWeights] in one loop.
	// A Float32 model (cfg.DType) keeps them in params32 and leaves
	// params nil; code that runs on either gets them from paramsOf.
	params   []float64
	params32 []float32
	nWeights int
	nParams  int
	// free holds idle inference workspaces (predictChunk rows each), of
	// the model's type. A channel rather than a sync.Pool: the GC empties
	// a pool, and serving would then re-allocate them.
	free   chan *workspace[float64]
	free32 chan *workspace[float32]
}

// paramsOf is the model's parameters as T, which must be its DType.
func paramsOf[T float](m *model) []T {
	if is32[T]() {
		return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(m.params32))), len(m.params32))
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(m.params))), len(m.params))
}

// params64 returns the parameters as float64: the model's own slice for a
// Float64 model, a converted copy for a Float32 one.
func (m *model) params64() []float64 {
	if m.cfg.DType == Float32 {
		p := make([]float64, len(m.params32))
		convertInto(p, m.params32)
		return p
	}
	return m.params
}

// maxParams bounds a model's size (8 bytes each, plus optimizer state).
const maxParams = 1 << 27

// NewModel builds a freshly initialised model (He init for relu-family
// layers, Glorot otherwise). A bad config returns an error naming the field.
func NewModel(cfg Config) (*Model, error) {
	impl, err := newModel(cfg)
	if err != nil {
		return nil, err
	}
	impl.alloc()
	impl.init(cfg.Seed)
	return &Model{impl: impl}, nil
}

// newModel validates cfg, fills defaults and lays out the parameters; alloc
// then makes them, so a reader can check a file's size claims first.
func newModel(cfg Config) (*model, error) {
	if cfg.Inputs < 1 || cfg.Inputs > maxParams {
		return nil, fmt.Errorf("config: Inputs %d out of range; want >= 1", cfg.Inputs)
	}
	switch cfg.Task {
	case Classification:
		if cfg.Outputs < 2 || cfg.Outputs > maxUnits {
			return nil, fmt.Errorf("config: Outputs %d out of range; classification wants 2..%d classes", cfg.Outputs, maxUnits)
		}
		if cfg.Loss == "" {
			cfg.Loss = "cross_entropy"
		}
		if cfg.Loss != "cross_entropy" {
			return nil, fmt.Errorf("config: Loss %q not allowed for classification; allowed: cross_entropy", cfg.Loss)
		}
	case Regression:
		if cfg.Outputs < 1 || cfg.Outputs > maxUnits {
			return nil, fmt.Errorf("config: Outputs %d out of range; regression wants 1..%d targets", cfg.Outputs, maxUnits)
		}
		if cfg.Loss == "" {
			cfg.Loss = "mse"
		}
		if cfg.Loss != "mse" && cfg.Loss != "huber" {
			return nil, fmt.Errorf("config: Loss %q not allowed for regression; allowed: mse, huber", cfg.Loss)
		}
	default:
		return nil, fmt.Errorf("config: Task %d unknown; want Classification or Regression", int(cfg.Task))
	}
	if cfg.DType != Float64 && cfg.DType != Float32 {
		return nil, fmt.Errorf("config: DType %d unknown; want Float32 or Float64", int(cfg.DType))
	}
	if err := checkTargetScale(cfg); err != nil {
		return nil, err
	}
	cloneTargetScale(&cfg)
	cfg.Layers = append([]LayerSpec(nil), cfg.Layers...)
	m := &model{cfg: cfg}
	m.newFreeLists()
	in, nw, nb := cfg.Inputs, 0, 0
	addDense := func(out int, act activation, output bool) {
		m.layers = append(m.layers, layer{kind: kindDense, in: in, out: out, act: act, output: output, wOff: nw, bOff: nb})
		nw += in * out
		nb += out
		in = out
	}
	for i, l := range cfg.Layers {
		if err := validateLayer(l); err != nil {
			return nil, fmt.Errorf("config: Layers[%d]: %w", i, err)
		}
		if l.Kind == "dropout" {
			m.layers = append(m.layers, layer{kind: kindDropout, in: in, out: in, rate: l.Rate})
			continue
		}
		act, _ := activationByName(l.Activation)
		addDense(l.Units, act, false)
		if nw+nb > maxParams {
			return nil, fmt.Errorf("config: model too large (over %d parameters)", maxParams)
		}
	}
	addDense(cfg.Outputs, actLinear, true)
	if nw+nb > maxParams {
		return nil, fmt.Errorf("config: model too large (over %d parameters)", maxParams)
	}
	m.nParams, m.nWeights = nw+nb, nw
	for i := range m.layers {
		m.layers[i].bOff += nw
	}
	return m, nil
}

func (m *model) newFreeLists() {
	if m.cfg.DType == Float32 {
		m.free32 = make(chan *workspace[float32], runtime.GOMAXPROCS(0)+2)
		return
	}
	m.free = make(chan *workspace[float64], runtime.GOMAXPROCS(0)+2)
}

func (m *model) alloc() {
	if m.cfg.DType == Float32 {
		m.params32 = make([]float32, m.nParams)
		return
	}
	m.params = make([]float64, m.nParams)
}

// init draws the weights: He normal for relu-family layers, Glorot uniform
// otherwise (including the output layer); biases start at zero. A Float32
// model gets the float64 draws rounded, so both types start alike.
func (m *model) init(seed int64) {
	params := m.params
	if m.cfg.DType == Float32 {
		params = make([]float64, m.nParams)
		defer convertInto(m.params32, params)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed_1417_0000_0001))
	for _, l := range m.layers {
		if l.kind != kindDense {
			continue
		}
		w := params[l.wOff : l.wOff+l.in*l.out]
		if l.act.heInit() && !l.output {
			std := math.Sqrt(2 / float64(l.in))
			for i := range w {
				w[i] = rng.NormFloat64() * std
			}
		} else {
			lim := math.Sqrt(6 / float64(l.in+l.out))
			for i := range w {
				w[i] = (2*rng.Float64() - 1) * lim
			}
		}
		clear(params[l.bOff : l.bOff+l.out])
	}
}

func (m *model) clone() *model {
	c := &model{cfg: m.cfg, nWeights: m.nWeights, nParams: m.nParams}
	c.newFreeLists()
	c.cfg.Layers = append([]LayerSpec(nil), m.cfg.Layers...)
	cloneTargetScale(&c.cfg)
	c.layers = append([]layer(nil), m.layers...)
	if m.params != nil {
		c.params = append([]float64(nil), m.params...)
	}
	if m.params32 != nil {
		c.params32 = append([]float32(nil), m.params32...)
	}
	return c
}

func (m *model) config() Config {
	c := m.cfg
	c.Layers = append([]LayerSpec(nil), c.Layers...)
	cloneTargetScale(&c)
	return c
}

// DenseLayers returns copies of every dense layer in order, output layer
// last. Dropout is not listed (it is the identity at inference). A
// regression model's target scaling is folded into the output layer
// (W·diag(std), b·std+mean), so the layers alone compute what Predict
// answers and exporters need not know about it.
func (m *Model) DenseLayers() []DenseParams {
	var out []DenseParams
	params := m.impl.params64()
	for _, l := range m.impl.layers {
		if l.kind != kindDense {
			continue
		}
		w := append([]float64(nil), params[l.wOff:l.wOff+l.in*l.out]...)
		p := DenseParams{
			W:          mat.NewDense(l.in, l.out, w),
			B:          append([]float64(nil), params[l.bOff:l.bOff+l.out]...),
			Activation: m.impl.activationName(l),
		}
		if l.output {
			m.impl.foldTargetScale(&p)
		}
		out = append(out, p)
	}
	return out
}

func (m *model) activationName(l layer) string {
	if l.output {
		if m.cfg.Task == Classification {
			return "softmax"
		}
		return "linear"
	}
	for name, a := range activationNames {
		if a == l.act {
			return name
		}
	}
	return "linear"
}
