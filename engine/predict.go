package engine

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// predictChunk is how many rows one inference pass handles; larger inputs go
// through in chunks so a workspace stays small and cache-friendly.
const predictChunk = 256

// inferenceWorkspace gives each concurrent caller its own buffers; the pool
// makes that free in the steady state.
func (m *model) inferenceWorkspace() *workspace {
	if ws, ok := m.pool.Get().(*workspace); ok {
		return ws
	}
	return newWorkspace(m, predictChunk, false)
}

func (m *model) predictInto(dst, x blas64.General) {
	ws := m.inferenceWorkspace()
	defer m.pool.Put(ws)
	for start := 0; start < x.Rows; start += predictChunk {
		r := min(predictChunk, x.Rows-start)
		out := m.forward(m.params, ws, rowRange(x, start, r), false, nil)
		if m.cfg.Task == Classification {
			softmaxRows(out)
		}
		for i := 0; i < r; i++ {
			copy(dst.Data[(start+i)*dst.Stride:(start+i)*dst.Stride+dst.Cols], out.Data[i*out.Stride:i*out.Stride+out.Cols])
		}
	}
}

// rowRange is rows [start, start+r) of g, sharing storage.
func rowRange(g blas64.General, start, r int) blas64.General {
	g.Data = g.Data[start*g.Stride:]
	return view(g, r)
}

func (m *Model) predict(x *mat.Dense) *mat.Dense {
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

// evaluate measures params on d with inference buffers ws. d must have
// passed checkData.
func (m *model) evaluate(params []float64, ws *workspace, d Data, confusion bool) Metrics {
	x, y := d.X.RawMatrix(), d.Y.RawMatrix()
	var met Metrics
	if x.Rows == 0 {
		return Metrics{Loss: math.NaN()}
	}
	var sum float64
	correct := 0
	var reg regStats
	if m.cfg.Task == Classification {
		if confusion {
			met.Confusion = make([][]int, m.cfg.Outputs)
			for i := range met.Confusion {
				met.Confusion[i] = make([]int, m.cfg.Outputs)
			}
		}
	} else {
		reg = newRegStats(m.cfg.Outputs)
	}
	for start := 0; start < x.Rows; start += predictChunk {
		r := min(predictChunk, x.Rows-start)
		yv := rowRange(y, start, r)
		out := m.forward(params, ws, rowRange(x, start, r), false, nil)
		if m.cfg.Task == Regression {
			sum += regressionLoss(m.cfg.Loss == "huber", out, yv, blas64.General{}, 1)
			reg.add(out, yv)
			continue
		}
		s, c := softmaxCrossEntropy(out, yv, blas64.General{}, 0)
		sum, correct = sum+s, correct+c
		if confusion {
			for i := 0; i < r; i++ {
				met.Confusion[int(yv.Data[i*yv.Stride])][argmax(out.Data[i*out.Stride:i*out.Stride+out.Cols])]++
			}
		}
	}
	met.Loss = sum / float64(x.Rows)
	if m.cfg.Task == Classification {
		met.Accuracy = float64(correct) / float64(x.Rows)
	} else {
		met.MSE, met.MAE, met.R2 = reg.mse(), reg.mae(), reg.r2()
	}
	return met
}

func argmax(row []float64) int {
	arg := 0
	for j, v := range row {
		if v > row[arg] {
			arg = j
		}
	}
	return arg
}

func (m *Model) evaluateData(d Data) Metrics {
	if err := m.impl.checkData("Evaluate", d); err != nil {
		panic("engine: " + err.Error())
	}
	if d.X == nil || d.X.IsEmpty() {
		return Metrics{Loss: math.NaN()}
	}
	ws := m.impl.inferenceWorkspace()
	defer m.impl.pool.Put(ws)
	return m.impl.evaluate(m.impl.params, ws, d, true)
}

// checkData reports the first thing wrong with d for this model: shapes,
// non-finite values, class labels that are not integers in 0..K-1.
func (m *model) checkData(name string, d Data) error {
	if d.X == nil || d.X.IsEmpty() {
		if d.Y != nil && !d.Y.IsEmpty() {
			return fmt.Errorf("%s: Y has rows but X is empty", name)
		}
		return nil
	}
	r, c := d.X.Dims()
	if c != m.cfg.Inputs {
		return fmt.Errorf("%s: X has %d columns, the model takes %d inputs", name, c, m.cfg.Inputs)
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
		for j, v := range d.X.RawRowView(i) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%s: X row %d column %d is %v; features must be finite", name, i, j, v)
			}
		}
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
