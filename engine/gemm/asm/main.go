// Command asm generates the Dgemm and Sgemm micro-kernels and panel packers
// of package gemm with avo.
// Run it through `go generate ./engine/gemm`; it writes kernel_amd64.s and
// kernel_amd64_stubs.go beside the package.
package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// kernel describes one register-blocked micro-kernel: an mr×(nv·lanes) tile
// of C held in mr·nv vector accumulators for the whole k loop.
type kernel struct {
	name  string
	mr    int // rows of the tile (broadcast elements of A per k)
	nv    int // vectors per row of the tile
	lanes int // elements per vector
	elem  int // bytes per element: 8 for the float64 (Dgemm) kernels, 4 for float32 (Sgemm)
	vec   func(i int) VecPhysical
	nregs int // vector registers the ISA has
	unrol int // k iterations per loop trip
}

func main() {
	zmm := []VecPhysical{Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, Z9, Z10, Z11, Z12, Z13, Z14, Z15,
		Z16, Z17, Z18, Z19, Z20, Z21, Z22, Z23, Z24, Z25, Z26, Z27, Z28, Z29, Z30, Z31}
	ymm := []VecPhysical{Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15}
	z := func(i int) VecPhysical { return zmm[i] }
	y := func(i int) VecPhysical { return ymm[i] }
	// The widest kernel of each ISA does the work; the narrower ones take
	// the last panel of a row of C when fewer columns are left, so that
	// little of an edge tile is padding (n = 64 is 24+24+16, n = 10 is 16).
	// There is also a kernel for every shorter tile (fewer than mr rows),
	// so that a few rows, or the last rows of C, are not computed as a full
	// tile; each does the very same operations per entry as the full one.
	for mr := 8; mr >= 1; mr-- {
		for nv := 3; nv >= 1; nv-- {
			gen(kernel{name: fmt.Sprintf("kernel%dx%dAVX512", mr, nv*8), mr: mr, nv: nv, lanes: 8, elem: 8, vec: z, nregs: 32, unrol: 4})
		}
	}
	for mr := 6; mr >= 1; mr-- {
		for nv := 2; nv >= 1; nv-- {
			gen(kernel{name: fmt.Sprintf("kernel%dx%dAVX2", mr, nv*4), mr: mr, nv: nv, lanes: 4, elem: 8, vec: y, nregs: 16, unrol: 4})
		}
	}
	// The float32 (Sgemm) kernels are the same loops on twice the lanes:
	// 8×48 on AVX-512 (16 lanes), 6×16 on AVX2 (8 lanes), the same
	// register budget and the same narrower and shorter tiles.
	for mr := 8; mr >= 1; mr-- {
		for nv := 3; nv >= 1; nv-- {
			gen(kernel{name: fmt.Sprintf("skernel%dx%dAVX512", mr, nv*16), mr: mr, nv: nv, lanes: 16, elem: 4, vec: z, nregs: 32, unrol: 4})
		}
	}
	for mr := 6; mr >= 1; mr-- {
		for nv := 2; nv >= 1; nv-- {
			gen(kernel{name: fmt.Sprintf("skernel%dx%dAVX2", mr, nv*8), mr: mr, nv: nv, lanes: 8, elem: 4, vec: y, nregs: 16, unrol: 4})
		}
	}
	genPackCopy(8)
	genPackTrans()
	genPackTrans8()
	genPackCopy(4)
	genPackTrans32()
	Generate()
}

// gen emits
//
//	func name(kc int, a *T, as int, b *T, bs int, c *T, ldc int, alpha, beta T)
//
// (T float64 for elem 8, float32 for elem 4) computing C[i][j] =
// alpha·Σ_p a[p·as+i]·b[p·bs+j] + beta·C[i][j] for the
// mr×nr tile at c (row stride ldc). Packed panels have as = mr and bs = nr;
// a transposed A or a plain B can be read in place with as = lda, bs = ldb. beta must be +0 to skip reading C, so
// that NaNs there are overwritten as BLAS requires; the Go caller
// normalises -0. kc must be >= 1.
func gen(k kernel) {
	nr := k.nv * k.lanes
	typ, shift := "float64", U8(3)
	single := k.elem == 4
	if single {
		typ, shift = "float32", U8(2)
	}
	TEXT(k.name, NOSPLIT, fmt.Sprintf("func(kc int, a *%[1]s, as int, b *%[1]s, bs int, c *%[1]s, ldc int, alpha, beta %[1]s)", typ))
	Doc(fmt.Sprintf("%s is the %d×%d micro-kernel; see gen in asm/main.go.", k.name, k.mr, nr))

	kc := Load(Param("kc"), RCX)
	a := Load(Param("a"), RSI)
	as := Load(Param("as"), R9)
	b := Load(Param("b"), RDI)
	bs := Load(Param("bs"), R10)
	c := Load(Param("c"), RDX)
	ldc := Load(Param("ldc"), R8)
	SHLQ(shift, ldc)
	SHLQ(shift, as)
	SHLQ(shift, bs)

	nacc := k.mr * k.nv
	acc := func(i, v int) VecPhysical { return k.vec(i*k.nv + v) }
	bv := func(v int) VecPhysical { return k.vec(nacc + v) }
	nbc := k.nregs - nacc - k.nv // registers left for broadcasts of A
	bc := func(i int) VecPhysical { return k.vec(nacc + k.nv + i%nbc) }
	vload := func(m Mem, r VecPhysical) {
		if single {
			VMOVUPS(m, r)
		} else {
			VMOVUPD(m, r)
		}
	}
	vstore := func(r VecPhysical, m Mem) {
		if single {
			VMOVUPS(r, m)
		} else {
			VMOVUPD(r, m)
		}
	}
	bcast := func(m Mem, r VecPhysical) {
		if single {
			VBROADCASTSS(m, r)
		} else {
			VBROADCASTSD(m, r)
		}
	}
	fma := func(x, y Op, r VecPhysical) {
		if single {
			VFMADD231PS(x, y, r)
		} else {
			VFMADD231PD(x, y, r)
		}
	}

	// Pull the C tile towards L1 while the k loop runs; it is read (beta≠0)
	// or written at the end.
	MOVQ(c, RAX)
	rowBytes := nr * k.elem
	for i := 0; i < k.mr; i++ {
		for off := 0; off < rowBytes; off += 64 {
			PREFETCHT0(Mem{Base: RAX, Disp: off})
		}
		if i+1 < k.mr {
			ADDQ(ldc, RAX)
			ADDQ(U8(0), RAX)
		}
	}

	for i := 0; i < nacc; i++ {
		r := k.vec(i)
		if k.nregs == 32 {
			VPXORQ(r, r, r)
		} else {
			VXORPD(r, r, r)
		}
	}

	vbytes := k.lanes * k.elem
	step := func() {
		for v := 0; v < k.nv; v++ {
			vload(Mem{Base: b, Disp: v * vbytes}, bv(v))
		}
		for i := 0; i < k.mr; i++ {
			bcast(Mem{Base: a, Disp: i * k.elem}, bc(i))
			for v := 0; v < k.nv; v++ {
				fma(bv(v), bc(i), acc(i, v))
			}
		}
		ADDQ(as, a)
		ADDQ(bs, b)
	}

	// Unrolled main loop, then the remainder one k at a time.
	MOVQ(kc, RBX)
	SHRQ(U8(2), RBX)
	JZ(LabelRef("tail"))
	Label("loop4")
	for p := 0; p < k.unrol; p++ {
		step()
	}
	DECQ(RBX)
	JNZ(LabelRef("loop4"))

	Label("tail")
	ANDQ(U8(3), kc)
	JZ(LabelRef("done"))
	Label("loop1")
	step()
	DECQ(kc)
	JNZ(LabelRef("loop1"))

	Label("done")
	alpha, beta := bv(0), bv(1)
	bcast(NewParamAddr("alpha", 56), alpha)
	bcast(NewParamAddr("beta", 56+k.elem), beta)
	for i := 0; i < nacc; i++ {
		if single {
			VMULPS(alpha, k.vec(i), k.vec(i))
		} else {
			VMULPD(alpha, k.vec(i), k.vec(i))
		}
	}
	if single {
		MOVL(NewParamAddr("beta", 60), EAX)
		TESTL(EAX, EAX)
	} else {
		MOVQ(NewParamAddr("beta", 64), RAX)
		TESTQ(RAX, RAX)
	}
	JZ(LabelRef("store"))
	MOVQ(c, RAX)
	for i := 0; i < k.mr; i++ {
		for v := 0; v < k.nv; v++ {
			fma(Mem{Base: RAX, Disp: v * vbytes}, beta, acc(i, v))
		}
		if i+1 < k.mr {
			ADDQ(ldc, RAX)
			ADDQ(U8(0), RAX)
		}
	}
	Label("store")
	for i := 0; i < k.mr; i++ {
		for v := 0; v < k.nv; v++ {
			vstore(acc(i, v), Mem{Base: c, Disp: v * vbytes})
		}
		if i+1 < k.mr {
			ADDQ(ldc, c)
		}
	}
	VZEROUPPER()
	RET()
}
