//go:build amd64 && !amd64.v3

// With GOAMD64=v3 the compiler may fuse adamGo's multiply-adds, and the two
// loops would then differ in the last bit; the default build does not.

package engine

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// The vector loop must give exactly the bits of the Go loop, so that a run
// is reproducible on machines with and without AVX.
func TestAdamAVXSameBitsAsGo(t *testing.T) {
	if !adamAVX {
		t.Skip("no AVX on this CPU: adamGo alone runs")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n <= 41; n++ {
		fill := func() []float64 {
			s := make([]float64, n)
			for i := range s {
				s[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(7)-3))
			}
			return s
		}
		p, g, m, v := fill(), fill(), fill(), fill()
		for i := range v {
			v[i] = math.Abs(v[i])
		}
		k := adamConst{b1: 0.9, ob1: 0.1, b2: 0.999, ob2: 1 - 0.999, lc: 1e-3 * 1.7, c2: 1.3, eps: 1e-8, shrink: 1e-5}
		p2, m2, v2 := slices.Clone(p), slices.Clone(m), slices.Clone(v)
		adamUpdate(p, g, m, v, &k)
		adamGo(p2, g, m2, v2, &k)
		for i := range p {
			if math.Float64bits(p[i]) != math.Float64bits(p2[i]) || m[i] != m2[i] || v[i] != v2[i] {
				t.Fatalf("n=%d, element %d: AVX p=%v m=%v v=%v, Go p=%v m=%v v=%v", n, i, p[i], m[i], v[i], p2[i], m2[i], v2[i])
			}
		}
	}
}

// Adam on two shards' gradients must give the bits of summing them first
// (the trainer's reduce) and then running Adam.
func TestAdamSumSameBitsAsReduceThenAdam(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for n := 0; n <= 41; n++ {
		fill := func() []float64 {
			s := make([]float64, n)
			for i := range s {
				s[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(7)-3))
			}
			return s
		}
		p, g, g2, m, v := fill(), fill(), fill(), fill(), fill()
		for i := range v {
			v[i] = math.Abs(v[i])
		}
		k := adamConst{b1: 0.9, ob1: 0.1, b2: 0.999, ob2: 1 - 0.999, lc: 1e-3 * 1.7, c2: 1.3, eps: 1e-8, shrink: 1e-5}
		p2, gs, m2, v2 := slices.Clone(p), slices.Clone(g), slices.Clone(m), slices.Clone(v)
		addToGo(gs, g2)
		adamGo(p2, gs, m2, v2, &k)
		adamSumUpdate(p, g, g2, m, v, &k)
		for i := range p {
			if math.Float64bits(p[i]) != math.Float64bits(p2[i]) || m[i] != m2[i] || v[i] != v2[i] {
				t.Fatalf("n=%d, element %d: fused p=%v m=%v v=%v, reduce+Go p=%v m=%v v=%v", n, i, p[i], m[i], v[i], p2[i], m2[i], v2[i])
			}
		}
	}
}
