package gemm

import (
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
	useKernel(tb, &active32, variants32, name, t, par)
}

// check32 runs tc through Implementation.Sgemm and gonum's Sgemm and
// compares them: both sums round in float32, in different orders, so the
// difference is a few ulps of the sum's magnitude per term, far below the
// O(1) error of a wrong or missing term.
func check32(t *testing.T, rng *rand.Rand, tc gemmCase) {
	t.Helper()
	checkWith(t, rng, tc, 4e-6, gonum.Implementation{}.Sgemm, Implementation{}.Sgemm)
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
	sweepMatchesGonum(t, fastKernels32(), sizes, 5, useVariant32, check32)
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
