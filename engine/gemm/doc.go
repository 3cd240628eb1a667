// Package gemm is a fast pure-Go (plus Go assembly) double-precision matrix
// multiply that plugs in under gonum. Install calls blas64.Use with an
// Implementation whose Dgemm blocks the product for the caches
// (BLIS/GotoBLAS style) and runs register-blocked AVX-512 or AVX2+FMA
// micro-kernels chosen from the CPU's features at run time. Everything that
// goes through mat.Dense.Mul or blas64.Gemm gets faster with no other change;
// every other BLAS routine stays gonum's.
//
// How a product is computed: B is cut into kc×nc blocks and A into mc×kc
// blocks; panels that are not already laid out for the kernel (A not
// transposed, B transposed, and any partial edge panel, zero-padded) are
// packed with AVX copies and 4×4 register transposes, while Aᵀ and B panels
// are read in place. The 8×24 AVX-512 kernel (6×8 for AVX2) keeps its tile
// of C in registers for the whole kc loop; narrower kernels (8×16, 8×8; 6×4)
// take a last panel of fewer columns. Products of at least ~4M multiply-adds
// are split over up to GOMAXPROCS goroutines — unless
// another Dgemm is already running, as when the engine trains batch shards
// on every core. Packing buffers are reused, so steady-state calls allocate
// nothing.
//
// Dgemm is gonum's own on CPUs without AVX2+FMA, on other architectures, for
// shapes too small for packing to pay (one or two rows, n or k under 4),
// and when WORKBENCH_GEMM=off; every argument error panics with gonum's
// message. WORKBENCH_GEMM may also force "avx512", "avx2" or "generic" (a
// plain-Go kernel that exists to test the blocking on any machine).
//
// The assembly is generated: `go generate ./engine/gemm` runs ./asm (avo)
// and rewrites kernel_amd64.s and stubs_amd64.go.
//
// The default build uses no cgo. Building with -tags openblas (and cgo)
// makes Install put OpenBLAS behind blas64 instead; see openblas.go.
//
// gemm imports engine/internal/spin (its workers' hand-off) and no other
// package of the project; above all never the engine: the engine imports
// it, not the other way round.
package gemm
