package engine

import "gonum.org/v1/gonum/blas"

// Dense layer: z = x·W + b, a = f(z). W is in×out so that the forward pass
// and both backward products are plain Gemm calls with no transposed copy.

func weights[T float](l *layer, params []T) general[T] {
	return general[T]{Rows: l.in, Cols: l.out, Stride: l.out, Data: params[l.wOff : l.wOff+l.in*l.out]}
}

func bias[T float](l *layer, params []T) []T { return params[l.bOff : l.bOff+l.out] }

// denseForward computes z from x and a = f(z); a may share z's storage.
func denseForward[T float](l *layer, params []T, x, z, a general[T]) {
	b := bias(l, params)
	// Seeding z with the bias lets Gemm add x·W on top (beta = 1): the bias
	// add costs no extra pass over z.
	for i := 0; i < z.Rows; i++ {
		copy(z.Data[i*z.Stride:i*z.Stride+z.Cols], b)
	}
	gemm(blas.NoTrans, blas.NoTrans, 1, x, weights(l, params), 1, z)
	if !sameStorage(z, a) {
		actForward(l.act, z.Data[:z.Rows*z.Stride], a.Data[:a.Rows*a.Stride])
	}
}

// denseBackward takes d = ∂L/∂a (overwritten with ∂L/∂z), writes ∂L/∂W and
// ∂L/∂b into grads, and writes ∂L/∂x into dx unless dx has no rows (the
// first layer needs no input gradient). wt, if it has rows, holds Wᵀ
// (out×in) and dwt is out×in scratch; see backwardPlan. With noDW the
// caller computes ∂L/∂W itself (see trainer.split0) and grads' W is left
// alone.
func denseBackward[T float](l *layer, params, grads []T, x, z, a, d, dx, wt, dwt general[T], noDW bool) {
	if !sameStorage(z, a) {
		actBackward(l.act, z.Data[:z.Rows*z.Stride], a.Data[:a.Rows*a.Stride], d.Data[:d.Rows*d.Stride])
	}
	switch {
	case noDW:
	case dwt.Rows > 0 && nativeGemm[T]() && zeroFraction(d) > zeroFraction(x)+0.15:
		// dWᵀ = dᵀ·x lets gonum's kernel skip the zeros of d; the
		// transpose back costs far less than the multiply-adds saved.
		gemm(blas.Trans, blas.NoTrans, 1, d, x, 0, dwt)
		transposeInto(weights(l, grads), dwt)
	default:
		gemm(blas.Trans, blas.NoTrans, 1, x, d, 0, weights(l, grads))
	}
	db := bias(l, grads)
	clear(db)
	for i := 0; i < d.Rows; i++ {
		addTo(db, d.Data[i*d.Stride:i*d.Stride+d.Cols])
	}
	switch {
	case dx.Rows == 0:
	case wt.Rows > 0:
		gemm(blas.NoTrans, blas.NoTrans, 1, d, wt, 0, dx)
	default:
		gemm(blas.NoTrans, blas.Trans, 1, d, weights(l, params), 0, dx)
	}
}

// sameStorage reports whether a layer's activation output is its
// pre-activation buffer (linear and output layers skip the copy).
func sameStorage[T float](a, b general[T]) bool {
	return len(a.Data) > 0 && len(b.Data) > 0 && &a.Data[0] == &b.Data[0]
}
