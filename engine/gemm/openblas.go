//go:build openblas && cgo

package gemm

// Building with -tags openblas (cgo on, OpenBLAS installed, e.g. Debian's
// libopenblas-dev) makes Install put all of gonum's BLAS on OpenBLAS through
// gonum/netlib, for users who have it. The module is not a default
// dependency; add it first:
//
//	go get gonum.org/v1/netlib@v0.0.0-20230729102104-8b8060e7531f
//	CGO_LDFLAGS=-lopenblas go build -tags openblas .
//
// WORKBENCH_GEMM still applies: "off" keeps gonum's pure Go, and naming a
// kernel ("avx512", "avx2", "generic") picks this package's Dgemm instead.

import "gonum.org/v1/netlib/blas/netlib"

func init() {
	native = netlib.Implementation{}
	nativeName = "openblas"
}
