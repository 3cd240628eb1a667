//go:build amd64 && !amd64.v3

package engine

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAdam32AVXSameBitsAsGo checks that the eight-lane float32 Adam loop
// gives exactly adamGo32's bits, with and without a second shard's
// gradient and the L1/L2 penalty, and flushes tiny moments as it does.
func TestAdam32AVXSameBitsAsGo(t *testing.T) {
	if !elementwiseAVX {
		t.Skip("no AVX2 on this CPU: adamGo32 alone runs")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	fill := func(n int) []float32 {
		s := make([]float32, n)
		for i := range s {
			s[i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(7)-3)))
		}
		return s
	}
	for _, n := range []int{8, 16, 37, 64, 101} {
		for _, withG2 := range []bool{false, true} {
			for _, pen := range []bool{false, true} {
				p, g, m, v := fill(n), fill(n), fill(n), fill(n)
				for i := range v {
					v[i] = float32(math.Abs(float64(v[i])))
				}
				p[0], p[1] = 0, float32(math.Copysign(0, -1))
				m[2], v[3] = 1e-35, 1e-36 // flushed by the update
				var g2 []float32
				if withG2 {
					g2 = fill(n)
				}
				k := adamConst{b1: 0.9, ob1: 0.1, b2: 0.999, ob2: 0.001, lc: 1e-3 * 1.7, c2: 3.1, eps: 1e-8, shrink: 1e-5}
				if pen {
					k.pen, k.pl2, k.pl1 = 1, 2e-3, 1e-4
				}
				p2, m2, v2 := append([]float32(nil), p...), append([]float32(nil), m...), append([]float32(nil), v...)
				adamUpdate32(p, g, g2, m, v, &k)
				adamGo32(p2, g, g2, m2, v2, &k)
				for i := range p {
					if math.Float32bits(p[i]) != math.Float32bits(p2[i]) || math.Float32bits(m[i]) != math.Float32bits(m2[i]) || math.Float32bits(v[i]) != math.Float32bits(v2[i]) {
						t.Fatalf("n=%d g2=%v pen=%v [%d]: AVX p,m,v = %v,%v,%v; Go %v,%v,%v", n, withG2, pen, i, p[i], m[i], v[i], p2[i], m2[i], v2[i])
					}
				}
				if n > 3 && (m2[2] != 0 && math.Abs(float64(m2[2])) < tinyWeight32) {
					t.Fatalf("tiny first moment %v not flushed", m2[2])
				}
			}
		}
	}
}
