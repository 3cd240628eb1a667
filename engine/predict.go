package engine

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// predictChunk is how many rows one inference pass handles; larger inputs go
// through in chunks so a workspace stays small and cache-friendly.
const predictChunk = 256

// inferenceWorkspace gives each concurrent caller its own buffers; the
// free list makes that free in the steady state.
func inferenceWorkspace[T float](m *model) *workspace[T] {
	free := freeList[T](m)
	select {
	case ws := <-free:
		return ws
	default:
		return newWorkspace[T](m, predictChunk, false)
	}
}

// freeList is the model's list of idle workspaces of its type T.
func freeList[T float](m *model) chan *workspace[T] {
	if is32[T]() {
		return any(m.free32).(chan *workspace[T])
	}
	return any(m.free).(chan *workspace[T])
}

// release returns ws to the free list, or drops it when the list is full
// (more callers at once than it keeps).
func release[T float](m *model, ws *workspace[T]) {
	select {
	case freeList[T](m) <- ws:
	default:
	}
}

func (m *model) predictInto(dst, x blas64.General) {
	if m.cfg.DType == Float32 {
		predictInto[float32](m, fromRaw(dst), fromRaw(x))
		return
	}
	predictInto[float64](m, fromRaw(dst), fromRaw(x))
}

func predictInto[T float](m *model, dst, x general[float64]) {
	if x.Rows <= predictChunk {
		// The common serving case: no goroutines, no allocation.
		ws := inferenceWorkspace[T](m)
		predictRows(m, ws, dst, x, 0, x.Rows)
		release(m, ws)
		return
	}
	eachChunk(m, x.Rows, func(ws *workspace[T], _, start, r int) { predictRows(m, ws, dst, x, start, r) })
}

func predictRows[T float](m *model, ws *workspace[T], dst, x general[float64], start, r int) {
	out := forward(m, paramsOf[T](m), ws, inputRows(ws, x, start, r), false, nil)
	if m.cfg.Task == Classification {
		softmaxRows(out)
	}
	writeRows(dst, start, out)
	if m.scaled() {
		for i := start; i < start+r; i++ {
			m.unstandardise(dst.Data[i*dst.Stride : i*dst.Stride+dst.Cols])
		}
	}
}

// writeRows copies the rows of out (a T matrix) into dst from row start on,
// as float64.
func writeRows[T float](dst general[float64], start int, out general[T]) {
	for i := 0; i < out.Rows; i++ {
		row := dst.Data[(start+i)*dst.Stride : (start+i)*dst.Stride+dst.Cols]
		o := out.Data[i*out.Stride : i*out.Stride+out.Cols]
		if is32[T]() {
			convertInto(row, f32s(o))
		} else {
			copy(row, f64s(o))
		}
	}
}

// inputRows is rows [start, start+r) of x as the forward pass of a T model
// takes them: x itself for float64; for float32 the rows converted into
// the workspace's input buffer (r is at most predictChunk).
func inputRows[T float](ws *workspace[T], x general[float64], start, r int) general[T] {
	rows := rowRange(x, start, r)
	if !is32[T]() {
		return *(*general[T])(unsafe.Pointer(&rows))
	}
	in := view(ws.in, r)
	for i := range r {
		convertInto(f32s(in.Data[i*in.Stride:i*in.Stride+in.Cols]), rows.Data[i*rows.Stride:i*rows.Stride+rows.Cols])
	}
	return in
}

// featureRows is inputRows for Features: a float64 X is read in place,
// anything else is copied into the workspace's input buffer, made on
// first use.
func featureRows[T float](ws *workspace[T], f Features, start, r int) general[T] {
	if df, ok := f.(*denseFeatures); ok {
		return inputRows(ws, df.g, start, r)
	}
	_, cols := f.Dims()
	if ws.in.Data == nil {
		ws.in = newGeneral[T](ws.rows, cols)
	}
	in := view(ws.in, r)
	for i := range r {
		rowTo(f, in.Data[i*in.Stride:i*in.Stride+cols], start+i, 0, cols)
	}
	return in
}

// eachChunk calls fn for every predictChunk-row chunk of n rows, spread
// over up to GOMAXPROCS goroutines, each with its own workspace. Rows are
// independent at inference, so results do not depend on the spread.
func eachChunk[T float](m *model, n int, fn func(ws *workspace[T], chunk, start, r int)) {
	chunks := ceilDiv(n, predictChunk)
	workers := min(runtime.GOMAXPROCS(0), chunks)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			ws := inferenceWorkspace[T](m)
			defer release(m, ws)
			for {
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				start := c * predictChunk
				fn(ws, c, start, min(predictChunk, n-start))
			}
		})
	}
	wg.Wait()
}

// rowRange is rows [start, start+r) of g, sharing storage.
func rowRange[T float](g general[T], start, r int) general[T] {
	g.Data = g.Data[start*g.Stride:]
	return view(g, r)
}

// Predict returns class probabilities (n×K) or regression outputs (n×T, in
// the target's own units: Config.TargetMean/TargetStd applied) for the rows
// of x. It panics if x has the wrong number of columns. See
// PredictTo for a variant that allocates nothing.
//
// A row's result does not depend on the rows sent with it: row i of
// Predict(x) is, bit for bit, Predict of row i alone, with every kernel
// of engine/gemm and with gonum's own Dgemm (an OpenBLAS build, -tags
// openblas, may sum a single row in another order).
func (m *Model) Predict(x *mat.Dense) *mat.Dense {
	if x.IsEmpty() {
		return &mat.Dense{}
	}
	r, c := x.Dims()
	m.checkInputs("Predict", c)
	dst := mat.NewDense(r, m.impl.cfg.Outputs, nil)
	m.impl.predictInto(dst.RawMatrix(), x.RawMatrix())
	return dst
}

// PredictTo writes Predict's result into dst, which must be rows(x)×Outputs;
// it allocates nothing, for callers that predict in a loop. It panics on a
// shape mismatch.
func (m *Model) PredictTo(dst, x *mat.Dense) {
	r, c := x.Dims()
	m.checkInputs("PredictTo", c)
	if dr, dc := dst.Dims(); dr != r || dc != m.impl.cfg.Outputs {
		panic(fmt.Sprintf("engine: PredictTo: dst is %d×%d, want %d×%d", dr, dc, r, m.impl.cfg.Outputs))
	}
	m.impl.predictInto(dst.RawMatrix(), x.RawMatrix())
}

func (m *Model) checkInputs(op string, cols int) {
	if cols != m.impl.cfg.Inputs {
		panic(fmt.Sprintf("engine: %s: x has %d columns, the model takes %d inputs", op, cols, m.impl.cfg.Inputs))
	}
}

// evaluate measures the model on d, which must have passed checkData and,
// for a model with target scaling, have standardised targets (Fit's data
// does; Evaluate converts). Chunks run in parallel; their sums are added in chunk order so that the
// result does not depend on the machine.
func (m *model) evaluate(d Data, confusion bool) Metrics {
	x, rows := d.features()
	y := fromRaw(d.Y.RawMatrix())
	if rows == 0 {
		return Metrics{Loss: math.NaN()}
	}
	chunks := ceilDiv(rows, predictChunk)
	sums, corrects := make([]float64, chunks), make([]int, chunks)
	var regs []regStats
	var preds []int
	if m.cfg.Task == Regression {
		regs = make([]regStats, chunks)
	} else if confusion {
		preds = make([]int, rows)
	}
	chunk := func(ws *workspace[float64], c, start, r int) {
		evalChunk(m, ws, x, y, c, start, r, sums, corrects, regs, preds)
	}
	if m.cfg.DType == Float32 {
		eachChunk(m, rows, func(ws *workspace[float32], c, start, r int) {
			evalChunk(m, ws, x, y, c, start, r, sums, corrects, regs, preds)
		})
	} else {
		eachChunk(m, rows, chunk)
	}
	var met Metrics
	var sum float64
	correct := 0
	for c := range sums {
		sum, correct = sum+sums[c], correct+corrects[c]
	}
	met.Loss = sum / float64(rows)
	if m.cfg.Task == Regression {
		reg := m.newRegStats()
		for c := range regs {
			reg.merge(&regs[c])
		}
		met.MSE, met.MAE, met.R2 = reg.mse(), reg.mae(), reg.r2()
		return met
	}
	met.Accuracy = float64(correct) / float64(rows)
	if confusion {
		met.Confusion = make([][]int, m.cfg.Outputs)
		for i := range met.Confusion {
			met.Confusion[i] = make([]int, m.cfg.Outputs)
		}
		for i, p := range preds {
			met.Confusion[int(y.Data[i*y.Stride])][p]++
		}
	}
	return met
}

// evalChunk is evaluate's work on rows [start, start+r), chunk c.
func evalChunk[T float](m *model, ws *workspace[T], x Features, y general[float64], c, start, r int, sums []float64, corrects []int, regs []regStats, preds []int) {
	yv := rowRange(y, start, r)
	out := forward(m, paramsOf[T](m), ws, featureRows(ws, x, start, r), false, nil)
	if m.cfg.Task == Regression {
		sums[c] = regressionLoss(m.cfg.Loss == "huber", out, yv, general[T]{}, 1)
		regs[c] = m.newRegStats()
		regAdd(&regs[c], out, yv)
		return
	}
	sums[c], corrects[c] = softmaxCrossEntropy(out, yv, general[T]{}, 0)
	if preds != nil {
		for i := 0; i < r; i++ {
			preds[start+i] = argmax(out.Data[i*out.Stride : i*out.Stride+out.Cols])
		}
	}
}

func argmax[T float](row []T) int {
	arg := 0
	for j, v := range row {
		if v > row[arg] {
			arg = j
		}
	}
	return arg
}

// Evaluate measures the model on d (dropout off). Like Predict it panics if
// d does not fit the model (columns, class labels outside 0..K-1, NaN);
// check data from users before, as Fit does (it returns those as errors).
func (m *Model) Evaluate(d Data) Metrics {
	if err := m.impl.checkData("Evaluate", d); err != nil {
		panic("engine: " + err.Error())
	}
	if _, r := d.features(); r == 0 {
		return Metrics{Loss: math.NaN()}
	}
	return m.impl.evaluate(m.impl.standardise(d), true)
}

// checkData reports the first thing wrong with d for this model: shapes,
// non-finite values, class labels that are not integers in 0..K-1.
func (m *model) checkData(name string, d Data) error {
	if d.X != nil && !d.X.IsEmpty() && d.Rows != nil {
		return fmt.Errorf("%s: both X and Rows are set; give the features one way", name)
	}
	f, r := d.features()
	if r == 0 {
		if d.Y != nil && !d.Y.IsEmpty() {
			return fmt.Errorf("%s: Y has rows but X is empty", name)
		}
		return nil
	}
	if err := checkFeatures(name, f, m.cfg.Inputs); err != nil {
		return err
	}
	if d.Y == nil || d.Y.IsEmpty() {
		return fmt.Errorf("%s: Y is empty but X has %d rows", name, r)
	}
	yr, yc := d.Y.Dims()
	want := m.cfg.Outputs
	if m.cfg.Task == Classification {
		want = 1
	}
	if yr != r || yc != want {
		return fmt.Errorf("%s: Y is %d×%d, want %d×%d", name, yr, yc, r, want)
	}
	for i := 0; i < r; i++ {
		for j, v := range d.Y.RawRowView(i) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%s: Y row %d column %d is %v; targets must be finite", name, i, j, v)
			}
			if m.cfg.Task == Classification && (v != math.Trunc(v) || v < 0 || int(v) >= m.cfg.Outputs) {
				return fmt.Errorf("%s: Y row %d is %v; class labels must be integers 0..%d", name, i, v, m.cfg.Outputs-1)
			}
		}
	}
	return nil
}
