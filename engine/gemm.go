package engine

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// Tile sizes for gonum's own Dgemm. Its serial kernel streams all of B for
// every row of A, so bounding k and n keeps B's tile in cache; and a call
// whose C spans four or more 64×64 blocks would start goroutines (and
// allocate) on every call, which the training step must not do: the
// engine parallelises across batch shards instead.
const (
	tileM = 64
	tileN = 192 // 3 blocks of 64: below gonum's parallel threshold of 4
	tileK = 128

	// gemvRows is the most rows for which gonum's own Dgemm is replaced
	// by one Dgemv per row: BenchmarkPredict/1row (784-256-128-10)
	// takes 43 µs that way against 66 µs tiled, and 4 rows 176 µs against
	// 247 µs. Both compute each element as the bias plus x[k]·w[k][j]
	// added in order of k, so the bits are the same either way.
	gemvRows = 8
)

// gemm computes c = alpha·op(a)·op(b) + beta·c. Every product of the engine
// goes through here and on through blas64, so an implementation installed
// with blas64.Use serves them all; such an implementation gets the whole
// product in one call, to block and parallelise as it sees fit.
//
// A float32 product goes the same way to blas32: whole to an installed
// Sgemm, tiled for gonum's own.
func gemm[T float](tA, tB blas.Transpose, alpha T, a, b general[T], beta T, c general[T]) {
	// An installed Gemm gets every product whole, however few its rows:
	// it computes a row of C the same way alone as in a batch (see
	// engine/gemm's small), so Predict gives a row the same bits in a
	// request of one row as in a batch of thousands. Cutting a product of
	// a few rows into k tiles here would break that for a kernel whose own
	// k block is not the tile (AVX2's 256) and cost a call per tile; its
	// few-row kernels make tiling pointless anyway.
	if !nativeGemm[T]() {
		blasGemm(tA, tB, alpha, a, b, beta, c)
		return
	}
	if tA == blas.NoTrans && tB == blas.NoTrans && c.Rows <= gemvRows {
		gemvRowsInto(alpha, a, b, beta, c)
		return
	}
	m, n, k := c.Rows, c.Cols, a.Cols
	if tA == blas.Trans {
		k = a.Rows
	}
	if m <= tileM && n <= tileN && k <= tileK {
		blasGemm(tA, tB, alpha, a, b, beta, c)
		return
	}
	// Equal tiles: 256 columns as 128+128 beats 192+64, whose short rows
	// spend more of each axpy in loop overhead.
	tm := ceilDiv(m, ceilDiv(m, tileM))
	tn := ceilDiv(n, ceilDiv(n, tileN))
	if ceilDiv(tm, 64)*ceilDiv(tn, 64) > 3 {
		tn = 64 * (3 / ceilDiv(tm, 64))
	}
	for i := 0; i < m; i += tm {
		mi := min(tm, m-i)
		for j := 0; j < n; j += tn {
			nj := min(tn, n-j)
			cs := sub(c, i, j, mi, nj)
			bt := beta
			for l := 0; l < k; l += tileK {
				kl := min(tileK, k-l)
				var as, bs general[T]
				if tA == blas.Trans {
					as = sub(a, l, i, kl, mi)
				} else {
					as = sub(a, i, l, mi, kl)
				}
				if tB == blas.Trans {
					bs = sub(b, j, l, nj, kl)
				} else {
					bs = sub(b, l, j, kl, nj)
				}
				blasGemm(tA, tB, alpha, as, bs, bt, cs)
				bt = 1
			}
			if k == 0 { // nothing to add, but beta still scales c
				blasGemm(tA, tB, alpha, a, b, beta, cs)
			}
		}
	}
}

// blasGemm is blas64.Gemm or blas32.Gemm, by T.
func blasGemm[T float](tA, tB blas.Transpose, alpha T, a, b general[T], beta T, c general[T]) {
	if is32[T]() {
		blas32.Gemm(tA, tB, float32(alpha), as32(a), as32(b), float32(beta), as32(c))
		return
	}
	blas64.Gemm(tA, tB, float64(alpha), as64(a), as64(b), float64(beta), as64(c))
}

// gemvRowsInto is c = alpha·a·b + beta·c one row at a time, as Dgemv (or
// Sgemv) with bᵀ: gonum's Dgemm adds the same products in the same order,
// but for a row or two it first spends more than the multiply on its
// set-up (and on goroutines when b is large).
func gemvRowsInto[T float](alpha T, a, b general[T], beta T, c general[T]) {
	impl := gonum.Implementation{}
	for i := 0; i < c.Rows; i++ {
		ar, cr := a.Data[i*a.Stride:i*a.Stride+a.Cols], c.Data[i*c.Stride:i*c.Stride+c.Cols]
		if is32[T]() {
			impl.Sgemv(blas.Trans, b.Rows, b.Cols, float32(alpha), f32s(b.Data), b.Stride, f32s(ar), 1, float32(beta), f32s(cr), 1)
		} else {
			impl.Dgemv(blas.Trans, b.Rows, b.Cols, float64(alpha), f64s(b.Data), b.Stride, f64s(ar), 1, float64(beta), f64s(cr), 1)
		}
	}
}

// sub is the r×c block of g at (i, j), sharing storage.
func sub[T float](g general[T], i, j, r, c int) general[T] {
	return general[T]{Rows: r, Cols: c, Stride: g.Stride, Data: g.Data[i*g.Stride+j : (i+r-1)*g.Stride+j+c]}
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// nativeGemm reports whether blas64 still runs gonum's own Dgemm, whose
// serial kernels skip zero elements of A: the engine then arranges products
// so that the operand with more zeros (ReLU outputs and masks) is A.
func nativeGemm[T float]() bool {
	if is32[T]() {
		_, ok := blas32.Implementation().(gonum.Implementation)
		return ok
	}
	_, ok := blas64.Implementation().(gonum.Implementation)
	return ok
}

// zeroFraction is the share of exact zeros in g.
func zeroFraction[T float](g general[T]) float64 {
	z := 0
	for i := 0; i < g.Rows; i++ {
		for _, v := range g.Data[i*g.Stride : i*g.Stride+g.Cols] {
			if v == 0 {
				z++
			}
		}
	}
	return float64(z) / float64(g.Rows*g.Cols)
}

// transposeInto writes srcᵀ into dst (dst is src.Cols×src.Rows). It walks
// strips of 16 source columns so that the 16 destination rows being filled
// stay in L1: wider blocks at power-of-two strides (a 256-wide gradient is
// 2 KiB a row) collide in the same cache sets and run several times slower.
func transposeInto[T float](dst, src general[T]) {
	const strip = 16
	for j0 := 0; j0 < src.Cols; j0 += strip {
		j1 := min(j0+strip, src.Cols)
		for i := 0; i < src.Rows; i++ {
			for jj, v := range src.Data[i*src.Stride+j0 : i*src.Stride+j1] {
				dst.Data[(j0+jj)*dst.Stride+i] = v
			}
		}
	}
}
