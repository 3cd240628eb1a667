package engine

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestElementwise32SameBitsAsGo is TestElementwiseSameBitsAsGo for the
// float32 loops: the eight-lane ReLU, its backward pass and the gradient
// sum give the Go loops' bits, special values included.
func TestElementwise32SameBitsAsGo(t *testing.T) {
	nan := float32(math.NaN())
	specials := []float32{0, float32(math.Copysign(0, -1)), nan, -nan, float32(math.Inf(1)), float32(math.Inf(-1)), 1e-40, -1e-40, 2.5, -2.5}
	rng := rand.New(rand.NewPCG(7, 8))
	pick := func(n int) []float32 {
		s := make([]float32, n)
		for i := range s {
			if rng.IntN(3) == 0 {
				s[i] = specials[rng.IntN(len(specials))]
			} else {
				s[i] = float32(rng.NormFloat64())
			}
		}
		return s
	}
	same := func(a, b []float32) bool {
		return slices.EqualFunc(a, b, func(x, y float32) bool { return math.Float32bits(x) == math.Float32bits(y) })
	}
	for n := 0; n <= 41; n++ {
		for range 5 {
			z, d, src := pick(n), pick(n), pick(n)
			got, want := make([]float32, n), make([]float32, n)
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
			got, want = slices.Clone(d), slices.Clone(d)
			addPenalties(z, got, 1e-4, 1e-3)
			addPenaltiesGo(z, want, 1e-4, 1e-3)
			if !same(got, want) {
				t.Fatalf("addPenalties n=%d: got %v, want %v", n, got, want)
			}
		}
	}
}
