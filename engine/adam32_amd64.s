#include "textflag.h"

// func adamAVX32(p, g, g2, m, v []float32, k *adam32Const)
// adamGo32 eight lanes at a time: the same operations in the same order
// (no fused multiply-adds, a correctly rounded square root and division),
// so the same bits. g2, when not empty, is added to g first; with k.pen
// set, so is the L1/L2 gradient of p. len(p) is a multiple of 8 and the
// other slices are at least as long. Needs AVX2.
TEXT ·adamAVX32(SB), NOSPLIT, $0-128
	MOVQ p_base+0(FP), DI
	MOVQ p_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ g2_base+48(FP), R8
	MOVQ g2_len+56(FP), R9
	MOVQ m_base+72(FP), R10
	MOVQ v_base+96(FP), R11
	MOVQ k+120(FP), AX
	SHRQ $3, CX
	JZ   done
	VBROADCASTSS 0(AX), Y8   // b1
	VBROADCASTSS 4(AX), Y9   // 1-b1
	VBROADCASTSS 8(AX), Y10  // b2
	VBROADCASTSS 12(AX), Y11 // 1-b2
	VBROADCASTSS 16(AX), Y12 // lr·c1
	VBROADCASTSS 20(AX), Y13 // c2
	VBROADCASTSS 24(AX), Y14 // eps
	VBROADCASTSS 28(AX), Y15 // shrink
	MOVL 48(AX), DX          // pen
	XORQ BX, BX              // byte offset

loop:
	VMOVUPS (SI)(BX*1), Y0
	TESTQ   R9, R9
	JZ      nog2
	VADDPS  (R8)(BX*1), Y0, Y0

nog2:
	VMOVUPS (DI)(BX*1), Y1
	TESTL   DX, DX
	JZ      nopen
	VBROADCASTSS 32(AX), Y2 // 2·L2
	VMULPS  Y1, Y2, Y2
	VXORPS  Y7, Y7, Y7
	VBROADCASTSS 36(AX), Y4 // L1
	VCMPPS  $0x1e, Y7, Y1, Y3 // p > 0
	VANDPS  Y4, Y3, Y3
	VCMPPS  $0x11, Y7, Y1, Y6 // p < 0
	VANDPS  Y4, Y6, Y6
	VADDPS  Y3, Y2, Y2
	VSUBPS  Y6, Y2, Y2
	VADDPS  Y2, Y0, Y0

nopen:
	// m = b1·m + (1-b1)·g, v = b2·v + ((1-b2)·g)·g
	VMULPS  (R10)(BX*1), Y8, Y5
	VMULPS  Y0, Y9, Y2
	VADDPS  Y2, Y5, Y5
	VMULPS  (R11)(BX*1), Y10, Y6
	VMULPS  Y0, Y11, Y2
	VMULPS  Y0, Y2, Y2
	VADDPS  Y2, Y6, Y6

	// flushTiny: keep where !(|x| < tiny), so NaN stays NaN.
	VBROADCASTSS 44(AX), Y3 // every bit but the sign
	VBROADCASTSS 40(AX), Y4 // tiny
	VANDPS  Y3, Y5, Y2
	VCMPPS  $0x05, Y4, Y2, Y2
	VANDPS  Y2, Y5, Y5
	VANDPS  Y3, Y6, Y2
	VCMPPS  $0x05, Y4, Y2, Y2
	VANDPS  Y2, Y6, Y6
	VMOVUPS Y5, (R10)(BX*1)
	VMOVUPS Y6, (R11)(BX*1)

	// p -= lc·m / (√(v·c2) + eps) + shrink·p
	VMULPS  Y13, Y6, Y6
	VSQRTPS Y6, Y6
	VADDPS  Y14, Y6, Y6
	VMULPS  Y12, Y5, Y5
	VDIVPS  Y6, Y5, Y5
	VMULPS  Y15, Y1, Y2
	VADDPS  Y2, Y5, Y5
	VSUBPS  Y5, Y1, Y1
	VMOVUPS Y1, (DI)(BX*1)
	ADDQ    $32, BX
	DECQ    CX
	JNZ     loop
	VZEROUPPER

done:
	RET
