package engine

import "math"

// reluGo is ReLU's forward pass: max, not a sign-bit trick, so that a NaN
// reaches the loss and divergence is caught.
func reluGo[T float](z, out []T) {
	out = out[:len(z)]
	for i, v := range z {
		out[i] = max(v, 0)
	}
}

// reluBackGo zeroes d where z's sign bit is set. Branch-free; a z of
// exactly +0 keeps its gradient (a subgradient at the kink either way).
func reluBackGo[T float](z, d []T) {
	if is32[T]() {
		d32 := f32s(d)
		z32 := f32s(z)[:len(d32)]
		for i, v := range z32 {
			d32[i] = math.Float32frombits(math.Float32bits(d32[i]) &^ uint32(int32(math.Float32bits(v))>>31))
		}
		return
	}
	d64 := f64s(d)
	z64 := f64s(z)[:len(d64)]
	for i, v := range z64 {
		d64[i] = math.Float64frombits(math.Float64bits(d64[i]) &^ uint64(int64(math.Float64bits(v))>>63))
	}
}

// addToGo is dst += src.
func addToGo[T float](dst, src []T) {
	src = src[:len(dst)]
	for i, v := range src {
		dst[i] += v
	}
}
