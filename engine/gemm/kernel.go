package gemm

import (
	"math"
	"runtime"
	"unsafe"
)

// variants lists every micro-kernel, best first. The assembly ones are
// filled in by kernel_amd64.go; "generic" is portable Go that exists to test
// the packing and blocking logic on any machine and is never picked
// automatically (gonum's own Dgemm is as fast on CPUs without AVX2).
// variants32 are the float32 (Sgemm) kernels, in the same order and under
// the same names.
var (
	variants   = append(asmVariants(), genericVariant)
	variants32 = append(asmVariants32(), genericVariant32)
)

func init() {
	// Enough idle workspaces for every core to run a split Dgemm while
	// other callers run theirs: a workspace dropped here would be
	// re-allocated on the next call.
	for _, v := range variants {
		v.free = make(chan *workspace[float64], 2*max(runtime.NumCPU(), 2)+2)
		v.par = workers64
	}
	for _, v := range variants32 {
		v.free = make(chan *workspace[float32], 2*max(runtime.NumCPU(), 2)+2)
		v.par = workers32
	}
}

var genericVariant = &variant{
	name: "generic", mr: 4, nr: 4, kc: 256, mc: 128, nc: 512,
	kernel:    kernelGeneric[float64],
	direct:    true,
	supported: func() bool { return true },
}

var genericVariant32 = &variant32{
	name: "generic", mr: 4, nr: 4, kc: 256, mc: 128, nc: 512,
	kernel:    kernelGeneric[float32],
	direct:    true,
	supported: func() bool { return true },
}

// best returns the fastest supported assembly kernel, or nil for gonum.
func best() *variant { return bestOf(variants) }

// best32 is best for Sgemm.
func best32() *variant32 { return bestOf(variants32) }

func bestOf[T float](vs []*variantOf[T]) *variantOf[T] {
	for _, v := range vs {
		if v.name != "generic" && v.supported() {
			return v
		}
	}
	return nil
}

// lookup returns the supported kernel with this name, or nil.
func lookup(name string) *variant { return lookupIn(variants, name) }

// lookup32 is lookup for Sgemm.
func lookup32(name string) *variant32 { return lookupIn(variants32, name) }

func lookupIn[T float](vs []*variantOf[T], name string) *variantOf[T] {
	for _, v := range vs {
		if v.name == name && v.supported() {
			return v
		}
	}
	return nil
}

// kernelGeneric is the 4×4 micro-kernel in plain Go.
func kernelGeneric[T float](kc int, a *T, as int, b *T, bs int, c *T, ldc int, alpha, beta T) {
	const mr, nr = 4, 4
	ap := unsafe.Slice(a, (kc-1)*as+mr)
	bp := unsafe.Slice(b, (kc-1)*bs+nr)
	var acc [mr][nr]T
	for p := range kc {
		av := ap[p*as : p*as+mr : p*as+mr]
		bv := bp[p*bs : p*bs+nr : p*bs+nr]
		for i := range mr {
			ai := av[i]
			acc[i][0] += ai * bv[0]
			acc[i][1] += ai * bv[1]
			acc[i][2] += ai * bv[2]
			acc[i][3] += ai * bv[3]
		}
	}
	cs := unsafe.Slice(c, (mr-1)*ldc+nr)
	for i := range mr {
		row := cs[i*ldc : i*ldc+nr]
		for j := range nr {
			if beta == 0 {
				row[j] = alpha * acc[i][j]
			} else {
				row[j] = T(math.FMA(float64(beta), float64(row[j]), float64(alpha*acc[i][j]))) // as the asm kernels round
			}
		}
	}
}
