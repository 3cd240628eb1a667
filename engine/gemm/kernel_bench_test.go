package gemm

import (
	"fmt"
	"testing"
)

// BenchmarkMicroKernel measures each micro-kernel alone on L1-resident
// panels: the ceiling that packing and blocking can at best approach.
func BenchmarkMicroKernel(b *testing.B) {
	for _, name := range fastKernels() {
		v := lookup(name)
		for _, kc := range []int{64, 128, 256} {
			b.Run(fmt.Sprintf("%s/kc%d", name, kc), func(b *testing.B) {
				ap := alignedFloats(kc * v.mr)
				bp := alignedFloats(kc * v.nr)
				c := alignedFloats(v.mr * v.nr)
				for i := range ap {
					ap[i] = 1e-3
				}
				for i := range bp {
					bp[i] = 1e-3
				}
				for b.Loop() {
					v.kernel(kc, &ap[0], v.mr, &bp[0], v.nr, &c[0], v.nr, 1, 1)
				}
				b.ReportMetric(2*float64(kc*v.mr*v.nr)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
