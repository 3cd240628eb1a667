package gemm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// BenchmarkSgemm measures the float32 kernels on the shapes of
// BenchmarkDgemm's 784-256 layer at batch 128, against gonum's Sgemm;
// compare its GFLOP/s with BenchmarkDgemm's for the same shape and kernel
// (the target: 128×784×256 at 1.8× the float64 kernel or more).
func BenchmarkSgemm(b *testing.B) {
	shapes := []struct {
		name    string
		tA, tB  blas.Transpose
		m, n, k int
	}{
		{"fwd_128x784x256", blas.NoTrans, blas.NoTrans, 128, 256, 784},
		{"dW_784x128x256", blas.Trans, blas.NoTrans, 784, 256, 128},
		{"dX_128x256x784", blas.NoTrans, blas.Trans, 128, 784, 256},
		{"small_32x64x64", blas.NoTrans, blas.NoTrans, 32, 64, 64},
		{"out_128x128x10", blas.NoTrans, blas.NoTrans, 128, 10, 128},
	}
	for _, s := range shapes {
		rng := rand.New(rand.NewPCG(1, 1))
		fill := func(n int) []float32 {
			x := make([]float32, n)
			for i := range x {
				x[i] = rng.Float32()
			}
			return x
		}
		lda, ldb := s.k, s.n
		if s.tA != blas.NoTrans {
			lda = s.m
		}
		if s.tB != blas.NoTrans {
			ldb = s.k
		}
		a, bb, c := fill(s.m*s.k), fill(s.k*s.n), fill(s.m*s.n)
		flops := 2 * float64(s.m) * float64(s.n) * float64(s.k)
		for _, name := range append(fastKernels32(), "gonum") {
			if name == "generic" {
				continue
			}
			for _, t := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/%s/t%d", s.name, name, t), func(b *testing.B) {
					useVariant32(b, name, t, parWork)
					smallNK = 64
					var impl blas.Float32 = Implementation{}
					if name == "gonum" {
						impl = gonum.Implementation{}
					}
					b.ReportAllocs()
					cpu0 := cpuTime()
					for b.Loop() {
						impl.Sgemm(s.tA, s.tB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n)
					}
					b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
					if cpu := cpuTime() - cpu0; cpu > 0 {
						b.ReportMetric(flops*float64(b.N)/cpu.Seconds()/1e9, "GFLOP/cpu-s")
					}
				})
			}
		}
	}
}
