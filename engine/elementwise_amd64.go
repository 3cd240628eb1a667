package engine

import (
	"math"

	"golang.org/x/sys/cpu"
)

// The ReLU passes and the bias-gradient and shard-gradient sums are a few
// percent each of a small network's step; Go does not vectorise them.
var elementwiseAVX = cpu.X86.HasAVX2

//go:noescape
func reluAVX(z, out []float64)

//go:noescape
func reluBackAVX(z, d []float64)

//go:noescape
func addToAVX(dst, src []float64)

//go:noescape
func penaltyAVX(w, g []float64, k *penaltyConst)

//go:noescape
func relu32AVX(z, out []float32)

//go:noescape
func reluBack32AVX(z, d []float32)

//go:noescape
func addTo32AVX(dst, src []float32)

func relu[T float](z, out []T) {
	if is32[T]() {
		n := 0
		if elementwiseAVX {
			n = len(z) &^ 7
			relu32AVX(f32s(z[:n]), f32s(out[:n]))
		}
		reluGo(z[n:], out[n:])
		return
	}
	relu64(f64s(z), f64s(out))
}

func relu64(z, out []float64) {
	n := 0
	if elementwiseAVX {
		n = len(z) &^ 3
		reluAVX(z[:n], out[:n])
	}
	reluGo(z[n:], out[n:])
}

func reluBack[T float](z, d []T) {
	if is32[T]() {
		n := 0
		if elementwiseAVX {
			n = len(d) &^ 7
			reluBack32AVX(f32s(z[:n]), f32s(d[:n]))
		}
		reluBackGo(z[n:], d[n:])
		return
	}
	reluBack64(f64s(z), f64s(d))
}

func reluBack64(z, d []float64) {
	n := 0
	if elementwiseAVX {
		n = len(d) &^ 3
		reluBackAVX(z[:n], d[:n])
	}
	reluBackGo(z[n:], d[n:])
}

func addTo[T float](dst, src []T) {
	if is32[T]() {
		n := 0
		if elementwiseAVX {
			n = len(dst) &^ 7
			addTo32AVX(f32s(dst[:n]), f32s(src[:n]))
		}
		addToGo(dst[n:], src[n:])
		return
	}
	addTo64(f64s(dst), f64s(src))
}

func addTo64(dst, src []float64) {
	n := 0
	if elementwiseAVX {
		n = len(dst) &^ 3
		addToAVX(dst[:n], src[:n])
	}
	addToGo(dst[n:], src[n:])
}

// addPenalties adds the gradients of L1·Σ|w| and L2·Σw² over the weights
// w to g. The branches of a plain loop on the signs of random weights
// mispredicted half the time: with the CLI's default L2 that loop alone was
// a third of the 784-256-128-10 step.
func addPenalties[T float](w, g []T, l1, l2 float64) {
	if is32[T]() {
		addPenaltiesGo(w, g, l1, l2)
		return
	}
	addPenalties64(f64s(w), f64s(g), l1, l2)
}

func addPenalties64(w, g []float64, l1, l2 float64) {
	n := 0
	if elementwiseAVX {
		n = len(w) &^ 3
		k := penaltyConst{l2x2: 2 * l2, l1: l1, negZero: math.Copysign(0, -1)}
		penaltyAVX(w[:n], g[:n], &k)
	}
	addPenaltiesGo(w[n:], g[n:], l1, l2)
}
