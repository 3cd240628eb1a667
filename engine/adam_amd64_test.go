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
	eachAdamWidth(testAdamAVXSameBitsAsGo)(t)
}

// eachAdamWidth runs f on the eight-lane loops where the CPU has them, then
// on the four-lane ones.
func eachAdamWidth(f func(*testing.T)) func(*testing.T) {
	return func(t *testing.T) {
		f(t)
		if adamAVX512 {
			adamAVX512 = false
			defer func() { adamAVX512 = true }()
			f(t)
		}
	}
}

// randomState returns n values of mixed magnitudes (1e-3 to 1e3).
func randomState(rng *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(7)-3))
	}
	return s
}

// tinyValue is a value between about 1e-140 and 1e-320 (subnormal), of
// either sign: flushTiny makes every one of them 0.
func tinyValue(rng *rand.Rand) float64 {
	return (rng.Float64() - 0.5) * math.Pow(10, -float64(140+rng.IntN(180)))
}

func testAdamAVXSameBitsAsGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n <= 41; n++ {
		fill := func() []float64 { return randomState(rng, n) }
		p, g, m, v := fill(), fill(), fill(), fill()
		for i := range v {
			v[i] = math.Abs(v[i])
		}
		// Weights at ±0 take the L1 term's sign branch neither way; a
		// gradient and moment of -0 show whether the penalty added +0 or
		// -0 there (m' = b1·m + (1-b1)·g keeps the sign of that zero).
		for i := range p {
			switch rng.IntN(8) {
			case 0:
				p[i] = 0
			case 1:
				p[i] = math.Copysign(0, -1)
			}
			if rng.IntN(4) == 0 {
				g[i], m[i] = math.Copysign(0, -1), math.Copysign(0, -1)
			}
			// Tiny and subnormal state and gradients: the results must
			// be flushed to +0 alike (flushTiny).
			if rng.IntN(6) == 0 {
				sub := func() float64 { return tinyValue(rng) }
				p[i], m[i], v[i], g[i] = sub(), sub(), math.Abs(sub()), sub()
			}
		}
		for _, pen := range []struct{ l1, l2 float64 }{{0, 0}, {0, 1e-3}, {1e-4, 0}, {1e-4, 1e-2}} {
			k := adamConst{b1: 0.9, ob1: 0.1, b2: 0.999, ob2: 1 - 0.999, lc: 1e-3 * 1.7, c2: 1.3, eps: 1e-8, shrink: 1e-5}
			if pen.l1 != 0 || pen.l2 != 0 {
				k.pen, k.pl2, k.pl1, k.negZero = 1, 2*pen.l2, pen.l1, math.Copysign(0, -1)
			}
			p1, m1, v1 := slices.Clone(p), slices.Clone(m), slices.Clone(v)
			p2, m2, v2 := slices.Clone(p), slices.Clone(m), slices.Clone(v)
			adamUpdate(p1, g, m1, v1, &k)
			adamGo(p2, g, m2, v2, &k)
			// The fused penalty must equal addPenalties, then Adam.
			p3, m3, v3, g3 := slices.Clone(p), slices.Clone(m), slices.Clone(v), slices.Clone(g)
			k3 := k
			k3.pen = 0
			addPenaltiesGo(p3, g3, pen.l1, pen.l2)
			if k.pen == 0 {
				g3 = g
			}
			adamGo(p3, g3, m3, v3, &k3)
			for i := range p1 {
				for _, x := range []float64{m1[i], v1[i]} {
					if x != 0 && math.Abs(x) < tinyWeight || math.Signbit(x) && x == 0 {
						t.Fatalf("AVX-512 %v, n=%d, penalty %+v, element %d: tiny moment or -0 left: m=%v v=%v", adamAVX512, n, pen, i, m1[i], v1[i])
					}
				}
				if math.Float64bits(p1[i]) != math.Float64bits(p2[i]) || math.Float64bits(m1[i]) != math.Float64bits(m2[i]) || v1[i] != v2[i] {
					t.Fatalf("AVX-512 %v, n=%d, penalty %+v, element %d: AVX p=%v m=%v v=%v, Go p=%v m=%v v=%v", adamAVX512, n, pen, i, p1[i], m1[i], v1[i], p2[i], m2[i], v2[i])
				}
				if math.Float64bits(p1[i]) != math.Float64bits(p3[i]) || math.Float64bits(m1[i]) != math.Float64bits(m3[i]) || v1[i] != v3[i] {
					t.Fatalf("n=%d, penalty %+v, element %d: fused p=%v m=%v, addPenalties then Adam p=%v m=%v", n, pen, i, p1[i], m1[i], p3[i], m3[i])
				}
			}
		}
	}
}

// Adam on two shards' gradients must give the bits of summing them first
// (the trainer's reduce) and then running Adam.
func TestAdamSumSameBitsAsReduceThenAdam(t *testing.T) {
	eachAdamWidth(testAdamSumSameBitsAsReduceThenAdam)(t)
}

func testAdamSumSameBitsAsReduceThenAdam(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for n := 0; n <= 41; n++ {
		fill := func() []float64 { return randomState(rng, n) }
		p, g, g2, m, v := fill(), fill(), fill(), fill(), fill()
		for i := range v {
			v[i] = math.Abs(v[i])
			if rng.IntN(6) == 0 { // tiny and subnormal values, flushed alike
				sub := func() float64 { return tinyValue(rng) }
				p[i], m[i], v[i], g[i], g2[i] = sub(), sub(), math.Abs(sub()), sub(), sub()
			}
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
