//go:build !purego

#include "textflag.h"

// func axpyRows16(z *float32, o *float32, x *float32, n int)
//
// z[0:16] += x[j]·o[16j : 16j+16] for j = 0..n-1 in order, each product
// rounded (MULPS), then added (ADDPS): per lane the sum of the scalar
// loop. Four accumulators hold z in registers.
TEXT ·axpyRows16(SB), NOSPLIT, $0-32
	MOVQ   z+0(FP), DI
	MOVQ   o+8(FP), SI
	MOVQ   x+16(FP), DX
	MOVQ   n+24(FP), CX
	MOVUPS 0(DI), X1
	MOVUPS 16(DI), X2
	MOVUPS 32(DI), X3
	MOVUPS 48(DI), X4
	TESTQ  CX, CX
	JE     done

loop:
	MOVSS  (DX), X0
	SHUFPS $0, X0, X0
	MOVUPS 0(SI), X5
	MOVUPS 16(SI), X6
	MOVUPS 32(SI), X7
	MOVUPS 48(SI), X8
	MULPS  X0, X5
	MULPS  X0, X6
	MULPS  X0, X7
	MULPS  X0, X8
	ADDPS  X5, X1
	ADDPS  X6, X2
	ADDPS  X7, X3
	ADDPS  X8, X4
	ADDQ   $4, DX
	ADDQ   $64, SI
	DECQ   CX
	JNZ    loop

done:
	MOVUPS X1, 0(DI)
	MOVUPS X2, 16(DI)
	MOVUPS X3, 32(DI)
	MOVUPS X4, 48(DI)
	RET

// func axpy8(a float32, x *float32, y *float32, n int)
//
// y[i] += a·x[i] for i < n, n a positive multiple of 8, with AVX: VMULPS
// then VADDPS, lane by lane the rounding of the scalar loop.
TEXT ·axpy8(SB), NOSPLIT, $0-32
	VBROADCASTSS a+0(FP), Y0
	MOVQ         x+8(FP), SI
	MOVQ         y+16(FP), DI
	MOVQ         n+24(FP), CX
	SHRQ         $3, CX
	JE           axdone

axloop:
	VMULPS  (SI), Y0, Y1
	VADDPS  (DI), Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     axloop

axdone:
	VZEROUPPER
	RET
