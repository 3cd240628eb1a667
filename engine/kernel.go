package engine

import fastgemm "workbench/engine/gemm"

// The fast Dgemm goes in under gonum's BLAS when the engine loads, so every
// product the engine (or anything else on blas64) makes uses it; set
// WORKBENCH_GEMM=off to keep gonum's own, or name a kernel to force it.
var kernel = fastgemm.Install()

// Kernel names the matrix-multiply kernel in use: "avx512", "avx2",
// "generic", "gonum" or "openblas".
func Kernel() string { return fastgemm.Kernel() }
