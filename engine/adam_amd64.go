package engine

import "golang.org/x/sys/cpu"

// Go does not vectorise Adam's square root and reciprocal (adamInv: a
// correctly rounded square root, then Newton steps of multiply-adds);
// these loops run them several lanes at a time, which makes the optimizer
// step several times cheaper, which matters once a fast Gemm has shrunk
// everything else. The four-lane loops need AVX2 for the integer bit trick
// and FMA for adamInv's fused steps.
var adamAVX = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// adamAVX512 runs the loops eight lanes wide, with the constants in
// registers the AVX2 loop does not have.
var adamAVX512 = cpu.X86.HasAVX512F

//go:noescape
func adamAVX4(p, g, m, v []float64, k *adamConst)

//go:noescape
func adamSumAVX4(p, g, g2, m, v []float64, k *adamConst)

//go:noescape
func adamAVX8(p, g, m, v []float64, k *adamConst)

//go:noescape
func adamSumAVX8(p, g, g2, m, v []float64, k *adamConst)

// adamSumUpdate is addTo(g, g2) then adamUpdate(p, g, ...), except that
// the vector part never stores the sum (g is left as it was there).
func adamSumUpdate(p, g, g2, m, v []float64, k *adamConst) {
	n := 0
	if adamAVX512 {
		n = len(p) &^ 7
		adamSumAVX8(p[:n], g[:n], g2[:n], m[:n], v[:n], k)
	} else if adamAVX {
		n = len(p) &^ 3
		adamSumAVX4(p[:n], g[:n], g2[:n], m[:n], v[:n], k)
	}
	addTo(g[n:len(p)], g2[n:])
	adamGo(p[n:], g[n:], m[n:], v[n:], k)
}

func adamUpdate(p, g, m, v []float64, k *adamConst) {
	n := 0
	if adamAVX512 {
		n = len(p) &^ 7
		adamAVX8(p[:n], g[:n], m[:n], v[:n], k)
	} else if adamAVX {
		n = len(p) &^ 3
		adamAVX4(p[:n], g[:n], m[:n], v[:n], k)
	}
	adamGo(p[n:], g[n:], m[n:], v[n:], k)
}
