package engine

import "math"

// adam32Const is adamConst rounded to float32, laid out for adamAVX32.
type adam32Const struct {
	b1, ob1, b2, ob2, lc, c2, eps, shrink, pl2, pl1, tiny float32
	absMask                                               uint32
	pen                                                   int32
}

//go:noescape
func adamAVX32(p, g, g2, m, v []float32, k *adam32Const)

// adamUpdate32 is adamGo32 over p, eight lanes at a time where the CPU has
// AVX2 (adamAVX32, the same bits), the tail in Go. float32 Adam has no
// need of adamInv's Newton steps: an eight-lane square root and division
// cost less than the rest of the update.
func adamUpdate32(p, g, g2, m, v []float32, k *adamConst) {
	n := 0
	if elementwiseAVX {
		n = len(p) &^ 7
		c := adam32Const{
			b1: float32(k.b1), ob1: float32(k.ob1), b2: float32(k.b2), ob2: float32(k.ob2),
			lc: float32(k.lc), c2: float32(k.c2), eps: float32(k.eps), shrink: float32(k.shrink),
			pl2: float32(k.pl2), pl1: float32(k.pl1), tiny: tinyWeight32,
			absMask: math.Float32bits(float32(math.Inf(1))) | (1<<23 - 1), pen: int32(k.pen),
		}
		var h []float32
		if g2 != nil {
			h = g2[:n]
		}
		adamAVX32(p[:n], g[:n], h, m[:n], v[:n], &c)
	}
	var h []float32
	if g2 != nil {
		h = g2[n:]
	}
	adamGo32(p[n:], g[n:], h, m[n:], v[n:], k)
}
