package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/gonum"
)

// useVariant32 is useVariant for Sgemm.
func useVariant32(tb testing.TB, name string, t, par int) {
	tb.Helper()
	prevV, prevSmall, prevPar, prevT := active32.Load(), smallNK, parWork, threads.Load()
	tb.Cleanup(func() {
		active32.Store(prevV)
		smallNK, parWork = prevSmall, prevPar
		threads.Store(prevT)
	})
	if name == "gonum" {
		active32.Store(nil)
	} else {
		v := lookup32(name)
		if v == nil {
			tb.Fatalf("kernel %q not supported here", name)
		}
		active32.Store(v)
	}
	smallNK, parWork = 0, par
	threads.Store(int32(t))
}

// operand32 is operand in float32.
func operand32(rng *rand.Rand, rows, cols, pad, off int) ([]float32, int) {
	b, ld := operand(rng, rows, cols, pad, off)
	out := make([]float32, len(b))
	for i, x := range b {
		out[i] = float32(x)
	}
	return out, ld
}

// check32 runs tc through Implementation.Sgemm and gonum's Sgemm and
// compares them, within float32 rounding of a k-term sum.
func check32(t *testing.T, rng *rand.Rand, tc gemmCase) {
	t.Helper()
	ar, ac := tc.m, tc.k
	if tc.tA != blas.NoTrans {
		ar, ac = ac, ar
	}
	br, bc := tc.k, tc.n
	if tc.tB != blas.NoTrans {
		br, bc = bc, br
	}
	a, lda := operand32(rng, ar, ac, tc.pad, tc.off)
	b, ldb := operand32(rng, br, bc, tc.pad, tc.off)
	c, ldc := operand32(rng, tc.m, tc.n, tc.pad, tc.off)
	if tc.nanC {
		for i := range tc.m {
			for j := range tc.n {
				c[tc.off+i*ldc+j] = float32(math.NaN())
			}
		}
	}
	want := append([]float32(nil), c...)
	aCopy := append([]float32(nil), a...)
	bCopy := append([]float32(nil), b...)
	alpha, beta := float32(tc.alpha), float32(tc.beta)
	gonum.Implementation{}.Sgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, alpha, a[tc.off:], lda, b[tc.off:], ldb, beta, want[tc.off:], ldc)
	Implementation{}.Sgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, alpha, a[tc.off:], lda, b[tc.off:], ldb, beta, c[tc.off:], ldc)

	// Both sums round in float32, in different orders: the difference is
	// bounded by a few ulps of the sum's magnitude per term, far below
	// the O(1) error of a wrong or missing term.
	scale := math.Abs(tc.alpha)*float64(tc.k) + math.Abs(tc.beta)
	tol := 4e-6 * max(scale, 1)
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
			t.Errorf("%v: Sgemm modified A or B", tc)
			return
		}
	}
}

// fastKernels32 are the Sgemm kernels this machine can run other than
// gonum's.
func fastKernels32() []string {
	var names []string
	for _, v := range variants32 {
		if v.supported() {
			names = append(names, v.name)
		}
	}
	return names
}

// TestSgemmMatchesGonum is TestDgemmMatchesGonum for Sgemm: every kernel,
// every transpose case, odd and prime sizes (around the 8-wide packs and
// 16-wide tiles), padding, offsets, alpha and beta, serial and split.
func TestSgemmMatchesGonum(t *testing.T) {
	sizes := []int{1, 2, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 23, 24, 25, 31, 32, 33, 47, 48, 49, 61, 97, 128, 131, 199, 257, 300}
	scalars := [][2]float64{{1, 0}, {1, 1}, {-0.7, 0}, {2.5, 1}, {1, -0.3}, {0.5, 1.75}}
	for _, name := range fastKernels32() {
		for _, threads := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/t%d", name, threads), func(t *testing.T) {
				useVariant32(t, name, threads, 0)
				rng := rand.New(rand.NewPCG(5, uint64(threads)))
				for _, tr := range transposes {
					for range 40 {
						sc := scalars[rng.IntN(len(scalars))]
						tc := gemmCase{
							tA: tr[0], tB: tr[1],
							m: sizes[rng.IntN(len(sizes))], n: sizes[rng.IntN(len(sizes))], k: sizes[rng.IntN(len(sizes))],
							pad: rng.IntN(3) * 3, off: rng.IntN(2) * 5,
							alpha: sc[0], beta: sc[1],
						}
						check32(t, rng, tc)
					}
				}
			})
		}
	}
}

// TestSgemmBeyondBlocks and special values: shapes past every cache block,
// beta 0 over NaN, alpha 0, k 0.
func TestSgemmBeyondBlocks(t *testing.T) {
	shapes := [][3]int{{421, 800, 530}, {128, 784, 256}, {784, 256, 128}, {200, 1553, 37}}
	if testing.Short() {
		shapes = shapes[1:2]
	}
	for _, name := range fastKernels32() {
		t.Run(name, func(t *testing.T) {
			useVariant32(t, name, 2, 0)
			rng := rand.New(rand.NewPCG(6, 6))
			for i, s := range shapes {
				tr := transposes[i%4]
				if name == "generic" && s[0]*s[1]*s[2] > 1e7 {
					continue
				}
				check32(t, rng, gemmCase{tA: tr[0], tB: tr[1], m: s[0], n: s[1], k: s[2], pad: 3, off: 1, alpha: 1.5, beta: 0.5})
				check32(t, rng, gemmCase{tA: tr[1], tB: tr[0], m: s[0], n: s[1], k: s[2], alpha: 1, beta: 0, nanC: true})
			}
			for _, tr := range transposes {
				for _, tc := range []gemmCase{
					{m: 37, n: 29, k: 41, alpha: 1, beta: 0, nanC: true},
					{m: 37, n: 29, k: 41, alpha: 2, beta: math.Copysign(0, -1), nanC: true},
					{m: 16, n: 48, k: 8, alpha: 0, beta: 0.5},
					{m: 9, n: 25, k: 0, alpha: 1, beta: 3},
					{m: 0, n: 5, k: 5, alpha: 1, beta: 0},
				} {
					tc.tA, tc.tB = tr[0], tr[1]
					check32(t, rng, tc)
				}
			}
		})
	}
}

// TestSgemmInstalledAndAllocatesNothing checks that Install puts Sgemm
// behind blas32 and that steady-state calls allocate nothing.
func TestSgemmInstalledAndAllocatesNothing(t *testing.T) {
	prev, prevV := blas32.Implementation(), active32.Load()
	t.Cleanup(func() { blas32.Use(prev); active32.Store(prevV) })
	t.Setenv(EnvVar, "")
	Install()
	if _, ok := blas32.Implementation().(Implementation); !ok && best32() != nil {
		t.Errorf("after Install blas32 uses %T", blas32.Implementation())
	}
	t.Setenv(EnvVar, "off")
	Install()
	if _, ok := blas32.Implementation().(gonum.Implementation); !ok {
		t.Errorf("%s=off: blas32 uses %T", EnvVar, blas32.Implementation())
	}
	if raceEnabled {
		return
	}
	for _, name := range fastKernels32() {
		useVariant32(t, name, 2, 1<<20)
		for _, s := range [][3]int{{32, 64, 64}, {128, 256, 784}} {
			a := make([]float32, s[0]*s[2])
			b := make([]float32, s[2]*s[1])
			c := make([]float32, s[0]*s[1])
			allocs := testing.AllocsPerRun(20, func() {
				Implementation{}.Sgemm(blas.NoTrans, blas.Trans, s[0], s[1], s[2], 1, a, s[2], b, s[2], 0, c, s[1])
			})
			if allocs != 0 {
				t.Errorf("%s %v: %v allocs per Sgemm, want 0", name, s, allocs)
			}
		}
	}
}
