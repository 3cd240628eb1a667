package engine

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// Dense layer: z = x·W + b, a = f(z). W is in×out so that the forward pass
// and both backward products are plain Gemm calls with no transposed copy.

func (l *layer) weights(params []float64) blas64.General {
	return blas64.General{Rows: l.in, Cols: l.out, Stride: l.out, Data: params[l.wOff : l.wOff+l.in*l.out]}
}

func (l *layer) bias(params []float64) []float64 { return params[l.bOff : l.bOff+l.out] }

// denseForward computes z from x and a = f(z); a may share z's storage.
func denseForward(l *layer, params []float64, x, z, a blas64.General) {
	b := l.bias(params)
	// Seeding z with the bias lets Gemm add x·W on top (beta = 1): the bias
	// add costs no extra pass over z.
	for i := 0; i < z.Rows; i++ {
		copy(z.Data[i*z.Stride:i*z.Stride+z.Cols], b)
	}
	gemm(blas.NoTrans, blas.NoTrans, 1, x, l.weights(params), 1, z)
	if !sameStorage(z, a) {
		l.act.forward(z.Data[:z.Rows*z.Stride], a.Data[:a.Rows*a.Stride])
	}
}

// denseBackward takes d = ∂L/∂a (overwritten with ∂L/∂z), writes ∂L/∂W and
// ∂L/∂b into grads, and writes ∂L/∂x into dx unless dx has no rows (the
// first layer needs no input gradient). wt, if it has rows, holds Wᵀ
// (out×in) and dwt is out×in scratch; see backwardPlan. With noDW the
// caller computes ∂L/∂W itself (see trainer.split0) and grads' W is left
// alone.
func denseBackward(l *layer, params, grads []float64, x, z, a, d, dx, wt, dwt blas64.General, noDW bool) {
	if !sameStorage(z, a) {
		l.act.backward(z.Data[:z.Rows*z.Stride], a.Data[:a.Rows*a.Stride], d.Data[:d.Rows*d.Stride])
	}
	switch {
	case noDW:
	case dwt.Rows > 0 && nativeGemm() && zeroFraction(d) > zeroFraction(x)+0.15:
		// dWᵀ = dᵀ·x lets gonum's kernel skip the zeros of d; the
		// transpose back costs far less than the multiply-adds saved.
		gemm(blas.Trans, blas.NoTrans, 1, d, x, 0, dwt)
		transposeInto(l.weights(grads), dwt)
	default:
		gemm(blas.Trans, blas.NoTrans, 1, x, d, 0, l.weights(grads))
	}
	db := l.bias(grads)
	clear(db)
	for i := 0; i < d.Rows; i++ {
		addTo(db, d.Data[i*d.Stride:i*d.Stride+d.Cols])
	}
	switch {
	case dx.Rows == 0:
	case wt.Rows > 0:
		gemm(blas.NoTrans, blas.NoTrans, 1, d, wt, 0, dx)
	default:
		gemm(blas.NoTrans, blas.Trans, 1, d, l.weights(params), 0, dx)
	}
}

// sameStorage reports whether a layer's activation output is its
// pre-activation buffer (linear and output layers skip the copy).
func sameStorage(a, b blas64.General) bool {
	return len(a.Data) > 0 && len(b.Data) > 0 && &a.Data[0] == &b.Data[0]
}
