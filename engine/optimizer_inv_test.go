package engine

import (
	"math"
	"math/rand/v2"
	"testing"
)

// adamInv stands in for 1/(√y+ε): it must agree with the correctly rounded
// form to a few ulps over every v an optimizer can hold, including zero,
// subnormals and values whose square root swamps ε.
func TestAdamInvMatchesSqrtDivide(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	ys := []float64{0, math.SmallestNonzeroFloat64, 1e-310, 1e-200, 1e-100, 1e-40, 1e-17, 1e-16, 1e-15, 1, 2, 1e20, 1e200, math.MaxFloat64 / 4}
	for range 200000 {
		ys = append(ys, math.Ldexp(1+rng.Float64(), rng.IntN(1300)-1100))
	}
	for _, eps := range []float64{1e-8, 1e-7, 1e-12} {
		worst := 0.0
		for _, y := range ys {
			want := 1 / (math.Sqrt(y) + eps)
			got := adamInv(y, eps)
			if rel := math.Abs(got-want) / want; rel > worst {
				worst = rel
			}
			if rel := math.Abs(got-want) / want; !(rel <= 1e-15) {
				t.Fatalf("eps %g, y %g: adamInv %v, 1/(√y+ε) %v (relative error %.2g)", eps, y, got, want, rel)
			}
		}
		t.Logf("eps %g: worst relative error %.2g", eps, worst)
	}
}
