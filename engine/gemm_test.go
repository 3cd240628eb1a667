package engine

import (
	"context"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
	"gonum.org/v1/gonum/mat"
)

// The tiled path must agree with one plain product for every transpose
// combination and for sizes on both sides of every tile edge.
func TestGemmTilingMatchesMul(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	fill := func(r, c int) general[float64] {
		g := newGeneral[float64](r, c)
		for i := range g.Data {
			g.Data[i] = rng.NormFloat64()
		}
		return g
	}
	for _, s := range [][3]int{{1, 1, 1}, {3, 700, 5}, {65, 193, 129}, {130, 400, 300}, {64, 192, 128}} {
		m, n, k := s[0], s[1], s[2]
		for _, tA := range []blas.Transpose{blas.NoTrans, blas.Trans} {
			for _, tB := range []blas.Transpose{blas.NoTrans, blas.Trans} {
				a, b := fill(m, k), fill(k, n)
				if tA == blas.Trans {
					a = fill(k, m)
				}
				if tB == blas.Trans {
					b = fill(n, k)
				}
				c := fill(m, n)
				var want mat.Dense
				var am, bm mat.Matrix = mat.NewDense(a.Rows, a.Cols, a.Data), mat.NewDense(b.Rows, b.Cols, b.Data)
				if tA == blas.Trans {
					am = am.T()
				}
				if tB == blas.Trans {
					bm = bm.T()
				}
				want.Mul(am, bm)
				want.Scale(0.5, &want)
				want.Add(&want, mat.NewDense(m, n, append([]float64(nil), c.Data...)))
				gemm(tA, tB, 0.5, a, b, 1, c)
				if got := mat.NewDense(m, n, c.Data); !mat.EqualApprox(got, &want, 1e-9) {
					t.Errorf("%v %v %v: tiled product differs from mat.Mul", s, tA, tB)
				}
			}
		}
	}
}

// otherBLAS stands in for a Gemm installed with blas64.Use (engine/gemm):
// any type but gonum's own takes the whole-product path.
type otherBLAS struct{ gonum.Implementation }

// Training under an installed Gemm (whole products, no Wᵀ copies) must give
// the same model as the native path, up to rounding.
func TestInstalledGemmPathMatchesNative(t *testing.T) {
	d := spiral(100, 0.1, 1)
	train := func() *Model {
		m := mustModel(t, Config{Inputs: 2, Outputs: 2, Layers: mustLayers(t, "32:relu,16:tanh"), Seed: 1})
		if _, err := Fit(context.Background(), m, d, Data{}, FitOptions{Epochs: 3, BatchSize: 40, KeepLast: true}, nil); err != nil {
			t.Fatal(err)
		}
		return m
	}
	native := train()
	blas64.Use(otherBLAS{})
	defer blas64.Use(gonum.Implementation{})
	if nativeGemm[float64]() {
		t.Fatal("otherBLAS counted as native")
	}
	other := train()
	if !mat.EqualApprox(native.Predict(d.X), other.Predict(d.X), 1e-9) {
		t.Error("training under another Gemm gives a different model")
	}
}

func TestTransposeInto(t *testing.T) {
	for _, s := range [][2]int{{1, 1}, {3, 17}, {33, 16}, {256, 784}} {
		src := newGeneral[float64](s[0], s[1])
		for i := range src.Data {
			src.Data[i] = float64(i)
		}
		dst := newGeneral[float64](s[1], s[0])
		transposeInto(dst, src)
		for i := 0; i < s[0]; i++ {
			for j := 0; j < s[1]; j++ {
				if dst.Data[j*dst.Stride+i] != src.Data[i*src.Stride+j] {
					t.Fatalf("%v: dst[%d][%d] != src[%d][%d]", s, j, i, i, j)
				}
			}
		}
	}
}
