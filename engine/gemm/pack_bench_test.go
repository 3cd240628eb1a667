package gemm

import (
	"fmt"
	"testing"
)

// BenchmarkPack measures the transposing packs on the layer shapes of the
// training benchmark: A = X (batch rows × 784, not transposed) into 8-row
// panels, and B = Wᵀ (W is 784×256) into 24-column panels, one kc block.
func BenchmarkPack(b *testing.B) {
	v := lookup("avx512")
	if v == nil {
		v = lookup("avx2")
	}
	if v == nil {
		b.Skip("no assembly kernel on this CPU")
	}
	w := v.getWorkspace()
	defer v.putWorkspace(w)
	for _, s := range []struct {
		name       string
		isB        bool
		rows, cols int // of the source matrix
		mc, kc, ld int
	}{
		{"A_x_64x784", false, 64, 784, 64, v.kc, 784},
		{"B_wT_784x256", true, 784, 256, 784, v.kc, 256},
	} {
		src := make([]float64, s.rows*s.ld)
		for i := range src {
			src[i] = float64(i)
		}
		b.Run(fmt.Sprintf("%s/%s", v.name, s.name), func(b *testing.B) {
			elems := 0
			for b.Loop() {
				elems = 0
				for pc := 0; pc+v.kc <= s.cols && pc < 2*v.kc; pc += v.kc {
					if s.isB {
						packB(w.bp, true, src, s.ld, pc, 0, s.kc, min(s.mc, v.nc), v.nr, v.nr, true)
						elems += s.kc * min(s.mc, v.nc)
					} else {
						packA(w.ap, false, src, s.ld, 0, pc, s.mc, s.kc, v.mr, true)
						elems += s.kc * s.mc
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(elems), "ns/elem")
		})
	}
}
