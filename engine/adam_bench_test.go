package engine

import (
	"fmt"
	"testing"
)

// BenchmarkAdamSum measures the fused two-shard Adam step alone, on a
// parameter count that fits in L2 and on the 784-256-128-10 network's
// (235k parameters, ~9 MiB of state: L3).
func BenchmarkAdamSum(b *testing.B) {
	for _, n := range []int{4096, 16384, 235146} {
		p, g, g2, m, v := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range p {
			p[i], g[i], g2[i] = 0.01*float64(i%7), 1e-3*float64(i%5), -1e-3*float64(i%3)
		}
		k := &adamConst{b1: 0.9, ob1: 0.1, b2: 0.999, ob2: 0.001, lc: 1e-3, c2: 1, eps: 1e-8}
		b.Run(fmt.Sprintf("n%d", n), func(b *testing.B) {
			for b.Loop() {
				adamSumUpdate(p, g, g2, m, v, k)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/param")
		})
		b.Run(fmt.Sprintf("single_n%d", n), func(b *testing.B) {
			for b.Loop() {
				adamUpdate(p, g, m, v, k)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/param")
		})
	}
}
