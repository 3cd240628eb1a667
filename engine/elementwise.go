package engine

import "math"

// reluGo is ReLU's forward pass: max, not a sign-bit trick, so that a NaN
// reaches the loss and divergence is caught.
func reluGo(z, out []float64) {
	out = out[:len(z)]
	for i, v := range z {
		out[i] = max(v, 0)
	}
}

// reluBackGo zeroes d where z's sign bit is set. Branch-free; a z of
// exactly +0 keeps its gradient (a subgradient at the kink either way).
func reluBackGo(z, d []float64) {
	z = z[:len(d)]
	for i, v := range z {
		d[i] = math.Float64frombits(math.Float64bits(d[i]) &^ uint64(int64(math.Float64bits(v))>>63))
	}
}

// addToGo is dst += src.
func addToGo(dst, src []float64) {
	src = src[:len(dst)]
	for i, v := range src {
		dst[i] += v
	}
}
