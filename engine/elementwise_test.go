package engine

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// The vector loops must give exactly the bits of their Go twins, special
// values included: NaN must survive ReLU (divergence is caught at the
// loss), and -0, +0 and -NaN take the side of their sign bit backward.
func TestElementwiseSameBitsAsGo(t *testing.T) {
	specials := []float64{0, math.Copysign(0, -1), math.NaN(), -math.NaN(), math.Inf(1), math.Inf(-1), 1e-310, -1e-310, 2.5, -2.5}
	rng := rand.New(rand.NewPCG(5, 6))
	pick := func(n int) []float64 {
		s := make([]float64, n)
		for i := range s {
			if rng.IntN(3) == 0 {
				s[i] = specials[rng.IntN(len(specials))]
			} else {
				s[i] = rng.NormFloat64()
			}
		}
		return s
	}
	same := func(a, b []float64) bool {
		return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
	}
	for n := 0; n <= 41; n++ {
		for range 5 {
			z, d, src := pick(n), pick(n), pick(n)
			got, want := make([]float64, n), make([]float64, n)
			relu(z, got)
			reluGo(z, want)
			if !same(got, want) {
				t.Fatalf("relu n=%d: z %v: got %v, want %v", n, z, got, want)
			}
			got, want = slices.Clone(d), slices.Clone(d)
			reluBack(z, got)
			reluBackGo(z, want)
			if !same(got, want) {
				t.Fatalf("reluBack n=%d: z %v, d %v: got %v, want %v", n, z, d, got, want)
			}
			got, want = slices.Clone(d), slices.Clone(d)
			addTo(got, src)
			addToGo(want, src)
			if !same(got, want) {
				t.Fatalf("addTo n=%d: got %v, want %v", n, got, want)
			}
			for _, p := range [][2]float64{{0, 1e-3}, {1e-4, 0}, {1e-4, 1e-3}, {0.5, 2}} {
				got, want = slices.Clone(d), slices.Clone(d)
				addPenalties(z, got, p[0], p[1])
				addPenaltiesGo(z, want, p[0], p[1])
				if !same(got, want) {
					t.Fatalf("addPenalties n=%d, l1 %g, l2 %g: w %v, g %v: got %v, want %v", n, p[0], p[1], z, d, got, want)
				}
			}
		}
	}
	// In place, as the activation uses it when out aliases z.
	z := pick(23)
	want := make([]float64, len(z))
	reluGo(z, want)
	relu(z, z)
	if !same(z, want) {
		t.Fatalf("relu in place: got %v, want %v", z, want)
	}
}
