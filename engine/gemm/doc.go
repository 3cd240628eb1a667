// Package gemm is a fast pure-Go (plus Go assembly) double-precision matrix
// multiply that plugs in under gonum: Install calls blas64.Use with an
// Implementation whose Dgemm packs A and B into cache-sized panels
// (BLIS/GotoBLAS style) and runs register-blocked AVX-512 or AVX2+FMA
// micro-kernels chosen from the CPU's features at run time. Everything that
// goes through mat.Dense.Mul or blas64.Gemm gets faster with no other change;
// every other BLAS routine stays gonum's.
//
// On CPUs without AVX2+FMA, on other architectures, for shapes too small for
// packing to pay, and when WORKBENCH_GEMM=off, Dgemm is gonum's own.
//
// The default build uses no cgo. Building with -tags openblas (and cgo)
// installs gonum/netlib over OpenBLAS instead; see openblas.go.
//
// gemm must never import another package of the project: the engine imports
// it, not the other way round.
package gemm
