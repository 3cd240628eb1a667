package engine

import "golang.org/x/sys/cpu"

// Adam's square root and division dominate its cost and Go does not
// vectorise them; four lanes at a time make the optimizer step several
// times cheaper, which matters once a fast Gemm has shrunk everything else.
var adamAVX = cpu.X86.HasAVX

//go:noescape
func adamAVX4(p, g, m, v []float64, k *adamConst)

func adamUpdate(p, g, m, v []float64, k *adamConst) {
	n := 0
	if adamAVX {
		n = len(p) &^ 3
		adamAVX4(p[:n], g[:n], m[:n], v[:n], k)
	}
	adamGo(p[n:], g[n:], m[n:], v[n:], k)
}
