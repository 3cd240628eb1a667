package engine

import (
	"math"
	"math/rand/v2"
	"runtime"

	"gonum.org/v1/gonum/blas"

	fastgemm "workbench/engine/gemm"
)

// A batch is split into trainShards shards that run forward and backward at
// the same time, each with its own buffers and gradient; the gradients are
// then summed in shard order. The shard count depends only on the batch,
// never on the machine, so a run gives the same bits on any number of cores.
const (
	trainShards    = 2
	minShardRows   = 8 // below this, splitting costs more than it saves
	phaseShard     = 0
	phaseReduce    = 1
	phaseUpdate    = 2
	phaseReduceUpd = 3 // reduce and update fused (no clipping to wait for)
	phaseLayer0    = 4 // with split0: each half of layer 0's inputs times its rows of W
)

// minShardWork is the batch·weights (multiply-adds of one forward pass)
// below which a step runs as one shard: handing half of a step to a second
// goroutine (a wake-up, a second gradient to sum) costs more than it saves.
// Samples/s, one shard vs two, idle 2-core VM (BenchmarkTrainStep's loop,
// after the first layer was split by inputs): 64-64-64-10 b32 (0.28M work)
// 687k vs 460k, b64 (0.57M) 825k vs 706k, b128 (1.1M) 911k vs 1,007k;
// 64-128-128-10 b64 (1.7M) 329k vs 378k; 784-64-10 b32 (1.6M) 155k vs
// 284k; 784-256-128-10 b16 (3.8M) 24k vs 41k, b32 (7.5M) 32k vs 62k. One
// shard's Gemms split over both cores themselves once they are big enough
// (engine/gemm's parWork), but the optimizer step and everything between
// the products ran on one. It depends only on the network and the batch,
// never on the machine, so the bits stay the same on any number of cores.
// A variable so that tests can force shards on tiny networks.
var minShardWork = 1 << 20

type shard[T float] struct {
	ws      *workspace[T]
	grads   []T
	rng     *rand.Rand
	lo, hi  int // rows of the batch
	loss    float64
	correct int
	out     general[T]
}

// trainer owns everything one training run mutates besides the weights:
// buffers sized once for the batch size, gradients, optimizer state, the
// random streams for dropout and the shard workers. step allocates nothing.
// T is the model's DType: the batch, activations, gradients and optimizer
// state are all in it; losses are summed in float64.
type trainer[T float] struct {
	m         *model
	params    []T // the model's parameters (paramsOf)
	opts      FitOptions
	x, y      general[T]  // the gathered batch, in the compute type
	src       batchSource // where gather's rows come from
	shards    []*shard[T]
	nRun      int                  // shards used by the current step
	parts     int                  // goroutines that sum and apply the gradient
	sumSq     [trainShards]float64 // reduce phase: each part's share of ‖g‖²
	opt       optimizer[T]
	reg       regStats
	rows      int // rows of the current step
	clipScale float64
	wt        []general[T]            // Wᵀ per dense layer that needs ∂L/∂x, if native
	split0    bool                    // layer 0 is split by its inputs (see newTrainer)
	d0        general[T]              // with split0: layer 0's ∂L/∂z for the whole batch
	p0        [trainShards]general[T] // with split0: X·W over each half of layer 0's inputs
	jobs      chan [2]int
	done      chan struct{}
	spin      int // polls before a shard hand-over blocks (workers.go)
}

func newTrainer[T float](m *model, opts FitOptions, batch int, rng *rand.Rand) *trainer[T] {
	ycols := m.cfg.Outputs
	if m.cfg.Task == Classification {
		ycols = 1
	}
	params := paramsOf[T](m)
	t := &trainer[T]{
		m:      m,
		params: params,
		opts:   opts,
		x:      newGeneral[T](batch, m.cfg.Inputs),
		y:      newGeneral[T](batch, ycols),
		opt:    newOptimizer[T](opts, len(params), m.nWeights),
	}
	if m.cfg.Task == Regression {
		t.reg = m.newRegStats()
	}
	t.wt = make([]general[T], len(m.layers))
	for i, l := range m.layers {
		if i > 0 && l.kind == kindDense {
			t.wt[i] = newGeneral[T](l.out, l.in)
		}
	}
	n := 1
	if batch >= trainShards*minShardRows && batch*m.nWeights >= minShardWork {
		n = trainShards
	}
	per := (batch + n - 1) / n
	for i := 0; i < n; i++ {
		// Each shard's dropout stream is drawn from the run's stream, so
		// the seed still fixes everything.
		t.shards = append(t.shards, &shard[T]{
			ws:    newWorkspace[T](m, per, true),
			grads: make([]T, len(params)),
			rng:   rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64())),
		})
	}
	// With two shards, the first layer (most of a wide input's weights) is
	// split by its inputs instead of by rows of the batch (split0): part i
	// copies half i of the batch's columns and multiplies them by W's rows
	// of half i (phaseLayer0); each shard adds the two partial products
	// for its rows and leaves its rows of ∂L/∂z in one batch-wide buffer;
	// in the update phase part i computes ∂L/∂W = Xᵀ·∂L/∂z for those same
	// rows over the whole batch, a block at a time, right before the
	// optimizer reads it. Each core then reads half of W and of the batch
	// instead of all of it, and no full-size shard gradient is written
	// and summed for that layer. 784-256-128-10 at batch 128: ~89.5k ->
	// ~92.5k samples/s for the gradient, -> ~101k with the forward split.
	// gonum's own Gemm keeps the plain shard path, where its zero-skipping
	// layout (denseBackward) pays more.
	if n == trainShards && m.layers[0].kind == kindDense && !nativeGemm[T]() {
		t.split0 = true
		t.d0 = newGeneral[T](batch, m.layers[0].out)
		for i := range t.p0 {
			t.p0[i] = newGeneral[T](batch, m.layers[0].out)
		}
	}
	// The optimizer step is split even when the batch is not: on a small
	// network Adam's divisions and square roots are a third of the step.
	t.parts = 1
	if len(params) >= minParallelParams {
		t.parts = trainShards
	}
	if w := max(n, t.parts); w > 1 {
		t.jobs, t.done = make(chan [2]int, w), make(chan struct{}, w)
		if runtime.GOMAXPROCS(0) > 1 {
			t.spin = handoffSpin
		}
		for i := 1; i < w; i++ {
			go t.worker()
		}
	}
	return t
}

// batchSource is what gather was asked for: each shard copies its own rows
// at the start of the step, so that the copy runs on every core.
type batchSource struct {
	x   Features
	y   general[float64]
	idx []int
}

// runShard is forward, loss and backward for the shard's rows.
func (t *trainer[T]) runShard(s *shard[T]) {
	if t.nRun > 1 {
		// The shards already use every core they can; their Gemms must
		// not split over more goroutines.
		defer fastgemm.Claim()()
	}
	m := t.m
	r := s.hi - s.lo
	x, y := rowRange(t.x, s.lo, r), rowRange(t.y, s.lo, r)
	if t.split0 {
		t.copyRows(s.lo, s.hi, false)
		s.out = forwardFrom(m, 1, t.params, s.ws, t.layer0Rows(s), true, s.rng)
	} else {
		t.copyRows(s.lo, s.hi, true)
		s.out = forward(m, t.params, s.ws, x, true, s.rng)
	}
	d := view(s.ws.d[len(m.layers)-1], r)
	if m.cfg.Task == Classification {
		s.loss, s.correct = softmaxCrossEntropy(s.out, y, d, 1/float64(t.rows))
	} else {
		s.loss = regressionLoss(m.cfg.Loss == "huber", s.out, y, d, t.rows)
	}
	if finite(s.loss) {
		backward(m, t.params, s.grads, s.ws, x, t.wt, t.split0)
	}
}

// reduce sums the shards' gradients into shard 0's over [lo, hi) and
// returns that range's squared norm when clipping needs it.
func (t *trainer[T]) reduce(lo, hi int) float64 {
	g := t.shards[0].grads[lo:hi]
	for _, s := range t.shards[1:t.nRun] {
		addTo(g, s.grads[lo:hi])
	}
	if t.opts.ClipNorm == 0 {
		return 0
	}
	return sumSquares(g)
}

func sumSquares[T float](g []T) float64 {
	ss := 0.0
	for _, v := range g {
		ss += float64(v) * float64(v)
	}
	return ss
}

// w0Block is how many of layer 0's weights gradW0 computes at a time:
// whole rows, about 128 KiB of gradient that the optimizer then reads
// from L2.
func (t *trainer[T]) w0Block() int {
	out := t.m.layers[0].out
	return max(1, 4*fuseBlock/out) * out
}

// gradW0 writes ∂L/∂W of layer 0 for the whole rows in [b, e) into shard
// 0's gradient: Xᵀ·∂L/∂z over every row of the batch.
func (t *trainer[T]) gradW0(b, e int) {
	l := &t.m.layers[0]
	f0, f1 := (b-l.wOff)/l.out, (e-l.wOff)/l.out
	x := t.x
	xs := general[T]{Rows: t.rows, Cols: f1 - f0, Stride: x.Stride, Data: x.Data[f0 : (t.rows-1)*x.Stride+f1]}
	gw := general[T]{Rows: f1 - f0, Cols: l.out, Stride: l.out, Data: t.shards[0].grads[b:e]}
	gemm(blas.Trans, blas.NoTrans, 1, xs, view(t.d0, t.rows), 0, gw)
}

func (t *trainer[T]) update(lo, hi int) {
	p, g := t.params, t.shards[0].grads
	if t.clipScale != 1 {
		gs, c := g[lo:hi], T(t.clipScale)
		for i := range gs {
			gs[i] *= c
		}
	}
	if t.opts.L1 > 0 || t.opts.L2 > 0 {
		if pu, ok := t.opt.(penaltyUpdater[T]); ok {
			pu.updatePenalized(p, g, lo, hi, t.opts.L1, t.opts.L2)
			return
		}
		if w := min(hi, t.m.nWeights); lo < w {
			addPenalties(p[lo:w], g[lo:w], t.opts.L1, t.opts.L2)
		}
	}
	t.opt.update(p, g, lo, hi)
}

// step trains on the first r rows of the gathered batch and returns the
// batch's summed loss and correct count (classification). The weights are
// left untouched when the loss is not finite, so the caller can stop with
// the last good ones.
func (t *trainer[T]) step(r int, lr float64) (sum float64, correct int) {
	t.rows = r
	t.nRun = 1
	// A short last batch runs as one shard, unless it has more rows than
	// a shard's buffers hold.
	if r >= trainShards*minShardRows || r > t.shards[0].ws.rows {
		t.nRun = len(t.shards)
	}
	for i := 0; i < t.nRun; i++ {
		s := t.shards[i]
		s.lo, s.hi = r*i/t.nRun, r*(i+1)/t.nRun
		if t.split0 {
			s.ws.d[0] = rowRange(t.d0, s.lo, s.hi-s.lo)
		}
	}
	t.transposeWeights()
	if t.split0 {
		t.parallel(phaseLayer0)
	}
	t.parallel(phaseShard)
	for _, s := range t.shards[:t.nRun] {
		sum, correct = sum+s.loss, correct+s.correct
		if t.m.cfg.Task == Regression {
			regAdd(&t.reg, s.out, rowRange(t.y, s.lo, s.hi-s.lo))
		}
	}
	if !finite(sum) {
		return sum, correct
	}
	t.opt.prepare(lr)
	t.clipScale = 1
	if t.opts.ClipNorm == 0 {
		t.parallel(phaseReduceUpd)
		return sum, correct
	}
	t.parallel(phaseReduce)
	ss := 0.0
	for _, v := range t.sumSq[:t.parts] {
		ss += v
	}
	if norm := math.Sqrt(ss); norm > t.opts.ClipNorm {
		t.clipScale = t.opts.ClipNorm / norm
	}
	t.parallel(phaseUpdate)
	return sum, correct
}

// gather makes the rows idx of x and y the next step's batch. The copy into
// the batch buffers happens in step, each shard copying its own rows; x, y
// and idx must stay unchanged until then.
func (t *trainer[T]) gather(x Features, y general[float64], idx []int) {
	t.src = batchSource{x: x, y: y, idx: idx}
}

// copyRows copies batch rows [lo, hi) of y, and of x if withX, from the
// gathered source.
func (t *trainer[T]) copyRows(lo, hi int, withX bool) {
	x, y, bx, by := t.src.x, t.src.y, t.x, t.y
	hi = min(hi, len(t.src.idx))
	for k := lo; k < hi; k++ {
		i := t.src.idx[k]
		if withX {
			rowTo(x, bx.Data[k*bx.Stride:k*bx.Stride+bx.Cols], i, 0, bx.Cols)
		}
		yr, br := y.Data[i*y.Stride:i*y.Stride+y.Cols], by.Data[k*by.Stride:k*by.Stride+by.Cols]
		if is32[T]() {
			convertInto(f32s(br), yr)
		} else {
			copy(f64s(br), yr)
		}
	}
}

// layer0Cols returns half i of layer 0's inputs (split0): the columns of
// the batch that phaseLayer0 part i copies and multiplies, and the rows of
// W whose gradient update part i computes.
func (t *trainer[T]) layer0Cols(i int) (c0, c1 int) {
	in := t.m.layers[0].in
	return in * i / trainShards, in * (i + 1) / trainShards
}

// layer0Part copies half i of the batch's columns and multiplies them by
// the matching rows of layer 0's W into the partial product p0[i].
func (t *trainer[T]) layer0Part(i int) {
	l := &t.m.layers[0]
	c0, c1 := t.layer0Cols(i)
	x, bx := t.src.x, t.x
	for k, j := range t.src.idx[:t.rows] {
		rowTo(x, bx.Data[k*bx.Stride+c0:k*bx.Stride+c1], j, c0, c1)
	}
	xs := general[T]{Rows: t.rows, Cols: c1 - c0, Stride: bx.Stride, Data: bx.Data[c0 : (t.rows-1)*bx.Stride+c1]}
	w := general[T]{Rows: c1 - c0, Cols: l.out, Stride: l.out, Data: t.params[l.wOff+c0*l.out : l.wOff+c1*l.out]}
	release := fastgemm.Claim()
	gemm(blas.NoTrans, blas.NoTrans, 1, xs, w, 0, view(t.p0[i], t.rows))
	release()
}

// layer0Rows finishes layer 0's forward pass for shard s's rows: z = b +
// p0[0] + p0[1], then the activation. It returns the layer's output.
func (t *trainer[T]) layer0Rows(s *shard[T]) general[T] {
	l := &t.m.layers[0]
	r := s.hi - s.lo
	z, a := view(s.ws.z[0], r), view(s.ws.a[0], r)
	b, p, q := bias(l, t.params), rowRange(t.p0[0], s.lo, r), rowRange(t.p0[1], s.lo, r)
	for k := range r {
		zr := z.Data[k*z.Stride : k*z.Stride+l.out]
		pr, qr := p.Data[k*p.Stride:k*p.Stride+l.out], q.Data[k*q.Stride:k*q.Stride+l.out]
		for j, bj := range b {
			zr[j] = bj + pr[j] + qr[j]
		}
	}
	if !sameStorage(z, a) {
		actForward(l.act, z.Data[:z.Rows*z.Stride], a.Data[:a.Rows*a.Stride])
	}
	return a
}

// transposeWeights refreshes Wᵀ for the layers whose input gradient is
// needed: dx = d·Wᵀ as a plain product lets gonum's kernel skip the zeros
// ReLU leaves in d, and avoids its slower dot-product form. An installed
// Gemm handles transposes itself, so then the copy is skipped.
func (t *trainer[T]) transposeWeights() {
	native := nativeGemm[T]()
	for i := range t.m.layers {
		l := &t.m.layers[i]
		if t.wt[i].Data == nil {
			continue
		}
		if !native {
			t.wt[i].Rows = 0
			continue
		}
		t.wt[i].Rows = l.out
		transposeInto(t.wt[i], weights(l, t.params))
	}
}
