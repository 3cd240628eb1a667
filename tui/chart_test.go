package tui

import (
	"math"
	"testing"
)

// TestEnvelopeKeepsExtremes: downsampling 100k points keeps a one-epoch
// spike and dip, stays within two points a bucket, and keeps a gap of
// NaNs as a gap.
func TestEnvelopeKeepsExtremes(t *testing.T) {
	const n = 100_000
	ys := make([]float64, n)
	for i := range ys {
		ys[i] = 1
	}
	ys[54321], ys[777] = 9, -3
	for i := 90_000; i < 92_000; i++ {
		ys[i] = math.NaN()
	}
	xs, got := envelope(n, func(i int) float64 { return float64(i + 1) }, func(i int) float64 { return ys[i] }, 100)
	if len(got) > 200 || len(xs) != len(got) {
		t.Fatalf("%d points from 100 buckets, want at most 200", len(got))
	}
	var spike, dip, gap bool
	for i, y := range got {
		spike = spike || (y == 9 && xs[i] == 54322)
		dip = dip || (y == -3 && xs[i] == 778)
		gap = gap || math.IsNaN(y)
		if i > 0 && xs[i] <= xs[i-1] {
			t.Fatalf("x not increasing at %d: %v after %v", i, xs[i], xs[i-1])
		}
	}
	if !spike || !dip || !gap {
		t.Errorf("spike kept %v, dip kept %v, NaN gap kept %v", spike, dip, gap)
	}
}
