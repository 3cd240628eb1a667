package engine

import "golang.org/x/sys/cpu"

// Adam's square root and division dominate its cost and Go does not
// vectorise them; four lanes at a time make the optimizer step several
// times cheaper, which matters once a fast Gemm has shrunk everything else.
var adamAVX = cpu.X86.HasAVX

//go:noescape
func adamAVX4(p, g, m, v []float64, k *adamConst)

//go:noescape
func adamSumAVX4(p, g, g2, m, v []float64, k *adamConst)

// adamSumUpdate is addTo(g, g2) then adamUpdate(p, g, ...), except that
// the vector part never stores the sum (g is left as it was there).
func adamSumUpdate(p, g, g2, m, v []float64, k *adamConst) {
	n := 0
	if adamAVX {
		n = len(p) &^ 3
		adamSumAVX4(p[:n], g[:n], g2[:n], m[:n], v[:n], k)
	}
	addTo(g[n:len(p)], g2[n:])
	adamGo(p[n:], g[n:], m[n:], v[n:], k)
}

func adamUpdate(p, g, m, v []float64, k *adamConst) {
	n := 0
	if adamAVX {
		n = len(p) &^ 3
		adamAVX4(p[:n], g[:n], m[:n], v[:n], k)
	}
	adamGo(p[n:], g[n:], m[n:], v[n:], k)
}
