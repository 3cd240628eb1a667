package gemm

//go:generate go run ./asm -out kernel_amd64.s -stubs stubs_amd64.go -pkg gemm

import (
	"os"
	"runtime"
	"strings"
	"sync/atomic"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is gonum's BLAS with a fast Dgemm and Sgemm. The zero value uses the
// kernel chosen by Install (or the best one the CPU supports if Install was
// never called).
type Implementation struct {
	gonum.Implementation
}

// EnvVar names the environment variable Install reads: "off" (or "gonum")
// keeps gonum's Dgemm; "avx512", "avx2" or "generic" force a kernel (falling
// back to the best supported one if the CPU lacks it); empty or "auto" picks
// the best kernel for the CPU.
const EnvVar = "WORKBENCH_GEMM"

// active is the kernel Dgemm uses, active32 the one Sgemm uses; nil means
// gonum's.
var (
	active   atomic.Pointer[variant]
	active32 atomic.Pointer[variant32]
)

func init() {
	active.Store(best())
	active32.Store(best32())
}

// Install makes this package's Dgemm the one behind blas64 and its Sgemm
// the one behind blas32 (and so behind mat.Dense.Mul and every product of
// the engine, float64 or float32), unless $WORKBENCH_GEMM says otherwise. Nothing calls
// it on import: blas64 is process-wide, so the program's main (and a test
// binary's TestMain) decides, once, before any product runs. Without it
// the engine runs on gonum's Dgemm, correct but slower. It returns the
// name of the kernel in use: "avx512", "avx2", "generic", "gonum", or
// "openblas" in a -tags openblas build.
func Install() (kernel string) {
	env := strings.ToLower(strings.TrimSpace(os.Getenv(EnvVar)))
	switch env {
	case "off", "gonum", "none", "0", "false":
		active.Store(nil)
		active32.Store(nil)
		blas64.Use(gonum.Implementation{})
		blas32.Use(gonum.Implementation{})
		return "gonum"
	}
	// Sgemm gets the kernel of the same name (the float32 variants mirror
	// the float64 ones); OpenBLAS, when built in, serves float64 only.
	v32 := lookup32(env)
	if v32 == nil {
		v32 = best32()
	}
	active32.Store(v32)
	if v32 == nil {
		blas32.Use(gonum.Implementation{})
	} else {
		blas32.Use(Implementation{})
	}
	v := lookup(env)
	if v == nil && native != nil {
		active.Store(nil)
		blas64.Use(native)
		return nativeName
	}
	if v == nil {
		v = best()
	}
	active.Store(v)
	if v == nil {
		blas64.Use(gonum.Implementation{})
		return "gonum"
	}
	blas64.Use(Implementation{})
	return v.name
}

// native is a cgo BLAS compiled in with -tags openblas (see openblas.go),
// which Install prefers unless $WORKBENCH_GEMM names a kernel or "off".
var (
	native     blas.Float64
	nativeName string
)

// Kernel returns the name of the kernel in use: the one Implementation.Dgemm
// runs, or "openblas" when Install put OpenBLAS behind blas64.
func Kernel() string {
	if v := active.Load(); v != nil {
		return v.name
	}
	if native != nil && blas64.Implementation() == native {
		return nativeName
	}
	return "gonum"
}

// Kernels lists the kernels this CPU can run, best first, ending in "gonum".
func Kernels() []string {
	var names []string
	for _, v := range variants {
		if v.supported() {
			names = append(names, v.name)
		}
	}
	return append(names, "gonum")
}

// Claim tells Dgemm that the caller keeps one core busy with its own
// products until it calls the returned release: while any claim or other
// Dgemm is in flight, a Dgemm runs on its caller's goroutine alone instead
// of splitting over goroutines that would only fight the claimed cores for
// the same caches. The engine's trainer claims a core per batch shard: its
// products split over shared workers had run three goroutines on two
// cores, and the 784-256-128-10 training step spent 30% of its time in
// blocks handed to a worker.
func Claim() (release func()) {
	inflight.Add(1)
	return releaseClaim
}

func releaseClaim() { inflight.Add(-1) }

// threads caps the goroutines one Dgemm uses; 0 means GOMAXPROCS. Only
// tests set it, to run the parallel split on any machine.
var threads atomic.Int32

func maxThreads() int {
	if t := int(threads.Load()); t > 0 {
		return t
	}
	return runtime.GOMAXPROCS(0)
}

// Dgemm performs one of
//
//	C = alpha * A * B + beta * C
//	C = alpha * Aᵀ * B + beta * C
//	C = alpha * A * Bᵀ + beta * C
//	C = alpha * Aᵀ * Bᵀ + beta * C
//
// exactly as gonum's Dgemm does (same arguments, same panics on bad ones),
// but with a packed, register-blocked kernel when the shape is large enough.
func (impl Implementation) Dgemm(tA, tB blas.Transpose, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	v := active.Load()
	if v == nil || alpha == 0 || !valid(tA, tB, m, n, k, a, lda, b, ldb, c, ldc) || small(m, n, k) {
		// gonum also owns every argument error, so the panics match its own.
		impl.Implementation.Dgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	aT := tA != blas.NoTrans
	bT := tB != blas.NoTrans
	if beta == 0 {
		beta = 0 // -0 becomes +0: the kernels test beta's bits to skip reading C.
	}
	v.gemm(aT, bT, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, maxThreads())
}

// Sgemm is Dgemm for float32: the same blocking and the same checks, on
// the float32 kernels (twice the lanes per vector); gonum's Sgemm where
// Dgemm would fall back to gonum's.
func (impl Implementation) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	v := active32.Load()
	if v == nil || alpha == 0 || !valid(tA, tB, m, n, k, a, lda, b, ldb, c, ldc) || small(m, n, k) {
		impl.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	if beta == 0 {
		beta = 0 // -0 becomes +0: the kernels test beta's bits to skip reading C.
	}
	v.gemm(tA != blas.NoTrans, tB != blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, maxThreads())
}

// small reports whether packing costs more than it saves. It looks at n and
// k only, never at m: a row of C then gets the same arithmetic (same path,
// same order of additions) whether it is multiplied alone or in a batch, so
// a model predicts a row identically either way. BenchmarkDgemmSmall: the
// packed kernels win from 8×8×8 up and tie with gonum on one or two rows.
func small(m, n, k int) bool {
	return n*k < smallNK || n < 4 || k < 4
}

// smallNK is the n·k below which gonum's unpacked loops win.
var smallNK = 64

// valid repeats gonum's argument checks so that the fast path only ever sees
// a call gonum would accept; anything else goes to gonum, which panics.
func valid[T float](tA, tB blas.Transpose, m, n, k int, a []T, lda int, b []T, ldb int, c []T, ldc int) bool {
	okT := func(t blas.Transpose) bool { return t == blas.NoTrans || t == blas.Trans || t == blas.ConjTrans }
	if !okT(tA) || !okT(tB) || m <= 0 || n <= 0 || k <= 0 {
		return false
	}
	aT := tA != blas.NoTrans
	bT := tB != blas.NoTrans
	if aT {
		if lda < m || len(a) < (k-1)*lda+m {
			return false
		}
	} else if lda < k || len(a) < (m-1)*lda+k {
		return false
	}
	if bT {
		if ldb < k || len(b) < (n-1)*ldb+k {
			return false
		}
	} else if ldb < n || len(b) < (k-1)*ldb+n {
		return false
	}
	return ldc >= n && len(c) >= (m-1)*ldc+n
}
