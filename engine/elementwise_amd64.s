#include "textflag.h"

// Elementwise loops of the training step, four lanes at a time. Each one
// computes exactly what its Go twin in elementwise.go does, element by
// element, so results do not depend on the CPU.

// func reluAVX(z, out []float64)
// out[i] = max(z[i], 0) as Go's max: NaN stays NaN (with its sign bit
// cleared, as Go's max leaves it), -0 becomes +0.
// len(z) is a multiple of 4; out is at least as long. Needs AVX2.
TEXT ·reluAVX(SB), NOSPLIT, $0-48
	MOVQ z_base+0(FP), SI
	MOVQ z_len+8(FP), CX
	MOVQ out_base+24(FP), DI
	SHRQ $2, CX
	JZ   rdone
	VXORPD  Y7, Y7, Y7
	VPCMPEQQ Y6, Y6, Y6
	VPSRLQ  $1, Y6, Y6 // every bit but the sign

rloop:
	VMOVUPD (SI), Y0
	VCMPPD  $6, Y7, Y0, Y1 // z !<= 0 (NLE_UQ): z > 0 or NaN
	VANDPD  Y6, Y1, Y1
	VANDPD  Y0, Y1, Y0
	VMOVUPD Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     rloop
	VZEROUPPER

rdone:
	RET

// func reluBackAVX(z, d []float64)
// d[i] = +0 where z[i]'s sign bit is set, else unchanged.
// len(d) is a multiple of 4; z is at least as long.
TEXT ·reluBackAVX(SB), NOSPLIT, $0-48
	MOVQ z_base+0(FP), SI
	MOVQ d_base+24(FP), DI
	MOVQ d_len+32(FP), CX
	SHRQ $2, CX
	JZ   bdone
	VXORPD Y7, Y7, Y7

bloop:
	VMOVUPD   (SI), Y0
	VMOVUPD   (DI), Y1
	VBLENDVPD Y0, Y7, Y1, Y1 // sign of z set: take +0
	VMOVUPD   Y1, (DI)
	ADDQ      $32, SI
	ADDQ      $32, DI
	DECQ      CX
	JNZ       bloop
	VZEROUPPER

bdone:
	RET

// func addToAVX(dst, src []float64)
// dst[i] += src[i]. len(dst) is a multiple of 4; src is at least as long.
TEXT ·addToAVX(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ src_base+24(FP), SI
	SHRQ $2, CX
	JZ   adone

aloop:
	VMOVUPD (DI), Y0
	VADDPD  (SI), Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     aloop
	VZEROUPPER

adone:
	RET

// func penaltyAVX(w, g []float64, k *penaltyConst)
// g[i] += 2·l2·w[i] + (w[i] > 0 ? l1 : w[i] < 0 ? -l1 : 0), with the
// roundings of addPenaltiesGo: d = (2·l2)·w, then d ± l1 (d + -0 when w is
// zero, which leaves every d as it was), then g + d. len(w) is a multiple
// of 4 and g is at least as long. k.l1 == 0 skips the L1 term, which adds
// nothing then.
TEXT ·penaltyAVX(SB), NOSPLIT, $0-56
	MOVQ w_base+0(FP), DI
	MOVQ w_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ k+48(FP), AX
	SHRQ $2, CX
	JZ   pdone
	VBROADCASTSD 0(AX), Y8  // 2·l2
	VBROADCASTSD 8(AX), Y9  // l1
	VBROADCASTSD 16(AX), Y10 // -0: the sign bit
	VXORPD       Y11, Y11, Y11
	MOVQ         8(AX), BX
	TESTQ        BX, BX
	JNZ          pl1loop

pl2loop:
	VMOVUPD (DI), Y0
	VMULPD  Y8, Y0, Y1     // d = 2·l2·w
	VADDPD  (SI), Y1, Y1   // g + d
	VMOVUPD Y1, (SI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	DECQ    CX
	JNZ     pl2loop
	VZEROUPPER
	RET

pl1loop:
	VMOVUPD (DI), Y0
	VMULPD  Y8, Y0, Y1     // d = 2·l2·w
	VANDPD  Y10, Y0, Y2    // w's sign
	VORPD   Y9, Y2, Y2     // ±l1 with w's sign
	VCMPPD  $4, Y11, Y0, Y3 // w ≠ 0 (or NaN)
	VANDPD  Y3, Y2, Y2
	VANDNPD Y10, Y3, Y4    // -0 where w = 0
	VORPD   Y4, Y2, Y2
	VADDPD  Y2, Y1, Y1     // d ± l1
	VADDPD  (SI), Y1, Y1   // g + d
	VMOVUPD Y1, (SI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	DECQ    CX
	JNZ     pl1loop
	VZEROUPPER

pdone:
	RET
