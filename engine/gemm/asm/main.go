// Command asm generates the Dgemm micro-kernels of package gemm with avo.
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

// genPackCopy emits packCopy(dst, src, ld, kc, w, dw) (float64) or, with
// elem 4, packCopy32 (float32): for each of kc rows p, copy w contiguous
// values from src+p·ld to dst+p·dw. It packs the panels whose source
// layout already matches (A transposed, B not transposed).
func genPackCopy(elem int) {
	name, typ, shift, lanes, vshift := "packCopy", "float64", U8(3), 4, U8(2)
	if elem == 4 {
		name, typ, shift, lanes, vshift = "packCopy32", "float32", U8(2), 8, U8(3)
	}
	TEXT(name, NOSPLIT, fmt.Sprintf("func(dst, src *%s, ld, kc, w, dw int)", typ))
	Doc(name + " copies kc rows of w values from src (row stride ld) to dst (row stride dw).")
	dst := Load(Param("dst"), RDI)
	src := Load(Param("src"), RSI)
	ld := Load(Param("ld"), RDX)
	kc := Load(Param("kc"), RCX)
	w := Load(Param("w"), R8)
	dw := Load(Param("dw"), R12)
	SHLQ(shift, ld)
	SHLQ(shift, dw)
	MOVQ(w, R9)
	SHRQ(vshift, R9) // 32-byte vectors per row
	MOVQ(w, R10)
	ANDQ(U8(lanes-1), R10) // scalars left per row
	TESTQ(kc, kc)
	JZ(LabelRef("done"))
	Label("row")
	XORQ(RAX, RAX) // byte offset within the row
	MOVQ(R9, RBX)
	TESTQ(RBX, RBX)
	JZ(LabelRef("scalars"))
	Label("vec")
	VMOVUPD(Mem{Base: src, Index: RAX, Scale: 1}, Y0)
	VMOVUPD(Y0, Mem{Base: dst, Index: RAX, Scale: 1})
	ADDQ(U8(32), RAX)
	DECQ(RBX)
	JNZ(LabelRef("vec"))
	Label("scalars")
	MOVQ(R10, RBX)
	TESTQ(RBX, RBX)
	JZ(LabelRef("next"))
	Label("sc")
	if elem == 4 {
		MOVL(Mem{Base: src, Index: RAX, Scale: 1}, R11L)
		MOVL(R11L, Mem{Base: dst, Index: RAX, Scale: 1})
	} else {
		MOVQ(Mem{Base: src, Index: RAX, Scale: 1}, R11)
		MOVQ(R11, Mem{Base: dst, Index: RAX, Scale: 1})
	}
	ADDQ(U8(elem), RAX)
	DECQ(RBX)
	JNZ(LabelRef("sc"))
	Label("next")
	ADDQ(ld, src)
	ADDQ(dw, dst)
	DECQ(kc)
	JNZ(LabelRef("row"))
	Label("done")
	VZEROUPPER()
	RET()
}

// genPackTrans emits packTrans(dst, src, ld, kc, w, dw): dst[p·dw+j] =
// src[j·ld+p] for j < w and p < kc, both multiples of 4, by 4×4 register
// transposes. It packs the panels that must be transposed (A not
// transposed, B transposed).
func genPackTrans() {
	TEXT("packTrans", NOSPLIT, "func(dst, src *float64, ld, kc, w, dw int)")
	Doc("packTrans transposes a w×kc block of src (row stride ld) into dst (row stride dw); w and kc are multiples of 4.")
	dst := Load(Param("dst"), RDI)
	src := Load(Param("src"), RSI)
	ld := Load(Param("ld"), RDX)
	kc := Load(Param("kc"), RCX)
	Load(Param("w"), R9)
	w := Load(Param("dw"), R8)
	SHLQ(U8(3), ld)
	SHLQ(U8(3), w) // bytes per dst row
	SHRQ(U8(2), kc)
	JZ(LabelRef("done"))
	SHRQ(U8(2), R9) // groups of 4 source rows
	JZ(LabelRef("done"))
	Label("group")
	// R10: rows 0..2 of the group via ld scaling, R12: row 3.
	MOVQ(src, R10)
	LEAQ(Mem{Base: src, Index: ld, Scale: 2}, R12)
	ADDQ(ld, R12)
	// R13: dst of p-block rows 0..2, R14: row 3.
	MOVQ(dst, R13)
	LEAQ(Mem{Base: dst, Index: w, Scale: 2}, R14)
	ADDQ(w, R14)
	// R11: the next group's first row, prefetched while this one is
	// transposed (W of a 784-wide layer does not stay in L2).
	LEAQ(Mem{Base: src, Index: ld, Scale: 4}, R11)
	MOVQ(kc, RBX)
	Label("block")
	PREFETCHT0(Mem{Base: R11})
	PREFETCHT0(Mem{Base: R11, Index: ld, Scale: 1})
	PREFETCHT0(Mem{Base: R11, Index: ld, Scale: 2})
	PREFETCHT0(Mem{Base: R12, Index: ld, Scale: 4})
	VMOVUPD(Mem{Base: R10}, Y0)
	VMOVUPD(Mem{Base: R10, Index: ld, Scale: 1}, Y1)
	VMOVUPD(Mem{Base: R10, Index: ld, Scale: 2}, Y2)
	VMOVUPD(Mem{Base: R12}, Y3)
	VUNPCKLPD(Y1, Y0, Y4) // a0 b0 a2 b2
	VUNPCKHPD(Y1, Y0, Y5) // a1 b1 a3 b3
	VUNPCKLPD(Y3, Y2, Y6) // c0 d0 c2 d2
	VUNPCKHPD(Y3, Y2, Y7) // c1 d1 c3 d3
	VPERM2F128(U8(0x20), Y6, Y4, Y0)
	VPERM2F128(U8(0x20), Y7, Y5, Y1)
	VPERM2F128(U8(0x31), Y6, Y4, Y2)
	VPERM2F128(U8(0x31), Y7, Y5, Y3)
	VMOVUPD(Y0, Mem{Base: R13})
	VMOVUPD(Y1, Mem{Base: R13, Index: w, Scale: 1})
	VMOVUPD(Y2, Mem{Base: R13, Index: w, Scale: 2})
	VMOVUPD(Y3, Mem{Base: R14})
	ADDQ(U8(32), R10)
	ADDQ(U8(32), R11)
	ADDQ(U8(32), R12)
	LEAQ(Mem{Base: R13, Index: w, Scale: 4}, R13)
	LEAQ(Mem{Base: R14, Index: w, Scale: 4}, R14)
	DECQ(RBX)
	JNZ(LabelRef("block"))
	LEAQ(Mem{Base: src, Index: ld, Scale: 4}, src)
	ADDQ(U8(32), dst)
	DECQ(R9)
	JNZ(LabelRef("group"))
	Label("done")
	VZEROUPPER()
	RET()
}

// genPackTrans8 emits packTrans8(dst, src, ld, kc, w, dw): packTrans for
// w and kc multiples of 8, by 8×8 AVX-512 register transposes (24 shuffles
// and 8 full-line loads and stores per 64 values, against 32 shuffles and
// 16 half-line loads and stores for four 4×4 blocks).
func genPackTrans8() {
	TEXT("packTrans8", NOSPLIT, "func(dst, src *float64, ld, kc, w, dw int)")
	Doc("packTrans8 transposes a w×kc block of src (row stride ld) into dst (row stride dw); w and kc are multiples of 8. It needs AVX-512F.")
	dst := Load(Param("dst"), RDI)
	src := Load(Param("src"), RSI)
	ld := Load(Param("ld"), RDX)
	kc := Load(Param("kc"), RCX)
	Load(Param("w"), R9)
	dw := Load(Param("dw"), R8)
	SHLQ(U8(3), ld)
	SHLQ(U8(3), dw)
	SHRQ(U8(3), kc)
	JZ(LabelRef("done"))
	SHRQ(U8(3), R9) // groups of 8 source rows
	JZ(LabelRef("done"))
	// RBX = 3·ld, RAX = 3·dw: the fourth row from a base of every four.
	LEAQ(Mem{Base: ld, Index: ld, Scale: 2}, RBX)
	LEAQ(Mem{Base: dw, Index: dw, Scale: 2}, RAX)
	Label("group")
	MOVQ(src, R10)                                 // rows 0..3 of the group, at the current 8 columns
	LEAQ(Mem{Base: src, Index: ld, Scale: 4}, R11) // rows 4..7
	MOVQ(dst, R12)                                 // dst rows p..p+3 of the block, at the group's 8 columns
	LEAQ(Mem{Base: dst, Index: dw, Scale: 4}, R13) // dst rows p+4..p+7
	MOVQ(kc, R14)
	Label("block")
	r := []VecPhysical{Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7}
	t := []VecPhysical{Z8, Z9, Z10, Z11, Z12, Z13, Z14, Z15}
	u := []VecPhysical{Z16, Z17, Z18, Z19, Z20, Z21, Z22, Z23}
	row := func(base Register, i int) Mem {
		switch i {
		case 0:
			return Mem{Base: base}
		case 1:
			return Mem{Base: base, Index: ld, Scale: 1}
		case 2:
			return Mem{Base: base, Index: ld, Scale: 2}
		}
		return Mem{Base: base, Index: RBX, Scale: 1}
	}
	drow := func(base Register, i int) Mem {
		switch i {
		case 0:
			return Mem{Base: base}
		case 1:
			return Mem{Base: base, Index: dw, Scale: 1}
		case 2:
			return Mem{Base: base, Index: dw, Scale: 2}
		}
		return Mem{Base: base, Index: RAX, Scale: 1}
	}
	for i := 0; i < 4; i++ {
		VMOVUPD(row(R10, i), r[i])
		VMOVUPD(row(R11, i), r[4+i])
	}
	// t[2i] and t[2i+1]: rows 2i and 2i+1 interleaved, even and odd columns.
	for i := 0; i < 4; i++ {
		VUNPCKLPD(r[2*i+1], r[2*i], t[2*i])
		VUNPCKHPD(r[2*i+1], r[2*i], t[2*i+1])
	}
	// 128-bit lanes: u0 = (t0.L0 t0.L2 t2.L0 t2.L2), u1 = (t0.L1 t0.L3 t2.L1 t2.L3), ...
	VSHUFF64X2(U8(0x88), t[2], t[0], u[0])
	VSHUFF64X2(U8(0xDD), t[2], t[0], u[1])
	VSHUFF64X2(U8(0x88), t[6], t[4], u[2])
	VSHUFF64X2(U8(0xDD), t[6], t[4], u[3])
	VSHUFF64X2(U8(0x88), t[3], t[1], u[4])
	VSHUFF64X2(U8(0xDD), t[3], t[1], u[5])
	VSHUFF64X2(U8(0x88), t[7], t[5], u[6])
	VSHUFF64X2(U8(0xDD), t[7], t[5], u[7])
	// Column c of the 8×8 block, in r[c].
	VSHUFF64X2(U8(0x88), u[2], u[0], r[0])
	VSHUFF64X2(U8(0xDD), u[2], u[0], r[4])
	VSHUFF64X2(U8(0x88), u[3], u[1], r[2])
	VSHUFF64X2(U8(0xDD), u[3], u[1], r[6])
	VSHUFF64X2(U8(0x88), u[6], u[4], r[1])
	VSHUFF64X2(U8(0xDD), u[6], u[4], r[5])
	VSHUFF64X2(U8(0x88), u[7], u[5], r[3])
	VSHUFF64X2(U8(0xDD), u[7], u[5], r[7])
	for i := 0; i < 4; i++ {
		VMOVUPD(r[i], drow(R12, i))
		VMOVUPD(r[4+i], drow(R13, i))
	}
	ADDQ(U8(64), R10)
	ADDQ(U8(64), R11)
	LEAQ(Mem{Base: R12, Index: dw, Scale: 8}, R12)
	LEAQ(Mem{Base: R13, Index: dw, Scale: 8}, R13)
	DECQ(R14)
	JNZ(LabelRef("block"))
	LEAQ(Mem{Base: src, Index: ld, Scale: 8}, src)
	ADDQ(U8(64), dst)
	DECQ(R9)
	JNZ(LabelRef("group"))
	Label("done")
	VZEROUPPER()
	RET()
}

// genPackTrans32 emits packTrans32(dst, src, ld, kc, w, dw): dst[p·dw+j] =
// src[j·ld+p] for j < w and p < kc, both multiples of 8, float32 values,
// by 8×8 AVX2 register transposes (unpack, shuffle, then swap 128-bit
// halves: 24 shuffles and 16 full-width loads and stores per 64 values).
func genPackTrans32() {
	TEXT("packTrans32", NOSPLIT, "func(dst, src *float32, ld, kc, w, dw int)")
	Doc("packTrans32 transposes a w×kc block of float32 src (row stride ld) into dst (row stride dw); w and kc are multiples of 8.")
	dst := Load(Param("dst"), RDI)
	src := Load(Param("src"), RSI)
	ld := Load(Param("ld"), RDX)
	kc := Load(Param("kc"), RCX)
	Load(Param("w"), R9)
	dw := Load(Param("dw"), R8)
	SHLQ(U8(2), ld)
	SHLQ(U8(2), dw)
	SHRQ(U8(3), kc)
	JZ(LabelRef("done"))
	SHRQ(U8(3), R9) // groups of 8 source rows
	JZ(LabelRef("done"))
	LEAQ(Mem{Base: ld, Index: ld, Scale: 2}, RBX)
	LEAQ(Mem{Base: dw, Index: dw, Scale: 2}, RAX)
	Label("group")
	MOVQ(src, R10)
	LEAQ(Mem{Base: src, Index: ld, Scale: 4}, R11)
	MOVQ(dst, R12)
	LEAQ(Mem{Base: dst, Index: dw, Scale: 4}, R13)
	MOVQ(kc, R14)
	Label("block")
	r := []VecPhysical{Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7}
	t := []VecPhysical{Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15}
	row := func(base Register, idx Register, i int) Mem {
		switch i {
		case 0:
			return Mem{Base: base}
		case 1:
			return Mem{Base: base, Index: idx, Scale: 1}
		case 2:
			return Mem{Base: base, Index: idx, Scale: 2}
		}
		return Mem{Base: base, Index: map[Register]Register{ld: RBX, dw: RAX}[idx], Scale: 1}
	}
	for i := 0; i < 4; i++ {
		VMOVUPS(row(R10, ld, i), r[i])
		VMOVUPS(row(R11, ld, i), r[4+i])
	}
	// t0 = a0 b0 a1 b1 | a4 b4 a5 b5, t1 = a2 b2 a3 b3 | a6 b6 a7 b7, ...
	for i := 0; i < 4; i++ {
		VUNPCKLPS(r[2*i+1], r[2*i], t[2*i])
		VUNPCKHPS(r[2*i+1], r[2*i], t[2*i+1])
	}
	// r0 = a0 b0 c0 d0 | a4 b4 c4 d4, r1 = a1 b1 c1 d1 | ..., from t0 and t2.
	VSHUFPS(U8(0x44), t[2], t[0], r[0])
	VSHUFPS(U8(0xEE), t[2], t[0], r[1])
	VSHUFPS(U8(0x44), t[3], t[1], r[2])
	VSHUFPS(U8(0xEE), t[3], t[1], r[3])
	VSHUFPS(U8(0x44), t[6], t[4], r[4])
	VSHUFPS(U8(0xEE), t[6], t[4], r[5])
	VSHUFPS(U8(0x44), t[7], t[5], r[6])
	VSHUFPS(U8(0xEE), t[7], t[5], r[7])
	// Column c of the block: low halves for c < 4, high halves for c >= 4.
	for c := 0; c < 4; c++ {
		VPERM2F128(U8(0x20), r[4+c], r[c], t[c])
		VPERM2F128(U8(0x31), r[4+c], r[c], t[4+c])
	}
	for i := 0; i < 4; i++ {
		VMOVUPS(t[i], row(R12, dw, i))
		VMOVUPS(t[4+i], row(R13, dw, i))
	}
	ADDQ(U8(32), R10)
	ADDQ(U8(32), R11)
	LEAQ(Mem{Base: R12, Index: dw, Scale: 8}, R12)
	LEAQ(Mem{Base: R13, Index: dw, Scale: 8}, R13)
	DECQ(R14)
	JNZ(LabelRef("block"))
	LEAQ(Mem{Base: src, Index: ld, Scale: 8}, src)
	ADDQ(U8(32), dst)
	DECQ(R9)
	JNZ(LabelRef("group"))
	Label("done")
	VZEROUPPER()
	RET()
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
