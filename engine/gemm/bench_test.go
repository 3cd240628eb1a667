package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// BenchmarkDgemm measures the shapes of a 784-256 dense layer at batch 128
// (forward X·W, dW = Xᵀ·dY, dX = dY·Wᵀ) and of the small 64-wide network,
// per kernel and thread count, against gonum's own Dgemm.
func BenchmarkDgemm(b *testing.B) {
	shapes := []struct {
		name    string
		tA, tB  blas.Transpose
		m, n, k int
		lda     int // 0: tight
	}{
		{"fwd_128x784x256", blas.NoTrans, blas.NoTrans, 128, 256, 784, 0},
		{"dW_784x128x256", blas.Trans, blas.NoTrans, 784, 256, 128, 0},
		{"dX_128x256x784", blas.NoTrans, blas.Trans, 128, 784, 256, 0},
		// The same layer on one of the engine's two batch shards (64 rows).
		{"shard_fwd_64x784x256", blas.NoTrans, blas.NoTrans, 64, 256, 784, 0},
		{"shard_dW_784x64x256", blas.Trans, blas.NoTrans, 784, 256, 64, 0},
		{"shard_dX_64x256x784", blas.NoTrans, blas.Trans, 64, 784, 256, 0},
		{"small_32x64x64", blas.NoTrans, blas.NoTrans, 32, 64, 64, 0},
		{"mid_64x64x64", blas.NoTrans, blas.NoTrans, 64, 64, 64, 0},
		{"mid_96x96x96", blas.NoTrans, blas.NoTrans, 96, 96, 96, 0},
		{"mid_128x128x128", blas.NoTrans, blas.NoTrans, 128, 128, 128, 0},
		{"small_dW_64x32x64", blas.Trans, blas.NoTrans, 64, 64, 32, 0},
		{"out_128x128x10", blas.NoTrans, blas.NoTrans, 128, 10, 128, 0},
		// The engine's split first layer (trainer.layer0Part, gradW0): half
		// of a 784-wide batch's columns times half of W's rows, and 64 rows
		// of dW from those columns.
		{"half_fwd_128x392x256", blas.NoTrans, blas.NoTrans, 128, 256, 392, 784},
		{"block_dW_64x128x256", blas.Trans, blas.NoTrans, 64, 256, 128, 784},
	}
	for _, s := range shapes {
		rng := rand.New(rand.NewPCG(1, 1))
		fill := func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = rng.Float64()
			}
			return x
		}
		lda, ldb := s.k, s.n
		if s.tA != blas.NoTrans {
			lda = s.m
		}
		rowsA := s.m
		if s.tA != blas.NoTrans {
			rowsA = s.k
		}
		if s.lda > 0 {
			lda = s.lda
		}
		a, bb, c := fill(rowsA*lda), fill(s.k*s.n), fill(s.m*s.n)
		if s.tB != blas.NoTrans {
			ldb = s.k
		}
		flops := 2 * float64(s.m) * float64(s.n) * float64(s.k)
		names := append(fastKernels(), "gonum")
		if native != nil {
			names = append(names, nativeName)
		}
		for _, name := range names {
			if name == "generic" {
				continue
			}
			for _, t := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/%s/t%d", s.name, name, t), func(b *testing.B) {
					prev := threads.Load()
					prevV := active.Load()
					defer func() { threads.Store(prev); active.Store(prevV) }()
					threads.Store(int32(t))
					var impl blas.Float64 = Implementation{}
					if name == nativeName && native != nil {
						impl = native // its own threads: OPENBLAS_NUM_THREADS
					} else if name == "gonum" {
						impl = gonum.Implementation{} // gonum's own threading: GOMAXPROCS
						defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(t))
					} else {
						active.Store(lookup(name))
					}
					b.ReportAllocs()
					cpu0 := cpuTime()
					for b.Loop() {
						impl.Dgemm(s.tA, s.tB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n)
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

// BenchmarkDgemmSmall covers the products of the engine's batch shards on
// the small network (16 rows per shard) and the 10-class output layers,
// where packing may not pay: it sets the fallback threshold to gonum.
func BenchmarkDgemmSmall(b *testing.B) {
	shapes := []struct {
		name    string
		tA, tB  blas.Transpose
		m, n, k int
	}{
		{"NN_16x64x64", blas.NoTrans, blas.NoTrans, 16, 64, 64},
		{"TN_64x64x16", blas.Trans, blas.NoTrans, 64, 64, 16},
		{"NT_16x64x64", blas.NoTrans, blas.Trans, 16, 64, 64},
		{"NN_16x10x64", blas.NoTrans, blas.NoTrans, 16, 10, 64},
		{"TN_64x10x16", blas.Trans, blas.NoTrans, 64, 10, 16},
		{"NT_16x64x10", blas.NoTrans, blas.Trans, 16, 64, 10},
		{"NN_64x10x128", blas.NoTrans, blas.NoTrans, 64, 10, 128},
		{"TN_128x10x64", blas.Trans, blas.NoTrans, 128, 10, 64},
		{"NT_64x128x10", blas.NoTrans, blas.Trans, 64, 128, 10},
		{"NN_8x8x8", blas.NoTrans, blas.NoTrans, 8, 8, 8},
		{"NN_1x256x784", blas.NoTrans, blas.NoTrans, 1, 256, 784},
		{"NN_2x256x784", blas.NoTrans, blas.NoTrans, 2, 256, 784},
		{"NN_4x256x784", blas.NoTrans, blas.NoTrans, 4, 256, 784},
		{"NN_64x3x64", blas.NoTrans, blas.NoTrans, 64, 3, 64},
		{"NN_64x64x3", blas.NoTrans, blas.NoTrans, 64, 64, 3},
	}
	for _, s := range shapes {
		a, bb, c := make([]float64, s.m*s.k), make([]float64, s.k*s.n), make([]float64, s.m*s.n)
		for i := range a {
			a[i] = float64(i%7) * 0.1
		}
		for i := range bb {
			bb[i] = float64(i%5) * 0.1
		}
		lda, ldb := s.k, s.n
		if s.tA != blas.NoTrans {
			lda = s.m
		}
		if s.tB != blas.NoTrans {
			ldb = s.k
		}
		flops := 2 * float64(s.m) * float64(s.n) * float64(s.k)
		for _, name := range append(fastKernels(), "gonum") {
			if name == "generic" {
				continue
			}
			b.Run(s.name+"/"+name, func(b *testing.B) {
				useVariant(b, name, 1, math.MaxInt)
				var impl blas.Float64 = Implementation{}
				if name == "gonum" {
					impl = gonum.Implementation{}
				}
				cpu0 := cpuTime()
				for b.Loop() {
					impl.Dgemm(s.tA, s.tB, s.m, s.n, s.k, 1, a, lda, bb, ldb, 0, c, s.n)
				}
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				if cpu := cpuTime() - cpu0; cpu > 0 {
					b.ReportMetric(flops*float64(b.N)/cpu.Seconds()/1e9, "GFLOP/cpu-s")
				}
			})
		}
	}
}
