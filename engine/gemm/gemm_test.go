package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync/atomic"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// useVariant makes Dgemm run kernel name (or gonum's for "gonum") on every
// shape, with t goroutines and the parallel split taken from m·n·k >= par,
// until the test ends.
func useVariant(tb testing.TB, name string, t, par int) {
	tb.Helper()
	useKernel(tb, &active, variants, name, t, par)
}

// useKernel is useVariant for the kernels vs, made active through ptr.
func useKernel[T float](tb testing.TB, ptr *atomic.Pointer[variantOf[T]], vs []*variantOf[T], name string, t, par int) {
	tb.Helper()
	prevV, prevSmall, prevPar, prevT := ptr.Load(), smallNK, parWork, threads.Load()
	tb.Cleanup(func() {
		ptr.Store(prevV)
		smallNK, parWork = prevSmall, prevPar
		threads.Store(prevT)
	})
	if name == "gonum" {
		ptr.Store(nil)
	} else {
		v := lookupIn(vs, name)
		if v == nil {
			tb.Fatalf("kernel %q not supported here", name)
		}
		ptr.Store(v)
	}
	smallNK, parWork = 0, par
	threads.Store(int32(t))
}

// fastKernels are the kernels this machine can run other than gonum's.
func fastKernels() []string {
	ks := Kernels()
	return ks[:len(ks)-1]
}

type gemmCase struct {
	tA, tB      blas.Transpose
	m, n, k     int
	pad         int // extra elements per row of every operand (ld > cols)
	off         int // the operands start this far into their buffers
	alpha, beta float64
	nanC        bool // fill C with NaN (only meaningful with beta 0)
}

func (tc gemmCase) String() string {
	t := func(x blas.Transpose) string {
		if x == blas.NoTrans {
			return "N"
		}
		return "T"
	}
	return fmt.Sprintf("%s%s_%dx%dx%d_pad%d_off%d_a%g_b%g_nan%v", t(tA(tc)), t(tc.tB), tc.m, tc.n, tc.k, tc.pad, tc.off, tc.alpha, tc.beta, tc.nanC)
}

func tA(tc gemmCase) blas.Transpose { return tc.tA }

// operand builds a rows×cols matrix at offset off in a buffer with leading
// dimension cols+pad; the padding holds a sentinel that must survive.
func operand(rng *rand.Rand, rows, cols, pad, off int) (buf []float64, ld int) {
	ld = max(1, cols+pad)
	buf = make([]float64, off+rows*ld+pad)
	for i := range buf {
		buf[i] = sentinel
	}
	for i := range rows {
		for j := range cols {
			buf[off+i*ld+j] = rng.Float64()*2 - 1
		}
	}
	return buf, ld
}

const sentinel = 12345.678

// check runs tc through Implementation.Dgemm and gonum's and compares them.
// Each entry is a sum of k products of values in [-1, 1]: its rounding
// error is bounded relative to that magnitude, not to the (possibly
// cancelled) result.
func check(t *testing.T, rng *rand.Rand, tc gemmCase) {
	t.Helper()
	checkWith(t, rng, tc, 1e-12, gonum.Implementation{}.Dgemm, Implementation{}.Dgemm)
}

// gemmFunc is Dgemm's or Sgemm's signature.
type gemmFunc[T float] func(tA, tB blas.Transpose, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

// checkWith runs tc through got and ref and compares them, entry by entry,
// within rel times the magnitude of a k-term sum; A and B must come back
// unchanged.
func checkWith[T float](t *testing.T, rng *rand.Rand, tc gemmCase, rel float64, ref, got gemmFunc[T]) {
	t.Helper()
	ar, ac := tc.m, tc.k
	if tc.tA != blas.NoTrans {
		ar, ac = ac, ar
	}
	br, bc := tc.k, tc.n
	if tc.tB != blas.NoTrans {
		br, bc = bc, br
	}
	a, lda := operandOf[T](rng, ar, ac, tc.pad, tc.off)
	b, ldb := operandOf[T](rng, br, bc, tc.pad, tc.off)
	c, ldc := operandOf[T](rng, tc.m, tc.n, tc.pad, tc.off)
	if tc.nanC {
		for i := range tc.m {
			for j := range tc.n {
				c[tc.off+i*ldc+j] = T(math.NaN())
			}
		}
	}
	want := append([]T(nil), c...)
	aCopy := append([]T(nil), a...)
	bCopy := append([]T(nil), b...)
	alpha, beta := T(tc.alpha), T(tc.beta)
	ref(tc.tA, tc.tB, tc.m, tc.n, tc.k, alpha, a[tc.off:], lda, b[tc.off:], ldb, beta, want[tc.off:], ldc)
	got(tc.tA, tc.tB, tc.m, tc.n, tc.k, alpha, a[tc.off:], lda, b[tc.off:], ldb, beta, c[tc.off:], ldc)

	scale := math.Abs(tc.alpha)*float64(tc.k) + math.Abs(tc.beta)
	tol := rel * max(scale, 1)
	bad := 0
	for i := range c {
		g, w := float64(c[i]), float64(want[i])
		if g == w || math.Abs(g-w) <= tol {
			continue
		}
		if bad++; bad <= 3 {
			t.Errorf("%v: C[%d] = %v, want %v (|diff| %.3g > %.3g)", tc, i-tc.off, g, w, math.Abs(g-w), tol)
		}
	}
	if bad > 3 {
		t.Errorf("%v: %d wrong entries in all", tc, bad)
	}
	for i := range a {
		if a[i] != aCopy[i] || (i < len(b) && b[i] != bCopy[i]) {
			t.Errorf("%v: the product modified A or B", tc) // not Fatal: callers may be goroutines
			return
		}
	}
}

// operandOf is operand in T.
func operandOf[T float](rng *rand.Rand, rows, cols, pad, off int) ([]T, int) {
	b, ld := operand(rng, rows, cols, pad, off)
	out := make([]T, len(b))
	for i, x := range b {
		out[i] = T(x)
	}
	return out, ld
}

var transposes = [][2]blas.Transpose{
	{blas.NoTrans, blas.NoTrans}, {blas.Trans, blas.NoTrans},
	{blas.NoTrans, blas.Trans}, {blas.Trans, blas.Trans},
}

// TestDgemmMatchesGonum sweeps every kernel over every transpose case, odd
// and prime sizes, padded leading dimensions, offsets and special alpha and
// beta values, serially and split over goroutines.
func TestDgemmMatchesGonum(t *testing.T) {
	sizes := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 14, 16, 17, 23, 24, 25, 30, 31, 47, 48, 61, 97, 128, 131, 199, 257, 300}
	sweepMatchesGonum(t, fastKernels(), sizes, 1, useVariant, check)
}

// sweepMatchesGonum runs check over random cases of every transpose for
// each kernel, on one thread and on two; use selects the kernel.
func sweepMatchesGonum(t *testing.T, kernels []string, sizes []int, seed uint64, use func(testing.TB, string, int, int), check func(*testing.T, *rand.Rand, gemmCase)) {
	scalars := [][2]float64{{1, 0}, {1, 1}, {-0.7, 0}, {2.5, 1}, {1, -0.3}, {0.5, 1.75}}
	for _, name := range kernels {
		for _, threads := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/t%d", name, threads), func(t *testing.T) {
				use(t, name, threads, 0)
				rng := rand.New(rand.NewPCG(seed, uint64(threads)))
				for _, tr := range transposes {
					for range 40 {
						sc := scalars[rng.IntN(len(scalars))]
						tc := gemmCase{
							tA: tr[0], tB: tr[1],
							m: sizes[rng.IntN(len(sizes))], n: sizes[rng.IntN(len(sizes))], k: sizes[rng.IntN(len(sizes))],
							pad: rng.IntN(3) * 3, off: rng.IntN(2) * 5,
							alpha: sc[0], beta: sc[1],
						}
						check(t, rng, tc)
					}
				}
			})
		}
	}
}

// TestDgemmBeyondBlocks uses shapes larger than every cache block, so that
// B is packed in several kc slices and nc blocks and A in several mc blocks.
func TestDgemmBeyondBlocks(t *testing.T) {
	shapes := [][3]int{{421, 800, 530}, {128, 784, 256}, {784, 256, 128}, {200, 1553, 37}}
	if testing.Short() {
		shapes = shapes[1:2]
	}
	for _, name := range fastKernels() {
		t.Run(name, func(t *testing.T) {
			useVariant(t, name, 2, 0)
			rng := rand.New(rand.NewPCG(2, 2))
			for i, s := range shapes {
				tr := transposes[i%4]
				if name == "generic" && s[0]*s[1]*s[2] > 1e7 {
					continue // the plain-Go kernel is slow under -race
				}
				check(t, rng, gemmCase{tA: tr[0], tB: tr[1], m: s[0], n: s[1], k: s[2], pad: 3, off: 1, alpha: 1.5, beta: 0.5})
				check(t, rng, gemmCase{tA: tr[1], tB: tr[0], m: s[0], n: s[1], k: s[2], alpha: 1, beta: 0, nanC: true})
			}
		})
	}
}

// TestDgemmSpecialValues checks the BLAS rules for alpha and beta: beta 0
// overwrites NaN in C, alpha 0 only scales C, k 0 only scales C.
func TestDgemmSpecialValues(t *testing.T) {
	for _, name := range append(fastKernels(), "gonum") {
		t.Run(name, func(t *testing.T) {
			useVariant(t, name, 2, 0)
			rng := rand.New(rand.NewPCG(3, 3))
			for _, tr := range transposes {
				for _, tc := range []gemmCase{
					{m: 37, n: 29, k: 41, alpha: 1, beta: 0, nanC: true},
					{m: 37, n: 29, k: 41, alpha: 2, beta: math.Copysign(0, -1), nanC: true},
					{m: 16, n: 48, k: 8, alpha: 0, beta: 0.5},
					{m: 16, n: 48, k: 8, alpha: 0, beta: 0, nanC: true},
					{m: 9, n: 25, k: 0, alpha: 1, beta: 3},
					{m: 64, n: 64, k: 64, alpha: 1, beta: 1, pad: 1},
					{m: 0, n: 5, k: 5, alpha: 1, beta: 0},
				} {
					tc.tA, tc.tB = tr[0], tr[1]
					check(t, rng, tc)
				}
			}
		})
	}
}

// TestDgemmBadArgumentsPanicLikeGonum checks that every argument error
// panics with gonum's own message, before anything is written.
func TestDgemmBadArgumentsPanicLikeGonum(t *testing.T) {
	useVariant(t, fastKernels()[0], 2, 0)
	buf := make([]float64, 100)
	for _, tc := range []struct {
		name          string
		tA            blas.Transpose
		m, n, k       int
		a, b, c       []float64
		lda, ldb, ldc int
	}{
		{"bad transpose", 'x', 2, 2, 2, buf, buf, buf, 2, 2, 2},
		{"negative m", blas.NoTrans, -1, 2, 2, buf, buf, buf, 2, 2, 2},
		{"small lda", blas.NoTrans, 4, 4, 4, buf, buf, buf, 3, 4, 4},
		{"small ldc", blas.NoTrans, 4, 4, 4, buf, buf, buf, 4, 4, 3},
		{"short a", blas.NoTrans, 8, 8, 8, buf[:63], buf, buf, 8, 8, 8},
		{"short c", blas.Trans, 8, 8, 8, buf, buf, buf[:10], 8, 8, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recovered := func(f func()) (r any) {
				defer func() { r = recover() }()
				f()
				return nil
			}
			got := recovered(func() {
				Implementation{}.Dgemm(tc.tA, blas.NoTrans, tc.m, tc.n, tc.k, 1, tc.a, tc.lda, tc.b, tc.ldb, 0, tc.c, tc.ldc)
			})
			want := recovered(func() {
				gonum.Implementation{}.Dgemm(tc.tA, blas.NoTrans, tc.m, tc.n, tc.k, 1, tc.a, tc.lda, tc.b, tc.ldb, 0, tc.c, tc.ldc)
			})
			if want == nil || got != want {
				t.Errorf("panic %v, want gonum's %v", got, want)
			}
		})
	}
}

// FuzzDgemm compares every kernel with gonum's on arbitrary small shapes.
func FuzzDgemm(f *testing.F) {
	f.Add(uint8(1), uint8(1), uint8(1), uint8(0), uint8(0), uint8(0), 1.0, 0.0)
	f.Add(uint8(9), uint8(25), uint8(17), uint8(3), uint8(1), uint8(2), -1.5, 0.5)
	f.Add(uint8(200), uint8(49), uint8(255), uint8(2), uint8(4), uint8(1), 1.0, 1.0)
	f.Fuzz(func(t *testing.T, m, n, k, trans, pad, off uint8, alpha, beta float64) {
		if math.IsNaN(alpha) || math.IsInf(alpha, 0) || math.IsNaN(beta) || math.IsInf(beta, 0) ||
			math.Abs(alpha) > 1e6 || math.Abs(beta) > 1e6 {
			t.Skip()
		}
		tc := gemmCase{
			tA: transposes[trans%4][0], tB: transposes[trans%4][1],
			m: int(m), n: int(n), k: int(k), pad: int(pad % 8), off: int(off % 8),
			alpha: alpha, beta: beta, nanC: beta == 0,
		}
		for _, name := range fastKernels() {
			for _, th := range []int{1, 2} {
				useVariant(t, name, th, 0)
				check(t, rand.New(rand.NewPCG(uint64(m), uint64(n))), tc)
			}
		}
	})
}

// TestInstall checks that WORKBENCH_GEMM picks the kernel and that Install
// reports what blas64 now uses.
func TestInstall(t *testing.T) {
	prev, prevV := blas64.Implementation(), active.Load()
	t.Cleanup(func() { blas64.Use(prev); active.Store(prevV) })
	bestName := fastKernels()[0]
	if best() == nil {
		bestName = "gonum"
	}
	if native != nil { // -tags openblas: OpenBLAS unless a kernel is named
		bestName = nativeName
	}
	for _, tc := range []struct{ env, want string }{
		{"off", "gonum"},
		{"", bestName},
		{"auto", bestName},
		{"generic", "generic"},
		{"no-such-kernel", bestName},
	} {
		t.Setenv(EnvVar, tc.env)
		if got := Install(); got != tc.want || Kernel() != tc.want {
			t.Errorf("%s=%q: Install() = %q, Kernel() = %q, want %q", EnvVar, tc.env, got, Kernel(), tc.want)
		}
		_, isOurs := blas64.Implementation().(Implementation)
		if isOurs != (tc.want != "gonum" && tc.want != nativeName) {
			t.Errorf("%s=%q: blas64 uses %T", EnvVar, tc.env, blas64.Implementation())
		}
	}
}

// TestDgemmAllocatesNothing checks that pooled workspaces and the worker
// pool keep steady-state calls free of allocations.
func TestDgemmAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items on purpose under -race")
	}
	for _, name := range fastKernels() {
		useVariant(t, name, 2, 1<<20)
		for _, s := range [][3]int{{32, 64, 64}, {128, 256, 784}} {
			a := make([]float64, s[0]*s[2])
			b := make([]float64, s[2]*s[1])
			c := make([]float64, s[0]*s[1])
			allocs := testing.AllocsPerRun(20, func() {
				Implementation{}.Dgemm(blas.NoTrans, blas.Trans, s[0], s[1], s[2], 1, a, s[2], b, s[2], 0, c, s[1])
			})
			if allocs != 0 {
				t.Errorf("%s %v: %v allocs per Dgemm, want 0", name, s, allocs)
			}
		}
	}
}

// TestDgemmConcurrentCallers runs Dgemms from several goroutines at once,
// as the engine's batch shards do, so that the worker hand-off and the
// workspace free list are exercised under -race.
func TestDgemmConcurrentCallers(t *testing.T) {
	for _, name := range fastKernels() {
		t.Run(name, func(t *testing.T) {
			useVariant(t, name, 2, 0)
			done := make(chan struct{})
			for g := range 4 {
				go func() {
					defer func() { done <- struct{}{} }()
					rng := rand.New(rand.NewPCG(uint64(g), 9))
					for i := range 6 {
						tr := transposes[(g+i)%4]
						check(t, rng, gemmCase{tA: tr[0], tB: tr[1], m: 40 + 13*i, n: 50 + 7*g, k: 61, alpha: 1, beta: 0.5})
					}
				}()
			}
			for range 4 {
				<-done
			}
		})
	}
}

// TestDgemmRowAloneMatchesBatch checks that a row of C gets the same bits
// whether it is computed alone or among other rows (edge or full tile,
// serial or split), as a model's prediction of one row must.
func TestDgemmRowAloneMatchesBatch(t *testing.T) {
	for _, name := range append(fastKernels(), "gonum") {
		t.Run(name, func(t *testing.T) {
			useVariant(t, name, 2, 1<<16)
			smallNK = 64 // the production fallback: it must not depend on m
			rng := rand.New(rand.NewPCG(4, 4))
			for _, s := range [][3]int{{13, 10, 64}, {64, 256, 784}, {33, 784, 256}, {9, 4, 4}} {
				for _, tr := range transposes {
					for _, beta := range []float64{0, 1, 0.3} {
						m, n, k := s[0], s[1], s[2]
						ar, ac := m, k
						if tr[0] != blas.NoTrans {
							ar, ac = k, m
						}
						br, bc := k, n
						if tr[1] != blas.NoTrans {
							br, bc = n, k
						}
						a, lda := operand(rng, ar, ac, 0, 0)
						b, ldb := operand(rng, br, bc, 0, 0)
						c, ldc := operand(rng, m, n, 0, 0)
						batch := append([]float64(nil), c...)
						Implementation{}.Dgemm(tr[0], tr[1], m, n, k, 1, a, lda, b, ldb, beta, batch, ldc)
						for _, i := range []int{0, m / 2, m - 1} {
							row := append([]float64(nil), c[i*ldc:i*ldc+n]...)
							var ai []float64
							if tr[0] == blas.NoTrans {
								ai = a[i*lda:]
							} else {
								ai = a[i:]
							}
							Implementation{}.Dgemm(tr[0], tr[1], 1, n, k, 1, ai, lda, b, ldb, beta, row, ldc)
							for j := range n {
								if row[j] != batch[i*ldc+j] {
									t.Fatalf("%v %v beta %v: row %d alone C[%d] = %v, in the batch %v", s, tr, beta, i, j, row[j], batch[i*ldc+j])
								}
							}
						}
					}
				}
			}
		})
	}
}
