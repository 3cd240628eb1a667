package engine

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// pixels is compact data as a data set would keep it: uint8 values,
// scaled to [0, 1] only as a row is read.
type pixels struct {
	rows, cols int
	v          []uint8
	nanAt      int // a row that reads as NaN, or -1
}

func (p *pixels) Dims() (int, int) { return p.rows, p.cols }

func (p *pixels) Row64(dst []float64, i, c0, c1 int) {
	for j, b := range p.v[i*p.cols+c0 : i*p.cols+c1] {
		dst[j] = float64(b) / 255
		if i == p.nanAt {
			dst[j] = math.NaN()
		}
	}
}

func (p *pixels) Row32(dst []float32, i, c0, c1 int) {
	for j, b := range p.v[i*p.cols+c0 : i*p.cols+c1] {
		dst[j] = float32(float64(b) / 255)
	}
}

func (p *pixels) dense() *mat.Dense {
	x := mat.NewDense(p.rows, p.cols, nil)
	for i := range p.rows {
		p.Row64(x.RawRowView(i), i, 0, p.cols)
	}
	return x
}

// TestFitOnFeatureRows: training and evaluating from Rows (uint8 read and
// scaled a row at a time) gives the very bits of training on the scaled
// float64 matrix, in both compute types, with the first layer split by its
// inputs (wide enough for two shards) and the plain path alike.
func TestFitOnFeatureRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	const rows, cols, classes = 600, 256, 4
	px := &pixels{rows: rows, cols: cols, v: make([]uint8, rows*cols), nanAt: -1}
	for i := range px.v {
		px.v[i] = uint8(rng.IntN(256))
	}
	y := mat.NewDense(rows, 1, nil)
	for i := range rows {
		y.Set(i, 0, float64(int(px.v[i*cols])*classes/256)) // learnable: from the first pixel
	}
	for _, dt := range []DType{Float64, Float32} {
		for _, batch := range []int{16, 128} {
			var params [][]float64
			var metrics []Metrics
			for _, d := range []Data{{X: px.dense(), Y: y}, {Rows: px, Y: y}} {
				m := mustModel(t, Config{Inputs: cols, Outputs: classes, Layers: mustLayers(t, "64:relu"), Seed: 1, DType: dt})
				val := Data{Rows: d.Rows, X: d.X, Y: y}
				if _, err := Fit(context.Background(), m, d, val, FitOptions{Epochs: 3, BatchSize: batch, Seed: 2}, nil); err != nil {
					t.Fatal(err)
				}
				params = append(params, m.impl.params64())
				metrics = append(metrics, m.Evaluate(d))
			}
			if !slices.Equal(params[0], params[1]) {
				t.Errorf("%v batch %d: weights trained from Rows differ from those trained from X", dt, batch)
			}
			if metrics[0].Loss != metrics[1].Loss || metrics[0].Accuracy != metrics[1].Accuracy {
				t.Errorf("%v batch %d: Evaluate from X %+v, from Rows %+v", dt, batch, metrics[0], metrics[1])
			}
		}
	}

	m := mustModel(t, Config{Inputs: cols, Outputs: classes, Seed: 1})
	px.nanAt = 7
	_, err := Fit(context.Background(), m, Data{Rows: px, Y: y}, Data{}, FitOptions{Epochs: 1}, nil)
	if err == nil || !strings.Contains(err.Error(), "X row 7") {
		t.Errorf("a NaN read from Rows: err %v, want one naming X row 7", err)
	}
	px.nanAt = -1
	_, err = Fit(context.Background(), m, Data{X: px.dense(), Rows: px, Y: y}, Data{}, FitOptions{Epochs: 1}, nil)
	if err == nil || !strings.Contains(err.Error(), "both X and Rows") {
		t.Errorf("X and Rows both set: err %v", err)
	}
	_, err = Fit(context.Background(), m, Data{Rows: &pixels{rows: 3, cols: 5, v: make([]uint8, 15), nanAt: -1}, Y: mat.NewDense(3, 1, nil)}, Data{}, FitOptions{Epochs: 1}, nil)
	if err == nil || !strings.Contains(err.Error(), "5 columns") {
		t.Errorf("Rows of the wrong width: err %v", err)
	}
}
