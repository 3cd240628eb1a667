#include "textflag.h"

// func adamAVX4(p, g, m, v []float64, k *adamConst)
// len(p) is a multiple of 4 and the other slices are at least as long.
// Same operations in the same order as adamGo (no FMA), so the same bits.
TEXT ·adamAVX4(SB), NOSPLIT, $0-104
	MOVQ p_base+0(FP), DI
	MOVQ p_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ m_base+48(FP), R8
	MOVQ v_base+72(FP), R9
	MOVQ k+96(FP), AX
	SHRQ $2, CX
	JZ   done
	VBROADCASTSD 0(AX), Y8   // b1
	VBROADCASTSD 8(AX), Y9   // 1-b1
	VBROADCASTSD 16(AX), Y10 // b2
	VBROADCASTSD 24(AX), Y11 // 1-b2
	VBROADCASTSD 32(AX), Y12 // lr·c1
	VBROADCASTSD 40(AX), Y13 // c2
	VBROADCASTSD 48(AX), Y14 // eps
	VBROADCASTSD 56(AX), Y15 // shrink

loop:
	VMOVUPD (SI), Y0      // g
	VMOVUPD (R8), Y1      // m
	VMULPD  Y8, Y1, Y1    // b1·m
	VMULPD  Y9, Y0, Y2    // (1-b1)·g
	VADDPD  Y2, Y1, Y1    // m' = b1·m + (1-b1)·g
	VMOVUPD Y1, (R8)
	VMOVUPD (R9), Y3      // v
	VMULPD  Y10, Y3, Y3   // b2·v
	VMULPD  Y11, Y0, Y4   // (1-b2)·g
	VMULPD  Y0, Y4, Y4    // ·g
	VADDPD  Y4, Y3, Y3    // v' = b2·v + (1-b2)·g·g
	VMOVUPD Y3, (R9)
	VMULPD  Y13, Y3, Y3   // v'·c2
	VSQRTPD Y3, Y3
	VADDPD  Y14, Y3, Y3   // √(v'·c2) + eps
	VMULPD  Y12, Y1, Y1   // lr·c1·m'
	VDIVPD  Y3, Y1, Y1    // (lr·c1·m') / (√(v'·c2) + eps)
	VMOVUPD (DI), Y5      // p
	VMULPD  Y15, Y5, Y6   // shrink·p
	VADDPD  Y6, Y1, Y1
	VSUBPD  Y1, Y5, Y5    // p - (step + shrink·p)
	VMOVUPD Y5, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	ADDQ    $32, R8
	ADDQ    $32, R9
	DECQ    CX
	JNZ     loop
	VZEROUPPER

done:
	RET

// func adamSumAVX4(p, g, g2, m, v []float64, k *adamConst)
// adamAVX4 on the gradient g+g2 (two shards' sums, added as the reduce
// phase adds them), without storing that sum. len(p) is a multiple of 4.
TEXT ·adamSumAVX4(SB), NOSPLIT, $0-128
	MOVQ p_base+0(FP), DI
	MOVQ p_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ g2_base+48(FP), DX
	MOVQ m_base+72(FP), R8
	MOVQ v_base+96(FP), R9
	MOVQ k+120(FP), AX
	SHRQ $2, CX
	JZ   sdone
	VBROADCASTSD 0(AX), Y8
	VBROADCASTSD 8(AX), Y9
	VBROADCASTSD 16(AX), Y10
	VBROADCASTSD 24(AX), Y11
	VBROADCASTSD 32(AX), Y12
	VBROADCASTSD 40(AX), Y13
	VBROADCASTSD 48(AX), Y14
	VBROADCASTSD 56(AX), Y15

sloop:
	VMOVUPD (SI), Y0
	VADDPD  (DX), Y0, Y0  // g = g + g2
	VMOVUPD (R8), Y1
	VMULPD  Y8, Y1, Y1
	VMULPD  Y9, Y0, Y2
	VADDPD  Y2, Y1, Y1
	VMOVUPD Y1, (R8)
	VMOVUPD (R9), Y3
	VMULPD  Y10, Y3, Y3
	VMULPD  Y11, Y0, Y4
	VMULPD  Y0, Y4, Y4
	VADDPD  Y4, Y3, Y3
	VMOVUPD Y3, (R9)
	VMULPD  Y13, Y3, Y3
	VSQRTPD Y3, Y3
	VADDPD  Y14, Y3, Y3
	VMULPD  Y12, Y1, Y1
	VDIVPD  Y3, Y1, Y1
	VMOVUPD (DI), Y5
	VMULPD  Y15, Y5, Y6
	VADDPD  Y6, Y1, Y1
	VSUBPD  Y1, Y5, Y5
	VMOVUPD Y5, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, R8
	ADDQ    $32, R9
	DECQ    CX
	JNZ     sloop
	VZEROUPPER

sdone:
	RET
