#include "textflag.h"

// The float32 twins of elementwise_amd64.s, eight lanes at a time, each
// computing exactly what its Go loop in elementwise.go does.

// func relu32AVX(z, out []float32)
// out[i] = max(z[i], 0) as Go's max (NaN stays NaN with its sign cleared,
// -0 becomes +0). len(z) is a multiple of 8; out is at least as long.
TEXT ·relu32AVX(SB), NOSPLIT, $0-48
	MOVQ z_base+0(FP), SI
	MOVQ z_len+8(FP), CX
	MOVQ out_base+24(FP), DI
	SHRQ $3, CX
	JZ   rdone
	VXORPS   Y7, Y7, Y7
	VPCMPEQD Y6, Y6, Y6
	VPSRLD   $1, Y6, Y6 // every bit but the sign

rloop:
	VMOVUPS (SI), Y0
	VCMPPS  $6, Y7, Y0, Y1 // z !<= 0 (NLE_UQ): z > 0 or NaN
	VANDPS  Y6, Y1, Y1
	VANDPS  Y0, Y1, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     rloop
	VZEROUPPER

rdone:
	RET

// func reluBack32AVX(z, d []float32)
// d[i] = +0 where z[i]'s sign bit is set, else unchanged.
// len(d) is a multiple of 8; z is at least as long.
TEXT ·reluBack32AVX(SB), NOSPLIT, $0-48
	MOVQ z_base+0(FP), SI
	MOVQ d_base+24(FP), DI
	MOVQ d_len+32(FP), CX
	SHRQ $3, CX
	JZ   bdone
	VXORPS Y7, Y7, Y7

bloop:
	VMOVUPS   (SI), Y0
	VMOVUPS   (DI), Y1
	VBLENDVPS Y0, Y7, Y1, Y1 // sign of z set: take +0
	VMOVUPS   Y1, (DI)
	ADDQ      $32, SI
	ADDQ      $32, DI
	DECQ      CX
	JNZ       bloop
	VZEROUPPER

bdone:
	RET

// func addTo32AVX(dst, src []float32)
// dst[i] += src[i]. len(dst) is a multiple of 8; src is at least as long.
TEXT ·addTo32AVX(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ src_base+24(FP), SI
	SHRQ $3, CX
	JZ   adone

aloop:
	VMOVUPS (DI), Y0
	VADDPS  (SI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     aloop
	VZEROUPPER

adone:
	RET
