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
	testElementwiseSameBits(t, specials, func(x float64) uint64 { return math.Float64bits(x) }, 5)
}

// TestElementwise32SameBitsAsGo is the same for the float32 loops.
func TestElementwise32SameBitsAsGo(t *testing.T) {
	nan := float32(math.NaN())
	specials := []float32{0, float32(math.Copysign(0, -1)), nan, -nan, float32(math.Inf(1)), float32(math.Inf(-1)), 1e-40, -1e-40, 2.5, -2.5}
	testElementwiseSameBits(t, specials, func(x float32) uint64 { return uint64(math.Float32bits(x)) }, 7)
}

// testElementwiseSameBits compares each vector loop with its Go twin on
// random values mixed with specials, every length up to 41.
func testElementwiseSameBits[T float](t *testing.T, specials []T, bits func(T) uint64, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 6))
	pick := func(n int) []T {
		s := make([]T, n)
		for i := range s {
			if rng.IntN(3) == 0 {
				s[i] = specials[rng.IntN(len(specials))]
			} else {
				s[i] = T(rng.NormFloat64())
			}
		}
		return s
	}
	same := func(a, b []T) bool {
		return slices.EqualFunc(a, b, func(x, y T) bool { return bits(x) == bits(y) })
	}
	for n := 0; n <= 41; n++ {
		for range 5 {
			z, d, src := pick(n), pick(n), pick(n)
			got, want := make([]T, n), make([]T, n)
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
	want := make([]T, len(z))
	reluGo(z, want)
	relu(z, z)
	if !same(z, want) {
		t.Fatalf("relu in place: got %v, want %v", z, want)
	}
}
