package engine

import (
	"gonum.org/v1/gonum/blas"
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
)

// gemm computes c = alpha·op(a)·op(b) + beta·c. Every product of the engine
// goes through here and on through blas64, so an implementation installed
// with blas64.Use serves them all; such an implementation gets the whole
// product in one call, to block and parallelise as it sees fit.
func gemm(tA, tB blas.Transpose, alpha float64, a, b blas64.General, beta float64, c blas64.General) {
	if _, native := blas64.Implementation().(gonum.Implementation); !native {
		blas64.Gemm(tA, tB, alpha, a, b, beta, c)
		return
	}
	m, n, k := c.Rows, c.Cols, a.Cols
	if tA == blas.Trans {
		k = a.Rows
	}
	if m <= tileM && n <= tileN && k <= tileK {
		blas64.Gemm(tA, tB, alpha, a, b, beta, c)
		return
	}
	for i := 0; i < m; i += tileM {
		mi := min(tileM, m-i)
		for j := 0; j < n; j += tileN {
			nj := min(tileN, n-j)
			cs := sub(c, i, j, mi, nj)
			bt := beta
			for l := 0; l < k; l += tileK {
				kl := min(tileK, k-l)
				var as, bs blas64.General
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
				blas64.Gemm(tA, tB, alpha, as, bs, bt, cs)
				bt = 1
			}
			if k == 0 { // nothing to add, but beta still scales c
				blas64.Gemm(tA, tB, alpha, a, b, beta, cs)
			}
		}
	}
}

// sub is the r×c block of g at (i, j), sharing storage.
func sub(g blas64.General, i, j, r, c int) blas64.General {
	return blas64.General{Rows: r, Cols: c, Stride: g.Stride, Data: g.Data[i*g.Stride+j : (i+r-1)*g.Stride+j+c]}
}
