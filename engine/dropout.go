package engine

import "math/rand/v2"

// Inverted dropout: while training, each unit is kept with probability
// 1-rate and scaled by 1/(1-rate), so inference needs no rescaling and the
// layer is simply skipped there.

// dropoutForward draws a fresh mask and writes a = x ⊙ mask.
func dropoutForward[T float](rate float64, x, a general[T], mask []T, rng *rand.Rand) {
	scale := T(1 / (1 - rate))
	for i := 0; i < x.Rows; i++ {
		xr := x.Data[i*x.Stride : i*x.Stride+x.Cols]
		ar := a.Data[i*a.Stride : i*a.Stride+a.Cols]
		mr := mask[i*x.Cols : (i+1)*x.Cols]
		for j, v := range xr {
			var s T
			if rng.Float64() >= rate {
				s = scale
			}
			mr[j] = s
			ar[j] = v * s
		}
	}
}

// dropoutBackward writes dx = d ⊙ mask.
func dropoutBackward[T float](d, dx general[T], mask []T) {
	n := d.Rows * d.Cols
	dd, dxd, m := d.Data[:n], dx.Data[:n], mask[:n]
	for i, v := range dd {
		dxd[i] = v * m[i]
	}
}
