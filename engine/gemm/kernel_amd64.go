package gemm

import "golang.org/x/sys/cpu"

// Blocking for this generation of x86 (48 KiB L1d, 2 MiB L2 per core): a
// kc×nr micro-panel of B (24 KiB for avx512) stays in L1 while mr×kc panels
// of A stream from the mc×kc block in L2. kc 128 beat 192, 256, 384 and 512
// on the layer shapes of BenchmarkDgemm (sum of GFLOP/cpu-s, 2026-11-30);
// mc 96..384 made no clear difference.
func asmVariants() []*variant {
	return []*variant{
		{
			name: "avx512", mr: 8, nr: 24, lanes: 8, kc: 128, mc: 192, nc: 768,
			kernel: kernel8x24AVX512,
			narrow: []narrowKernel[float64]{{8, kernel8x8AVX512}, {16, kernel8x16AVX512}},
			short: [][]microKernel[float64]{ // [rows-1][nr/lanes-1]
				{kernel1x8AVX512, kernel1x16AVX512, kernel1x24AVX512},
				{kernel2x8AVX512, kernel2x16AVX512, kernel2x24AVX512},
				{kernel3x8AVX512, kernel3x16AVX512, kernel3x24AVX512},
				{kernel4x8AVX512, kernel4x16AVX512, kernel4x24AVX512},
				{kernel5x8AVX512, kernel5x16AVX512, kernel5x24AVX512},
				{kernel6x8AVX512, kernel6x16AVX512, kernel6x24AVX512},
				{kernel7x8AVX512, kernel7x16AVX512, kernel7x24AVX512},
			},
			direct:    true,
			asmPack:   true,
			supported: func() bool { return cpu.X86.HasAVX512F && cpu.X86.HasAVX2 && cpu.X86.HasFMA },
		},
		{
			name: "avx2", mr: 6, nr: 8, lanes: 4, kc: 256, mc: 144, nc: 512,
			kernel: kernel6x8AVX2,
			narrow: []narrowKernel[float64]{{4, kernel6x4AVX2}},
			short: [][]microKernel[float64]{ // [rows-1][nr/4-1]
				{kernel1x4AVX2, kernel1x8AVX2},
				{kernel2x4AVX2, kernel2x8AVX2},
				{kernel3x4AVX2, kernel3x8AVX2},
				{kernel4x4AVX2, kernel4x8AVX2},
				{kernel5x4AVX2, kernel5x8AVX2},
			},
			direct:    true,
			asmPack:   true,
			supported: func() bool { return cpu.X86.HasAVX2 && cpu.X86.HasFMA },
		},
	}
}

// asmVariants32 are the float32 kernels: twice the lanes, so twice the
// columns per tile (8×48 on AVX-512, 6×16 on AVX2) and the same bytes per
// B micro-panel, so the same kc as the float64 kernels keeps it in L1.
func asmVariants32() []*variant32 {
	return []*variant32{
		{
			name: "avx512", mr: 8, nr: 48, lanes: 16, kc: 128, mc: 192, nc: 768,
			kernel: skernel8x48AVX512,
			narrow: []narrowKernel[float32]{{16, skernel8x16AVX512}, {32, skernel8x32AVX512}},
			short: [][]microKernel[float32]{ // [rows-1][nr/lanes-1]
				{skernel1x16AVX512, skernel1x32AVX512, skernel1x48AVX512},
				{skernel2x16AVX512, skernel2x32AVX512, skernel2x48AVX512},
				{skernel3x16AVX512, skernel3x32AVX512, skernel3x48AVX512},
				{skernel4x16AVX512, skernel4x32AVX512, skernel4x48AVX512},
				{skernel5x16AVX512, skernel5x32AVX512, skernel5x48AVX512},
				{skernel6x16AVX512, skernel6x32AVX512, skernel6x48AVX512},
				{skernel7x16AVX512, skernel7x32AVX512, skernel7x48AVX512},
			},
			direct:    true,
			asmPack:   true,
			supported: func() bool { return cpu.X86.HasAVX512F && cpu.X86.HasAVX2 && cpu.X86.HasFMA },
		},
		{
			name: "avx2", mr: 6, nr: 16, lanes: 8, kc: 256, mc: 144, nc: 512,
			kernel: skernel6x16AVX2,
			narrow: []narrowKernel[float32]{{8, skernel6x8AVX2}},
			short: [][]microKernel[float32]{ // [rows-1][nr/8-1]
				{skernel1x8AVX2, skernel1x16AVX2},
				{skernel2x8AVX2, skernel2x16AVX2},
				{skernel3x8AVX2, skernel3x16AVX2},
				{skernel4x8AVX2, skernel4x16AVX2},
				{skernel5x8AVX2, skernel5x16AVX2},
			},
			direct:    true,
			asmPack:   true,
			supported: func() bool { return cpu.X86.HasAVX2 && cpu.X86.HasFMA },
		},
	}
}

// hasAVX512 selects the 8×8 transposing pack (packTrans8).
var hasAVX512 = cpu.X86.HasAVX512F
