package main

// The panel packers the Dgemm and Sgemm drivers call before the kernels:
// straight copies of panels already in the kernels' layout, and register
// transposes of those that are not (4×4 and 8×8 float64, 8×8 float32).

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

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
