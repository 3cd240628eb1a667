package engine

import "golang.org/x/sys/cpu"

// The ReLU passes and the bias-gradient and shard-gradient sums are a few
// percent each of a small network's step; Go does not vectorise them.
var elementwiseAVX = cpu.X86.HasAVX2

//go:noescape
func reluAVX(z, out []float64)

//go:noescape
func reluBackAVX(z, d []float64)

//go:noescape
func addToAVX(dst, src []float64)

func relu(z, out []float64) {
	n := 0
	if elementwiseAVX {
		n = len(z) &^ 3
		reluAVX(z[:n], out[:n])
	}
	reluGo(z[n:], out[n:])
}

func reluBack(z, d []float64) {
	n := 0
	if elementwiseAVX {
		n = len(d) &^ 3
		reluBackAVX(z[:n], d[:n])
	}
	reluBackGo(z[n:], d[n:])
}

func addTo(dst, src []float64) {
	n := 0
	if elementwiseAVX {
		n = len(dst) &^ 3
		addToAVX(dst[:n], src[:n])
	}
	addToGo(dst[n:], src[n:])
}
