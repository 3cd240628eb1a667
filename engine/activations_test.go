package engine

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// handLayer is one dense layer of DenseLayers applied by hand.
func handLayer(x *mat.Dense, p DenseParams) *mat.Dense {
	var z mat.Dense
	z.Mul(x, p.W)
	r, c := z.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			v := z.At(i, j) + p.B[j]
			switch p.Activation {
			case "tanh":
				v = math.Tanh(v)
			case "relu":
				v = math.Max(v, 0)
			case "sigmoid":
				v = 1 / (1 + math.Exp(-v))
			}
			z.Set(i, j, v)
		}
	}
	return &z
}

func TestActivationsMatchHandForwardPass(t *testing.T) {
	layers, err := ParseLayers("3:tanh,dropout:0.3,4:relu,2:sigmoid")
	if err != nil {
		t.Fatal(err)
	}
	// 300 rows: more than one inference chunk, so the chunked path runs.
	x := mat.NewDense(300, 2, nil)
	for i := 0; i < 300; i++ {
		x.Set(i, 0, math.Sin(float64(i))*2)
		x.Set(i, 1, float64(i%17)/5-1.5)
	}
	for _, dt := range []DType{Float64, Float32} {
		m, err := NewModel(Config{Inputs: 2, Outputs: 3, Layers: layers, Seed: 7, DType: dt})
		if err != nil {
			t.Fatal(err)
		}
		dense := m.DenseLayers()
		tol := 1e-12
		if dt == Float32 {
			tol = 1e-5
		}
		want := x
		for k := 0; k < 3; k++ {
			want = handLayer(want, dense[k])
			got := m.Activations(x, k)
			if r, c := got.Dims(); r != 300 || c != dense[k].W.RawMatrix().Cols {
				t.Fatalf("%v layer %d: got %d×%d", dt, k, r, c)
			}
			if !mat.EqualApprox(got, want, tol) {
				t.Errorf("%v layer %d: activations differ from the hand pass: got row 0 %v, want %v", dt, k, got.RawRowView(0), want.RawRowView(0))
			}
		}
	}
}

func TestActivationsRejectsTheOutputLayer(t *testing.T) {
	layers, _ := ParseLayers("3:tanh")
	m, err := NewModel(Config{Inputs: 2, Outputs: 2, Layers: layers})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{-1, 1} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "not a hidden dense layer") {
					t.Errorf("layer %d: want a panic naming the layer, got %v", k, r)
				}
			}()
			m.Activations(mat.NewDense(1, 2, nil), k)
		}()
	}
	if got := m.Activations(&mat.Dense{}, 0); !got.IsEmpty() {
		t.Errorf("no rows: got %v", got)
	}
}
