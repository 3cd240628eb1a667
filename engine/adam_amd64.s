#include "textflag.h"

// Four loops of one shape: adamGo's arithmetic (optimizer.go), lane by
// lane. AVX4 needs AVX2 and FMA, AVX8 AVX-512F. adamInv's constants come
// from adamInvConsts.

// func adamAVX4(p, g, m, v []float64, k *adamConst)
// With k.pen set, g + the L1/L2 penalty gradient of p (addPenaltiesGo's
// roundings, -0 added where p is 0) is what the update uses; g is not written.
// adamGo 4 lanes at a time: the same operations in the same order
// (the same fused multiply-adds where adamGo calls math.FMA), so the same bits.
// len(p) is a multiple of 4 and the other slices are at least as long.
TEXT ·adamAVX4(SB), NOSPLIT, $0-104
	MOVQ p_base+0(FP), DI
	MOVQ p_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ m_base+48(FP), R8
	MOVQ v_base+72(FP), R9
	MOVQ k+96(FP), AX
	SHRQ $2, CX
	JZ   adamavx4_done
	VBROADCASTSD 0(AX), Y8 // b1
	VBROADCASTSD 8(AX), Y9 // 1-b1
	VBROADCASTSD 16(AX), Y10 // b2
	VBROADCASTSD 24(AX), Y11 // 1-b2
	VBROADCASTSD 32(AX), Y12 // lr·c1
	VBROADCASTSD 40(AX), Y13 // c2
	VBROADCASTSD 48(AX), Y14 // eps
	VBROADCASTSD 56(AX), Y15 // shrink
	MOVQ 88(AX), BX          // pen

adamavx4_loop:
	VMOVUPD (SI), Y0      // g
	TESTQ   BX, BX
	JZ      adamavx4_nopen
	VMOVUPD (DI), Y1      // p
	VBROADCASTSD 64(AX), Y2 // 2·l2
	VMULPD  Y2, Y1, Y3    // d = 2·l2·p
	VBROADCASTSD 80(AX), Y2 // -0: the sign bit
	VANDPD  Y2, Y1, Y4
	VBROADCASTSD 72(AX), Y5 // l1
	VORPD   Y5, Y4, Y4    // ±l1 with p's sign
	VXORPD  Y5, Y5, Y5
	VCMPPD  $4, Y5, Y1, Y5 // p ≠ 0 (or NaN)
	VANDPD  Y5, Y4, Y4
	VANDNPD Y2, Y5, Y6    // -0 where p = 0
	VORPD   Y6, Y4, Y4
	VADDPD  Y4, Y3, Y3    // d ± l1
	VADDPD  Y3, Y0, Y0    // g + d

adamavx4_nopen:
	VMOVUPD (R8), Y1      // m
	VMULPD  Y8, Y1, Y1
	VMULPD  Y9, Y0, Y2
	VADDPD  Y2, Y1, Y1    // m' = b1·m + (1-b1)·g
	VBROADCASTSD ·adamInvConsts+24(SB), Y6 // tiny weight
	VBROADCASTSD ·adamInvConsts+32(SB), Y7 // abs mask
	VANDPD  Y7, Y1, Y7 // |x|
	VCMPPD  $5, Y6, Y7, Y7 // !(|x| < tiny): kept (NaN too)
	VANDPD  Y7, Y1, Y1 // tiny values flushed to +0
	VMOVUPD Y1, (R8)
	VMOVUPD (R9), Y3      // v
	VMULPD  Y10, Y3, Y3
	VMULPD  Y11, Y0, Y4
	VMULPD  Y0, Y4, Y4
	VADDPD  Y4, Y3, Y3    // v' = b2·v + (1-b2)·g·g
	VBROADCASTSD ·adamInvConsts+24(SB), Y6 // tiny weight
	VBROADCASTSD ·adamInvConsts+32(SB), Y7 // abs mask
	VANDPD  Y7, Y3, Y7 // |x|
	VCMPPD  $5, Y6, Y7, Y7 // !(|x| < tiny): kept (NaN too)
	VANDPD  Y7, Y3, Y3 // tiny values flushed to +0
	VMOVUPD Y3, (R9)
	VMULPD  Y13, Y3, Y3   // y = v'·c2
	VBROADCASTSD ·adamInvConsts+0(SB), Y2
	VMAXPD  Y2, Y3, Y3    // y > tiny ? y : tiny
	VSQRTPD Y3, Y3       // √y, correctly rounded
	VADDPD  Y14, Y3, Y3   // d = √y + eps
	VBROADCASTSD ·adamInvConsts+8(SB), Y2
	VPSUBQ  Y3, Y2, Y4    // q ≈ 1/d: magicQ - bits(d)
	VBROADCASTSD ·adamInvConsts+16(SB), Y2
	VMOVAPD Y4, Y7
	VFNMADD213PD Y2, Y3, Y7 // e = 1 - d·q
	VFMADD213PD Y7, Y7, Y7 // e·e + e
	VFMADD231PD Y7, Y4, Y4 // q = q·(e·e+e) + q
	VMOVAPD Y4, Y7
	VFNMADD213PD Y2, Y3, Y7 // e = 1 - d·q
	VFMADD213PD Y7, Y7, Y7 // e·e + e
	VFMADD231PD Y7, Y4, Y4 // q = q·(e·e+e) + q
	VMOVAPD Y4, Y7
	VFNMADD213PD Y2, Y3, Y7 // e = 1 - d·q
	VFMADD213PD Y7, Y7, Y7 // e·e + e
	VFMADD231PD Y7, Y4, Y4 // q = q·(e·e+e) + q
	VMULPD  Y12, Y1, Y1   // lr·c1·m'
	VMULPD  Y4, Y1, Y1    // ·q
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
	JNZ     adamavx4_loop
	VZEROUPPER

adamavx4_done:
	RET

// func adamSumAVX4(p, g, g2, m, v []float64, k *adamConst)
// adamAVX4 on the gradient g+g2 (two shards' sums, added as the reduce
// phase adds them), without storing that sum.
// len(p) is a multiple of 4 and the other slices are at least as long.
TEXT ·adamSumAVX4(SB), NOSPLIT, $0-128
	MOVQ p_base+0(FP), DI
	MOVQ p_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ g2_base+48(FP), DX
	MOVQ m_base+72(FP), R8
	MOVQ v_base+96(FP), R9
	MOVQ k+120(FP), AX
	SHRQ $2, CX
	JZ   adamsumavx4_done
	VBROADCASTSD 0(AX), Y8 // b1
	VBROADCASTSD 8(AX), Y9 // 1-b1
	VBROADCASTSD 16(AX), Y10 // b2
	VBROADCASTSD 24(AX), Y11 // 1-b2
	VBROADCASTSD 32(AX), Y12 // lr·c1
	VBROADCASTSD 40(AX), Y13 // c2
	VBROADCASTSD 48(AX), Y14 // eps
	VBROADCASTSD 56(AX), Y15 // shrink

adamsumavx4_loop:
	VMOVUPD (SI), Y0      // g
	VADDPD  (DX), Y0, Y0 // g = g + g2
	VMOVUPD (R8), Y1      // m
	VMULPD  Y8, Y1, Y1
	VMULPD  Y9, Y0, Y2
	VADDPD  Y2, Y1, Y1    // m' = b1·m + (1-b1)·g
	VBROADCASTSD ·adamInvConsts+24(SB), Y6 // tiny weight
	VBROADCASTSD ·adamInvConsts+32(SB), Y7 // abs mask
	VANDPD  Y7, Y1, Y7 // |x|
	VCMPPD  $5, Y6, Y7, Y7 // !(|x| < tiny): kept (NaN too)
	VANDPD  Y7, Y1, Y1 // tiny values flushed to +0
	VMOVUPD Y1, (R8)
	VMOVUPD (R9), Y3      // v
	VMULPD  Y10, Y3, Y3
	VMULPD  Y11, Y0, Y4
	VMULPD  Y0, Y4, Y4
	VADDPD  Y4, Y3, Y3    // v' = b2·v + (1-b2)·g·g
	VBROADCASTSD ·adamInvConsts+24(SB), Y6 // tiny weight
	VBROADCASTSD ·adamInvConsts+32(SB), Y7 // abs mask
	VANDPD  Y7, Y3, Y7 // |x|
	VCMPPD  $5, Y6, Y7, Y7 // !(|x| < tiny): kept (NaN too)
	VANDPD  Y7, Y3, Y3 // tiny values flushed to +0
	VMOVUPD Y3, (R9)
	VMULPD  Y13, Y3, Y3   // y = v'·c2
	VBROADCASTSD ·adamInvConsts+0(SB), Y2
	VMAXPD  Y2, Y3, Y3    // y > tiny ? y : tiny
	VSQRTPD Y3, Y3       // √y, correctly rounded
	VADDPD  Y14, Y3, Y3   // d = √y + eps
	VBROADCASTSD ·adamInvConsts+8(SB), Y2
	VPSUBQ  Y3, Y2, Y4    // q ≈ 1/d: magicQ - bits(d)
	VBROADCASTSD ·adamInvConsts+16(SB), Y2
	VMOVAPD Y4, Y7
	VFNMADD213PD Y2, Y3, Y7 // e = 1 - d·q
	VFMADD213PD Y7, Y7, Y7 // e·e + e
	VFMADD231PD Y7, Y4, Y4 // q = q·(e·e+e) + q
	VMOVAPD Y4, Y7
	VFNMADD213PD Y2, Y3, Y7 // e = 1 - d·q
	VFMADD213PD Y7, Y7, Y7 // e·e + e
	VFMADD231PD Y7, Y4, Y4 // q = q·(e·e+e) + q
	VMOVAPD Y4, Y7
	VFNMADD213PD Y2, Y3, Y7 // e = 1 - d·q
	VFMADD213PD Y7, Y7, Y7 // e·e + e
	VFMADD231PD Y7, Y4, Y4 // q = q·(e·e+e) + q
	VMULPD  Y12, Y1, Y1   // lr·c1·m'
	VMULPD  Y4, Y1, Y1    // ·q
	VMOVUPD (DI), Y5      // p
	VMULPD  Y15, Y5, Y6   // shrink·p
	VADDPD  Y6, Y1, Y1
	VSUBPD  Y1, Y5, Y5    // p - (step + shrink·p)
	VMOVUPD Y5, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, R8
	ADDQ    $32, R9
	DECQ    CX
	JNZ     adamsumavx4_loop
	VZEROUPPER

adamsumavx4_done:
	RET

// func adamAVX8(p, g, m, v []float64, k *adamConst)
// With k.pen set, g + the L1/L2 penalty gradient of p (addPenaltiesGo's
// roundings, -0 added where p is 0) is what the update uses; g is not written.
// adamGo 8 lanes at a time: the same operations in the same order
// (the same fused multiply-adds where adamGo calls math.FMA), so the same bits.
// len(p) is a multiple of 8 and the other slices are at least as long.
TEXT ·adamAVX8(SB), NOSPLIT, $0-104
	MOVQ p_base+0(FP), DI
	MOVQ p_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ m_base+48(FP), R8
	MOVQ v_base+72(FP), R9
	MOVQ k+96(FP), AX
	SHRQ $3, CX
	JZ   adamavx8_done
	VBROADCASTSD 0(AX), Z8 // b1
	VBROADCASTSD 8(AX), Z9 // 1-b1
	VBROADCASTSD 16(AX), Z10 // b2
	VBROADCASTSD 24(AX), Z11 // 1-b2
	VBROADCASTSD 32(AX), Z12 // lr·c1
	VBROADCASTSD 40(AX), Z13 // c2
	VBROADCASTSD 48(AX), Z14 // eps
	VBROADCASTSD 56(AX), Z15 // shrink
	VBROADCASTSD ·adamInvConsts+0(SB), Z16 // tiny
	VBROADCASTSD ·adamInvConsts+8(SB), Z20 // magicQ
	VBROADCASTSD ·adamInvConsts+16(SB), Z21 // 1
	VBROADCASTSD ·adamInvConsts+24(SB), Z26 // tiny weight
	VBROADCASTSD ·adamInvConsts+32(SB), Z27 // abs mask
	MOVQ 88(AX), BX          // pen
	VBROADCASTSD 64(AX), Z22 // 2·l2
	VBROADCASTSD 72(AX), Z23 // l1
	VBROADCASTSD 80(AX), Z24 // -0: the sign bit
	VPXORQ       Z25, Z25, Z25

adamavx8_loop:
	VMOVUPD (SI), Z0      // g
	TESTQ   BX, BX
	JZ      adamavx8_nopen
	VMOVUPD (DI), Z5      // p
	VMULPD  Z22, Z5, Z6   // d = 2·l2·p
	VPANDQ  Z24, Z5, Z7
	VPORQ   Z23, Z7, Z7   // ±l1 with p's sign
	VCMPPD  $4, Z25, Z5, K1 // p ≠ 0 (or NaN)
	VBLENDMPD Z7, Z24, K1, Z7 // -0 where p = 0
	VADDPD  Z7, Z6, Z6    // d ± l1
	VADDPD  Z6, Z0, Z0    // g + d

adamavx8_nopen:
	VMOVUPD (R8), Z1      // m
	VMULPD  Z8, Z1, Z1
	VMULPD  Z9, Z0, Z2
	VADDPD  Z2, Z1, Z1    // m' = b1·m + (1-b1)·g
	VPANDQ  Z27, Z1, Z28 // |x|
	VCMPPD  $5, Z26, Z28, K2 // !(|x| < tiny): kept (NaN too)
	VMOVAPD.Z Z1, K2, Z1 // tiny values flushed to +0
	VMOVUPD Z1, (R8)
	VMOVUPD (R9), Z3      // v
	VMULPD  Z10, Z3, Z3
	VMULPD  Z11, Z0, Z4
	VMULPD  Z0, Z4, Z4
	VADDPD  Z4, Z3, Z3    // v' = b2·v + (1-b2)·g·g
	VPANDQ  Z27, Z3, Z28 // |x|
	VCMPPD  $5, Z26, Z28, K2 // !(|x| < tiny): kept (NaN too)
	VMOVAPD.Z Z3, K2, Z3 // tiny values flushed to +0
	VMOVUPD Z3, (R9)
	VMULPD  Z13, Z3, Z3   // y = v'·c2
	VMAXPD  Z16, Z3, Z3    // y > tiny ? y : tiny
	VSQRTPD Z3, Z3       // √y, correctly rounded
	VADDPD  Z14, Z3, Z3   // d = √y + eps
	VPSUBQ  Z3, Z20, Z4    // q ≈ 1/d: magicQ - bits(d)
	VMOVAPD Z4, Z7
	VFNMADD213PD Z21, Z3, Z7 // e = 1 - d·q
	VFMADD213PD Z7, Z7, Z7 // e·e + e
	VFMADD231PD Z7, Z4, Z4 // q = q·(e·e+e) + q
	VMOVAPD Z4, Z7
	VFNMADD213PD Z21, Z3, Z7 // e = 1 - d·q
	VFMADD213PD Z7, Z7, Z7 // e·e + e
	VFMADD231PD Z7, Z4, Z4 // q = q·(e·e+e) + q
	VMOVAPD Z4, Z7
	VFNMADD213PD Z21, Z3, Z7 // e = 1 - d·q
	VFMADD213PD Z7, Z7, Z7 // e·e + e
	VFMADD231PD Z7, Z4, Z4 // q = q·(e·e+e) + q
	VMULPD  Z12, Z1, Z1   // lr·c1·m'
	VMULPD  Z4, Z1, Z1    // ·q
	VMOVUPD (DI), Z5      // p
	VMULPD  Z15, Z5, Z6   // shrink·p
	VADDPD  Z6, Z1, Z1
	VSUBPD  Z1, Z5, Z5    // p - (step + shrink·p)
	VMOVUPD Z5, (DI)
	ADDQ    $64, DI
	ADDQ    $64, SI
	ADDQ    $64, R8
	ADDQ    $64, R9
	DECQ    CX
	JNZ     adamavx8_loop
	VZEROUPPER

adamavx8_done:
	RET

// func adamSumAVX8(p, g, g2, m, v []float64, k *adamConst)
// adamAVX8 on the gradient g+g2 (two shards' sums, added as the reduce
// phase adds them), without storing that sum.
// len(p) is a multiple of 8 and the other slices are at least as long.
TEXT ·adamSumAVX8(SB), NOSPLIT, $0-128
	MOVQ p_base+0(FP), DI
	MOVQ p_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ g2_base+48(FP), DX
	MOVQ m_base+72(FP), R8
	MOVQ v_base+96(FP), R9
	MOVQ k+120(FP), AX
	SHRQ $3, CX
	JZ   adamsumavx8_done
	VBROADCASTSD 0(AX), Z8 // b1
	VBROADCASTSD 8(AX), Z9 // 1-b1
	VBROADCASTSD 16(AX), Z10 // b2
	VBROADCASTSD 24(AX), Z11 // 1-b2
	VBROADCASTSD 32(AX), Z12 // lr·c1
	VBROADCASTSD 40(AX), Z13 // c2
	VBROADCASTSD 48(AX), Z14 // eps
	VBROADCASTSD 56(AX), Z15 // shrink
	VBROADCASTSD ·adamInvConsts+0(SB), Z16 // tiny
	VBROADCASTSD ·adamInvConsts+8(SB), Z20 // magicQ
	VBROADCASTSD ·adamInvConsts+16(SB), Z21 // 1
	VBROADCASTSD ·adamInvConsts+24(SB), Z26 // tiny weight
	VBROADCASTSD ·adamInvConsts+32(SB), Z27 // abs mask

adamsumavx8_loop:
	VMOVUPD (SI), Z0      // g
	VADDPD  (DX), Z0, Z0 // g = g + g2
	VMOVUPD (R8), Z1      // m
	VMULPD  Z8, Z1, Z1
	VMULPD  Z9, Z0, Z2
	VADDPD  Z2, Z1, Z1    // m' = b1·m + (1-b1)·g
	VPANDQ  Z27, Z1, Z28 // |x|
	VCMPPD  $5, Z26, Z28, K2 // !(|x| < tiny): kept (NaN too)
	VMOVAPD.Z Z1, K2, Z1 // tiny values flushed to +0
	VMOVUPD Z1, (R8)
	VMOVUPD (R9), Z3      // v
	VMULPD  Z10, Z3, Z3
	VMULPD  Z11, Z0, Z4
	VMULPD  Z0, Z4, Z4
	VADDPD  Z4, Z3, Z3    // v' = b2·v + (1-b2)·g·g
	VPANDQ  Z27, Z3, Z28 // |x|
	VCMPPD  $5, Z26, Z28, K2 // !(|x| < tiny): kept (NaN too)
	VMOVAPD.Z Z3, K2, Z3 // tiny values flushed to +0
	VMOVUPD Z3, (R9)
	VMULPD  Z13, Z3, Z3   // y = v'·c2
	VMAXPD  Z16, Z3, Z3    // y > tiny ? y : tiny
	VSQRTPD Z3, Z3       // √y, correctly rounded
	VADDPD  Z14, Z3, Z3   // d = √y + eps
	VPSUBQ  Z3, Z20, Z4    // q ≈ 1/d: magicQ - bits(d)
	VMOVAPD Z4, Z7
	VFNMADD213PD Z21, Z3, Z7 // e = 1 - d·q
	VFMADD213PD Z7, Z7, Z7 // e·e + e
	VFMADD231PD Z7, Z4, Z4 // q = q·(e·e+e) + q
	VMOVAPD Z4, Z7
	VFNMADD213PD Z21, Z3, Z7 // e = 1 - d·q
	VFMADD213PD Z7, Z7, Z7 // e·e + e
	VFMADD231PD Z7, Z4, Z4 // q = q·(e·e+e) + q
	VMOVAPD Z4, Z7
	VFNMADD213PD Z21, Z3, Z7 // e = 1 - d·q
	VFMADD213PD Z7, Z7, Z7 // e·e + e
	VFMADD231PD Z7, Z4, Z4 // q = q·(e·e+e) + q
	VMULPD  Z12, Z1, Z1   // lr·c1·m'
	VMULPD  Z4, Z1, Z1    // ·q
	VMOVUPD (DI), Z5      // p
	VMULPD  Z15, Z5, Z6   // shrink·p
	VADDPD  Z6, Z1, Z1
	VSUBPD  Z1, Z5, Z5    // p - (step + shrink·p)
	VMOVUPD Z5, (DI)
	ADDQ    $64, DI
	ADDQ    $64, SI
	ADDQ    $64, DX
	ADDQ    $64, R8
	ADDQ    $64, R9
	DECQ    CX
	JNZ     adamsumavx8_loop
	VZEROUPPER

adamsumavx8_done:
	RET

