package engine

import (
	"math/rand/v2"

	"gonum.org/v1/gonum/blas/blas64"
)

// Inverted dropout: while training, each unit is kept with probability
// 1-rate and scaled by 1/(1-rate), so inference needs no rescaling and the
// layer is simply skipped there.

// dropoutForward draws a fresh mask and writes a = x ⊙ mask.
func dropoutForward(rate float64, x, a blas64.General, mask []float64, rng *rand.Rand) {
	scale := 1 / (1 - rate)
	for i := 0; i < x.Rows; i++ {
		xr := x.Data[i*x.Stride : i*x.Stride+x.Cols]
		ar := a.Data[i*a.Stride : i*a.Stride+a.Cols]
		mr := mask[i*x.Cols : (i+1)*x.Cols]
		for j, v := range xr {
			s := 0.0
			if rng.Float64() >= rate {
				s = scale
			}
			mr[j] = s
			ar[j] = v * s
		}
	}
}

// dropoutBackward writes dx = d ⊙ mask.
func dropoutBackward(d, dx blas64.General, mask []float64) {
	n := d.Rows * d.Cols
	dd, dxd, m := d.Data[:n], dx.Data[:n], mask[:n]
	for i, v := range dd {
		dxd[i] = v * m[i]
	}
}
