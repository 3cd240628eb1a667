package engine

import "math"

// adamGo32 is Adam's update in float32 (adamGo's arithmetic with a plain
// square root and division, which float32 has to spare): the moments and
// weights in float32, the step's constants rounded to float32 once. g2,
// if not nil, is added to g first, as the trainer's reduce would; with
// k.pen set the L1/L2 gradient of p is added too (addPenaltiesGo's order).
func adamGo32(p, g, g2, m, v []float32, k *adamConst) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	b1, ob1, b2, ob2 := float32(k.b1), float32(k.ob1), float32(k.b2), float32(k.ob2)
	lc, c2, eps, shrink := float32(k.lc), float32(k.c2), float32(k.eps), float32(k.shrink)
	pl2, pl1 := float32(k.pl2), float32(k.pl1)
	for i, gi := range g {
		if g2 != nil {
			gi += g2[i]
		}
		if k.pen != 0 {
			d := float32(pl2 * p[i])
			if p[i] > 0 {
				d += pl1
			} else if p[i] < 0 {
				d -= pl1
			}
			gi += d
		}
		mi := flushTiny(b1*m[i] + ob1*gi)
		vi := flushTiny(b2*v[i] + ob2*gi*gi)
		m[i], v[i] = mi, vi
		p[i] -= lc*mi/(float32(math.Sqrt(float64(vi*c2)))+eps) + shrink*p[i]
	}
}
